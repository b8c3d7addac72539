import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPTED_FILES } from '../cases/api';
import { type FieldCode, fieldCodeText } from '../session/fieldCodes';

export type ScanProblem = 'required' | 'type' | null;

interface ScanFieldProps {
  disabled: boolean;
  problem: ScanProblem;
  serverProblems?: string[];
  /** The server's problems as codes (details.codes.scan), worded in the page's language. */
  serverCodes?: FieldCode[];
  onChange: (file: File | null) => void;
}

/** The scanned signed paper form that goes with the applicant's attestation (S4). */
export function ScanField({ disabled, problem, serverProblems = [], serverCodes = [], onChange }: ScanFieldProps) {
  const { t } = useTranslation();
  const ids = useId();
  const errorId = `${ids}-error`;
  const invalid = problem !== null || serverProblems.length > 0;
  return (
    <div className="field scan-field">
      <label htmlFor={`${ids}-scan`}>{t('attestation.scan')}</label>
      <p className="hint" id={`${ids}-hint`}>
        {t('attestation.scanHint')}
      </p>
      <input
        id={`${ids}-scan`}
        type="file"
        accept={ACCEPTED_FILES}
        disabled={disabled}
        required
        aria-invalid={invalid || undefined}
        aria-describedby={`${ids}-hint${invalid ? ` ${errorId}` : ''}`}
        onChange={(e) => onChange(e.target.files?.[0] ?? null)}
      />
      {invalid && (
        <p id={errorId} className="field-error">
          {problem === 'required' && t('attestation.scanRequired')}
          {problem === 'type' && t('request.errors.fileType')}
          {serverProblems.map((message, i) => {
            const { text, translated } = fieldCodeText(t, serverCodes[i], message);
            return (
              <span key={message} className={translated ? 'field-problem' : 'server-message'} data-code={serverCodes[i]?.code} {...(translated ? {} : { lang: 'en', dir: 'ltr' })}>
                {text}
              </span>
            );
          })}
        </p>
      )}
    </div>
  );
}
