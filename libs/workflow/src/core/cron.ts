import { Cron } from 'croner';

/**
 * Cron timer cycles, as Zeebe reads them (docs.camunda.io/docs/components/modeler/bpmn/timer-events/#time-cycle):
 * a time cycle that does not start with `R` is a cron expression in Spring's format, six fields
 * `second minute hour day-of-month month day-of-week` (Zeebe's CronTimer parses it with
 * cron-utils' SPRING53 definition, which also takes the macros below). It repeats without end,
 * each firing at the next time the expression matches, evaluated in UTC on the engine's clock (the
 * docs: "`0 0 9-17 * * MON-FRI`: Every hour on the hour from 9-5 p.m. UTC Monday-Friday"). Day of month and day of week must both match,
 * as in Spring (`0 0 0 13 * FRI` is every Friday the 13th).
 */

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

/** How many firings `shortestCronGap` looks at. */
const GAP_SAMPLE = 1000;

/** Whether a time cycle is a cron expression rather than an ISO-8601 repeating interval (Zeebe: it does not start with `R`). */
export const isCronCycle = (cycle: string): boolean => !cycle.trim().startsWith('R');

/** A cycle stored with a timer: an ISO-8601 interval (`PT1H`) or a cron expression. */
export const isStoredCron = (cycle: string): boolean => !/^P/i.test(cycle.trim());

function parse(expression: string): Cron {
  const text = expression.trim();
  const pattern = MACROS[text.toLowerCase()] ?? text;
  const fields = pattern.split(/\s+/).length;
  if (fields !== 6) {
    throw new Error(
      `a cron expression needs six fields (second minute hour day-of-month month day-of-week, e.g. "0 0 9-17 * * MON-FRI"), but "${text}" has ${fields}`,
    );
  }
  try {
    return new Cron(pattern, { paused: true, timezone: 'UTC', mode: '6-part', domAndDow: true });
  } catch (e) {
    throw new Error(`"${text}" is not a valid cron expression: ${(e as Error).message.replace(/^CronPattern: /, '')}`);
  }
}

/** Why a cron expression cannot be used, or undefined when it parses. */
export function cronProblem(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The first time after `after` that the expression matches; null when it never matches again (e.g. 31 February). Throws when it does not parse. */
export function nextCronFiring(expression: string, after: Date): Date | null {
  return parse(expression).nextRun(after);
}

/**
 * The shortest time (ms) between two consecutive firings among the next GAP_SAMPLE after `from`:
 * what ENGINE_MIN_TIMER_CYCLE bounds. Infinity when it fires at most once. Throws when it does not parse.
 */
export function shortestCronGap(expression: string, from: Date): number {
  const runs = parse(expression).nextRuns(GAP_SAMPLE, from);
  let shortest = Infinity;
  for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, runs[i].getTime() - runs[i - 1].getTime());
  return shortest;
}
