import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ACCEPTED_FILES } from '../cases/api';
import { currentLanguage } from '../i18n';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { answerSurvey, dataToSign, provideDocuments, requestDetail, sign, type DataToSign, type RequestDetail } from './api';
import { isSurveyLink, messageParts, type MessagePart } from './messageText';
import { portalErrorMessage } from './portalError';
import { SurveyForm } from './SurveyForm';

type DocumentType = 'national-id';
/** A document type's name; `t` is taken as a plain function (its full type over the whole dictionary is too deep for the checker here). */
const docName = (t: unknown, type: string): string => (t as (key: string) => string)(`vocabulary.documentTypes.${type as DocumentType}`);

/** /portal/requests/:id: one of the applicant's requests, what it waits for, and what they can do now. */
export function PortalRequestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [detail, setDetail] = useState<RequestDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => requestDetail(id).then(setDetail, setError), [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error !== null) {
    return (
      <div className="page-stack portal">
        <p className="form-error" role="alert">{portalErrorMessage(t, error)}</p>
        <Link to="/portal" className="back-link">{t('portal.request.back')}</Link>
      </div>
    );
  }
  if (!detail) return <p className="status">{t('app.loading')}</p>;
  const lang = currentLanguage();

  return (
    <div className="page-stack portal">
      <Link to="/portal" className="back-link">{t('portal.request.back')}</Link>
      <PageHeading title={`${t('portal.request.heading')} ${detail.applicationNumber}`}>
        {t('portal.request.heading')} <bdi dir="ltr">{detail.applicationNumber}</bdi>
      </PageHeading>

      <section className="card portal-stage-card" aria-labelledby="stage-heading" data-testid="portal-stage">
        <h2 id="stage-heading" className="subheading">{t(`portal.stages.${detail.stage}.title`)}</h2>
        <p>{t(`portal.stages.${detail.stage}.text`)}</p>
        <dl className="facts">
          <div className="fact">
            <dt>{t('portal.request.submitted')}</dt>
            <dd><TwoCalendarDate value={detail.submittedAt} /></dd>
          </div>
          <div className="fact">
            <dt>{t('portal.request.earliestAnswer')}</dt>
            <dd data-testid="earliest-answer"><TwoCalendarDate value={detail.earliestAnswerAt} empty={t('portal.request.earliestAnswerLater')} /></dd>
          </div>
          {detail.beneficiaryNumber && (
            <div className="fact">
              <dt>{t('portal.request.beneficiaryNumber')}</dt>
              <dd><bdi dir="ltr">{detail.beneficiaryNumber}</bdi></dd>
            </div>
          )}
        </dl>
      </section>

      {detail.decision && (
        <section className="card" aria-labelledby="decision-heading" data-testid="portal-decision">
          <h2 id="decision-heading" className="subheading">{t('portal.request.decision')}</h2>
          <p>{t(`portal.request.decisions.${detail.decision.decision}`)}</p>
          <p>{t('portal.request.reasons')}: <bdi dir="auto"><NoticeText parts={messageParts(detail.decision.reasons)} links={[]} /></bdi></p>
        </section>
      )}

      {detail.missing && <MissingDocuments id={detail.id} missing={detail.missing} onProvided={load} />}
      {detail.awaitingSignature && <Signature id={detail.id} onSigned={load} />}

      {(detail.survey.open || detail.survey.answered) && (
        <section className="card" aria-labelledby="survey-heading-portal">
          <h2 id="survey-heading-portal" className="subheading">{t('survey.heading')}</h2>
          {detail.survey.answered ? <p className="notice">{t('survey.thanks')}</p> : <SurveyForm onSubmit={(answer) => answerSurvey(detail.id, answer)} />}
        </section>
      )}

      <section className="card" aria-labelledby="messages-heading">
        <h2 id="messages-heading" className="subheading">{t('portal.request.messages')}</h2>
        {detail.messages.length === 0 ? (
          <p className="muted">{t('portal.request.noMessages')}</p>
        ) : (
          <ul className="plain-list portal-messages">
            {detail.messages.map((m) => (
              <li key={m.id} className="portal-message">
                <p className="portal-message-subject" dir="auto">
                  <NoticeText parts={messageParts(m.subject[lang])} links={[]} />
                </p>
                <p className="muted"><TwoCalendarDate value={m.sentAt} length="medium" /></p>
                <MessageBody text={m.body[lang]} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="documents-heading">
        <h2 id="documents-heading" className="subheading">{t('portal.request.documents')}</h2>
        <ul className="plain-list portal-documents" data-testid="portal-documents">
          {detail.documents.map((d) => (
            <li key={d.id} className="portal-document">
              <span className="portal-document-type">{docName(t, d.type)}</span>{' '}
              <bdi dir="ltr" className="portal-document-number">{d.number}</bdi>
              {d.fileName && (
                <>
                  {' '}
                  <span className="muted portal-document-file">
                    {t('portal.request.file')} <bdi dir="auto">{d.fileName}</bdi>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** A notice's words with each code (application number and the like) isolated left to right on one line. */
function NoticeText({ parts, links }: { parts: MessagePart[]; links: MessagePart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'text' ? (
          <span key={i}>{part.text}</span>
        ) : part.kind === 'code' ? (
          <bdi key={i} dir="ltr" className="code-token">
            {part.text}
          </bdi>
        ) : links.length > 1 ? (
          <span key={i}>[{links.indexOf(part) + 1}]</span>
        ) : null,
      )}
    </>
  );
}

/**
 * A notice as it was sent, its words isolated from the page's direction, each web address in it
 * a button (an address is one long word: as text it would not wrap on a phone).
 */
function MessageBody({ text }: { text: string }) {
  const { t } = useTranslation();
  const parts = messageParts(text);
  const links = parts.filter((p): p is Extract<MessagePart, { kind: 'link' }> => p.kind === 'link');
  return (
    <>
      <p dir="auto">
        <NoticeText parts={parts} links={links} />
      </p>
      {links.length > 0 && (
        <p className="button-row">
          {links.map((link, i) => (
            <a key={i} className="button button-secondary message-link" href={link.url} data-testid="message-link">
              {t(isSurveyLink(link.url) ? 'portal.request.openSurvey' : 'portal.request.openLink')}
              {links.length > 1 && ` [${i + 1}]`}
            </a>
          ))}
        </p>
      )}
    </>
  );
}

/** S2's loop: what the checks found missing, and a form to send it. */
function MissingDocuments({ id, missing, onProvided }: { id: string; missing: NonNullable<RequestDetail['missing']>; onProvided: () => unknown }) {
  const { t } = useTranslation();
  const ids = useId();
  const [type, setType] = useState(missing.documents[0] ?? 'other');
  const [number, setNumber] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!number.trim() || !file) {
      setError(new Error('missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await provideDocuments(id, [{ type, number: number.trim(), file: 'document-0' }], [{ part: 'document-0', file }]);
      await onProvided();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card portal-action" aria-labelledby={`${ids}-heading`} data-testid="portal-missing">
      <h2 id={`${ids}-heading`} className="subheading">{t('portal.missing.heading')}</h2>
      {missing.documents.length > 0 && (
        <ul>
          {missing.documents.map((d) => <li key={d}>{docName(t, d)}</li>)}
        </ul>
      )}
      {missing.problems.length > 0 && (
        <p>
          {t('portal.missing.notes')}:{' '}
          {(currentLanguage() === 'ar' ? (missing.problemsAr ?? missing.problems) : missing.problems).map((problem, i) => (
            <span key={i}>
              {i > 0 && '؛ '}
              <bdi dir="auto">{problem}</bdi>
            </span>
          ))}
        </p>
      )}
      <form className="form" onSubmit={(e) => void send(e)} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-type`}>{t('request.fields.documentType')}</label>
          <select id={`${ids}-type`} value={type} onChange={(e) => setType(e.target.value)}>
            {[...new Set([...missing.documents, 'other'])].map((d) => <option key={d} value={d}>{docName(t, d)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-number`}>{t('request.fields.documentNumber')}</label>
          <input id={`${ids}-number`} type="text" dir="ltr" maxLength={40} value={number} onChange={(e) => setNumber(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-file`}>{t('request.fields.file')}</label>
          <input id={`${ids}-file`} type="file" accept={ACCEPTED_FILES} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <p className="hint">{t('request.fileHint')}</p>
        </div>
        {error !== null && (
          <p className="form-error" role="alert">
            {error instanceof Error && error.message === 'missing' ? t('portal.missing.fillIn') : portalErrorMessage(t, error)}
          </p>
        )}
        <button type="submit" className="button button-primary" aria-busy={busy || undefined}>{t('portal.missing.send')}</button>
      </form>
    </section>
  );
}

/** S4: the data is shown first; the applicant types their name and confirms it is correct. */
function Signature({ id, onSigned }: { id: string; onSigned: () => unknown }) {
  const { t } = useTranslation();
  const ids = useId();
  const [toSign, setToSign] = useState<DataToSign | null>(null);
  const [typedName, setTypedName] = useState('');
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dataToSign(id).then(setToSign, setError);
  }, [id]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !toSign) return;
    if (!consent || !typedName.trim()) {
      setError(new Error('missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await sign(id, typedName, toSign.dataHash);
      await onSigned();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  const d = toSign?.data;
  return (
    <section className="card portal-action" aria-labelledby={`${ids}-heading`} data-testid="portal-signature">
      <h2 id={`${ids}-heading`} className="subheading">{t('portal.sign.heading')}</h2>
      <p>{t('portal.sign.intro')}</p>
      {d && (
        <dl className="signed-data" data-testid="data-to-sign">
          <dt>{t('request.fields.fullName')}</dt><dd><bdi dir="auto">{d.fullName}</bdi></dd>
          <dt>{t('request.fields.nationalId')}</dt><dd><bdi dir="ltr">{d.nationalId}</bdi></dd>
          <dt>{t('request.fields.birthDate')}</dt><dd><TwoCalendarDate value={d.birthDate} length="medium" /></dd>
          <dt>{t('request.fields.mobile')}</dt><dd><bdi dir="ltr">{d.mobile}</bdi></dd>
          {d.email && (<><dt>{t('request.fields.email')}</dt><dd><bdi dir="ltr">{d.email}</bdi></dd></>)}
          <dt>{t('request.fields.city')}</dt><dd><bdi dir="auto">{d.city}</bdi></dd>
          <dt>{t('request.fields.address')}</dt><dd><bdi dir="auto">{d.address}</bdi></dd>
          <dt>{t('request.fields.monthlyIncome')}</dt><dd><bdi dir="ltr">{d.monthlyIncome}</bdi></dd>
          <dt>{t('request.fields.supportType')}</dt><dd>{t(`vocabulary.supportTypes.${d.supportType as 'training'}`)}</dd>
          <dt>{t('request.fields.householdMembers')}</dt>
          <dd>
            {d.householdMembers.length === 0 ? '—' : (
              <ul className="plain-list">
                {d.householdMembers.map((m, i) => (
                  <li key={i}><bdi dir="auto">{m.fullName}</bdi> ({t(`vocabulary.relations.${m.relation as 'other'}`)})</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t('request.fields.documents')}</dt>
          <dd>
            <ul className="plain-list">
              {d.documents.map((x, i) => (
                <li key={i}>{docName(t, x.type)} <bdi dir="ltr">{x.number}</bdi></li>
              ))}
            </ul>
          </dd>
        </dl>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-name`}>{t('portal.sign.typedName')}</label>
          <input id={`${ids}-name`} type="text" autoComplete="name" maxLength={150} value={typedName} onChange={(e) => {
              setTypedName(e.target.value);
              setError(null);
            }} />
        </div>
        <label className="field-check">
          <input type="checkbox" checked={consent} onChange={(e) => {
            setConsent(e.target.checked);
            setError(null);
          }} />
          <span>{t('portal.sign.consent')}</span>
        </label>
        {error !== null && (
          <p className="form-error" role="alert">
            {error instanceof Error && error.message === 'missing' ? t('portal.sign.fillIn') : portalErrorMessage(t, error)}
          </p>
        )}
        <button type="submit" className="button button-primary" aria-busy={busy || undefined} disabled={!toSign}>{t('portal.sign.submit')}</button>
      </form>
    </section>
  );
}
