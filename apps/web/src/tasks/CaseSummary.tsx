import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { isDocumentType, isStatus, isSupportType } from '../cases/vocabulary';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import type { CaseSummaryView } from './api';

/** The scan of the signed paper form, kept with the case's documents (S4). */
const ATTESTATION_SCAN = 'attestation-scan';

interface CaseSummaryProps {
  summary: CaseSummaryView;
  /** Committee tasks: the earliest date the applicant may be told the answer comes first. */
  answerDateFirst: boolean;
}

/** The case a task belongs to: who applied, how, for what, where it stands, its documents. */
export function CaseSummary({ summary, answerDateFirst }: CaseSummaryProps) {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const { applicant } = summary;

  const answerDate = summary.earliestAnswerAt && (
    <div className={answerDateFirst ? 'answer-date answer-date-prominent' : 'fact'} data-testid="earliest-answer">
      {answerDateFirst ? (
        <>
          <p className="answer-date-label">{t('case.earliestAnswerAt')}</p>
          <p className="answer-date-value">
            <TwoCalendarDate value={summary.earliestAnswerAt} length="long" />
          </p>
          <p className="answer-date-note">{t('case.earliestAnswerNote')}</p>
        </>
      ) : (
        <>
          <dt>{t('case.earliestAnswerAt')}</dt>
          <dd>
            <TwoCalendarDate value={summary.earliestAnswerAt} />
          </dd>
        </>
      )}
    </div>
  );

  return (
    <section className="card case-summary" aria-labelledby={`${ids}-heading`} data-testid="case-summary">
      <h2 id={`${ids}-heading`}>
        {t('case.heading')} <bdi dir="ltr">{summary.applicationNumber}</bdi>
      </h2>
      {answerDateFirst && answerDate}
      <dl className="facts">
        <div className="fact">
          <dt>{t('case.applicant')}</dt>
          <dd data-testid="applicant-name">
            <bdi dir="auto">{applicant.fullName}</bdi>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('case.nationalId')}</dt>
          <dd>
            <bdi dir="ltr">{applicant.nationalId}</bdi>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('case.mobile')}</dt>
          <dd>
            <a href={`tel:${applicant.mobile}`} dir="ltr">
              {applicant.mobile}
            </a>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('case.channel')}</dt>
          <dd>
            {localName(summary.channel.name, language, summary.channel.code)} <span className="muted">({summary.channel.code})</span>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('case.supportType')}</dt>
          <dd>{isSupportType(summary.supportType) ? t(`vocabulary.supportTypes.${summary.supportType}`) : summary.supportType}</dd>
        </div>
        <div className="fact">
          <dt>{t('case.status')}</dt>
          <dd data-testid="case-status">{isStatus(summary.status) ? t(`vocabulary.statuses.${summary.status}`) : summary.status}</dd>
        </div>
        <div className="fact">
          <dt>{t('case.currentSteps')}</dt>
          <dd>
            {summary.currentSteps.length === 0 ? (
              <span className="muted">—</span>
            ) : (
              <ul className="plain-list" data-testid="current-steps">
                {summary.currentSteps.map((step) => (
                  <li key={step.elementId}>{localName(step.name, language, step.elementId)}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {summary.submittedAt && (
          <div className="fact">
            <dt>{t('case.submittedAt')}</dt>
            <dd>
              <TwoCalendarDate value={summary.submittedAt} />
            </dd>
          </div>
        )}
        {!answerDateFirst && answerDate}
      </dl>

      <h3 className="subheading">{t('case.documents')}</h3>
      {summary.documents.length === 0 ? (
        <p className="muted">{t('case.noDocuments')}</p>
      ) : (
        <ul className="document-list" data-testid="case-documents">
          {summary.documents.map((doc) => (
            <li key={doc.id} className="document-item">
              <span className="document-type">
                {isDocumentType(doc.type) ? t(`vocabulary.documentTypes.${doc.type}`) : doc.type === ATTESTATION_SCAN ? t('case.attestationScan') : doc.type}
              </span>{' '}
              <bdi dir="ltr" className="muted">
                {doc.number}
              </bdi>
              {doc.expiryDate && (
                <span className="document-expiry">
                  {t('case.expires')} <TwoCalendarDate value={doc.expiryDate} />
                </span>
              )}
              {doc.fileName ? (
                <a className="document-file" href={`/api/cases/${encodeURIComponent(summary.id)}/documents/${encodeURIComponent(doc.id)}/file`} download={doc.fileName}>
                  {t('case.openFile')} <bdi dir="ltr">{doc.fileName}</bdi>
                </a>
              ) : (
                <span className="muted document-file">{t('case.noFile')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
