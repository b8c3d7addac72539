import { useTranslation } from 'react-i18next';
import type { FieldProblems } from '../session/api';

interface ServerFieldErrorsProps {
  problems: FieldProblems;
  /** Each field's label as the form shows it. */
  labels: Record<string, string>;
}

/**
 * The fields the server refused, named by their labels, with the server's words (which are
 * English). Shown beside the form: form-js cannot take errors from outside.
 */
export function ServerFieldErrors({ problems, labels }: ServerFieldErrorsProps) {
  const { t } = useTranslation();
  const entries = Object.entries(problems);
  if (entries.length === 0) return null;
  return (
    <div className="form-error server-errors" role="alert" data-testid="server-field-errors">
      <p>{t('taskForm.serverRefused')}</p>
      <ul>
        {entries.map(([key, messages]) => (
          <li key={key}>
            <strong>{labels[key] ?? key}</strong>
            {': '}
            <span lang="en" dir="ltr" className="server-message">
              {messages.join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
