import { OAuthError } from './oauth-error';

/** What a client-credentials token request carries once read (RFC 6749 §4.4.2, §2.3.1). */
export interface TokenRequest {
  grantType: string;
  clientId: string;
  clientSecret: string;
  /** How the client authenticated: its credentials in the Authorization header or in the body. */
  via: 'basic' | 'body';
}

/** Longest client_id and client_secret read (Mustafid's are ≤ 61 and 43 characters). */
export const CLIENT_ID_MAX = 64;
export const CLIENT_SECRET_MAX = 200;
/** Longest value of any other parameter read (audience, scope, grant_type). */
const PARAMETER_MAX = 1000;

/**
 * A parameter's value: absent when missing or empty (§3.2: "Parameters sent without a value
 * MUST be treated as if they were omitted"), refused when sent twice (§3.2: "MUST NOT be
 * included more than once") or not as text.
 */
function parameter(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw new OAuthError('invalid_request', `The parameter ${name} was sent more than once; send it once`);
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `The parameter ${name} must be text`);
  if (value.length > max) throw new OAuthError('invalid_request', `The parameter ${name} is longer than ${max} characters`);
  return value;
}

/**
 * `Basic base64(urlencode(client_id):urlencode(client_secret))` (§2.3.1: each part is
 * form-urlencoded before the two are joined, so either may hold a colon).
 */
function basicCredentials(header: string): { clientId: string; clientSecret: string } {
  const encoded = header.slice(6).trim();
  const text = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = text.indexOf(':');
  if (colon < 1) throw new OAuthError('invalid_client', 'The Basic credentials are not base64 of client_id:client_secret (RFC 6749 section 2.3.1)');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client', 'The Basic credentials are not form-encoded client_id:client_secret (RFC 6749 section 2.3.1)');
    }
  };
  return { clientId: decode(text.slice(0, colon)), clientSecret: decode(text.slice(colon + 1)) };
}

/**
 * Reads a token request: the parameters from a form-encoded or JSON body, the client's
 * credentials from the body or the Authorization header (one of the two: §2.3 "The client MUST
 * NOT use more than one authentication method in each request"). Throws OAuthError with
 * invalid_request, unsupported_grant_type or invalid_client; checks no secret.
 */
export function readTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OAuthError('invalid_request', 'Send the parameters form-encoded (Content-Type: application/x-www-form-urlencoded, RFC 6749 section 4.4.2) or as a JSON object');
  }
  const params = body as Record<string, unknown>;
  const grantType = parameter(params, 'grant_type', PARAMETER_MAX);
  if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required: send grant_type=client_credentials');
  if (grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', `Mustafid issues tokens only for grant_type=client_credentials (RFC 6749 section 4.4), not ${grantType.slice(0, 100)}`);
  }
  // Read, so that a repeated or non-text audience or scope is refused; neither changes the token (docs/decisions).
  parameter(params, 'audience', PARAMETER_MAX);
  parameter(params, 'scope', PARAMETER_MAX);
  const bodyId = parameter(params, 'client_id', CLIENT_SECRET_MAX);
  const bodySecret = parameter(params, 'client_secret', CLIENT_SECRET_MAX);
  let credentials: Omit<TokenRequest, 'grantType'>;
  if (authorization !== undefined && authorization !== '') {
    if (!/^basic /i.test(authorization)) {
      throw new OAuthError('invalid_client', 'The token endpoint takes the client\'s credentials as HTTP Basic or as client_id and client_secret in the body, not another Authorization scheme');
    }
    if (bodySecret !== undefined) {
      throw new OAuthError('invalid_request', 'The client sent its credentials both in the Authorization header and in the body: send them one way only (RFC 6749 section 2.3)');
    }
    const basic = basicCredentials(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new OAuthError('invalid_request', 'client_id in the body differs from the one in the Authorization header');
    credentials = { ...basic, via: 'basic' };
  } else {
    if (bodyId === undefined) throw new OAuthError('invalid_client', 'client_id is required (or HTTP Basic credentials): the client must say who it is');
    if (bodySecret === undefined) throw new OAuthError('invalid_client', 'client_secret is required (or HTTP Basic credentials)');
    credentials = { clientId: bodyId, clientSecret: bodySecret, via: 'body' };
  }
  if (credentials.clientId.length > CLIENT_ID_MAX || credentials.clientSecret.length > CLIENT_SECRET_MAX) {
    throw new OAuthError('invalid_client', 'The client id or secret is not correct, or the client was revoked');
  }
  return { grantType, ...credentials };
}
