import type { TFunction } from 'i18next';
import { formatNumber, type Language } from '../i18n/language';

/**
 * form-js writes its validation messages in English only ("Field is required.").
 * These are the ones the intake forms can produce, in the interface's language; any other
 * message is shown as form-js wrote it.
 */
const RULES: Array<{ pattern: RegExp; key: 'required' | 'minLength' | 'maxLength' | 'min' | 'max' | 'pattern' | 'number' | 'email' }> = [
  { pattern: /^Field is required\.$/, key: 'required' },
  { pattern: /^Field must have minimum length of (.+)\.$/, key: 'minLength' },
  { pattern: /^Field must have maximum length of (.+)\.$/, key: 'maxLength' },
  { pattern: /^Field must have minimum value of (.+)\.$/, key: 'min' },
  { pattern: /^Field must have maximum value of (.+)\.$/, key: 'max' },
  { pattern: /^Field must match pattern (.+)\.$/, key: 'pattern' },
  { pattern: /^Value is not a number\.$/, key: 'number' },
  { pattern: /^Field must be a valid email\.$/, key: 'email' },
];

export function localiseFormError(message: string, t: TFunction, language: Language): string {
  for (const { pattern, key } of RULES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const raw = match[1];
    const n = raw !== undefined && /^-?\d+(\.\d+)?$/.test(raw) ? formatNumber(language, Number(raw)) : raw;
    return t(`taskForm.validation.${key}`, { n });
  }
  return message;
}
