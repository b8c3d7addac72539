import { DomainError } from './errors/domain-error';

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds of an ISO-8601 duration with weeks, days and time parts (`P14D`, `PT1H30M`),
 * or of a plain number of milliseconds. Years and months are refused: their length depends
 * on the calendar, which a time-to-live or a clock advance should not.
 */
export function durationMs(value: string | number, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new DomainError('INVALID_DURATION', `${what} must be zero or more milliseconds`, 400);
    return value;
  }
  const match = ISO_DURATION.exec(value.trim().toUpperCase());
  if (!match || value.trim().toUpperCase() === 'P' || value.trim().toUpperCase().endsWith('T')) {
    throw new DomainError('INVALID_DURATION', `${what} must be an ISO-8601 duration such as P14D or PT1H, got ${JSON.stringify(value)}`, 400);
  }
  const [, w, d, h, m, s] = match.map((x) => (x === undefined ? 0 : Number(x)));
  return Math.round(((((w as number) * 7 + (d as number)) * 24 + (h as number)) * 60 + (m as number)) * 60_000 + (s as number) * 1000);
}
