import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError } from '@mustafid/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export class TooManyLoginAttemptsError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'TOO_MANY_LOGIN_ATTEMPTS',
      `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      429,
      { retryAfterSeconds },
    );
  }
}

/**
 * Counts failed sign-ins per username+address and per address. Past the limit, sign-in
 * is refused with 429 until the window passes; a success clears the username's count.
 * Kept in memory: each server process counts on its own.
 */
@Injectable()
export class LoginAttempts {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { loginMaxFailures, loginLockSeconds } = config.auth;
    this.byAccount = new RateLimiterMemory({ points: loginMaxFailures, duration: loginLockSeconds });
    this.byAddress = new RateLimiterMemory({ points: loginMaxFailures * 10, duration: loginLockSeconds });
  }

  /** Throws TooManyLoginAttemptsError while either count is spent. */
  async assertAllowed(username: string, address: string): Promise<void> {
    for (const [limiter, key] of this.keys(username, address)) {
      const res = await limiter.get(key);
      if (res && res.consumedPoints >= limiter.points) throw new TooManyLoginAttemptsError(res.msBeforeNext / 1000);
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    for (const [limiter, key] of this.keys(username, address)) {
      await limiter.consume(key).catch((res: unknown) => {
        if (!(res instanceof RateLimiterRes)) throw res;
      });
    }
  }

  async recordSuccess(username: string, address: string): Promise<void> {
    await this.byAccount.delete(`${username.toLowerCase()}|${address}`);
  }

  private keys(username: string, address: string): Array<[RateLimiterMemory, string]> {
    return [
      [this.byAccount, `${username.toLowerCase()}|${address}`],
      [this.byAddress, address],
    ];
  }
}
