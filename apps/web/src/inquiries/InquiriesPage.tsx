import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { apiErrorMessage } from '../session/errorMessage';
import {
  type ArticleHit,
  CHANNELS,
  type InquirySummary,
  type InquiryView,
  KINDS,
  METHODS,
  TOPICS,
  answerInquiry,
  filled,
  getInquiry,
  listInquiries,
  recordInquiry,
  searchLibrary,
} from './api';

/**
 * /inquiries: beneficiary relations record inquiries from any channel (S1, O3) and answer them
 * from the reference library (R1), citing the article version the answer rests on.
 */
export function InquiriesPage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<InquirySummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => listInquiries().then(setItems, setError), []);
  useEffect(() => void reload(), [reload]);

  return (
    <section aria-labelledby="inquiries-heading">
      <PageHeading id="inquiries-heading" title={t('inquiries.heading')} />
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      <RecordForm onRecorded={(id) => void reload().then(() => setSelected(id))} />
      <section className="card" aria-labelledby="inquiry-list-heading">
        <h2 id="inquiry-list-heading">{t('inquiries.list')}</h2>
        {items.length === 0 ? (
          <p className="muted">{t('inquiries.none')}</p>
        ) : (
          <ul className="inquiry-list">
            {items.map((i) => (
              <li key={i.id}>
                <button type="button" className="link-button" onClick={() => setSelected(i.id)} aria-current={selected === i.id ? 'true' : undefined}>
                  <bdi dir="ltr">{i.number}</bdi> · {t(`inquiries.kinds.${i.kind}`)} · {t(`inquiries.topics.${i.topic}`)} · {i.channel} ·{' '}
                  {t(i.status === 'open' ? 'inquiries.open' : 'inquiries.answered')}
                  {i.overdue && <strong> · {t('inquiries.overdue')}</strong>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {selected && <InquiryDetail key={selected} id={selected} onAnswered={() => void reload()} />}
    </section>
  );
}

function RecordForm({ onRecorded }: { onRecorded: (id: string) => void }) {
  const { t } = useTranslation();
  const [fields, setFields] = useState({ kind: 'question', topic: 'application', channel: 'C1', body: '', personName: '', mobile: '', email: '', applicationNumber: '', concernsUsername: '' });
  const [error, setError] = useState<unknown>(null);
  const [recorded, setRecorded] = useState<string | null>(null);
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { kind, topic, channel, ...rest } = fields;
      const done = await recordInquiry({ kind, topic, channel, ...filled(rest) });
      setRecorded(done.number);
      setFields((f) => ({ ...f, body: '', personName: '', mobile: '', email: '', applicationNumber: '', concernsUsername: '' }));
      onRecorded(done.id);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="record-inquiry-heading">
      <h2 id="record-inquiry-heading">{t('inquiries.record')}</h2>
      <label>
        {t('inquiries.kind')}
        <select value={fields.kind} onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`inquiries.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inquiries.topic')}
        <select value={fields.topic} onChange={set('topic')}>
          {TOPICS.map((k) => (
            <option key={k} value={k}>
              {t(`inquiries.topics.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inquiries.channel')}
        <select value={fields.channel} onChange={set('channel')}>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c} — {t(`vocabulary.channels.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inquiries.body')}
        <textarea value={fields.body} onChange={set('body')} required maxLength={4000} rows={3} />
      </label>
      <label>
        {t('inquiries.personName')}
        <input value={fields.personName} onChange={set('personName')} />
      </label>
      <label>
        {t('inquiries.mobile')}
        <input value={fields.mobile} onChange={set('mobile')} inputMode="tel" dir="ltr" />
      </label>
      <label>
        {t('inquiries.email')}
        <input value={fields.email} onChange={set('email')} type="email" dir="ltr" />
      </label>
      <label>
        {t('inquiries.applicationNumber')}
        <input value={fields.applicationNumber} onChange={set('applicationNumber')} dir="ltr" />
      </label>
      {fields.kind === 'complaint' && (
        <label>
          {t('inquiries.concerns')}
          <input value={fields.concernsUsername} onChange={set('concernsUsername')} dir="ltr" />
        </label>
      )}
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      {recorded && (
        <p className="notice" role="status">
          {t('inquiries.recorded')} <bdi dir="ltr">{recorded}</bdi>
        </p>
      )}
      <button type="submit" className="button button-primary">
        {t('inquiries.save')}
      </button>
    </form>
  );
}

function InquiryDetail({ id, onAnswered }: { id: string; onAnswered: () => void }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [inquiry, setInquiry] = useState<InquiryView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [words, setWords] = useState('');
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [citation, setCitation] = useState<ArticleHit | null>(null);
  const [answer, setAnswer] = useState('');
  const [method, setMethod] = useState<string>('sms');
  const [actionTaken, setActionTaken] = useState('');

  useEffect(() => {
    getInquiry(id).then((i) => {
      setInquiry(i);
      setMethod(i.mobile ? 'sms' : i.email ? 'email' : 'portal');
    }, setError);
  }, [id]);

  async function search(e: FormEvent) {
    e.preventDefault();
    try {
      setHits(await searchLibrary(words));
    } catch (err) {
      setError(err);
    }
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setInquiry(
        await answerInquiry(id, {
          answer,
          method,
          ...(citation ? { citation: { articleId: citation.id, version: citation.version } } : {}),
          ...(actionTaken.trim() ? { actionTaken } : {}),
        }),
      );
      onAnswered();
    } catch (err) {
      setError(err);
    }
  }

  if (!inquiry) return error !== null ? <p className="form-error" role="alert">{apiErrorMessage(t, error)}</p> : null;
  return (
    <article className="card" aria-labelledby="inquiry-detail-heading">
      <h2 id="inquiry-detail-heading">
        <bdi dir="ltr">{inquiry.number}</bdi> · {t(`inquiries.kinds.${inquiry.kind}`)}
      </h2>
      <p>
        <bdi>{inquiry.body}</bdi>
      </p>
      <p className="muted">
        {t(`inquiries.topics.${inquiry.topic}`)} · {inquiry.channel}
        {inquiry.personName && (
          <>
            {' '}
            · <bdi>{inquiry.personName}</bdi>
          </>
        )}
        {inquiry.applicationNumber && (
          <>
            {' '}
            · <bdi dir="ltr">{inquiry.applicationNumber}</bdi>
          </>
        )}
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      {inquiry.status === 'answered' ? (
        <section aria-label={t('inquiries.answerHeading')}>
          <h3>{t('inquiries.answerHeading')}</h3>
          <p className="inquiry-answer">
            <bdi>{inquiry.answer}</bdi>
          </p>
          <p className="muted">
            {t(`inquiries.methods.${inquiry.answerMethod ?? 'portal'}`)} · {t('inquiries.answeredBy')} <bdi>{inquiry.answeredBy}</bdi>
          </p>
          {inquiry.citation && (
            <p className="inquiry-citation">
              {t('inquiries.cited')}: «{localName(inquiry.citation.title, language)}» ({t('inquiries.version')} {formatNumber(language, inquiry.citation.version)})
            </p>
          )}
        </section>
      ) : !inquiry.mayAnswer ? (
        <p className="notice">{t('inquiries.notYours')}</p>
      ) : (
        <>
          <form onSubmit={(e) => void search(e)} role="search" aria-label={t('inquiries.searchHeading')}>
            <h3>{t('inquiries.searchHeading')}</h3>
            <label>
              {t('inquiries.searchLabel')}
              <input type="search" value={words} onChange={(e) => setWords(e.target.value)} />
            </label>
            <button type="submit" className="button">
              {t('inquiries.search')}
            </button>
          </form>
          {hits && hits.length === 0 && <p className="muted">{t('inquiries.noHits')}</p>}
          {hits && hits.length > 0 && (
            <ol className="library-hits">
              {hits.map((h) => (
                <li key={h.id}>
                  <strong>{localName(h.title, language)}</strong>{' '}
                  <span className="muted">
                    ({t('inquiries.version')} {formatNumber(language, h.version)} · {t('inquiries.rank')} {formatNumber(language, h.rank)})
                  </span>
                  <p>{localName(h.excerpt, language)}</p>
                  <button type="button" className="button" onClick={() => setCitation(h)} aria-pressed={citation?.id === h.id}>
                    {t('inquiries.cite')}
                  </button>
                </li>
              ))}
            </ol>
          )}
          <form onSubmit={(e) => void send(e)} aria-label={t('inquiries.answerHeading')}>
            <h3>{t('inquiries.answerHeading')}</h3>
            {citation && (
              <p className="inquiry-citation">
                {t('inquiries.cited')}: «{localName(citation.title, language)}» ({t('inquiries.version')} {formatNumber(language, citation.version)})
              </p>
            )}
            <label>
              {t('inquiries.answer')}
              <textarea value={answer} onChange={(e) => setAnswer(e.target.value)} required maxLength={4000} rows={4} />
            </label>
            <label>
              {t('inquiries.method')}
              <select value={method} onChange={(e) => setMethod(e.target.value)}>
                {METHODS.map((m) => (
                  <option key={m} value={m}>
                    {t(`inquiries.methods.${m}`)}
                  </option>
                ))}
              </select>
            </label>
            {(inquiry.kind === 'complaint' || inquiry.kind === 'suggestion') && (
              <label>
                {t('inquiries.actionTaken')}
                <textarea value={actionTaken} onChange={(e) => setActionTaken(e.target.value)} maxLength={2000} rows={2} />
              </label>
            )}
            <button type="submit" className="button button-primary">
              {t('inquiries.send')}
            </button>
          </form>
        </>
      )}
    </article>
  );
}
