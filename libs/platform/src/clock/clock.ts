import { DomainError } from '../errors/domain-error';

/** The engine's time: due dates, timers and FEEL `now()` all read it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The real time plus an offset that only moves forward: what `ENABLE_TEST_CLOCK` gives tests
 * and demos, so fourteen days pass in milliseconds. It can also be pinned: time then stands
 * still and moves only by `advance`, so durations come out exact however slow the machine is.
 * Never used in production.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  /** While pinned: the instant the clock shows (epoch ms). */
  private pinnedAt?: number;

  now(): Date {
    return new Date(this.pinnedAt ?? Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new DomainError('INVALID_ADVANCE', 'Time can only move forward', 400);
    if (this.pinnedAt !== undefined) this.pinnedAt += ms;
    else this.offsetMs += ms;
    return this.now();
  }

  /** Stops time at the current instant; only `advance` moves it until `release`. */
  pin(): Date {
    this.pinnedAt ??= Date.now() + this.offsetMs;
    return this.now();
  }

  /**
   * Stops time at `epochMs` (Camunda's pin-clock): an instant at or after the clock's current
   * time, since the engine's time never moves backwards (timers already fired, dates recorded).
   */
  pinAt(epochMs: number): Date {
    const current = this.now().getTime();
    if (!Number.isSafeInteger(epochMs) || epochMs < current) {
      const asked = Number.isFinite(epochMs) && Math.abs(epochMs) <= 8.64e15 ? new Date(epochMs).toISOString() : String(epochMs);
      throw new DomainError(
        'INVALID_ADVANCE',
        `The clock cannot be pinned at ${asked}: it already shows ${new Date(current).toISOString()}, and the engine's time only moves forward`,
        400,
      );
    }
    this.pinnedAt = epochMs;
    return this.now();
  }

  /** Lets time flow again from the pinned instant (never backwards). */
  release(): Date {
    if (this.pinnedAt !== undefined) {
      this.offsetMs = Math.max(this.offsetMs, this.pinnedAt - Date.now());
      this.pinnedAt = undefined;
    }
    return this.now();
  }

  get pinned(): boolean {
    return this.pinnedAt !== undefined;
  }
}

/**
 * Injection token of the one Clock of a process, provided by ConfigModule.forRoot (global): the
 * engine's timers and FEEL `now()`, and every other part that must move with the test clock (the
 * expiry of machine clients' access tokens), read the same one.
 */
export const CLOCK = Symbol('CLOCK');
