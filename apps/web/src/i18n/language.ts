/**
 * The interface language: Arabic first, English second. The choice is remembered in
 * localStorage and mirrored on <html lang dir>. public/lang-init.js applies the same rule
 * before the first paint; keep the two in step.
 */
export const LANGUAGES = ['ar', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'ar';
export const LANGUAGE_STORAGE_KEY = 'mustafid.lang';

/** Each language's own name for itself, shown on the switch (never translated). */
export const LANGUAGE_NAMES: Record<Language, string> = { ar: 'العربية', en: 'English' };

/** BCP 47 locales used for dates and numbers. ar-SA writes digits as Saudi Arabic does. */
export const LOCALES: Record<Language, string> = { ar: 'ar-SA', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function directionOf(language: Language): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr';
}

export function otherLanguage(language: Language): Language {
  return language === 'ar' ? 'en' : 'ar';
}

export function readStoredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function storeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Storage may be blocked (private mode, policy): the switch still works for this visit.
  }
}

export function applyLanguageToDocument(language: Language): void {
  const root = document.documentElement;
  root.lang = language;
  root.dir = directionOf(language);
}

/** A number as the language's locale writes it (ar-SA: Arabic-Indic digits). */
export function formatNumber(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}
