/**
 * A client-credentials token request (RFC 6749 §4.4.2), form-encoded or JSON. The client's
 * credentials go here or in an `Authorization: Basic` header (§2.3.1), not both. Only the
 * OpenAPI description: the controller reads the body itself, so that every refusal is §5.2's.
 */
export class TokenRequestDto {
  /** Always client_credentials */
  grant_type!: string;
  /** The client id an administrator got when creating the client */
  client_id?: string;
  /** The secret shown once when the client was created */
  client_secret?: string;
  /** Accepted and not used (Camunda's clients send one, e.g. zeebe.camunda.io) */
  audience?: string;
  /** Accepted and not used: the client's roles decide what it may do */
  scope?: string;
}

/** A token response (RFC 6749 §5.1). */
export class TokenView {
  /** Send as `Authorization: Bearer <access_token>` to /v2, /api, and the Zeebe gRPC gateway */
  access_token!: string;
  /** Always Bearer */
  token_type!: string;
  /** Seconds the token lasts (OAUTH_TOKEN_MINUTES × 60) */
  expires_in!: number;
  /** The client's roles, space-separated */
  scope!: string;
}

/** An error of the token endpoint (RFC 6749 §5.2). */
export class TokenErrorView {
  /** invalid_request, invalid_client, unsupported_grant_type, or temporarily_unavailable (too many failures: see Retry-After) */
  error!: string;
  /** What went wrong, for a person */
  error_description!: string;
}
