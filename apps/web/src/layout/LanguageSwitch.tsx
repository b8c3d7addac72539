import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../i18n';
import { LANGUAGE_NAMES, directionOf, otherLanguage } from '../i18n/language';

/** Shows the other language in its own script ("English" / "العربية") and switches to it. */
export function LanguageSwitch() {
  const { t } = useTranslation(); // re-renders on language change
  const target = otherLanguage(currentLanguage());
  return (
    <button
      type="button"
      className="button button-on-dark language-switch"
      lang={target}
      dir={directionOf(target)}
      title={t('language.switchHint')}
      onClick={() => void changeLanguage(target)}
    >
      {LANGUAGE_NAMES[target]}
    </button>
  );
}
