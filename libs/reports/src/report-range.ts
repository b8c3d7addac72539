import { registerDecorator } from 'class-validator';
import { type FieldProblems, validationFailure } from '@mustafid/platform';

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
  const problems: FieldProblems = {};
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days < 1) problems.from = [`from (${from}) must be on or before to (${to})`];
  else if (days > MAX_RANGE_DAYS) problems.to = [`The range from ${from} to ${to} covers ${days} days; a report covers at most ${MAX_RANGE_DAYS}`];
  if (Object.keys(problems).length > 0) throw validationFailure(problems);
  return { from, to, bucket: query.bucket ?? 'week', timeZone: REPORT_TIME_ZONE };
}
