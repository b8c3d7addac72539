import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '@mustafid/platform';
import { ClientTokens, claimsClientKind } from './clients/client-tokens';
import type { AuthUser } from './session/auth-user';
import { SessionService } from './session/session.service';

/** Longest bearer token read; Mustafid's are under 300 characters. */
const TOKEN_MAX = 4096;

/**
 * Who a caller is, from whatever credential it sent: what the HTTP guard uses, and what other
 * gateways (the Zeebe gRPC gateway, with the `authorization` metadata) call.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly sessions: SessionService,
    private readonly clients: ClientTokens,
    private readonly jwt: JwtService,
  ) {}

  /**
   * The caller an `Authorization: Bearer <token>` stands for: a machine client's access token
   * (POST /oauth/token) or a signed-in person's session token. Throws UnauthenticatedError (401,
   * with a message that says why: expired, revoked, signed out, not valid).
   */
  async authenticateBearer(token: string): Promise<AuthUser> {
    if (token.length === 0 || token.length > TOKEN_MAX) throw new UnauthenticatedError('The bearer token is empty or too long to be one of this server\'s', 'TOKEN_INVALID');
    // Read unchecked only to choose which check applies; each check verifies the signature.
    let claims: unknown;
    try {
      claims = this.jwt.decode(token);
    } catch {
      claims = null; // not a JWT: the session check answers why
    }
    return claimsClientKind(claims) ? this.clients.authenticate(token) : this.sessions.authenticate(token);
  }

  /**
   * The account of HTTP Basic credentials (Camunda's clients with CAMUNDA_AUTH_STRATEGY=BASIC), checked
   * as a sign-in, under the same lockout; `address` is the caller's network address.
   */
  authenticateBasic(username: string, password: string, address: string): Promise<AuthUser> {
    return this.sessions.authenticateBasic(username, password, address);
  }
}
