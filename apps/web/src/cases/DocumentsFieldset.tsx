import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { ACCEPTED_FILES } from './api';
import { DateInput } from './DateInput';
import { RequestField } from './RequestField';
import type { DocumentDraft, FieldProblems } from './requestForm';
import { DOCUMENT_TYPES } from './vocabulary';

interface DocumentsFieldsetProps {
  documents: DocumentDraft[];
  problems: FieldProblems;
  onChange: (index: number, document: DocumentDraft) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}

/** The documents the applicant brought: type, number, expiry, and the scan when there is one. */
export function DocumentsFieldset({ documents, problems, onChange, onAdd, onRemove }: DocumentsFieldsetProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="card form-section" data-testid="documents">
      <legend>{t('request.sections.documents')}</legend>
      {documents.length === 0 && <p className="muted">{t('request.noDocuments')}</p>}
      {documents.map((doc, i) => (
        <div key={doc.rowId} className="repeat-row" data-row={i}>
          <p className="repeat-row-title">{t('request.documentN', { n: formatNumber(currentLanguage(), i + 1) })}</p>
          <div className="form-grid">
            <RequestField fieldKey={`documents.${i}.type`} label={t('request.fields.documentType')} problems={problems[`documents.${i}.type`]}>
              {(control) => (
                <select {...control} value={doc.type} onChange={(e) => onChange(i, { ...doc, type: e.target.value })}>
                  <option value="">{t('request.choose')}</option>
                  {DOCUMENT_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`vocabulary.documentTypes.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </RequestField>
            <RequestField fieldKey={`documents.${i}.number`} label={t('request.fields.documentNumber')} problems={problems[`documents.${i}.number`]}>
              {(control) => (
                <input {...control} type="text" dir="ltr" autoComplete="off" spellCheck={false} maxLength={40} value={doc.number} onChange={(e) => onChange(i, { ...doc, number: e.target.value })} />
              )}
            </RequestField>
            <DateInput
              fieldKey={`documents.${i}.expiryDate`}
              label={t('request.fields.expiryDate')}
              optional
              value={doc.expiryDate}
              problems={problems[`documents.${i}.expiryDate`]}
              onChange={(expiryDate) => onChange(i, { ...doc, expiryDate })}
            />
            <RequestField fieldKey={`documents.${i}.file`} label={t('request.fields.file')} optional hint={t('request.fileHint')} problems={problems[`documents.${i}.file`]}>
              {(control) => <input {...control} type="file" accept={ACCEPTED_FILES} onChange={(e) => onChange(i, { ...doc, file: e.target.files?.[0] ?? null })} />}
            </RequestField>
          </div>
          <button type="button" className="button button-quiet button-small" onClick={() => onRemove(i)}>
            {t('request.removeDocument', { n: formatNumber(currentLanguage(), i + 1) })}
          </button>
        </div>
      ))}
      <button type="button" className="button button-secondary" onClick={onAdd}>
        {t('request.addDocument')}
      </button>
    </fieldset>
  );
}
