import { LOCALES, type Language } from '../i18n/language';

export interface TodayInTwoCalendars {
  /** ISO date (yyyy-mm-dd) for <time dateTime>. */
  iso: string;
  gregorian: string;
  hijri: string;
}

/** A moment written in both calendars, with the value for <time dateTime>. */
export interface DateInTwoCalendars {
  /** ISO 8601 for <time dateTime>: yyyy-mm-dd for a calendar day, else the full timestamp. */
  iso: string;
  gregorian: string;
  hijri: string;
}

export type DateLength = 'long' | 'medium';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function format(language: Language, date: Date, calendar: 'gregory' | 'islamic-umalqura', length: DateLength, timeZone?: string): string {
  return new Intl.DateTimeFormat(LOCALES[language], { calendar, dateStyle: length, ...(timeZone ? { timeZone } : {}) }).format(date);
}

/**
 * Today's date in the Gregorian and the Umm al-Qura (Hijri) calendars, written as the
 * language's locale writes them (ar-SA uses its own digits). The Gregorian calendar is
 * named explicitly: ar-SA's default calendar is Umm al-Qura.
 */
export function todayInTwoCalendars(language: Language, now: Date = new Date()): TodayInTwoCalendars {
  const gregorian = format(language, now, 'gregory', 'long');
  const hijri = format(language, now, 'islamic-umalqura', 'long');
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return { iso, gregorian, hijri };
}

/**
 * A date from the server in both calendars. A timestamp (due dates, the earliest answer
 * date) is written as the day it falls on here; a calendar day ("1990-05-14": birth and
 * expiry dates) is that day wherever the browser is. Undefined for a missing or unreadable value.
 */
export function dateInTwoCalendars(language: Language, value: string | Date | null | undefined, length: DateLength = 'medium'): DateInTwoCalendars | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const isDay = typeof value === 'string' && ISO_DAY.test(value);
  const date = isDay ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const timeZone = isDay ? 'UTC' : undefined;
  return {
    iso: isDay ? (value as string) : date.toISOString(),
    gregorian: format(language, date, 'gregory', length, timeZone),
    hijri: format(language, date, 'islamic-umalqura', length, timeZone),
  };
}

/** A date in both calendars on one line, for sentences: "18 December 2026 (9 Rajab 1448 AH)". */
export function bothCalendars(language: Language, value: string | Date, length: DateLength = 'long'): string {
  const written = dateInTwoCalendars(language, value, length);
  return written ? `${written.gregorian} (${written.hijri})` : String(value);
}
