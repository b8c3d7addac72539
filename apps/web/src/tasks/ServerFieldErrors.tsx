import { useTranslation } from 'react-i18next';
import type { FieldProblems } from '../session/api';
import { type FieldCode, fieldCodeText } from '../session/fieldCodes';

interface ServerFieldErrorsProps {
  problems: FieldProblems;
  /** The same problems as codes (details.codes), worded here in the interface's language. */
  codes?: Record<string, FieldCode[]>;
  /** Each field's label as the form shows it. */
  labels: Record<string, string>;
}

/**
 * The fields the server refused, named by their labels, each problem worded from its code in
 * the interface's language (the server's English words only for a code without words here).
 * Shown beside the form: form-js cannot take errors from outside.
 */
export function ServerFieldErrors({ problems, codes = {}, labels }: ServerFieldErrorsProps) {
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
            {messages.map((message, i) => {
              const { text, translated } = fieldCodeText(t, codes[key]?.[i], message);
              return (
                <span key={i} className={translated ? 'field-problem' : 'server-message'} data-code={codes[key]?.[i]?.code} {...(translated ? {} : { lang: 'en', dir: 'ltr' })}>
                  {i > 0 && ' · '}
                  {text}
                </span>
              );
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}
