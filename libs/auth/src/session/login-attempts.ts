import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError } from '@mustafid/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export class TooManyLoginAttemptsError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'TOO_MANY_LOGIN_ATTEMPTS',
      `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      429,
      { retryAfterSeconds: Math.ceil(retryAfterSeconds) },
    );
  }
}

/** A sign-in attempt that holds its place in the counts; a success gives it back. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * Limits password sign-ins (LOGIN_MAX_FAILURES per LOGIN_LOCK_SECONDS):
 * - per account and address: past the limit that account is refused from that address;
 * - per address (ten times as many): past it, an account that already failed from that
 *   address in the window is refused, while one that has not (a colleague behind the same
 *   office address or proxy) still signs in, so one person guessing cannot lock out the rest.
 * Each attempt takes its place in the counts before the password is checked (the check takes
 * ~50 ms), so simultaneous attempts cannot all pass one read; a success gives it back.
 * Kept in memory: each server process counts on its own.
 */
@Injectable()
export class LoginAttempts {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;
  private readonly maxFailures: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { loginMaxFailures, loginLockSeconds } = config.auth;
    this.maxFailures = loginMaxFailures;
    this.byAccount = new RateLimiterMemory({ points: loginMaxFailures, duration: loginLockSeconds });
    this.byAddress = new RateLimiterMemory({ points: loginMaxFailures * 10, duration: loginLockSeconds });
  }

  /**
   * A credential already proven (HTTP Basic credentials verified before, see
   * SessionService.authenticateBasic): refused as `take` would refuse it while the account is
   * locked at this address, but it takes no place in the counts, so a client sending many
   * calls at once (a job worker, a gRPC client) is not locked out by its own parallel calls;
   * otherwise it counts as a success (the account's failures at this address are forgotten).
   */
  async proven(username: string, address: string): Promise<void> {
    const pairKey = `${username.toLowerCase()}|${address}`;
    const pair = await this.byAccount.get(pairKey);
    if (pair && pair.consumedPoints >= this.maxFailures) throw new TooManyLoginAttemptsError(pair.msBeforeNext / 1000);
    const fromAddress = await this.byAddress.get(address);
    if (pair && pair.consumedPoints >= 1 && fromAddress && fromAddress.consumedPoints >= this.maxFailures * 10) {
      throw new TooManyLoginAttemptsError(fromAddress.msBeforeNext / 1000);
    }
    if (pair) await this.byAccount.delete(pairKey);
  }

  /** Takes a place for one attempt, or throws TooManyLoginAttemptsError. */
  async take(username: string, address: string): Promise<LoginAttempt> {
    const pairKey = `${username.toLowerCase()}|${address}`;
    const pair = await this.byAccount.consume(pairKey).catch((res: unknown) => {
      if (res instanceof RateLimiterRes) throw new TooManyLoginAttemptsError(res.msBeforeNext / 1000);
      throw res;
    });
    const addressWait = await this.byAddress.consume(address).then(
      () => 0,
      (res: unknown) => {
        if (res instanceof RateLimiterRes) return res.msBeforeNext;
        throw res;
      },
    );
    if (addressWait > 0 && pair.consumedPoints > 1) throw new TooManyLoginAttemptsError(addressWait / 1000);
    return {
      succeeded: async () => {
        await this.byAccount.delete(pairKey);
        await this.byAddress.reward(address, 1);
      },
    };
  }
}
