import type { TFunction } from 'i18next';
import i18n from 'i18next';

/** A field's problem as the server codes it (details.codes of a 400 VALIDATION_FAILED). */
export interface FieldCode {
  code: string;
  params?: Record<string, string | number>;
}

/**
 * The server's problem in the interface's language, from its code (`fieldCodes.<code>` in both
 * language files); the server's own (English) words only for a code these files do not know.
 */
export function fieldCodeText(t: TFunction, code: FieldCode | undefined, serverWords: string): { text: string; translated: boolean } {
  // `invalid` is the server's mark for words without a code of their own: its words say more.
  if (code && code.code !== 'invalid' && i18n.exists(`fieldCodes.${code.code}`)) return { text: t(`fieldCodes.${code.code}` as 'fieldCodes.invalid', code.params ?? {}), translated: true };
  return { text: serverWords, translated: false };
}
