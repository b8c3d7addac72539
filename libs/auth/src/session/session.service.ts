import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig, DomainError, UnauthenticatedError } from '@mustafid/platform';
import { IsNull, Repository } from 'typeorm';
import { decoyHash, hashPassword, verifyPassword } from '../passwords/passwords';
import { User } from '../users/user.entity';
import type { AuthUser } from './auth-user';
import { LoginAttempts } from './login-attempts';
import { Session } from './session.entity';
import { AuditLog } from '@mustafid/audit';
import { SigningKey } from './signing-key';

interface TokenPayload {
  sub: string;
  sid: string;
}

export interface SignedIn {
  accessToken: string;
  expiresAt: Date;
  user: Omit<AuthUser, 'sessionId'>;
}

/** How many verified Basic credentials are remembered (one per worker or client, in practice). */
const BASIC_CACHE_SIZE = 1000;

/** Sign-in, sign-out and turning a token back into the caller. */
@Injectable()
export class SessionService {
  /**
   * Basic credentials verified before: HMAC(username, password) under a key of this process →
   * the password hash they matched. A client sends them with every request and Argon2 takes
   * ~50 ms, so a match is remembered for as long as the account keeps that password hash.
   */
  private readonly verifiedBasic = new Map<string, string>();
  /** Basic credentials being checked now, by the same HMAC: concurrent calls with them wait for the one check. */
  private readonly checkingBasic = new Map<string, Promise<void>>();
  private readonly basicKey = randomBytes(32);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly jwt: JwtService,
    private readonly attempts: LoginAttempts,
    private readonly signingKey: SigningKey,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    const attempt = await this.attempts.take(username, address);
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username: username.toLowerCase() })
      .getOne();
    const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !matches || !user.active) {
      await this.audit.record({ at: new Date(), actor: username.toLowerCase().slice(0, 64), action: 'auth.login-failed', details: { address } });
      throw new DomainError('INVALID_CREDENTIALS', 'The username or password is not correct', 401);
    }
    await attempt.succeeded();
    return this.openSession(user, address, 'password');
  }

  /**
   * A new session for an account whose holder has proved who they are (a password here, a
   * one-time code in the applicant portal): the same session, token and audit event for both.
   */
  async openSession(user: Pick<User, 'id' | 'username' | 'displayName' | 'roles'>, address: string, via: 'password' | 'one-time-code'): Promise<SignedIn> {
    const expiresAt = new Date(Date.now() + this.config.auth.sessionHours * 3_600_000);
    const session = await this.sessions.save(this.sessions.create({ userId: user.id, expiresAt, revokedAt: null }));
    await this.audit.record({ at: new Date(), actor: user.username, action: 'auth.login', details: { address, session: session.id, ...(via === 'password' ? {} : { via }) } });
    const payload: TokenPayload = { sub: user.id, sid: session.id };
    const accessToken = await this.jwt.signAsync(payload, {
      secret: await this.secret(),
      expiresIn: this.config.auth.sessionHours * 3600,
    });
    return {
      accessToken,
      expiresAt,
      user: { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles },
    };
  }

  /**
   * The signing key as a KeyObject: jsonwebtoken takes one as it is, where a string is first
   * tried as a public key (a thrown error) and then made a key again on every request.
   * @nestjs/jwt's types only name strings and Buffers.
   */
  private async secret(): Promise<string> {
    return (await this.signingKey.get()) as unknown as string;
  }

  /** The caller a token stands for, or UnauthenticatedError when it is invalid, expired or revoked. */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { secret: await this.secret() });
    } catch {
      throw new UnauthenticatedError('Your session is not valid or has expired; sign in again', 'SESSION_INVALID');
    }
    // A token without a session (a machine client's) is never a session's.
    if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string') throw new UnauthenticatedError('Your session is not valid or has expired; sign in again', 'SESSION_INVALID');
    // Every request comes here: one plain statement rather than a query builder.
    const [row] = await this.users.query(
      `SELECT u.id, u.username, u.display_name, u.roles FROM app_user u JOIN app_session s ON s.user_id = u.id
        WHERE u.id = $1 AND s.id = $2 AND u.active AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [payload.sub, payload.sid],
    );
    if (!row) throw new UnauthenticatedError('Your session has ended; sign in again', 'SESSION_INVALID');
    return { id: row.id, username: row.username, displayName: row.display_name, roles: row.roles, sessionId: payload.sid };
  }

  /**
   * The caller of a request with HTTP Basic credentials (Camunda's clients with
   * CAMUNDA_AUTH_STRATEGY=BASIC): the password is checked as at sign-in, under the same lockout
   * (LoginAttempts), and a failure is audited as one; no session is opened (sessionId is empty).
   * Credentials verified before are not checked again while the account keeps its password, and
   * take no place in the lockout counts (a worker's parallel calls would lock it out), though a
   * locked account stays locked; the same credentials sent at once are checked once.
   */
  async authenticateBasic(username: string, password: string, address: string): Promise<AuthUser> {
    const [row] = await this.users.query(
      `SELECT id, username, display_name, roles, active, password_hash FROM app_user WHERE username = $1`,
      [username.toLowerCase().slice(0, 64)],
    );
    const remembered = createHmac('sha256', this.basicKey).update(`${username.toLowerCase()}\u0000${password}`).digest('base64');
    // Verified before, and the account's password unchanged: a client's parallel calls take no place in the lockout counts.
    if (row?.active && this.verifiedBasic.get(remembered) === row.password_hash) {
      await this.attempts.proven(username, address);
      return { id: row.id, username: row.username, displayName: row.display_name, roles: row.roles, sessionId: '' };
    }
    // The same credentials arriving again while they are checked (a client's first calls, sent at once) wait for that one check.
    const checking = this.checkingBasic.get(remembered);
    if (checking) {
      await checking;
      return this.authenticateBasic(username, password, address);
    }
    const check = (async (): Promise<void> => {
      const attempt = await this.attempts.take(username, address);
      const matches = await verifyPassword(row?.password_hash ?? (await decoyHash()), password);
      if (!row || !matches || !row.active) {
        await this.audit.record({ at: new Date(), actor: username.toLowerCase().slice(0, 64), action: 'auth.login-failed', details: { address, via: 'basic' } });
        throw new DomainError('INVALID_CREDENTIALS', 'The username or password is not correct', 401);
      }
      await attempt.succeeded();
      if (!this.verifiedBasic.has(remembered)) {
        if (this.verifiedBasic.size >= BASIC_CACHE_SIZE) this.verifiedBasic.delete(this.verifiedBasic.keys().next().value!);
        this.verifiedBasic.set(remembered, row.password_hash);
      }
    })();
    this.checkingBasic.set(remembered, check);
    try {
      await check;
    } finally {
      this.checkingBasic.delete(remembered);
    }
    return { id: row.id, username: row.username, displayName: row.display_name, roles: row.roles, sessionId: '' };
  }

  async signOut(sessionId: string, username: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.audit.record({ at: new Date(), actor: username, action: 'auth.logout', details: { session: sessionId } });
  }

  async changeOwnPassword(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: caller.id })
      .getOneOrFail();
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw new DomainError('INVALID_CREDENTIALS', 'The current password is not correct', 400);
    }
    const passwordHash = await hashPassword(newPassword);
    await this.users.manager.transaction(async (tx) => {
      await tx.update(User, { id: caller.id }, { passwordHash });
      await tx
        .createQueryBuilder()
        .update(Session)
        .set({ revokedAt: () => 'now()' })
        .where('user_id = :id AND revoked_at IS NULL AND id <> :sid', { id: caller.id, sid: caller.sessionId })
        .execute();
    });
  }
}
