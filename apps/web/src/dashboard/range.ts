import { LOCALES, type Language } from '../i18n/language';
import type { Bucket } from './api';

export const BUCKETS: readonly Bucket[] = ['day', 'week', 'month'];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The range the address asks for: what is well formed is kept, the rest left to the server's defaults. */
export function rangeFromSearch(search: URLSearchParams): { from?: string; to?: string; bucket?: Bucket } {
  const day = (key: string) => {
    const v = search.get(key);
    return v && ISO_DATE.test(v) ? v : undefined;
  };
  const bucket = search.get('bucket');
  return { from: day('from'), to: day('to'), bucket: BUCKETS.includes(bucket as Bucket) ? (bucket as Bucket) : undefined };
}

/** A period's first day as people read it on an axis: "3 Nov" / "٣ نوفمبر", or "Nov 2026" for months. */
export function periodLabel(language: Language, period: string, bucket: Bucket): string {
  const date = new Date(`${period}T12:00:00Z`);
  const options: Intl.DateTimeFormatOptions = bucket === 'month' ? { month: 'short', year: 'numeric', timeZone: 'UTC' } : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(LOCALES[language], options).format(date);
}

/** A share (0–1) as a percentage in the language's digits. */
export function formatShare(language: Language, share: number): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** A figure with up to two decimals in the language's digits. */
export function formatFigure(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 2 }).format(value);
}

/** A long category name in lines of about `width` characters (chart.js draws an array as lines). */
export function wrapLabel(label: string, width = 28): string[] {
  const lines: string[] = [];
  for (const word of label.split(/\s+/)) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Whether a chart has anything to draw: some figure that is a number above zero (a period with none says so in words). */
export function hasFigures(series: ReadonlyArray<{ data: ReadonlyArray<number | null> }>): boolean {
  return series.some((s) => s.data.some((v) => typeof v === 'number' && v > 0));
}

/**
 * A bar's length as a share of the longest (0–100, for a percentage width): the scale of the
 * time-per-step bars, whose longest is the largest 90th percentile. A figure above zero is at
 * least 1 %, so that a short step still shows a bar.
 */
export function barShare(value: number, longest: number): number {
  if (!(longest > 0) || !(value > 0)) return 0;
  return Math.max(1, Math.min(100, (value / longest) * 100));
}
