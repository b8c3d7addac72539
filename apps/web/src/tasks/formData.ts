import { dateInTwoCalendars } from '../home/dates';
import type { Language } from '../i18n/language';
import { fieldLabels, type FormSchema } from './formSchema';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Dates the form only shows (in its texts, e.g. "not before {{earliestAnswerAt}}") written
 * for people, in both calendars: "25 November 2026 (15 Jumada II 1448 AH)". The form's own
 * fields keep their values, since those are sent back when the task is completed.
 */
export function readableDates(variables: Record<string, unknown>, schema: FormSchema, language: Language): Record<string, string> {
  const fields = new Set(Object.keys(fieldLabels(schema)));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (fields.has(key) || typeof value !== 'string' || !TIMESTAMP.test(value)) continue;
    const written = dateInTwoCalendars(language, value, 'long');
    if (written) out[key] = `${written.gregorian} (${written.hijri})`;
  }
  return out;
}
