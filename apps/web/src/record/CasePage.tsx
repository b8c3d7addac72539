import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { ApiError, requestJson } from '../session/api';
import { apiErrorMessage } from '../session/errorMessage';
import type { CaseSummaryView } from '../tasks/api';
import { CaseSummary } from '../tasks/CaseSummary';
import { TaskHolder } from '../tasks/TaskHolder';
import { CaseRecord } from './CaseRecord';

/** GET /api/cases/:id: the case as staff read it, with the steps waiting on it. */
interface CaseDetail extends CaseSummaryView {
  openTasks: Array<{ key: string; elementId: string; name: { ar?: string; en?: string }; assignee?: string; candidateGroups: string[]; dueDate?: string }>;
}

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; detail: CaseDetail };

/**
 * /cases/:id: one request for the staff who work it — who applied and how, its open tasks
 * (each a link to its form), and its record: notes, reasons, decisions, documents, notices.
 */
export function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const language = currentLanguage();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    setLoad({ status: 'loading' });
    requestJson<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`).then(
      (detail) => current && setLoad({ status: 'ready', detail }),
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [id]);

  if (load.status === 'loading') {
    return (
      <p className="status" role="status" aria-live="polite">
        {t('app.loading')}
      </p>
    );
  }
  if (load.status === 'error') {
    const notFound = load.error instanceof ApiError && load.error.status === 404;
    return (
      <div className="card status-card" role="alert">
        <PageHeading title={t('cases.heading')}>{notFound ? t('cases.notFound') : t('cases.loadError')}</PageHeading>
        {!notFound && <p>{apiErrorMessage(t, load.error)}</p>}
        <Link to="/cases">{t('cases.back')}</Link>
      </div>
    );
  }
  const { detail } = load;
  return (
    <div className="page-stack case-page" data-case={detail.applicationNumber}>
      <p className="back-link">
        <Link to="/cases">{t('cases.back')}</Link>
      </p>
      <PageHeading title={`${t('case.heading')} ${detail.applicationNumber}`} />
      <div className="task-layout">
        <div className="task-side">
          <section className="card" data-testid="case-open-tasks">
            <h2>{t('cases.openTasks')}</h2>
            {detail.openTasks.length === 0 ? (
              <p className="muted">{t('cases.noOpenTasks')}</p>
            ) : (
              <ul className="plain-list">
                {detail.openTasks.map((task) => (
                  <li key={task.key} data-element={task.elementId}>
                    <Link to={`/tasks/${task.key}`}>{localName(task.name, language, task.elementId)}</Link>{' '}
                    <span className="muted">
                      — <TaskHolder task={{ ...task, state: 'open' }} />
                      {task.dueDate && (
                        <>
                          {' · '}
                          <TwoCalendarDate value={task.dueDate} length="medium" />
                        </>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <CaseRecord caseId={detail.id} />
        </div>
        <CaseSummary summary={detail} answerDateFirst={false} />
      </div>
    </div>
  );
}
