import { useTranslation } from 'react-i18next';
import { dateInTwoCalendars, type DateLength } from '../home/dates';
import { currentLanguage } from '../i18n';

interface TwoCalendarDateProps {
  value: string | Date | null | undefined;
  length?: DateLength;
  /** Shown when there is no date. */
  empty?: string;
  className?: string;
}

/** A date in the Gregorian and the Umm al-Qura calendars: "25 Nov 2026 · 15 Jumada II 1448 AH". */
export function TwoCalendarDate({ value, length = 'long', empty, className }: TwoCalendarDateProps) {
  const { t } = useTranslation();
  const written = dateInTwoCalendars(currentLanguage(), value, length);
  if (!written) return empty ? <span className="muted">{empty}</span> : null;
  return (
    <span className={`two-calendars${className ? ` ${className}` : ''}`}>
      <time dateTime={written.iso} className="date-gregorian">
        {written.gregorian}
      </time>
      <span className="date-separator" aria-hidden="true">
        {' · '}
      </span>
      <span className="visually-hidden">{` ${t('dates.hijriPrefix')} `}</span>
      <time dateTime={written.iso} className="date-hijri">
        {written.hijri}
      </time>
    </span>
  );
}
