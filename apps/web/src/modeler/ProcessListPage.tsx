import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { fetchProcesses, type DeployedProcess } from './api';
import { modelingErrorMessage } from './modelingError';

type Loaded = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; processes: DeployedProcess[] };

export function processName(process: Pick<DeployedProcess, 'name' | 'bpmnProcessId'>, language: ReturnType<typeof currentLanguage>): string {
  return typeof process.name === 'string' ? process.name || process.bpmnProcessId : localName(process.name, language, process.bpmnProcessId);
}

/** /modeler — the deployed processes, each opened in the modeler at its newest version. */
export function ProcessListPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    setLoaded({ status: 'loading' });
    fetchProcesses().then(
      (processes) => current && setLoaded({ status: 'ready', processes }),
      (error: unknown) => current && setLoaded({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [reloads]);

  return (
    <div className="page-stack modeler-page">
      <PageHeading title={t('modeler.heading')} />
      <p className="muted">{t('modeler.intro')}</p>
      {loaded.status === 'loading' && (
        <p className="status" role="status" aria-live="polite">
          {t('app.loading')}
        </p>
      )}
      {loaded.status === 'error' && (
        <div className="card status-card" role="alert">
          <p>
            {t('modeler.list.error')} {modelingErrorMessage(t, loaded.error)}
          </p>
          <button type="button" className="button button-secondary" onClick={() => setReloads((n) => n + 1)}>
            {t('app.retry')}
          </button>
        </div>
      )}
      {loaded.status === 'ready' && (
        <section className="card" aria-label={t('modeler.list.heading')}>
          {loaded.processes.length === 0 ? (
            <p className="muted">{t('modeler.list.none')}</p>
          ) : (
            <ul className="plain-list modeler-process-list" data-testid="process-list">
              {loaded.processes.map((process) => (
                <li key={process.bpmnProcessId} className="modeler-process" data-process={process.bpmnProcessId}>
                  <Link to={`/modeler/${encodeURIComponent(process.bpmnProcessId)}`} className="task-link">
                    {processName(process, language)}
                  </Link>{' '}
                  <bdi dir="ltr" className="muted">
                    {process.bpmnProcessId}
                  </bdi>
                  <span className="muted"> — {t('modeler.list.latest', { n: formatNumber(language, process.latestVersion) })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
