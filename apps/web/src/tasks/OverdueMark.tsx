import { useTranslation } from 'react-i18next';

/** "Overdue" with a clock icon: the word carries the meaning, the colour only repeats it. */
export function OverdueMark() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-overdue" data-testid="overdue-mark">
      <svg className="badge-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <circle cx="8" cy="8" r="6.5" />
        <path d="M8 4.5V8l2.5 2" />
      </svg>
      {t('tasks.overdue')}
    </span>
  );
}
