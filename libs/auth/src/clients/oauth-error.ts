import { DomainError } from '@mustafid/platform';

/** The error codes of the token endpoint (RFC 6749 §5.2) that Mustafid answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'temporarily_unavailable';

/**
 * A refusal at POST /oauth/token: the code is RFC 6749's `error`, the message its
 * `error_description` (platform's sendErrorBody writes `{ error, error_description }` there).
 */
export class OAuthError extends DomainError {
  constructor(code: OAuthErrorCode, description: string, status = code === 'invalid_client' ? 401 : 400, details?: Record<string, unknown>) {
    super(code, description, status, details);
  }
}
