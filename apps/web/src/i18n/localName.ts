import type { Language } from './language';

/** A name the server gives in both languages ({ar, en}): the interface's, else the other, else the fallback. */
export function localName(name: { ar?: string; en?: string } | undefined, language: Language, fallback = ''): string {
  const other = language === 'ar' ? 'en' : 'ar';
  return name?.[language] || name?.[other] || fallback;
}
