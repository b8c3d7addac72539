import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError } from '@mustafid/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export class TooManyInquiriesError extends DomainError {
  constructor(retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(
      'TOO_MANY_INQUIRIES',
      `Many inquiries were sent from here or to this contact within the hour. Please try again in ${minutes} minute(s), or call the Society.`,
      429,
      { retryAfterSeconds: Math.ceil(retryAfterSeconds) },
    );
  }
}

/**
 * The website's inquiry form needs no account, and each inquiry sends an acknowledgment by SMS or
 * e-mail: without a bound, anyone could make the Society send messages to strangers (and pay for
 * the SMS). PUBLIC_INQUIRIES_PER_HOUR per address and per contact (mobile, e-mail). Staff
 * recording an inquiry (POST /api/inquiries) are not limited. Kept in memory: each server process
 * counts on its own.
 */
@Injectable()
export class PublicInquiryLimits {
  private readonly limiter: RateLimiterMemory;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiterMemory({ points: config.auth.publicInquiriesPerHour, duration: 3600 });
  }

  /** Takes one place for the address and for each contact, or throws TooManyInquiriesError (giving back what it took). */
  async take(address: string, contacts: Array<string | undefined>): Promise<void> {
    const keys = [`address|${address}`, ...contacts.filter((c): c is string => !!c).map((c) => `contact|${c.toLowerCase()}`)];
    // Each consume counts atomically in memory, so two requests at once cannot both take the last place.
    const results = await Promise.allSettled(keys.map((key) => this.limiter.consume(key)));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (refused.length === 0) return;
    await Promise.all(keys.map((key, i) => (results[i].status === 'fulfilled' ? this.limiter.reward(key, 1) : undefined)));
    const waits = refused.map((reason) => {
      if (reason instanceof RateLimiterRes) return reason.msBeforeNext;
      throw reason;
    });
    throw new TooManyInquiriesError(Math.max(...waits) / 1000);
  }
}
