import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { type OpenedSession, ROLE_NAMES, SessionService } from '@mustafid/auth';
import { APP_CONFIG, type AppConfig, DomainError } from '@mustafid/platform';
import { CLOCK, type Clock } from '@mustafid/workflow';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource, EntityManager } from 'typeorm';
import { SIGN_IN_CODE_NOTICE } from '../notifications/notice-texts';
import { NotificationOutbox } from '../notifications/outbox';

/** How long a one-time code works, and how many wrong tries one code takes before it is spent. */
export const CODE_MINUTES = 10;
export const CODE_MAX_TRIES = 5;

const hashCode = (salt: string, code: string) => createHash('sha256').update(`${salt}:${code}`).digest('hex');
/** +966551234567 → +96655*****67: enough for the person to recognise their number. */
export const maskMobile = (mobile: string) => `${mobile.slice(0, 6)}*****${mobile.slice(-2)}`;

export class TooManyCodeAttemptsError extends DomainError {
  constructor(retryAfterSeconds: number, what: 'requests' | 'tries') {
    super(
      'TOO_MANY_CODE_ATTEMPTS',
      what === 'requests'
        ? `Too many codes were asked for. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`
        : `Too many wrong codes. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      429,
      { retryAfterSeconds: Math.ceil(retryAfterSeconds) },
    );
  }
}

/** Seconds between two codes sent to one number, whoever asks: the wait the applicant is shown. */
export const CODE_COOLDOWN_SECONDS = 60;

export class CodeCooldownError extends DomainError {
  constructor(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super('CODE_COOLDOWN', `A code was sent to this number moments ago. You can ask for a new one in ${seconds} second(s).`, 429, {
      retryAfterSeconds: seconds,
    });
  }
}

const spent = (what: 'requests' | 'tries') => (res: unknown) => {
  if (res instanceof RateLimiterRes) throw new TooManyCodeAttemptsError(res.msBeforeNext / 1000, what);
  throw res;
};

/**
 * Counts per number *and requesting address*, and per address: someone asking for codes or
 * typing wrong codes for another person's number spends only their own counts, so they cannot
 * lock the applicant out (the applicant, from their own phone, has counts of their own). Each
 * attempt takes its place before the work, so simultaneous attempts cannot outrun a count.
 */
class PairLimit {
  private readonly byPair: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(
    perPair: number,
    perAddress: number,
    seconds: number,
    private readonly what: 'requests' | 'tries',
  ) {
    this.byPair = new RateLimiterMemory({ points: perPair, duration: seconds });
    this.byAddress = new RateLimiterMemory({ points: perAddress, duration: seconds });
  }

  /** Takes a place for one attempt, or throws TooManyCodeAttemptsError. */
  async take(mobile: string, address: string): Promise<void> {
    await this.byPair.consume(`${mobile}|${address}`).catch(spent(this.what));
    await this.byAddress.consume(address).catch(spent(this.what));
  }

  /** Gives back what a successful sign-in from this address took. */
  async clear(mobile: string, address: string): Promise<void> {
    await this.byPair.delete(`${mobile}|${address}`);
    await this.byAddress.reward(address, 1);
  }
}

export interface ApplicantAccount {
  userId: string;
  username: string;
  mobile: string;
}

/**
 * Applicants sign in with their mobile number and a one-time code (channel C7). The code is
 * six digits from a cryptographic source, stored only as a salted hash, valid for ten minutes
 * and once, and spent after CODE_MAX_TRIES wrong tries; asking for codes and wrong codes are
 * both limited per number and requesting address and per address (LOGIN_MAX_FAILURES /
 * LOGIN_LOCK_SECONDS, as staff sign-in), and one number gets at most one code a minute. The code goes out as a notice
 * in the outbox; in the demo setting (demo accounts seeded, no SMTP_URL, no SMS_URL) it is also
 * printed in the server log and readable through `GET /api/portal/demo/sign-in-codes`.
 * The first sign-in with a number creates its account (role `applicant`).
 */
@Injectable()
export class SignInCodes implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApplicantPortal');
  private readonly requests: PairLimit;
  private readonly failures: PairLimit;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: NotificationOutbox,
    private readonly sessions: SessionService,
    private readonly audit: AuditLog,
  ) {
    const { loginMaxFailures, loginLockSeconds } = config.auth;
    this.requests = new PairLimit(loginMaxFailures, loginMaxFailures * 10, loginLockSeconds, 'requests');
    this.failures = new PairLimit(loginMaxFailures, loginMaxFailures * 10, loginLockSeconds, 'tries');
  }

  /** Whether codes are shown to the demo (log and API): demo accounts seeded, no mail server nor SMS account, not production. */
  get demoDelivery(): boolean {
    return this.config.seed.demoUsers && !this.config.mail.smtpUrl && !this.config.sms && !this.config.production;
  }

  onApplicationBootstrap(): void {
    if (this.demoDelivery) {
      this.logger.warn(
        'DEMO SIGN-IN CODES SHOWN: GET /api/portal/demo/sign-in-codes hands anyone the sign-in code of any mobile number, and codes are logged (demo accounts, no SMTP_URL, no SMS_URL). For a demo on this machine only: production runs with NODE_ENV=production',
      );
    }
  }

  /** Sends a new code to the number; earlier unused codes of the number stop working. */
  async request(mobile: string, address: string): Promise<{ sentTo: string; expiresAt: Date }> {
    await this.requests.take(mobile, address);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const salt = randomBytes(16).toString('hex');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
    await this.db.transaction(async (em) => {
      // One code a minute per number, whoever asks: requests for one number queue on this lock.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('portal-code:' || $1))`, [mobile]);
      const [last] = await em.query('SELECT max(created_at) AS at FROM portal_sign_in_code WHERE mobile = $1', [mobile]);
      const since = last?.at ? (now.getTime() - new Date(last.at).getTime()) / 1000 : Infinity;
      if (since < CODE_COOLDOWN_SECONDS) throw new CodeCooldownError(CODE_COOLDOWN_SECONDS - since);
      await em.query('UPDATE portal_sign_in_code SET used_at = $2 WHERE mobile = $1 AND used_at IS NULL', [mobile, now]);
      const [row] = await em.query(
        'INSERT INTO portal_sign_in_code (mobile, salt, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [mobile, salt, hashCode(salt, code), now, expiresAt],
      );
      await this.outbox.write(em, {
        applicationId: null,
        dedupeKey: `sign-in-code:${row.id}`,
        recipient: 'applicant',
        notice: SIGN_IN_CODE_NOTICE,
        facts: { applicationNumber: '', fullName: '', code, codeMinutes: CODE_MINUTES },
        toMobile: mobile,
        at: now,
      });
      const account = await this.accountOf(em, mobile);
      await this.audit.append(em, [
        { at: now, actor: account?.username ?? 'portal', action: 'portal.code-sent', details: { codeId: row.id, address, ...(account ? {} : { newNumber: true }) } },
      ]);
    });
    if (this.demoDelivery) this.logger.log(`Demo sign-in code for ${mobile}: ${code} (shown only in the demo setting: SEED_DEMO, no SMTP_URL, no SMS_URL)`);
    return { sentTo: maskMobile(mobile), expiresAt };
  }

  /** Checks the code; on success opens a session for the number's account (made on first sign-in). */
  async signIn(mobile: string, code: string, address: string): Promise<OpenedSession> {
    await this.failures.take(mobile, address);
    const now = this.clock.now();
    const outcome = await this.db.transaction(async (em) => {
      const [row] = await em.query(
        `SELECT id, salt, code_hash, expires_at, failed_attempts FROM portal_sign_in_code
          WHERE mobile = $1 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
        [mobile],
      );
      const matches = row && timingSafeEqual(Buffer.from(hashCode(row.salt, code)), Buffer.from(row.code_hash));
      if (!row || !matches || row.failed_attempts >= CODE_MAX_TRIES) {
        if (row) await em.query('UPDATE portal_sign_in_code SET failed_attempts = failed_attempts + 1 WHERE id = $1', [row.id]);
        await this.audit.append(em, [{ at: now, actor: 'portal', action: 'portal.sign-in-failed', details: { codeId: row?.id ?? null, address } }]);
        return { ok: false as const, reason: 'wrong' as const };
      }
      if (new Date(row.expires_at) <= now) {
        await this.audit.append(em, [{ at: now, actor: 'portal', action: 'portal.sign-in-failed', details: { codeId: row.id, address, expired: true } }]);
        return { ok: false as const, reason: 'expired' as const };
      }
      await em.query('UPDATE portal_sign_in_code SET used_at = $2 WHERE id = $1', [row.id, now]);
      // The code has done its work: the outbox keeps the notice, not the code.
      await em.query(
        `UPDATE intake_notification SET body_ar = $2, body_en = $3, sent_at = COALESCE(sent_at, $4) WHERE dedupe_key = $1`,
        [`sign-in-code:${row.id}`, 'رمز دخول استُخدم.', 'A sign-in code, used.', now],
      );
      const account = (await this.accountOf(em, mobile)) ?? (await this.createAccount(em, mobile, now));
      return { ok: true as const, account };
    });
    if (!outcome.ok) {
      if (outcome.reason === 'expired') throw new DomainError('CODE_EXPIRED', 'This code has expired (codes work for 10 minutes). Ask for a new one.', 401);
      throw new DomainError('INVALID_CODE', 'The code is not correct, or it was replaced by a newer one. Check the latest message or ask for a new code.', 401);
    }
    await this.failures.clear(mobile, address);
    const { account } = outcome;
    return this.sessions.openSession({ id: account.userId, username: account.username, displayName: `${ROLE_NAMES.applicant.ar} (${ROLE_NAMES.applicant.en})`, roles: ['applicant'] }, address, 'one-time-code');
  }

  /** The latest sign-in notices to a number, as the outbox holds them (the demo reads its code here). */
  async demoNotices(mobile: string) {
    if (!this.demoDelivery) {
      throw new DomainError('NOT_FOUND', 'Sign-in codes are shown only in the demo setting (demo accounts, no SMTP_URL, no SMS_URL); they go to the applicant\'s phone', 404);
    }
    const rows = await this.db.query(
      `SELECT n.id, n.body_ar, n.body_en, n.created_at, c.expires_at, c.used_at FROM intake_notification n
         JOIN portal_sign_in_code c ON n.dedupe_key = 'sign-in-code:' || c.id::text
        WHERE n.to_mobile = $1 AND n.notice = $2 ORDER BY n.created_at DESC LIMIT 5`,
      [mobile, SIGN_IN_CODE_NOTICE],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      body: { ar: r.body_ar, en: r.body_en },
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      used: r.used_at !== null,
    }));
  }

  /** The account of the signed-in applicant (its mobile number), or 403 for any other account. */
  async accountOfUser(userId: string): Promise<ApplicantAccount> {
    const [row] = await this.db.query(
      'SELECT a.user_id, u.username, a.mobile FROM portal_account a JOIN app_user u ON u.id = a.user_id WHERE a.user_id = $1',
      [userId],
    );
    if (!row) throw new DomainError('NOT_A_PORTAL_ACCOUNT', 'This account did not sign in through the applicant portal; sign in there with your mobile number', 403);
    return { userId: row.user_id, username: row.username, mobile: row.mobile };
  }

  private async accountOf(em: EntityManager, mobile: string): Promise<ApplicantAccount | undefined> {
    const [row] = await em.query(
      'SELECT a.user_id, u.username, a.mobile FROM portal_account a JOIN app_user u ON u.id = a.user_id WHERE a.mobile = $1',
      [mobile],
    );
    return row ? { userId: row.user_id, username: row.username, mobile: row.mobile } : undefined;
  }

  private async createAccount(em: EntityManager, mobile: string, now: Date): Promise<ApplicantAccount> {
    // The username names the account in the audit log without the phone number; no password works for it.
    const username = `applicant-${randomBytes(5).toString('hex')}`;
    const [user] = await em.query(
      `INSERT INTO app_user (username, display_name, password_hash, roles) VALUES ($1, $2, '!one-time-code-only', ARRAY['applicant']) RETURNING id`,
      [username, `${ROLE_NAMES.applicant.ar} (${ROLE_NAMES.applicant.en})`],
    );
    await em.query('INSERT INTO portal_account (user_id, mobile, created_at) VALUES ($1, $2, $3)', [user.id, mobile, now]);
    await this.audit.append(em, [{ at: now, actor: username, action: 'portal.account-created', details: { userId: user.id } }]);
    return { userId: user.id, username, mobile };
  }
}
