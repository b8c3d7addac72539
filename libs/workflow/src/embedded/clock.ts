import { DomainError } from '@mustafid/platform';

/** The engine's time: due dates, timers and FEEL `now()` all read it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The real time plus an offset that only moves forward: what `ENABLE_TEST_CLOCK` gives tests
 * and demos, so fourteen days pass in milliseconds. Never used in production.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new DomainError('INVALID_ADVANCE', 'Time can only move forward', 400);
    this.offsetMs += ms;
    return this.now();
  }
}

export const CLOCK = Symbol('WORKFLOW_CLOCK');
