import flatpickr from 'flatpickr';
import { Arabic } from 'flatpickr/dist/l10n/ar.js';
import { english } from 'flatpickr/dist/l10n/default.js';
import type { CustomLocale } from 'flatpickr/dist/types/locale';
import type { Language } from '../i18n/language';

/** flatpickr's Arabic, with the one-letter day names Arabic calendars print (its own are too wide for a phone's columns). */
const ARABIC: CustomLocale = { ...Arabic, weekdays: { ...Arabic.weekdays, shorthand: ['ح', 'ن', 'ث', 'ر', 'خ', 'ج', 'س'] } };

/**
 * form-js draws its date fields with flatpickr and passes it no locale, so the calendar that
 * opens speaks flatpickr's default language. This makes that default the page's language
 * (Arabic month and day names, the week starting on Saturday) for the pickers drawn after it;
 * TaskForm calls it before drawing a form.
 */
export function setDatePickerLanguage(language: Language): void {
  flatpickr.localize(language === 'ar' ? ARABIC : english);
}
