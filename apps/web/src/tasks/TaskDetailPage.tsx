import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isAcceptedFile, recordPaperAttestation } from '../cases/api';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { bothCalendars } from '../home/dates';
import { ApiError, type CurrentUser, type FieldProblems } from '../session/api';
import { apiErrorMessage, isConflict } from '../session/errorMessage';
import { claimTask, completeTask, fetchTask, unclaimTask, type TaskDetail } from './api';
import { CaseDiagram } from './CaseDiagram';
import { CaseSummary } from './CaseSummary';
import { CaseRecord } from '../record/CaseRecord';
import { mayOpen } from '../home/sections';
import { CaseInquiries } from '../inquiries/CaseInquiries';
import { fieldLabels, localiseFormSchema } from './formSchema';
import { OverdueMark } from './OverdueMark';
import { ScanField, type ScanProblem } from './ScanField';
import { ServerFieldErrors } from './ServerFieldErrors';
import { claimActionFor, isCommitteeTask, mayFillIn, mayWork } from './taskAccess';
import { SERVICE_DATE_FIELD, SERVICE_DELIVERY_FORM, serviceDateBeforeDecision } from './serviceDate';
import { TaskForm, type FieldRule, type TaskFormHandle } from './TaskForm';
import { TaskHolder } from './TaskHolder';

interface TaskDetailPageProps {
  user: CurrentUser;
}

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; detail: TaskDetail };

type Outcome =
  | { kind: 'claimed' }
  | { kind: 'unclaimed' }
  | { kind: 'invalid'; fields: string[] }
  | { kind: 'failed'; error: unknown }
  | { kind: 'completed' };

/**
 * /tasks/:key: the task's form (form-js), the case beside it, the case's diagram below.
 * Claim, then fill in and complete; the attestation task sends the signed paper's scan to
 * its own endpoint instead.
 */
export function TaskDetailPage({ user }: TaskDetailPageProps) {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [busy, setBusy] = useState<'claim' | 'unclaim' | 'complete' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [serverFields, setServerFields] = useState<FieldProblems>({});
  const [serverCodes, setServerCodes] = useState<ApiError['fieldCodes']>({});
  const [scan, setScan] = useState<File | null>(null);
  const [scanProblem, setScanProblem] = useState<ScanProblem>(null);
  const form = useRef<TaskFormHandle>(null);
  const doneHeading = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(async () => {
    setLoad({ status: 'loading' });
    setOutcome(null);
    setServerFields({});
    try {
      setLoad({ status: 'ready', detail: await fetchTask(key) });
    } catch (error) {
      setLoad({ status: 'error', error });
    }
  }, [key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    if (outcome?.kind === 'completed') doneHeading.current?.focus();
  }, [outcome]);

  const detail = load.status === 'ready' ? load.detail : null;
  const schema = detail?.form ?? null;
  const labels = useMemo(() => (schema ? fieldLabels(localiseFormSchema(schema, language)) : {}), [schema, language]);
  const decidedAt = detail?.case?.decision?.decidedAt;
  const fieldRules = useMemo((): Record<string, FieldRule> => {
    if (schema?.id !== SERVICE_DELIVERY_FORM) return {};
    return {
      [SERVICE_DATE_FIELD]: (value) => {
        const decisionDay = serviceDateBeforeDecision(value, decidedAt);
        return decisionDay ? t('taskForm.validation.beforeDecision', { date: bothCalendars(language, decisionDay) }) : undefined;
      },
    };
  }, [schema, decidedAt, t, language]);

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
        <PageHeading title={t('task.notFoundTitle')}>{notFound ? t('task.notFound') : t('task.loadError')}</PageHeading>
        {!notFound && <p>{apiErrorMessage(t, load.error)}</p>}
        <div className="button-row">
          {!notFound && (
            <button type="button" className="button button-primary" onClick={() => void reload()}>
              {t('app.retry')}
            </button>
          )}
          <Link to="/tasks">{t('task.backToList')}</Link>
        </div>
      </div>
    );
  }

  const { task } = load.detail;
  const summary = load.detail.case;
  const name = localName(task.name, language, task.elementId);
  const action = claimActionFor(user, task);
  const fillIn = mayFillIn(user, task);
  const attestation = Boolean(load.detail.completeWith);
  const done = outcome?.kind === 'completed';

  function setTask(next: TaskDetail['task']) {
    setLoad((current) => (current.status === 'ready' ? { status: 'ready', detail: { ...current.detail, task: next } } : current));
  }

  async function toggleClaim() {
    if (busy || !action) return;
    setBusy(action);
    setOutcome(null);
    setServerFields({});
    try {
      setTask(action === 'claim' ? await claimTask(task.key) : await unclaimTask(task.key));
      setOutcome({ kind: action === 'claim' ? 'claimed' : 'unclaimed' });
    } catch (error) {
      setOutcome({ kind: 'failed', error });
    } finally {
      setBusy(null);
    }
  }

  async function complete() {
    if (busy || !fillIn || !form.current) return;
    // A new attempt: the last one's messages go.
    setOutcome(null);
    setServerFields({});
    const { data, errors } = form.current.submit();
    let problem: ScanProblem = null;
    if (attestation) problem = !scan ? 'required' : isAcceptedFile(scan) ? null : 'type';
    setScanProblem(problem);
    if (Object.keys(errors).length > 0 || problem) {
      setOutcome({ kind: 'invalid', fields: [...Object.keys(errors), ...(problem ? ['scan'] : [])] });
      return;
    }
    setBusy('complete');
    try {
      if (attestation && summary && scan) {
        await recordPaperAttestation(summary.id, String(data.typedName ?? ''), scan);
      } else {
        setTask(await completeTask(task.key, data, task.version));
      }
      setOutcome({ kind: 'completed' });
    } catch (error) {
      // A refusal the page words itself (in the alert above) is not listed again in the server's English.
      if (error instanceof ApiError && error.status === 400 && error.code !== 'SERVICE_DATE_BEFORE_DECISION') {
        setServerFields(error.fields);
        setServerCodes(error.fieldCodes);
      }
      setOutcome({ kind: 'failed', error });
    } finally {
      setBusy(null);
    }
  }

  const failed = outcome?.kind === 'failed' ? outcome.error : undefined;

  return (
    <div className="page-stack task-detail" data-task-key={task.key} data-element={task.elementId}>
      <p className="back-link">
        <Link to="/tasks">{t('task.backToList')}</Link>
      </p>
      <div className="page-title-row">
        <PageHeading title={name} />
        {task.overdue && <OverdueMark />}
      </div>

      <dl className="task-meta">
        <div className="task-fact">
          <dt>{t('tasks.fields.case')}</dt>
          <dd>{task.caseNumber ? <bdi dir="ltr">{task.caseNumber}</bdi> : '—'}</dd>
        </div>
        <div className="task-fact">
          <dt>{t('tasks.fields.state')}</dt>
          <dd data-testid="task-state">{t(`tasks.states.${task.state}`)}</dd>
        </div>
        <div className="task-fact">
          <dt>{task.state === 'completed' ? t('tasks.fields.completedBy') : t('tasks.fields.holder')}</dt>
          <dd data-testid="task-holder">
            <TaskHolder task={task} />
          </dd>
        </div>
        <div className="task-fact">
          <dt>{t('tasks.fields.due')}</dt>
          <dd>
            <TwoCalendarDate value={task.dueDate} empty={t('tasks.noDueDate')} />
          </dd>
        </div>
      </dl>

      {action && !done && (
        <div className="button-row task-actions">
          {/* One button whose action changes: the focus stays on it after claiming. */}
          <button
            type="button"
            className={`button ${action === 'claim' ? 'button-primary' : 'button-secondary'}`}
            data-testid="claim-toggle"
            aria-disabled={busy !== null || undefined}
            aria-busy={busy === 'claim' || busy === 'unclaim' || undefined}
            onClick={() => void toggleClaim()}
          >
            {action === 'claim' ? t('task.claim') : t('task.unclaim')}
          </button>
        </div>
      )}

      <div className="action-status" role="status" aria-live="polite" data-testid="action-status">
        {outcome?.kind === 'claimed' && t('task.claimed')}
        {outcome?.kind === 'unclaimed' && t('task.unclaimed')}
      </div>

      {(outcome?.kind === 'invalid' || failed !== undefined) && (
        <div
          className="form-error"
          role="alert"
          data-testid="action-error"
          data-invalid-fields={outcome?.kind === 'invalid' ? outcome.fields.join(' ') : undefined}
        >
          <p>{outcome?.kind === 'invalid' ? t('taskForm.checkFields') : apiErrorMessage(t, failed)}</p>
          {isConflict(failed) && (
            <button type="button" className="button button-secondary button-small" onClick={() => void reload()}>
              {t('task.reload')}
            </button>
          )}
        </div>
      )}

      <div className="task-layout">
        <section className="card task-form-card" aria-labelledby={`${ids}-form`}>
          {done ? (
            <div className="success-panel" data-testid="task-done">
              <h2 id={`${ids}-form`} ref={doneHeading} tabIndex={-1}>
                {t('task.done')}
              </h2>
              <p>{attestation ? t('task.doneAttestation') : t('task.doneText', { name })}</p>
              <Link className="button button-primary" to="/tasks">
                {t('task.backToList')}
              </Link>
            </div>
          ) : (
            <>
              <h2 id={`${ids}-form`}>{t('taskForm.heading')}</h2>
              {!fillIn && task.state === 'open' && (
                <p className="hint notice" data-testid="form-hint">
                  {!task.assignee && mayWork(user, task) && t('taskForm.claimFirst')}
                  {task.assignee && task.assignee !== user.username && t('taskForm.heldBy', { assignee: task.assignee })}
                  {!task.assignee && !mayWork(user, task) && t('taskForm.readOnly')}
                </p>
              )}
              {task.state === 'completed' && (
                <p className="hint notice">
                  {t('taskForm.completedBy', { who: task.completedBy ?? '—' })} <TwoCalendarDate value={task.completedAt} />
                </p>
              )}
              {schema ? (
                <TaskForm ref={form} schema={schema} fieldRules={fieldRules} variables={load.detail.variables} language={language} readOnly={!fillIn} />
              ) : (
                <p className="muted">{t('taskForm.noForm')}</p>
              )}
              {attestation && (
                <ScanField
                  disabled={!fillIn}
                  problem={scanProblem}
                  serverProblems={serverFields.scan}
                  serverCodes={serverCodes.scan}
                  onChange={(file) => {
                    setScan(file);
                    setScanProblem(file && !isAcceptedFile(file) ? 'type' : null);
                  }}
                />
              )}
              <ServerFieldErrors problems={serverFields} codes={serverCodes} labels={{ ...labels, scan: t('attestation.scan') }} />
              {task.state === 'open' && mayWork(user, task) && (
                <div className="button-row form-actions">
                  <button
                    type="button"
                    className="button button-primary"
                    data-testid="complete"
                    disabled={!fillIn}
                    aria-disabled={busy !== null || undefined}
                    aria-busy={busy === 'complete' || undefined}
                    onClick={() => void complete()}
                  >
                    {busy === 'complete' ? t('task.completing') : attestation ? t('task.recordSignature') : t('task.complete')}
                  </button>
                </div>
              )}
            </>
          )}
        </section>

        {summary && (
          <div className="task-side">
            <CaseSummary summary={summary} answerDateFirst={isCommitteeTask(task)} />
            {mayOpen(user.roles, 'cases') && (
              <p className="case-page-link">
                <Link to={`/cases/${encodeURIComponent(summary.id)}`}>{t('cases.openCase')}</Link>
              </p>
            )}
            <CaseRecord caseId={summary.id} refresh={done} />
            <CaseInquiries caseId={summary.id} />
          </div>
        )}
      </div>

      {summary && <CaseDiagram processDefinitionKey={task.processDefinitionKey} currentSteps={summary.currentSteps} />}
    </div>
  );
}
