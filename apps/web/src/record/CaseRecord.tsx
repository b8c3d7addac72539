import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isDocumentType } from '../cases/vocabulary';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { DisplayName } from '../session/DisplayName';
import { apiErrorMessage } from '../session/errorMessage';
import { fetchCaseRecord, type RecordEntry, type RecordField } from './api';

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; entries: RecordEntry[] };

interface CaseRecordProps {
  caseId: string;
  /** Read again when this changes (e.g. after the task beside it is completed). */
  refresh?: unknown;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The request's record beside a task and on the case page (issue 19, point 5): what people
 * did and wrote, oldest first, in words — each step by its name from the diagram with its
 * answers named by the form's labels, never ids or variable keys. What people typed is
 * isolated in its own direction.
 */
export function CaseRecord({ caseId, refresh }: CaseRecordProps) {
  const { t } = useTranslation();
  const ids = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    fetchCaseRecord(caseId).then(
      (record) => current && setLoad({ status: 'ready', entries: record.entries }),
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [caseId, refresh]);

  return (
    <section className="card case-record" aria-labelledby={`${ids}-heading`} data-testid="case-record">
      <h2 id={`${ids}-heading`}>{t('caseRecord.heading')}</h2>
      <p className="muted">{t('caseRecord.intro')}</p>
      {load.status === 'loading' && (
        <p className="status" role="status">
          {t('caseRecord.loading')}
        </p>
      )}
      {load.status === 'error' && (
        <p className="form-error" role="alert">
          {t('caseRecord.error')} {apiErrorMessage(t, load.error)}
        </p>
      )}
      {load.status === 'ready' &&
        (load.entries.length === 0 ? (
          <p className="muted">{t('caseRecord.empty')}</p>
        ) : (
          <ol className="record-list">
            {load.entries.map((entry, i) => (
              <RecordItem key={i} entry={entry} />
            ))}
          </ol>
        ))}
    </section>
  );
}

function RecordItem({ entry }: { entry: RecordEntry }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const documentName = (type: string) => (isDocumentType(type) ? t(`vocabulary.documentTypes.${type}`) : type);
  let title: ReactNode;
  let body: ReactNode = null;
  switch (entry.kind) {
    case 'submitted':
      title = t('caseRecord.submitted', { channel: localName(entry.channel.name, language, entry.channel.code) });
      body = (
        <>
          {entry.documents.length > 0 && <p>{entry.documents.map(documentName).join('، ')}</p>}
          {entry.notes && (
            <p>
              {t('caseRecord.notes')}: <bdi dir="auto" className="user-text">{entry.notes}</bdi>
            </p>
          )}
        </>
      );
      break;
    case 'step':
      title = localName(entry.element, language, entry.elementId);
      body =
        entry.fields.length > 0 ? (
          <dl className="record-fields">
            {entry.fields.map((field) => (
              <div key={field.key} className="record-field" data-field={field.key}>
                <dt>{localName(field.label, language, field.key)}</dt>
                <dd>
                  <FieldValue field={field} />
                </dd>
              </div>
            ))}
          </dl>
        ) : null;
      break;
    case 'documents':
      title = t('caseRecord.documentsProvided');
      body = <p>{entry.documents.map(documentName).join('، ')}</p>;
      break;
    case 'attestation':
      title = t('caseRecord.attestation');
      body = entry.method === 'paper' || entry.method === 'portal' ? <p>{t(`caseRecord.attestationMethods.${entry.method}`)}</p> : null;
      break;
    case 'notice':
      title = t('caseRecord.notice', { subject: localName(entry.subject, language) });
      body = (
        <>
          <p className="record-notice-body">
            <bdi dir="auto">{localName(entry.body, language)}</bdi>
          </p>
          <p className="muted">
            {t(`caseRecord.deliveries.${entry.state}`)}
            {entry.to && (
              <>
                {' — '}
                <bdi dir="ltr">{entry.to}</bdi>
              </>
            )}
          </p>
        </>
      );
      break;
  }
  return (
    <li className={`record-entry record-${entry.kind}`} data-kind={entry.kind} data-element={entry.kind === 'step' ? entry.elementId : undefined}>
      <p className="record-head">
        <strong className="record-title">{title}</strong>{' '}
        <span className="record-when muted">
          <TwoCalendarDate value={entry.at} length="medium" />
        </span>
      </p>
      {'actor' in entry && (
        <p className="record-who muted">
          {t('caseRecord.by')} {entry.actorName ? <DisplayName name={entry.actorName} /> : <bdi dir="ltr">{entry.actor}</bdi>}
        </p>
      )}
      {body}
    </li>
  );
}

function FieldValue({ field }: { field: RecordField }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  if (field.choice) return <>{field.choice.map((c) => localName(c, language)).join('، ')}</>;
  if (typeof field.value === 'boolean') return <>{field.value ? t('caseRecord.yes') : t('caseRecord.no')}</>;
  if (typeof field.value === 'string' && ISO_DAY.test(field.value)) return <TwoCalendarDate value={`${field.value}T12:00:00Z`} length="medium" />;
  if (typeof field.value === 'string') {
    return (
      <bdi dir="auto" className="user-text">
        {field.value}
      </bdi>
    );
  }
  if (Array.isArray(field.value)) return <bdi dir="auto">{field.value.map(String).join('، ')}</bdi>;
  return <bdi dir="auto">{String(field.value)}</bdi>;
}
