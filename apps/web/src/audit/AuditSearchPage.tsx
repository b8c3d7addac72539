import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { isStatus } from '../cases/vocabulary';
import { apiErrorMessage } from '../session/errorMessage';
import { searchCases, type CaseListItem } from './api';

type SearchState = { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; items: CaseListItem[]; total: number };

/** The server takes 2 to 100 characters. */
const MIN_QUERY = 2;

interface CaseSearchPageProps {
  /** audit: /audit, opens the audit view; work: /cases, for the staff who work cases, opens the case page. */
  purpose?: 'audit' | 'work';
}

/**
 * /audit and /cases: find a case by its application number, the applicant's name, ID number
 * or mobile number (the words searched stay in the address as ?q=), then open its audit view
 * (auditors) or its case page (the staff who work cases).
 */
export function AuditSearchPage({ purpose = 'audit' }: CaseSearchPageProps) {
  const work = purpose === 'work';
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const [search, setSearch] = useSearchParams();
  const query = (search.get('q') ?? '').trim();
  const [typed, setTyped] = useState(query);
  const [tooShort, setTooShort] = useState(false);
  const [result, setResult] = useState<SearchState>({ status: 'idle' });

  useEffect(() => setTyped(query), [query]);

  useEffect(() => {
    if (query.length < MIN_QUERY) {
      setResult({ status: 'idle' });
      return;
    }
    let current = true;
    setResult({ status: 'loading' });
    searchCases(query).then(
      (list) => current && setResult({ status: 'ready', items: list.items, total: list.total }),
      (error: unknown) => current && setResult({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [query]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const words = typed.trim();
    if (words.length < MIN_QUERY) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    setSearch({ q: words });
  }

  return (
    <div className="page-stack audit-page">
      <PageHeading title={work ? t('cases.heading') : t('audit.heading')} />
      <p className="muted">{work ? t('cases.intro') : t('audit.intro')}</p>
      <form className="card audit-search" role="search" onSubmit={submit} noValidate data-testid={work ? 'case-search' : 'audit-search'}>
        <div className="field">
          <label htmlFor={`${ids}-q`}>{work ? t('cases.searchLabel') : t('audit.search.label')}</label>
          <div className="audit-search-row">
            <input
              id={`${ids}-q`}
              type="search"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              maxLength={100}
              autoComplete="off"
              aria-describedby={`${ids}-hint${tooShort ? ` ${ids}-error` : ''}`}
              aria-invalid={tooShort || undefined}
            />
            <button type="submit" className="button button-primary">
              {t('audit.search.submit')}
            </button>
          </div>
          <p id={`${ids}-hint`} className="hint">
            {work ? t('cases.searchHint') : t('audit.search.hint')}
          </p>
          {tooShort && (
            <p id={`${ids}-error`} className="field-error">
              {t('audit.search.tooShort')}
            </p>
          )}
        </div>
      </form>

      <p className="list-status" role="status" aria-live="polite" data-testid={work ? 'case-search-status' : 'audit-search-status'}>
        {result.status === 'loading' && t('app.loading')}
        {result.status === 'ready' &&
          (result.items.length === 0
            ? t('audit.search.none')
            : result.total > result.items.length
              ? t('audit.search.shownOf', { n: formatNumber(language, result.items.length), total: formatNumber(language, result.total) })
              : t('audit.search.shown', { n: formatNumber(language, result.items.length) }))}
      </p>
      {result.status === 'error' && (
        <p className="form-error" role="alert">
          {t('audit.search.error')} {apiErrorMessage(t, result.error)}
        </p>
      )}
      {result.status === 'ready' && result.items.length > 0 && (
        <ul className="task-list audit-results" data-testid={work ? 'case-results' : 'audit-results'}>
          {result.items.map((item) => (
            <li key={item.id} className="task-item audit-result" data-case={item.applicationNumber}>
              <div className="task-item-head">
                <h2 className="task-name">
                  <Link className="task-link" to={`${work ? '/cases' : '/audit/cases'}/${encodeURIComponent(item.id)}`}>
                    <bdi dir="ltr">{item.applicationNumber}</bdi>
                  </Link>
                </h2>
                <span className="badge">{isStatus(item.status) ? t(`vocabulary.statuses.${item.status}`) : item.status}</span>
              </div>
              <dl className="task-facts">
                <div className="task-fact">
                  <dt>{t('case.applicant')}</dt>
                  <dd>
                    <bdi dir="auto">{item.fullName}</bdi>
                  </dd>
                </div>
                <div className="task-fact">
                  <dt>{t('case.channel')}</dt>
                  <dd>{localName(item.channel.name, language, item.channel.code)}</dd>
                </div>
                <div className="task-fact">
                  <dt>{t('case.submittedAt')}</dt>
                  <dd>
                    <TwoCalendarDate value={item.submittedAt} length="medium" empty="—" />
                  </dd>
                </div>
                <div className="task-fact">
                  <dt>{t('case.currentSteps')}</dt>
                  <dd>{item.currentSteps.length ? item.currentSteps.map((s) => localName(s.name, language, s.elementId)).join('، ') : '—'}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
