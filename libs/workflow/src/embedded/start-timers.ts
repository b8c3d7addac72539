import { DomainError } from '@mustafid/platform';
import type { ProcessModel } from '../model/process-model';
import { durationMs } from './duration';
import type { Feel } from './feel';
import { timerCycleTooShort } from '../model/validate';
import { isCronCycle, isStoredCron, nextCronFiring, shortestCronGap } from '../core/cron';

/** When a timer start event next fires, and how often it still will (null: for ever). */
export interface StartOccurrence {
  elementId: string;
  dueAt: Date;
  /** Occurrences left including this one; null for an unbounded cycle. */
  repetitions: number | null;
  /** The cycle's interval (ISO-8601 duration) or cron expression for the next occurrence; undefined: fires once. */
  cycle?: string;
}

const CYCLE = /^R(\d*)\/(?:([^/]+)\/)?(P[^/]+)$/i;

/**
 * The first occurrence of a timer start event: a date, a duration from now, or a cycle
 * `R[n]/[start/]interval` or a cron expression (core/cron.ts: a cycle that does not start with `R`).
 */
export function firstOccurrence(start: ProcessModel['timerStarts'][number], now: Date, feel: Feel, minCycleMs = 0): StartOccurrence {
  const value = String(feel.evaluate(start.expression, {}, 'EXTRACT_VALUE_ERROR', start.elementId)).trim();
  const refuse = (why: string) => {
    throw new DomainError('INVALID_BPMN', `The timer start event ${start.elementId} has ${why}`, 400, {
      problems: [{ elementId: start.elementId, rule: 'supported-elements', message: `${why}` }],
    });
  };
  switch (start.kind) {
    case 'timeDate': {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) refuse(`a timeDate that is not an ISO-8601 date: ${value}`);
      return { elementId: start.elementId, dueAt: date, repetitions: 1 };
    }
    case 'timeDuration':
      return { elementId: start.elementId, dueAt: new Date(now.getTime() + durationMs(value, 'timeDuration')), repetitions: 1 };
    case 'timeCycle': {
      if (isCronCycle(value)) {
        let first: Date | null = null;
        try {
          if (shortestCronGap(value, now) < minCycleMs) refuse(timerCycleTooShort(value, minCycleMs).replace('The timer cycle', 'the timer cycle'));
          first = nextCronFiring(value, now);
        } catch (e) {
          if (e instanceof DomainError) throw e;
          refuse(`a timeCycle that is neither R[n]/[start/]interval nor a cron expression: ${(e as Error).message}`);
        }
        if (!first) refuse(`a cron timeCycle that never fires: ${value}`);
        return { elementId: start.elementId, dueAt: first!, repetitions: null, cycle: value };
      }
      const match = CYCLE.exec(value);
      if (!match) refuse(`a timeCycle that is not R[n]/[start/]interval: ${value}`);
      const [, count, from, interval] = match as RegExpExecArray;
      const ms = durationMs(interval, 'timeCycle interval');
      if (ms <= 0) refuse('a timeCycle interval of zero');
      if (ms < minCycleMs) refuse(timerCycleTooShort(value, minCycleMs).replace('The timer cycle', 'the timer cycle'));
      const first = from ? new Date(from) : new Date(now.getTime() + ms);
      if (Number.isNaN(first.getTime())) refuse(`a timeCycle start that is not a date: ${from}`);
      return { elementId: start.elementId, dueAt: first, repetitions: count === '' ? null : Number(count), cycle: interval };
    }
  }
}

/**
 * The occurrence after one that fired, or undefined when the cycle is used up. A cron cycle's
 * next firing is the next match after the one that fired, or after `now` when that is already
 * past (Zeebe re-anchors an overdue cycle on now rather than firing every missed occurrence).
 */
export function nextOccurrence(fired: { elementId: string; dueAt: Date; repetitions: number | null; cycle?: string }, now: Date): StartOccurrence | undefined {
  if (!fired.cycle) return undefined;
  if (fired.repetitions !== null && fired.repetitions <= 1) return undefined;
  if (isStoredCron(fired.cycle)) {
    const next = nextCronFiring(fired.cycle, fired.dueAt.getTime() > now.getTime() ? fired.dueAt : now);
    return next ? { elementId: fired.elementId, dueAt: next, repetitions: null, cycle: fired.cycle } : undefined;
  }
  return {
    elementId: fired.elementId,
    dueAt: new Date(fired.dueAt.getTime() + durationMs(fired.cycle, 'timeCycle interval')),
    repetitions: fired.repetitions === null ? null : fired.repetitions - 1,
    cycle: fired.cycle,
  };
}
