import { registerDecorator } from 'class-validator';
import { type FieldProblem, coded, validationFailure } from '@mustafid/platform';

/** Reports count days as people in the Society do: in Saudi Arabia's time zone. */
export const REPORT_TIME_ZONE = 'Asia/Riyadh';

/** The longest range a report covers, in days: a year and a day, so a leap year's whole year fits. */
export const MAX_RANGE_DAYS = 366;

/** Without `from`, a report covers this many days up to `to`. */
export const DEFAULT_RANGE_DAYS = 90;

export const BUCKETS = ['day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a calendar date written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(text: unknown): text is string {
  const m = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function IsIsoDate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName,
      validator: { validate: isIsoDate, defaultMessage: (a) => `${a?.property} must be a date written YYYY-MM-DD (got ${JSON.stringify(a?.value)})` },
    });
}

/** The day `at` falls on in the reports' time zone, YYYY-MM-DD. */
export function reportDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: REPORT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;
const dayText = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The instant a day (YYYY-MM-DD) begins in the reports' time zone. */
export function dayStart(isoDate: string): Date {
  const guess = Date.parse(`${isoDate}T00:00:00Z`);
  // The zone's wall clock at that UTC instant, read back as if it were UTC, gives the zone's offset then.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: REPORT_TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`);
  return new Date(guess - (wall - guess));
}

/** The day after a day, YYYY-MM-DD. */
export function nextDay(isoDate: string): string {
  return dayText(dayNumber(isoDate) + 1);
}


/** A report's days, both included, and the period its time series are counted by. */
export interface ReportRange {
  from: string;
  to: string;
  bucket: Bucket;
  timeZone: typeof REPORT_TIME_ZONE;
}

/**
 * The range a report covers: `to` defaults to today, `from` to 89 days before `to`.
 * `from` after `to`, or a range longer than MAX_RANGE_DAYS, is a 400 naming the field.
 */
export function reportRange(query: { from?: string; to?: string; bucket?: Bucket }, now: Date): ReportRange {
  const to = query.to ?? reportDay(now);
  const from = query.from ?? dayText(dayNumber(to) - (DEFAULT_RANGE_DAYS - 1));
  const problems: Record<string, FieldProblem[]> = {};
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) problems.from = [coded('fromAfterTo', `from (${from}) must be on or before to (${to})`)];
  else if (days > MAX_RANGE_DAYS) problems.to = [coded('rangeTooLong', `The range from ${from} to ${to} covers ${days} days; a report covers at most ${MAX_RANGE_DAYS}`, { days, max: MAX_RANGE_DAYS })];
  if (Object.keys(problems).length > 0) throw validationFailure(problems);
  return { from, to, bucket: query.bucket ?? 'week', timeZone: REPORT_TIME_ZONE };
}
