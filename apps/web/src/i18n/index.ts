import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ar } from './ar';
import { en } from './en';
import {
  DEFAULT_LANGUAGE,
  LANGUAGES,
  applyLanguageToDocument,
  isLanguage,
  readStoredLanguage,
  storeLanguage,
  type Language,
} from './language';

const initialLanguage = readStoredLanguage();
// Also done by public/lang-init.js before paint; repeated here in case that script is absent.
applyLanguageToDocument(initialLanguage);

void i18next.use(initReactI18next).init({
  resources: { ar: { translation: ar }, en: { translation: en } },
  lng: initialLanguage,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

i18next.on('languageChanged', (language) => {
  if (!isLanguage(language)) return;
  applyLanguageToDocument(language);
  storeLanguage(language);
  document.title = i18next.t('app.documentTitle');
});
document.title = i18next.t('app.documentTitle');

export function currentLanguage(): Language {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

export function changeLanguage(language: Language): Promise<unknown> {
  return i18next.changeLanguage(language);
}

export { i18next };
