import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPTED_FILES } from '../cases/api';

export type ScanProblem = 'required' | 'type' | null;

interface ScanFieldProps {
  disabled: boolean;
  problem: ScanProblem;
  serverProblems?: string[];
  onChange: (file: File | null) => void;
}

/** The scanned signed paper form that goes with the applicant's attestation (S4). */
export function ScanField({ disabled, problem, serverProblems = [], onChange }: ScanFieldProps) {
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
          {serverProblems.map((message) => (
            <span key={message} lang="en" dir="ltr" className="server-message">
              {message}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
