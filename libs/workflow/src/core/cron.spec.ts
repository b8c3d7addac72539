import { describe, expect, it } from 'vitest';
import { cronProblem, isCronCycle, nextCronFiring, shortestCronGap } from './cron';

// https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#time-cycle
// "Additionally, you can specify a time cycle using cron expressions." and
// "`0 0 9-17 * * MON-FRI`: Every hour on the hour from 9-5 p.m. UTC Monday-Friday". Zeebe reads
// them as Spring's six fields `second minute hour day-of-month month day-of-week` (its CronTimer,
// cron-utils' SPRING53 definition).
describe('cron timer cycles', () => {
  const at = (iso: string) => new Date(iso);
  const next = (cron: string, from: string) => nextCronFiring(cron, at(from))?.toISOString() ?? null;

  it('a cycle is cron unless it starts with R (Zeebe: RepeatingInterval for R…, CronTimer otherwise)', () => {
    expect([isCronCycle('R/PT1H'), isCronCycle('R3/2026-01-01T00:00:00Z/P1D'), isCronCycle('0 0 9-17 * * MON-FRI')]).toEqual([false, false, true]);
  });

  it('every hour on the hour from 9 to 17 on weekdays: "0 0 9-17 * * MON-FRI"', () => {
    expect(next('0 0 9-17 * * MON-FRI', '2026-01-05T08:30:00Z')).toBe('2026-01-05T09:00:00.000Z'); // a Monday
    expect(next('0 0 9-17 * * MON-FRI', '2026-01-05T17:00:00Z')).toBe('2026-01-06T09:00:00.000Z');
    expect(next('0 0 9-17 * * MON-FRI', '2026-01-09T17:30:00Z')).toBe('2026-01-12T09:00:00.000Z'); // Friday evening → Monday
  });

  it('day of month and day of week must both match, as in Spring; ? stands for any; macros as SPRING53', () => {
    expect(next('0 0 0 13 * FRI', '2026-01-01T00:00:00Z')).toBe('2026-02-13T00:00:00.000Z');
    expect(next('0 0 12 ? * FRI', '2026-01-05T00:00:00Z')).toBe('2026-01-09T12:00:00.000Z');
    expect(next('@daily', '2026-01-05T08:30:00Z')).toBe('2026-01-06T00:00:00.000Z');
    expect(next('@hourly', '2026-01-05T08:30:00Z')).toBe('2026-01-05T09:00:00.000Z');
  });

  it('refuses expressions that are not six Spring fields', () => {
    expect(cronProblem('0 0 9-17 * * MON-FRI')).toBeUndefined();
    expect(cronProblem('0 9 * * *')).toBe(
      'a cron expression needs six fields (second minute hour day-of-month month day-of-week, e.g. "0 0 9-17 * * MON-FRI"), but "0 9 * * *" has 5',
    );
    expect(cronProblem('61 * * * * *')).toMatch(/^"61 \* \* \* \* \*" is not a valid cron expression: /);
  });

  it('an expression that never matches again has no next firing', () => {
    expect(next('0 0 0 31 2 *', '2026-01-01T00:00:00Z')).toBeNull();
  });

  it('the shortest gap between consecutive firings is what ENGINE_MIN_TIMER_CYCLE bounds', () => {
    expect(shortestCronGap('*/10 * * * * *', at('2026-01-05T00:00:00Z'))).toBe(10_000);
    expect(shortestCronGap('0 0 9-17 * * MON-FRI', at('2026-01-05T00:00:00Z'))).toBe(3_600_000);
    expect(shortestCronGap('0 0,1 0 * * *', at('2026-01-05T12:00:00Z'))).toBe(60_000);
    expect(shortestCronGap('0 0 0 31 2 *', at('2026-01-05T12:00:00Z'))).toBe(Infinity);
  });
});
