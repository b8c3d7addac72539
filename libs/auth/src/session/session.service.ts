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

/** Sign-in, sign-out and turning a token back into the caller. */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    private readonly jwt: JwtService,
    private readonly attempts: LoginAttempts,
    private readonly signingKey: SigningKey,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    await this.attempts.assertAllowed(username, address);
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username: username.toLowerCase() })
      .getOne();
    const matches = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (!user || !matches || !user.active) {
      await this.attempts.recordFailure(username, address);
      throw new DomainError('INVALID_CREDENTIALS', 'The username or password is not correct', 401);
    }
    await this.attempts.recordSuccess(username, address);
    const expiresAt = new Date(Date.now() + this.config.auth.sessionHours * 3_600_000);
    const session = await this.sessions.save(this.sessions.create({ userId: user.id, expiresAt, revokedAt: null }));
    const payload: TokenPayload = { sub: user.id, sid: session.id };
    const accessToken = await this.jwt.signAsync(payload, {
      secret: await this.signingKey.get(),
      expiresIn: this.config.auth.sessionHours * 3600,
    });
    return {
      accessToken,
      expiresAt,
      user: { id: user.id, username: user.username, displayName: user.displayName, roles: user.roles },
    };
  }

  /** The caller a token stands for, or UnauthenticatedError when it is invalid, expired or revoked. */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token, { secret: await this.signingKey.get() });
    } catch {
      throw new UnauthenticatedError('Your session is not valid or has expired; sign in again', 'SESSION_INVALID');
    }
    const row = await this.users
      .createQueryBuilder('u')
      .innerJoin(Session, 's', 's.user_id = u.id')
      .select(['u.id', 'u.username', 'u.displayName', 'u.roles'])
      .where('u.id = :sub AND s.id = :sid AND u.active', { sub: payload.sub, sid: payload.sid })
      .andWhere('s.revoked_at IS NULL AND s.expires_at > now()')
      .getOne();
    if (!row) throw new UnauthenticatedError('Your session has ended; sign in again', 'SESSION_INVALID');
    return { id: row.id, username: row.username, displayName: row.displayName, roles: row.roles, sessionId: payload.sid };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
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
