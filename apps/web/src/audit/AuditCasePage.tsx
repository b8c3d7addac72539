import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { LOCALES, formatNumber, type Language } from '../i18n/language';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { apiErrorMessage } from '../session/errorMessage';
import { CaseDiagram, type DiagramPath } from '../tasks/CaseDiagram';
import type { CaseStep } from '../tasks/api';
import { fetchCaseHistory, fetchCasePath, historyExport, verifyAuditLog, type CaseHistory, type CasePath, type TimelineEntry, type VerifyResult } from './api';
import { actionKey, isEngineAction, timelineElements, valueChanges, visibleEntries } from './timeline';

type Loaded = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; path: CasePath; history: CaseHistory };
type Verify = { status: 'idle' } | { status: 'checking' } | { status: 'done'; result: VerifyResult } | { status: 'error'; error: unknown };

function timeOfDay(language: Language, value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(LOCALES[language], { timeStyle: 'medium' }).format(date);
}

/**
 * /audit/cases/:id — read-only: the exact diagram version the case ran on with the way it
 * went (elements and flows taken, how many times each element ran, where it is, incidents),
 * its timeline beside it (?element= keeps a filter to one element in the address), the
 * exports, and a check of the audit log's hash chain.
 */
export function AuditCasePage() {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const element = search.get('element');
  const [showEngine, setShowEngine] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [verify, setVerify] = useState<Verify>({ status: 'idle' });
  const [reloads, setReloads] = useState(0);
  const timelineHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    setLoaded({ status: 'loading' });
    Promise.all([fetchCasePath(id), fetchCaseHistory(id)]).then(
      ([path, history]) => current && setLoaded({ status: 'ready', path, history }),
      (error: unknown) => current && setLoaded({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [id, reloads]);

  const chooseElement = useCallback(
    (elementId: string | null) => {
      setSearch(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (elementId) next.set('element', elementId);
          else next.delete('element');
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );

  const onDiagramSelect = useCallback(
    (elementId: string) => {
      chooseElement(elementId);
      timelineHeading.current?.scrollIntoView({ block: 'nearest' });
    },
    [chooseElement],
  );

  async function runVerify() {
    setVerify({ status: 'checking' });
    try {
      setVerify({ status: 'done', result: await verifyAuditLog() });
    } catch (error) {
      setVerify({ status: 'error', error });
    }
  }

  const history = loaded.status === 'ready' ? loaded.history : undefined;
  const path = loaded.status === 'ready' ? loaded.path : undefined;
  const elements = useMemo(() => (history ? timelineElements(history.timeline) : []), [history]);
  const names = useMemo(() => new Map(elements.map((e) => [e.elementId, e.name])), [elements]);
  const nameOf = (elementId: string) => localName(names.get(elementId), language, elementId);
  const diagramPath = useMemo<DiagramPath | undefined>(
    () => path && { version: path.version, visited: path.visited, flowsTaken: path.flowsTaken, incidents: path.incidents.map((i) => i.elementId) },
    [path],
  );
  const currentSteps = useMemo<CaseStep[]>(() => (path ? path.current.map((elementId) => ({ elementId, name: names.get(elementId) ?? {} })) : []), [path, names]);

  const title = history ? t('audit.caseHeading', { number: history.case.applicationNumber }) : t('audit.heading');

  if (loaded.status === 'loading') {
    return (
      <div className="page-stack audit-page">
        <PageHeading title={t('audit.heading')} />
        <p className="status" role="status" aria-live="polite">
          {t('app.loading')}
        </p>
      </div>
    );
  }
  if (loaded.status === 'error' || !history || !path || !diagramPath) {
    return (
      <div className="page-stack audit-page">
        <PageHeading title={t('audit.heading')} />
        <div className="card status-card" role="alert">
          <p>
            {t('audit.loadError')} {loaded.status === 'error' ? apiErrorMessage(t, loaded.error) : ''}
          </p>
          <div className="button-row">
            <button type="button" className="button button-secondary" onClick={() => setReloads((n) => n + 1)}>
              {t('app.retry')}
            </button>
            <Link to="/audit">{t('audit.backToSearch')}</Link>
          </div>
        </div>
      </div>
    );
  }

  const entries = visibleEntries(history.timeline, { showEngine, elementId: element });
  const hiddenEngine = history.timeline.filter((e) => (!element || e.elementId === element) && isEngineAction(e.action)).length -
    entries.filter((e) => isEngineAction(e.action)).length;

  return (
    <div className="page-stack audit-page" data-testid="audit-case">
      <div className="page-title-row">
        <PageHeading title={title}>
          {t('audit.caseHeadingPrefix')} <bdi dir="ltr">{history.case.applicationNumber}</bdi>
        </PageHeading>
        <span className="badge" data-testid="instance-state">
          {t(`audit.states.${path.state === 'COMPLETED' || path.state === 'CANCELED' ? path.state : 'ACTIVE'}`)}
        </span>
      </div>
      <p>
        <Link to="/audit">{t('audit.backToSearch')}</Link>
      </p>
      <p className="muted">{t('audit.readOnly')}</p>

      <section className="card audit-tools" aria-labelledby={`${ids}-tools`}>
        <h2 id={`${ids}-tools`} className="visually-hidden">
          {t('audit.toolsHeading')}
        </h2>
        <div className="button-row">
          <a className="button button-secondary button-small" href={historyExport(history.case.id, 'csv')} download data-testid="export-csv">
            {t('audit.exportCsv')}
          </a>
          <a className="button button-secondary button-small" href={historyExport(history.case.id, 'json')} download data-testid="export-json">
            {t('audit.exportJson')}
          </a>
          <button type="button" className="button button-primary button-small" onClick={() => void runVerify()} disabled={verify.status === 'checking'}>
            {t('audit.verify.button')}
          </button>
        </div>
        <div aria-live="polite" role="status" data-testid="verify-result" className="verify-result">
          {verify.status === 'checking' && <p className="muted">{t('audit.verify.checking')}</p>}
          {verify.status === 'done' && verify.result.ok && (
            <p className="notice verify-ok" data-ok="true">
              {t('audit.verify.ok', { n: formatNumber(language, verify.result.checked) })}
            </p>
          )}
          {verify.status === 'done' && !verify.result.ok && (
            <p className="form-error verify-broken" data-ok="false">
              {t('audit.verify.broken', { n: formatNumber(language, verify.result.checked), seq: verify.result.seq })} <bdi dir="ltr">{verify.result.reason}</bdi>
            </p>
          )}
          {verify.status === 'error' && (
            <p className="form-error">
              {t('audit.verify.error')} {apiErrorMessage(t, verify.error)}
            </p>
          )}
        </div>
      </section>

      {path.incidents.length > 0 && (
        <section className="card audit-incidents" aria-labelledby={`${ids}-incidents`} data-testid="incidents">
          <h2 id={`${ids}-incidents`}>{t('audit.incidents')}</h2>
          <ul>
            {path.incidents.map((incident) => (
              <li key={incident.key}>
                <strong>{nameOf(incident.elementId)}</strong>
                {incident.createdAt && (
                  <>
                    {' — '}
                    <TwoCalendarDate value={incident.createdAt} length="medium" />
                  </>
                )}
                {': '}
                <bdi dir="ltr">
                  {incident.errorType} {incident.errorMessage}
                </bdi>
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="audit-layout">
        <CaseDiagram
          processDefinitionKey={path.processDefinitionKey}
          currentSteps={currentSteps}
          path={diagramPath}
          selected={element}
          onSelect={onDiagramSelect}
        />

        <section className="card audit-timeline" aria-labelledby={`${ids}-timeline`} data-testid="audit-timeline">
          <h2 id={`${ids}-timeline`} ref={timelineHeading} tabIndex={-1}>
            {t('audit.timeline.heading')}
          </h2>
          <div className="timeline-controls">
            <div className="field">
              <label htmlFor={`${ids}-element`}>{t('audit.timeline.elementFilter')}</label>
              <select id={`${ids}-element`} value={element ?? ''} onChange={(e) => chooseElement(e.target.value || null)} data-testid="element-filter">
                <option value="">{t('audit.timeline.allElements')}</option>
                {element && !names.has(element) && <option value={element}>{element}</option>}
                {elements.map((e) => (
                  <option key={e.elementId} value={e.elementId}>
                    {localName(e.name, language, e.elementId)}
                  </option>
                ))}
              </select>
            </div>
            <label className="check">
              <input type="checkbox" checked={showEngine} onChange={(e) => setShowEngine(e.target.checked)} data-testid="show-engine" />{' '}
              {t('audit.timeline.showEngine')}
            </label>
          </div>
          <p className="list-status" role="status" aria-live="polite" data-testid="timeline-status">
            {element ? t('audit.timeline.filtered', { name: nameOf(element), n: formatNumber(language, entries.length) }) : t('audit.timeline.shown', { n: formatNumber(language, entries.length) })}
            {!showEngine && hiddenEngine > 0 && ` ${t('audit.timeline.engineHidden', { n: formatNumber(language, hiddenEngine) })}`}
          </p>
          {element && (
            <button type="button" className="button button-secondary button-small" onClick={() => chooseElement(null)} data-testid="clear-element">
              {t('audit.timeline.clearFilter')}
            </button>
          )}
          {entries.length === 0 ? (
            <p className="muted">{t('audit.timeline.none')}</p>
          ) : (
            <ol className="timeline" data-testid="timeline">
              {entries.map((entry) => (
                <TimelineItem key={entry.seq} entry={entry} language={language} />
              ))}
            </ol>
          )}
        </section>
      </div>
    </div>
  );
}

function TimelineItem({ entry, language }: { entry: TimelineEntry; language: Language }) {
  const { t } = useTranslation();
  const key = actionKey(entry.action);
  const changes = valueChanges(entry.changes);
  const engine = isEngineAction(entry.action);
  return (
    <li className={`timeline-entry${engine ? ' is-engine' : ''}`} data-action={entry.action} data-element={entry.elementId ?? ''} data-seq={entry.seq}>
      <div className="timeline-when">
        <TwoCalendarDate value={entry.at} length="medium" /> <time dateTime={entry.at}>{timeOfDay(language, entry.at)}</time>
      </div>
      <div className="timeline-what">
        <span className="timeline-action">{key ? t(`audit.actions.${key}`) : <bdi dir="ltr">{entry.action}</bdi>}</span>
        {entry.elementId && (
          <>
            {' — '}
            <span className="timeline-element">{localName(entry.element, language, entry.elementId)}</span>
          </>
        )}
      </div>
      <div className="timeline-who muted">
        {t('audit.timeline.actor')} <bdi dir="ltr">{entry.actor}</bdi>
      </div>
      {changes.length > 0 && (
        <ul className="timeline-changes" aria-label={t('audit.timeline.changes')}>
          {changes.map((change) => (
            <li key={change.name}>
              {entry.labels?.[change.name] ? (
                <span className="change-label" data-variable={change.name}>
                  {localName(entry.labels[change.name], language, change.name)}
                </span>
              ) : (
                <code>{change.name}</code>
              )}
              {(change.before !== undefined || change.after !== undefined) && (
                <>
                  {': '}
                  <bdi dir="auto" className={change.before === undefined ? 'muted' : 'change-before'}>
                    {change.before ?? t('audit.timeline.noValue')}
                  </bdi>
                  <span aria-hidden="true">{language === 'ar' ? ' ← ' : ' → '}</span>
                  <span className="visually-hidden">{` ${t('audit.timeline.becomes')} `}</span>
                  <bdi dir="auto" className="change-after">
                    {change.after ?? t('audit.timeline.noValue')}
                  </bdi>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
