import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { apiErrorMessage } from '../session/errorMessage';
import { type ArticleHit, KINDS, TOPICS, filled, publicQuestions, sendInquiry } from './api';

/**
 * /portal/questions: the published questions and answers (T1), no account needed; each article
 * has its slug as anchor, which an answer citing it links to. Below, anyone may write to the
 * Society (channel C7) and gets a link to follow the answer.
 */
export function QuestionsPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [articles, setArticles] = useState<ArticleHit[]>([]);
  const [words, setWords] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    publicQuestions().then(setArticles, setError);
  }, []);

  // After the articles are drawn, the address's #slug scrolls to the one it names.
  useEffect(() => {
    const slug = decodeURIComponent(window.location.hash.slice(1));
    if (slug && articles.length) document.getElementById(slug)?.scrollIntoView();
  }, [articles]);

  async function search(e: FormEvent) {
    e.preventDefault();
    try {
      setArticles(await publicQuestions(words));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="portal-card" aria-labelledby="questions-heading">
      <PageHeading id="questions-heading" title={t('questions.heading')} />
      <p>{t('questions.intro')}</p>
      <form role="search" onSubmit={(e) => void search(e)} aria-label={t('questions.search')}>
        <label>
          {t('questions.search')}
          <input type="search" value={words} onChange={(e) => setWords(e.target.value)} />
        </label>
        <button type="submit" className="button">
          {t('inquiries.search')}
        </button>
      </form>
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      {articles.map((a) => (
        <article key={a.id} id={a.slug} className="card faq-article">
          <h2>{localName(a.title, language)}</h2>
          <p className="faq-body">{localName(a.body, language)}</p>
        </article>
      ))}
      <AskForm />
    </section>
  );
}

function AskForm() {
  const { t } = useTranslation();
  const [fields, setFields] = useState({ kind: 'question', topic: 'other', body: '', personName: '', mobile: '', email: '' });
  const [sent, setSent] = useState<{ number: string; trackingToken: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = (name: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [name]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { kind, topic, ...rest } = fields;
      setSent(await sendInquiry({ kind, topic, ...filled(rest) }));
    } catch (err) {
      setError(err);
    }
  }

  if (sent) {
    return (
      <p className="notice" role="status">
        {t('questions.sent')} <bdi dir="ltr">{sent.number}</bdi>. <a href={`/portal/inquiries/${sent.trackingToken}`}>{t('questions.track')}</a>
      </p>
    );
  }
  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="ask-heading">
      <h2 id="ask-heading">{t('questions.askHeading')}</h2>
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
        {t('inquiries.body')}
        <textarea value={fields.body} onChange={set('body')} required maxLength={4000} rows={4} />
      </label>
      <label>
        {t('inquiries.personName')}
        <input value={fields.personName} onChange={set('personName')} />
      </label>
      <p className="muted">{t('questions.contactHint')}</p>
      <label>
        {t('inquiries.mobile')}
        <input value={fields.mobile} onChange={set('mobile')} inputMode="tel" dir="ltr" />
      </label>
      <label>
        {t('inquiries.email')}
        <input value={fields.email} onChange={set('email')} type="email" dir="ltr" />
      </label>
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      <button type="submit" className="button button-primary">
        {t('questions.send')}
      </button>
    </form>
  );
}
