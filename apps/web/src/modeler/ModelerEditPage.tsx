import { Suspense, lazy, useCallback, useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { currentLanguage } from '../i18n';
import { formatNumber, type Language } from '../i18n/language';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import type { LocalisedName } from '../tasks/api';
import {
  COMMENT_MAX,
  DEFAULT_MAX_XML_BYTES,
  NAME_MAX,
  createDraft,
  deleteDraft,
  deploy,
  fetchDraft,
  fetchDrafts,
  fetchLintContext,
  fetchVersionForms,
  fetchVersionXml,
  fetchVersions,
  lintOnServer,
  updateDraft,
  type DeploymentResult,
  type Draft,
  type DraftSummary,
  type FormSchema,
  type Forms,
  type LintConfig,
  type LintContext,
  type ProcessVersion,
} from './api';
import { checkBpmnXml, downloadName, sizeProblem, xmlBytes, type BpmnFileProblem } from './bpmnFile';
import { compareXml, type Comparison, type ElementChange } from './diagramChanges';
import { ModelerCanvas, type ModelerCanvasHandle } from './ModelerCanvas';
import { modelingErrorMessage } from './modelingError';
import { hasErrors, lintMessage, problemsOf, serverProblems, type LintProblem } from './problems';
import { LeaveGuard } from './LeaveGuard';
import { nameChanges, updatePrompts, type RenamePrompt } from './nameChanges';
import { RenamePrompts } from './RenamePrompts';
import { VersionHistory } from './VersionHistory';

// form-js's editor is a large bundle of its own: loaded beside the diagram, after it.
const FormsEditor = lazy(() => import('./FormsEditor').then((m) => ({ default: m.FormsEditor })));

/** Lints with the generic rules when the server's facts (roles, workers) could not be had; deploying waits for them. */
const FALLBACK_LINT: LintConfig = { extends: ['bpmnlint:correctness', 'plugin:camunda-compat/camunda-cloud-8-8'] };

interface Loaded {
  versions: ProcessVersion[];
  drafts: DraftSummary[];
  lint: { context: LintContext } | { error: unknown };
  /** The newest deployed version: what the changes are counted against. */
  deployed: { version: number; key: string; xml: string };
  /** What opened: the newest version or a draft. */
  xml: string;
  draft: Draft | null;
  forms: Forms;
  formsError: unknown;
}

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; loaded: Loaded };
type Source = { kind: 'version'; version: number } | { kind: 'draft'; draft: DraftSummary } | { kind: 'upload'; fileName: string };
/** A number in the interface's language at the time it is shown (notices are worded at render time). */
const num = (value: number) => formatNumber(currentLanguage(), value);

/** The edited diagram is over the server's limit (DEPLOYMENT_MAX_BYTES): checked before sending it. */
class XmlTooLarge extends Error {}

/** A failure's words: ours for the size check and the server's answers, the message otherwise. */
function failureText(t: TFunction, error: unknown): string {
  if (error instanceof XmlTooLarge) return t('modeler.errors.tooLarge');
  return error instanceof Error && !('status' in error) ? error.message : modelingErrorMessage(t, error);
}

/** A notice's words are made at render time, so that they follow a language switch. */
type Notice = { tone: 'ok' | 'error' | 'warning'; text: (t: TFunction) => string; problems?: LintProblem[] } | null;
type Busy = null | 'draft' | 'deploy' | 'check' | 'upload' | 'download';

function bothNames(name: LocalisedName | undefined, language: Language): { main: string; other?: string } {
  const main = (language === 'ar' ? (name?.ar ?? name?.en) : (name?.en ?? name?.ar)) ?? '';
  const otherValue = language === 'ar' ? name?.en : name?.ar;
  return { main, ...(otherValue && otherValue !== main ? { other: otherValue } : {}) };
}

async function loadEditor(bpmnProcessId: string, draftId: string | null): Promise<Loaded> {
  const [versions, drafts, lint] = await Promise.all([
    fetchVersions(bpmnProcessId),
    fetchDrafts(bpmnProcessId),
    fetchLintContext().then(
      (context) => ({ context }),
      (error: unknown) => ({ error }),
    ),
  ]);
  const newest = versions[0];
  if (!newest) throw new Error('no deployed version');
  const deployedXml = await fetchVersionXml(newest.key);
  const draft = draftId ? await fetchDraft(draftId) : null;
  let forms: Forms = draft?.forms ?? {};
  let formsError: unknown = null;
  if (!draft?.forms) {
    forms = await fetchVersionForms(newest.key).catch((error: unknown) => {
      formsError = error;
      return {};
    });
  }
  return {
    versions,
    drafts,
    lint,
    deployed: { version: newest.version, key: newest.key, xml: deployedXml },
    xml: draft?.xml ?? deployedXml,
    draft,
    forms,
    formsError,
  };
}

/**
 * /modeler/:bpmnProcessId — the process owner edits the newest version (or a draft, ?draft=):
 * the Camunda 8 modeler with its properties panel and live lint; the problems; what changed
 * against the deployed version; drafts; deploy with a comment; download and upload `.bpmn`;
 * the task forms; the version history.
 */
export function ModelerEditPage() {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const n = (value: number) => formatNumber(language, value);
  const { bpmnProcessId = '' } = useParams();
  const [search] = useSearchParams();
  const draftParam = search.get('draft');
  const canvas = useRef<ModelerCanvasHandle>(null);

  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [doc, setDoc] = useState({ xml: '', revision: 0 });
  const [source, setSource] = useState<Source>({ kind: 'version', version: 0 });
  const [deployed, setDeployed] = useState<Loaded['deployed'] | null>(null);
  const [versions, setVersions] = useState<ProcessVersion[]>([]);
  const [drafts, setDrafts] = useState<DraftSummary[]>([]);
  const [editedXml, setEditedXml] = useState('');
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const [comparisonError, setComparisonError] = useState<unknown>(null);
  const [problems, setProblems] = useState<LintProblem[] | null>(null);
  const [importProblem, setImportProblem] = useState<unknown>(null);
  const [importWarnings, setImportWarnings] = useState<string[]>([]);
  const [serverCheck, setServerCheck] = useState<LintProblem[] | null>(null);
  const [forms, setForms] = useState<Forms>({});
  const [formsRevision, setFormsRevision] = useState(0);
  /** The forms to deploy with the diagram: those edited here or saved in the draft (the rest keep their latest version). */
  const [editedForms, setEditedForms] = useState<ReadonlySet<string>>(new Set());
  const [draftId, setDraftId] = useState<string | null>(null);
  const [draftName, setDraftName] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [deployment, setDeployment] = useState<DeploymentResult | null>(null);
  /** The diagram as last opened, saved or deployed, in the modeler's own writing; edits after it are unsaved. */
  const [savedXml, setSavedXml] = useState<string | null>(null);
  const [formsUnsaved, setFormsUnsaved] = useState(false);
  /** Names changed in one language only: should the other follow? */
  const [renamePrompts, setRenamePrompts] = useState<RenamePrompt[]>([]);
  /** Set when a version or draft is opened: the modeler's first writing of it is the saved state. */
  const opening = useRef(false);

  useEffect(() => {
    let current = true;
    setLoad({ status: 'loading' });
    loadEditor(bpmnProcessId, draftParam).then(
      (loaded) => {
        if (!current) return;
        setLoad({ status: 'ready', loaded });
        opening.current = true;
        setFormsUnsaved(false);
        setVersions(loaded.versions);
        setDrafts(loaded.drafts);
        setDeployed(loaded.deployed);
        setDoc((previous) => ({ xml: loaded.xml, revision: previous.revision + 1 }));
        setEditedXml(loaded.xml);
        setSource(loaded.draft ? { kind: 'draft', draft: loaded.draft } : { kind: 'version', version: loaded.deployed.version });
        setDraftId(loaded.draft?.id ?? null);
        setDraftName(loaded.draft?.name ?? '');
        setForms(loaded.forms);
        setEditedForms(new Set(loaded.draft?.forms ? Object.keys(loaded.draft.forms) : []));
        setFormsRevision((r) => r + 1);
        setProblems(null);
        setServerCheck(null);
        setNotice(null);
        setDeployment(null);
        setRenamePrompts([]);
      },
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [bpmnProcessId, draftParam, reloads]);

  // What changed against the deployed version, recounted a moment after each edit.
  useEffect(() => {
    if (!deployed || !editedXml) return;
    let current = true;
    const timer = setTimeout(() => {
      compareXml(deployed.xml, editedXml).then(
        (result) => {
          if (!current) return;
          setComparison(result);
          setComparisonError(null);
        },
        (error: unknown) => current && setComparisonError(error),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [deployed, editedXml]);

  const lintContext = load.status === 'ready' && 'context' in load.loaded.lint ? load.loaded.lint.context : null;
  const lintUnavailable = load.status === 'ready' && 'error' in load.loaded.lint ? load.loaded.lint.error : null;
  const lintConfig = useMemo(() => lintContext?.config ?? FALLBACK_LINT, [lintContext]);
  const maxBytes = lintContext?.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES;

  const onChanged = useCallback((xml: string) => {
    setEditedXml(xml);
    if (opening.current) {
      opening.current = false;
      setSavedXml(xml);
    }
  }, []);
  const onProblems = useCallback((found: LintProblem[]) => setProblems(found), []);
  const onImportError = useCallback((error: unknown) => setImportProblem(error), []);
  const onImported = useCallback((warnings: string[]) => {
    setImportProblem(null);
    setImportWarnings(warnings);
  }, []);
  const onNamesChanged = useCallback((changes: ReturnType<typeof nameChanges>) => setRenamePrompts((previous) => updatePrompts(previous, changes)), []);
  const onFormChange = useCallback((formId: string, schema: FormSchema) => {
    setForms((previous) => ({ ...previous, [formId]: schema }));
    setEditedForms((previous) => (previous.has(formId) ? previous : new Set([...previous, formId])));
    setFormsUnsaved(true);
  }, []);
  const unsaved = formsUnsaved || (savedXml !== null && editedXml !== savedXml);

  const formsToDeploy = useMemo(() => Object.fromEntries(Object.entries(forms).filter(([id]) => editedForms.has(id))), [forms, editedForms]);

  const names = comparison?.names;
  const nameOf = (elementId: string | undefined) => (elementId ? bothNames(names?.get(elementId), language).main || elementId : t('modeler.problems.process'));
  const errorCount = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warningCount = (problems?.length ?? 0) - errorCount;
  const lintBlocks = problems === null || hasErrors(problems);
  const deployBlocked = lintBlocks || lintUnavailable !== null || importProblem !== null || comment.trim().length === 0;

  async function withXml<T>(kind: Exclude<Busy, null>, action: (xml: string) => Promise<T>): Promise<T | undefined> {
    if (!canvas.current) return undefined;
    setBusy(kind);
    try {
      return await action(await canvas.current.saveXml());
    } finally {
      setBusy(null);
    }
  }

  async function refreshDrafts() {
    setDrafts(await fetchDrafts(bpmnProcessId).catch(() => drafts));
  }

  async function saveDraft(asNew: boolean) {
    const name = draftName.trim();
    if (!name) {
      setNotice({ tone: 'error', text: (t) => t('modeler.drafts.nameRequired') });
      return;
    }
    try {
      await withXml('draft', async (xml) => {
        if (xmlBytes(xml) > maxBytes) throw new XmlTooLarge();
        const saved =
          draftId && !asNew
            ? await updateDraft(draftId, { name, xml, forms })
            : await createDraft(bpmnProcessId, { name, xml, forms, ...(deployed ? { baseVersion: deployed.version } : {}) });
        setDraftId(saved.id);
        setSource({ kind: 'draft', draft: saved });
        setSavedXml(xml);
        setFormsUnsaved(false);
        setNotice({ tone: 'ok', text: (t) => t('modeler.drafts.saved', { name: saved.name }) });
      });
      await refreshDrafts();
    } catch (error) {
      setNotice({ tone: 'error', text: (t) => `${t('modeler.drafts.error')} ${failureText(t, error)}` });
    }
  }

  async function removeDraft(draft: DraftSummary) {
    if (!window.confirm(t('modeler.drafts.confirmDelete', { name: draft.name }))) return;
    try {
      await deleteDraft(draft.id);
      if (draft.id === draftId) setDraftId(null);
      setNotice({ tone: 'ok', text: (t) => t('modeler.drafts.deleted', { name: draft.name }) });
      await refreshDrafts();
    } catch (error) {
      setNotice({ tone: 'error', text: (t) => `${t('modeler.drafts.error')} ${modelingErrorMessage(t, error)}` });
    }
  }

  async function runDeploy() {
    if (deployBlocked) return;
    setDeployment(null);
    try {
      await withXml('deploy', async (xml) => {
        if (xmlBytes(xml) > maxBytes) throw new XmlTooLarge();
        const result = await deploy({ xml, comment: comment.trim(), ...(Object.keys(formsToDeploy).length > 0 ? { forms: formsToDeploy } : {}), ...(draftId ? { draftId } : {}) });
        setDeployment(result);
        const mine = result.processes.find((p) => p.bpmnProcessId === bpmnProcessId) ?? result.processes[0];
        setNotice({
          tone: 'ok',
          text: (t) =>
            mine?.isNewVersion === false ? t('modeler.deploy.unchanged', { n: num(mine.version) }) : t('modeler.deploy.done', { n: num(mine?.version ?? 0) }),
          problems: serverProblems({ errors: [], warnings: result.warnings }),
        });
        setComment('');
        setSavedXml(xml);
        setFormsUnsaved(false);
        if (mine && mine.bpmnProcessId === bpmnProcessId) {
          setDeployed({ version: mine.version, key: mine.key, xml });
          setSource({ kind: 'version', version: mine.version });
          // A draft that was deployed is done with: further edits start a new one.
          setDraftId(null);
          setDraftName('');
          setEditedForms(new Set());
        }
      });
      setVersions(await fetchVersions(bpmnProcessId));
      await refreshDrafts();
    } catch (error) {
      setNotice({
        tone: 'error',
        text: (t) => `${t('modeler.deploy.error')} ${failureText(t, error)}`,
        problems: problemsOf(error),
      });
    }
  }

  async function checkOnServer() {
    try {
      await withXml('check', async (xml) => setServerCheck(serverProblems(await lintOnServer(xml))));
    } catch (error) {
      const refused = problemsOf(error);
      if (refused.length > 0) setServerCheck(refused);
      else setNotice({ tone: 'error', text: (t) => `${t('modeler.server.error')} ${modelingErrorMessage(t, error)}` });
    }
  }

  async function download() {
    try {
      await withXml('download', async (xml) => {
        const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = downloadName(bpmnProcessId);
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
    } catch (error) {
      setNotice({ tone: 'error', text: (t) => `${t('modeler.file.downloadError')} ${modelingErrorMessage(t, error)}` });
    }
  }

  function fileProblemText(t: TFunction, problem: BpmnFileProblem, fileName: string): string {
    switch (problem.reason) {
      case 'too-large':
        return t('modeler.file.tooLarge', { file: fileName, size: num(Math.ceil(problem.bytes / 1024)), max: num(Math.floor(problem.maxBytes / 1024)) });
      case 'empty':
        return t('modeler.file.empty', { file: fileName });
      case 'not-bpmn':
        return t('modeler.file.notBpmn', { file: fileName, detail: problem.detail });
      case 'no-process':
        return t('modeler.file.noProcess', { file: fileName });
      case 'no-diagram':
        return t('modeler.file.noDiagram', { file: fileName });
    }
  }

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const tooLarge = sizeProblem(file.size, maxBytes);
    if (tooLarge) {
      setNotice({ tone: 'error', text: (t) => fileProblemText(t, tooLarge, file.name) });
      return;
    }
    setBusy('upload');
    try {
      const xml = await file.text();
      const check = await checkBpmnXml(xml, maxBytes);
      if (!check.ok) {
        setNotice({ tone: 'error', text: (t) => fileProblemText(t, check.problem, file.name) });
        return;
      }
      // The server's own reading (unsafe XML, elements it cannot run) before the canvas takes it.
      let checked: LintProblem[];
      try {
        checked = serverProblems(await lintOnServer(xml));
      } catch (error) {
        setNotice({ tone: 'error', text: (t) => `${t('modeler.file.refused', { file: file.name })} ${modelingErrorMessage(t, error)}`, problems: problemsOf(error) });
        return;
      }
      setDoc((previous) => ({ xml, revision: previous.revision + 1 }));
      setEditedXml(xml);
      setSource({ kind: 'upload', fileName: file.name });
      setRenamePrompts([]);
      setDraftId(null);
      setProblems(null);
      setServerCheck(checked);
      const other = check.processIds.filter((id) => id !== bpmnProcessId);
      setNotice(
        other.length > 0 && !check.processIds.includes(bpmnProcessId)
          ? { tone: 'warning', text: (t) => `${t('modeler.file.loaded', { file: file.name })} ${t('modeler.file.otherProcess', { ids: other.join('، '), id: bpmnProcessId })}` }
          : { tone: 'ok', text: (t) => t('modeler.file.loaded', { file: file.name }) },
      );
    } catch (error) {
      setNotice({ tone: 'error', text: (t) => `${t('modeler.file.readError', { file: file.name })} ${error instanceof Error ? error.message : ''}` });
    } finally {
      setBusy(null);
    }
  }

  if (load.status === 'loading') {
    return (
      <div className="page-stack modeler-page">
        <PageHeading title={t('modeler.heading')} />
        <p className="status" role="status" aria-live="polite">
          {t('app.loading')}
        </p>
      </div>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="page-stack modeler-page">
        <PageHeading title={t('modeler.heading')} />
        <div className="card status-card" role="alert" data-testid="modeler-load-error">
          <p>
            {t('modeler.loadError', { id: bpmnProcessId })}{' '}
            {load.error instanceof Error && !('status' in load.error) ? t('modeler.noVersion') : modelingErrorMessage(t, load.error)}
          </p>
          <div className="button-row">
            <button type="button" className="button button-secondary" onClick={() => setReloads((r) => r + 1)}>
              {t('app.retry')}
            </button>
            <Link to="/modeler">{t('modeler.backToList')}</Link>
          </div>
        </div>
      </div>
    );
  }

  const loaded = load.loaded;
  const processNames = bothNames(comparison?.names.get(bpmnProcessId), language);
  const title = t('modeler.editHeading', { name: processNames.main || bpmnProcessId });

  return (
    <div className="page-stack modeler-page" data-testid="modeler-edit">
      <div className="page-title-row">
        <PageHeading title={title} />
        <span className="badge" data-testid="modeler-source">
          {source.kind === 'version' && t('modeler.source.version', { n: n(source.version) })}
          {source.kind === 'draft' && t('modeler.source.draft', { name: source.draft.name })}
          {source.kind === 'upload' && t('modeler.source.upload', { file: source.fileName })}
        </span>
        {unsaved && (
          <span className="badge badge-overdue" data-testid="unsaved">
            {t('modeler.unsaved')}
          </span>
        )}
      </div>
      <p>
        <Link to="/modeler">{t('modeler.backToList')}</Link>
      </p>

      <section className="card modeler-toolbar" aria-label={t('modeler.toolbar')}>
        <div className="button-row">
          <button type="button" className="button button-secondary button-small" onClick={() => void download()} disabled={busy !== null} data-testid="download-bpmn">
            {t('modeler.file.download')}
          </button>
          <label className="button button-secondary button-small modeler-upload">
            {t('modeler.file.upload')}
            <input
              type="file"
              accept=".bpmn,.xml,application/xml,text/xml"
              className="visually-hidden"
              onChange={(e) => void upload(e)}
              disabled={busy !== null}
              data-testid="upload-bpmn"
            />
          </label>
          <button type="button" className="button button-secondary button-small" onClick={() => canvas.current?.fit()}>
            {t('modeler.view.fit')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => canvas.current?.showStart()}>
            {t('modeler.view.start')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => void checkOnServer()} disabled={busy !== null} data-testid="server-check">
            {busy === 'check' ? t('modeler.server.checking') : t('modeler.server.check')}
          </button>
        </div>
        <p className="hint">{t('modeler.file.hint', { max: n(Math.floor(maxBytes / 1024)) })}</p>
        <div role="status" aria-live="polite" data-testid="modeler-notice">
          {notice && (
            <div className={notice.tone === 'error' ? 'form-error' : notice.tone === 'warning' ? 'notice modeler-warning' : 'notice'} data-tone={notice.tone}>
              <p>{notice.text(t)}</p>
              {notice.problems && notice.problems.length > 0 && <ProblemList problems={notice.problems} nameOf={nameOf} onShow={(id) => canvas.current?.select(id)} testId="notice-problems" />}
            </div>
          )}
        </div>
        {lintUnavailable !== null && (
          <p className="form-error" role="alert" data-testid="lint-unavailable">
            {t('modeler.lintUnavailable')} {modelingErrorMessage(t, lintUnavailable)}
          </p>
        )}
        {importProblem !== null && (
          <p className="form-error" role="alert" data-testid="import-error">
            {t('modeler.importError')} {importProblem instanceof Error ? importProblem.message : modelingErrorMessage(t, importProblem)}
          </p>
        )}
        {importWarnings.length > 0 && <p className="muted">{t('modeler.importWarnings', { n: n(importWarnings.length) })}</p>}
      </section>

      <LeaveGuard unsaved={unsaved} />
      <RenamePrompts
        prompts={renamePrompts}
        onUpdate={(prompt, value) => {
          canvas.current?.setName(prompt.elementId, prompt.update, value);
          setRenamePrompts((previous) => previous.filter((p) => p !== prompt));
        }}
        onKeep={(prompt) => setRenamePrompts((previous) => previous.filter((p) => p !== prompt))}
      />
      <ModelerCanvas
        ref={canvas}
        xml={doc.xml}
        revision={doc.revision}
        lintConfig={lintConfig}
        onChanged={onChanged}
        onProblems={onProblems}
        onImportError={onImportError}
        onImported={onImported}
        onNamesChanged={onNamesChanged}
      />

      <div className="modeler-columns">
        <section className="card modeler-problems" aria-labelledby={`${ids}-problems`} data-testid="lint-problems" data-errors={errorCount} data-warnings={warningCount}>
          <h2 id={`${ids}-problems`}>{t('modeler.problems.heading')}</h2>
          {problems === null ? (
            <p className="muted">{t('modeler.problems.pending')}</p>
          ) : problems.length === 0 ? (
            <p className="notice">{t('modeler.problems.none')}</p>
          ) : (
            <>
              <p className="list-status">
                {t('modeler.problems.counts', { errors: n(errorCount), warnings: n(warningCount) })}
              </p>
              <ProblemList problems={problems} nameOf={nameOf} onShow={(id) => canvas.current?.select(id)} testId="lint-list" />
            </>
          )}
          {serverCheck !== null && (
            <div data-testid="server-problems">
              <h3 className="subheading">{t('modeler.server.heading')}</h3>
              {serverCheck.length === 0 ? (
                <p className="notice">{t('modeler.server.none')}</p>
              ) : (
                <ProblemList problems={serverCheck} nameOf={nameOf} onShow={(id) => canvas.current?.select(id)} testId="server-list" />
              )}
            </div>
          )}
        </section>

        <section className="card modeler-changes" aria-labelledby={`${ids}-changes`} data-testid="changes">
          <h2 id={`${ids}-changes`}>{t('modeler.changes.heading', { n: n(deployed?.version ?? 0) })}</h2>
          {comparisonError !== null && (
            <p className="form-error">
              {t('modeler.changes.error')} {comparisonError instanceof Error ? comparisonError.message : ''}
            </p>
          )}
          {comparison && <ChangeList changes={comparison.changes} language={language} onShow={(id) => canvas.current?.select(id)} />}
        </section>
      </div>

      <div className="modeler-columns">
        <section className="card modeler-deploy" aria-labelledby={`${ids}-deploy`} data-testid="deploy">
          <h2 id={`${ids}-deploy`}>{t('modeler.deploy.heading')}</h2>
          <div className="field">
            <label htmlFor={`${ids}-comment`}>{t('modeler.deploy.comment')}</label>
            <textarea
              id={`${ids}-comment`}
              value={comment}
              maxLength={COMMENT_MAX}
              rows={3}
              required
              aria-describedby={`${ids}-comment-hint ${ids}-deploy-state`}
              onChange={(e) => setComment(e.target.value)}
              data-testid="deploy-comment"
            />
            <p className="hint" id={`${ids}-comment-hint`}>
              {t('modeler.deploy.commentHint', { max: n(COMMENT_MAX), used: n(comment.length) })}
            </p>
          </div>
          <p id={`${ids}-deploy-state`} className={lintBlocks && problems !== null ? 'form-error' : 'muted'} data-testid="deploy-state">
            {problems === null
              ? t('modeler.deploy.lintPending')
              : hasErrors(problems)
                ? t('modeler.deploy.blocked', { n: n(errorCount) })
                : lintUnavailable !== null
                  ? t('modeler.lintUnavailable')
                  : comment.trim().length === 0
                    ? t('modeler.deploy.needComment')
                    : t('modeler.deploy.ready', { n: n((versions[0]?.version ?? 0) + 1) })}
          </p>
          <button type="button" className="button button-primary" onClick={() => void runDeploy()} disabled={deployBlocked || busy !== null} data-testid="deploy-button">
            {busy === 'deploy' ? t('modeler.deploy.deploying') : t('modeler.deploy.submit')}
          </button>
          {deployment && deployment.forms.length > 0 && (
            <p className="muted" data-testid="deployed-forms">
              {t('modeler.deploy.forms', {
                list: deployment.forms.map((f) => `${f.id} (${t(f.isNewVersion ? 'modeler.deploy.formNew' : 'modeler.deploy.formSame', { n: n(f.version) })})`).join('، '),
              })}
            </p>
          )}
        </section>

        <section className="card modeler-drafts" aria-labelledby={`${ids}-drafts`} data-testid="drafts">
          <h2 id={`${ids}-drafts`}>{t('modeler.drafts.heading')}</h2>
          <div className="field">
            <label htmlFor={`${ids}-draft-name`}>{t('modeler.drafts.name')}</label>
            <input
              id={`${ids}-draft-name`}
              value={draftName}
              maxLength={NAME_MAX}
              onChange={(e) => setDraftName(e.target.value)}
              aria-describedby={`${ids}-draft-hint`}
              data-testid="draft-name"
            />
            <p className="hint" id={`${ids}-draft-hint`}>
              {t('modeler.drafts.nameHint', { max: n(NAME_MAX) })}
            </p>
          </div>
          <div className="button-row">
            <button type="button" className="button button-primary button-small" onClick={() => void saveDraft(false)} disabled={busy !== null} data-testid="save-draft">
              {busy === 'draft' ? t('modeler.drafts.saving') : draftId ? t('modeler.drafts.update') : t('modeler.drafts.save')}
            </button>
            {draftId && (
              <button type="button" className="button button-secondary button-small" onClick={() => void saveDraft(true)} disabled={busy !== null}>
                {t('modeler.drafts.saveAsNew')}
              </button>
            )}
          </div>
          {source.kind !== 'version' && (
            <p>
              <Link to={`/modeler/${encodeURIComponent(bpmnProcessId)}`} onClick={() => setReloads((r) => r + 1)}>
                {t('modeler.drafts.fromNewest')}
              </Link>
            </p>
          )}
          {drafts.length === 0 ? (
            <p className="muted">{t('modeler.drafts.none')}</p>
          ) : (
            <ul className="plain-list modeler-draft-list" data-testid="draft-list">
              {drafts.map((draft) => (
                <li key={draft.id} data-draft={draft.name} aria-current={draft.id === draftId ? 'true' : undefined}>
                  <Link to={`/modeler/${encodeURIComponent(bpmnProcessId)}?draft=${encodeURIComponent(draft.id)}`}>
                    <bdi dir="auto">{draft.name}</bdi>
                  </Link>{' '}
                  <span className="muted">
                    {t('modeler.drafts.by', { author: draft.author })}
                    {draft.baseVersion !== null && ` · ${t('modeler.drafts.base', { n: n(draft.baseVersion) })}`}
                    {' · '}
                    <TwoCalendarDate value={draft.updatedAt} length="medium" />
                  </span>{' '}
                  <button type="button" className="button button-quiet button-small" onClick={() => void removeDraft(draft)} aria-label={t('modeler.drafts.deleteNamed', { name: draft.name })}>
                    {t('modeler.drafts.delete')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
        <FormsEditor forms={forms} revision={formsRevision} usedFormIds={comparison?.formIds ?? []} edited={editedForms} onChange={onFormChange} />
      </Suspense>
      {loaded.formsError !== null && (
        <p className="form-error" role="alert">
          {t('modeler.forms.loadError')} {modelingErrorMessage(t, loaded.formsError)}
        </p>
      )}

      <VersionHistory bpmnProcessId={bpmnProcessId} versions={versions} />
    </div>
  );
}

interface ProblemListProps {
  problems: LintProblem[];
  nameOf(elementId: string | undefined): string;
  onShow(elementId: string): void;
  testId: string;
}

function ProblemList({ problems, nameOf, onShow, testId }: ProblemListProps) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list modeler-problem-list" data-testid={testId}>
      {problems.map((problem, index) => (
        <li key={`${problem.elementId ?? ''}-${problem.rule}-${index}`} className={`modeler-problem is-${problem.severity}`} data-element={problem.elementId ?? ''} data-rule={problem.rule} data-severity={problem.severity}>
          <span className={`badge ${problem.severity === 'error' ? 'badge-overdue' : ''}`}>{t(`modeler.problems.${problem.severity}`)}</span>{' '}
          {problem.elementId ? (
            <button type="button" className="button button-quiet button-small" onClick={() => onShow(problem.elementId!)}>
              {nameOf(problem.elementId)}
            </button>
          ) : (
            <strong>{nameOf(undefined)}</strong>
          )}
          {': '}
          <LintMessage problem={problem} /> {problem.rule && <code className="muted">{problem.rule}</code>}
        </li>
      ))}
    </ul>
  );
}

/** A finding in the page's language: Arabic by its rule, the English original kept as its title. */
function LintMessage({ problem }: { problem: LintProblem }) {
  const words = lintMessage(problem, currentLanguage());
  return words.translated ? (
    <span className="lint-message" title={problem.message}>
      {words.text}
    </span>
  ) : (
    <bdi dir="ltr">{problem.message}</bdi>
  );
}

function ChangeList({ changes, language, onShow }: { changes: ElementChange[]; language: Language; onShow(id: string): void }) {
  const { t } = useTranslation();
  const counts = { added: 0, removed: 0, changed: 0, layout: 0 };
  for (const change of changes) counts[change.kind] += 1;
  if (changes.length === 0) return <p className="muted">{t('modeler.changes.none')}</p>;
  return (
    <>
      <p className="list-status">
        {t('modeler.changes.counts', {
          added: formatNumber(language, counts.added),
          removed: formatNumber(language, counts.removed),
          changed: formatNumber(language, counts.changed),
          layout: formatNumber(language, counts.layout),
        })}
      </p>
      <ul className="plain-list modeler-change-list" data-testid="change-list">
        {changes.map((change) => {
          const name = bothNames(change.name, language);
          const old = change.oldName ? bothNames(change.oldName, language) : null;
          return (
            <li key={`${change.kind}-${change.id}`} className={`modeler-change is-${change.kind}`} data-element={change.id} data-kind={change.kind}>
              <span className="badge">{t(`modeler.changes.${change.kind}`)}</span>{' '}
              {change.kind === 'removed' ? (
                <strong>{name.main || change.id}</strong>
              ) : (
                <button type="button" className="button button-quiet button-small" onClick={() => onShow(change.id)}>
                  {name.main || change.id}
                </button>
              )}
              {name.other && (
                <>
                  {' '}
                  <bdi dir="auto" className="muted">
                    ({name.other})
                  </bdi>
                </>
              )}{' '}
              <code className="muted">
                {change.type} {change.id}
              </code>
              {old && (old.main !== name.main || old.other !== name.other) && (
                <div className="muted modeler-renamed">
                  {t('modeler.changes.was')} <bdi dir="auto">{old.main}</bdi>
                  {old.other && (
                    <>
                      {' '}
                      <bdi dir="auto">({old.other})</bdi>
                    </>
                  )}
                </div>
              )}
              {change.attrs.length > 0 && <div className="muted">{t('modeler.changes.attrs', { attrs: change.attrs.join('، ') })}</div>}
            </li>
          );
        })}
      </ul>
    </>
  );
}
