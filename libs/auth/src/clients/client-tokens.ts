import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock, UnauthenticatedError } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { decoyHash, verifyPassword } from '../passwords/passwords';
import type { Role } from '../roles';
import type { AuthUser } from '../session/auth-user';
import { LoginAttempts, TooManyLoginAttemptsError } from '../session/login-attempts';
import { SigningKey } from '../session/signing-key';
import { OAuthError } from './oauth-error';
import type { TokenRequest } from './token-request';

/** The claims of a machine client's access token; `kind` tells it from a session's token. */
interface ClientTokenPayload {
  sub: string;
  kind: 'client';
  iat: number;
  exp: number;
}

/** The successful answer of the token endpoint (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds the token lasts. */
  expires_in: number;
  /** The client's roles, space-separated: what the token lets it do (§3.3). */
  scope: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * How long past its `exp` a token is still taken: the skew Camunda's server allows (Spring
 * Security's JwtTimestampValidator, 60 s), since @camunda8/sdk renews a token only 1 s before it
 * expires and a request may arrive just after.
 */
const CLOCK_SKEW_SECONDS = 60;
const INVALID_CLIENT = 'The client id or secret is not correct, or the client was revoked';

/** A signed-in caller's name for a machine client: what audit entries and `deployedBy` show. */
export const clientUsername = (name: string) => `client:${name}`;

/** Whether a bearer token claims to be a machine client's (read without checking it: only to choose who checks it). */
export function claimsClientKind(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as { kind?: unknown }).kind === 'client';
}

/**
 * Machine clients' access tokens: issued at POST /oauth/token for a client id and secret (OAuth
 * 2.0 client credentials, RFC 6749 §4.4), JWTs signed with the server's signing key that name
 * the client's row; each request re-reads that row, so revoking a client ends its tokens at once
 * (decision 0025). Expiry is read on the process's clock, which ENABLE_TEST_CLOCK moves.
 */
@Injectable()
export class ClientTokens {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly signingKey: SigningKey,
    private readonly attempts: LoginAttempts,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * An access token for a client that proves it holds its secret. Failures count towards the same
   * limit as sign-ins (LOGIN_MAX_FAILURES per LOGIN_LOCK_SECONDS, per client id and address), are
   * audited, and all answer the same invalid_client, whether the id is unknown, the secret wrong
   * or the client revoked.
   */
  async issue(request: TokenRequest, address: string): Promise<TokenResponse> {
    const attempt = await this.attempts.take(`oauth-client:${request.clientId}`, address).catch((e: unknown) => {
      if (e instanceof TooManyLoginAttemptsError) {
        const minutes = Math.ceil(e.retryAfterSeconds / 60);
        throw new OAuthError('temporarily_unavailable', `Too many failed attempts for this client id from this address: try again in ${minutes} minute(s)`, 429, {
          retryAfterSeconds: Math.ceil(e.retryAfterSeconds),
        });
      }
      throw e;
    });
    const [row]: Array<{ id: string; name: string; roles: Role[]; secret_hash: string; revoked_at: Date | null }> = await this.db.query(
      'SELECT id, name, roles, secret_hash, revoked_at FROM app_machine_client WHERE client_id = $1',
      [request.clientId],
    );
    const matches = await verifyPassword(row?.secret_hash ?? (await decoyHash()), request.clientSecret);
    if (!row || !matches || row.revoked_at) {
      await this.audit.record({
        at: new Date(),
        actor: clientUsername(request.clientId).slice(0, 64),
        action: 'auth.client-token-refused',
        details: { address, clientId: request.clientId.slice(0, 64) },
      });
      throw new OAuthError('invalid_client', INVALID_CLIENT, 401, { via: request.via });
    }
    await attempt.succeeded();
    const now = this.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    const lifetime = this.config.auth.clientTokenSeconds;
    const payload: ClientTokenPayload = { sub: row.id, kind: 'client', iat, exp: iat + lifetime };
    const accessToken = await this.jwt.signAsync(payload, { secret: await this.secret() });
    await this.db.query('UPDATE app_machine_client SET last_token_at = $2 WHERE id = $1', [row.id, now]);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: row.roles.join(' ') };
  }

  /** The client a token stands for, or UnauthenticatedError (401) when it is invalid, expired or its client revoked. */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: ClientTokenPayload;
    try {
      payload = await this.jwt.verifyAsync<ClientTokenPayload>(token, {
        secret: await this.secret(),
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
    } catch (e) {
      if (e instanceof Error && e.name === 'TokenExpiredError') {
        const at = (e as Error & { expiredAt?: Date }).expiredAt;
        throw new UnauthenticatedError(
          `This access token expired${at ? ` at ${at.toISOString()}` : ''}: get a new one from POST /oauth/token with the client's id and secret`,
          'TOKEN_EXPIRED',
        );
      }
      throw new UnauthenticatedError('This access token is not valid (not issued by this server, or altered): get one from POST /oauth/token', 'TOKEN_INVALID');
    }
    if (!claimsClientKind(payload) || typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
      throw new UnauthenticatedError('This access token is not valid (not issued by this server, or altered): get one from POST /oauth/token', 'TOKEN_INVALID');
    }
    // Every request of a client comes here: one plain statement by primary key.
    const [row]: Array<{ id: string; name: string; client_id: string; roles: Role[]; revoked_at: Date | null }> = await this.db.query(
      'SELECT id, name, client_id, roles, revoked_at FROM app_machine_client WHERE id = $1',
      [payload.sub],
    );
    if (!row) throw new UnauthenticatedError('The machine client this token was issued to no longer exists', 'TOKEN_INVALID');
    if (row.revoked_at) throw new UnauthenticatedError(`The machine client ${row.name} was revoked: its tokens no longer work`, 'CLIENT_REVOKED');
    return {
      id: row.id,
      username: clientUsername(row.name),
      displayName: `Machine client ${row.name}`,
      roles: row.roles,
      sessionId: '',
      client: { id: row.id, clientId: row.client_id },
    };
  }

  /** The signing key as a KeyObject (see SessionService: @nestjs/jwt's types name only strings). */
  private async secret(): Promise<string> {
    return (await this.signingKey.get()) as unknown as string;
  }
}
