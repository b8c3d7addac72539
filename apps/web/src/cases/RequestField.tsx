import type { ReactNode } from 'react';
import { fieldCodeText } from '../session/fieldCodes';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from './requestForm';

/** The element id of a field of the request form, from its server key ("documents.0.file"). */
export function fieldId(key: string): string {
  return `request-${key.replace(/\./g, '-')}`;
}

export interface ControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

interface RequestFieldProps {
  fieldKey: string;
  label: string;
  problems?: FieldProblem[];
  hint?: ReactNode;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

export function ProblemText({ problem }: { problem: FieldProblem }) {
  const { t } = useTranslation();
  if ('server' in problem) {
    const worded = fieldCodeText(t, problem.code ? { code: problem.code, params: problem.params } : undefined, problem.server);
    if (worded.translated) return <span data-code={problem.code}>{worded.text}</span>;
    return (
      <span lang="en" dir="ltr" className="server-message">
        {problem.server}
      </span>
    );
  }
  if (problem.code === 'tooShort') return <>{t('request.errors.tooShort', { min: problem.min })}</>;
  if (problem.code === 'tooLong') return <>{t('request.errors.tooLong', { max: problem.max })}</>;
  return <>{t(`request.errors.${problem.code}`)}</>;
}

/** A labelled control with its hint and its problems, tied to it for assistive technology. */
export function RequestField({ fieldKey, label, problems = [], hint, optional, className, children }: RequestFieldProps) {
  const { t } = useTranslation();
  const id = fieldId(fieldKey);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const invalid = problems.length > 0;
  const describedBy = [hint ? hintId : '', invalid ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="optional"> {t('request.optional')}</span>}
      </label>
      {children({ id, ...(invalid ? { 'aria-invalid': true } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {invalid && (
        <p className="field-error" id={errorId}>
          {problems.map((problem, i) => (
            <span key={i} className="field-error-item">
              <ProblemText problem={problem} />
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
