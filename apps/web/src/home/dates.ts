import { LOCALES, type Language } from '../i18n/language';

export interface TodayInTwoCalendars {
  /** ISO date (yyyy-mm-dd) for <time dateTime>. */
  iso: string;
  gregorian: string;
  hijri: string;
}

/**
 * Today's date in the Gregorian and the Umm al-Qura (Hijri) calendars, written as the
 * language's locale writes them (ar-SA uses its own digits). The Gregorian calendar is
 * named explicitly: ar-SA's default calendar is Umm al-Qura.
 */
export function todayInTwoCalendars(language: Language, now: Date = new Date()): TodayInTwoCalendars {
  const locale = LOCALES[language];
  const gregorian = new Intl.DateTimeFormat(locale, { calendar: 'gregory', dateStyle: 'long' }).format(now);
  const hijri = new Intl.DateTimeFormat(locale, { calendar: 'islamic-umalqura', dateStyle: 'long' }).format(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return { iso, gregorian, hijri };
}
