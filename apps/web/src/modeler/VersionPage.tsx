import 'camunda-bpmn-js/dist/assets/camunda-cloud-navigated-viewer.css';
import NavigatedViewer from 'camunda-bpmn-js/lib/camunda-cloud/NavigatedViewer';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { COMMENT_MAX, fetchVersionForms, fetchVersionXml, fetchVersions, redeploy, type DeploymentResult, type ProcessVersion } from './api';
import { downloadName } from './bpmnFile';
import { modelingErrorMessage } from './modelingError';
import { VersionHistory } from './VersionHistory';

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; versions: ProcessVersion[]; version: ProcessVersion; xml: string; formIds: string[] };
type Redeploy = { status: 'idle' } | { status: 'busy' } | { status: 'done'; result: DeploymentResult } | { status: 'error'; error: unknown };

/**
 * /modeler/:bpmnProcessId/versions/:version — one deployed version, read-only: its diagram,
 * who deployed it, when and why, the cases on it, its forms; download it, or deploy it again
 * so that it becomes the newest version (new cases start on it; running ones stay where they are).
 */
export function VersionPage() {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const n = (value: number) => formatNumber(language, value);
  const { bpmnProcessId = '', version: versionParam = '' } = useParams();
  const wanted = Number(versionParam);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [comment, setComment] = useState('');
  const [again, setAgain] = useState<Redeploy>({ status: 'idle' });
  const container = useRef<HTMLDivElement>(null);
  const [drawError, setDrawError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setLoad({ status: 'loading' });
    (async () => {
      const versions = await fetchVersions(bpmnProcessId);
      const version = versions.find((v) => v.version === wanted);
      if (!version) throw new Error('version not found');
      const [xml, forms] = await Promise.all([fetchVersionXml(version.key), fetchVersionForms(version.key).catch(() => ({}))]);
      return { versions, version, xml, formIds: Object.keys(forms).sort() };
    })().then(
      (ready) => current && setLoad({ status: 'ready', ...ready }),
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [bpmnProcessId, wanted, reloads]);

  const xml = load.status === 'ready' ? load.xml : null;
  useEffect(() => {
    if (!xml || !container.current) return;
    const viewer = new NavigatedViewer({ container: container.current });
    let current = true;
    viewer.importXML(xml).then(
      () => current && viewer.get<{ zoom(scale: 'fit-viewport', center: 'auto'): number }>('canvas').zoom('fit-viewport', 'auto'),
      (error: unknown) => current && setDrawError(error),
    );
    return () => {
      current = false;
      viewer.destroy();
    };
  }, [xml]);

  async function deployAgain() {
    if (load.status !== 'ready' || !comment.trim()) return;
    setAgain({ status: 'busy' });
    try {
      const result = await redeploy(bpmnProcessId, load.version.version, comment.trim());
      setAgain({ status: 'done', result });
      setComment('');
      const versions = await fetchVersions(bpmnProcessId);
      setLoad({ ...load, versions });
    } catch (error) {
      setAgain({ status: 'error', error });
    }
  }

  function download() {
    if (!xml) return;
    const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = downloadName(bpmnProcessId, wanted);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const title = t('modeler.version.heading', { id: bpmnProcessId, n: Number.isFinite(wanted) ? n(wanted) : versionParam });
  if (load.status === 'loading') {
    return (
      <div className="page-stack modeler-page">
        <PageHeading title={title} />
        <p className="status" role="status" aria-live="polite">
          {t('app.loading')}
        </p>
      </div>
    );
  }
  if (load.status === 'error') {
    return (
      <div className="page-stack modeler-page">
        <PageHeading title={title} />
        <div className="card status-card" role="alert" data-testid="version-load-error">
          <p>
            {load.error instanceof Error && !('status' in load.error) ? t('modeler.version.notFound') : `${t('modeler.version.loadError')} ${modelingErrorMessage(t, load.error)}`}
          </p>
          <div className="button-row">
            <button type="button" className="button button-secondary" onClick={() => setReloads((r) => r + 1)}>
              {t('app.retry')}
            </button>
            <Link to={`/modeler/${encodeURIComponent(bpmnProcessId)}`}>{t('modeler.version.backToEditor')}</Link>
          </div>
        </div>
      </div>
    );
  }

  const { version, versions } = load;
  const newest = versions[0]?.version === version.version;
  const redeployed = again.status === 'done' ? (again.result.processes.find((p) => p.bpmnProcessId === bpmnProcessId) ?? again.result.processes[0]) : undefined;

  return (
    <div className="page-stack modeler-page" data-testid="modeler-version">
      <PageHeading title={title} />
      <p className="button-row">
        <Link to={`/modeler/${encodeURIComponent(bpmnProcessId)}`}>{t('modeler.version.backToEditor')}</Link>
        <Link to="/modeler">{t('modeler.backToList')}</Link>
      </p>
      <p className="notice">{t('modeler.version.readOnly')}</p>
      <section className="card" aria-labelledby={`${ids}-facts`}>
        <h2 id={`${ids}-facts`} className="visually-hidden">
          {t('modeler.version.facts')}
        </h2>
        <dl className="modeler-facts">
          <dt>{t('modeler.history.when')}</dt>
          <dd>
            <TwoCalendarDate value={version.deployedAt} length="medium" />
          </dd>
          <dt>{t('modeler.history.who')}</dt>
          <dd>
            <bdi dir="ltr">{version.deployedBy}</bdi>
          </dd>
          <dt>{t('modeler.history.comment')}</dt>
          <dd>{version.comment ? <bdi dir="auto">{version.comment}</bdi> : <span className="muted">{t('modeler.history.noComment')}</span>}</dd>
          <dt>{t('modeler.history.instances')}</dt>
          <dd>
            {version.instances
              ? t('modeler.history.counts', { active: n(version.instances.active), completed: n(version.instances.completed), canceled: n(version.instances.canceled) })
              : t('modeler.history.noInstances')}
          </dd>
          <dt>{t('modeler.forms.heading')}</dt>
          <dd>{load.formIds.length > 0 ? <bdi dir="ltr">{load.formIds.join(', ')}</bdi> : t('modeler.forms.none')}</dd>
        </dl>
        <button type="button" className="button button-secondary button-small" onClick={download} data-testid="download-version">
          {t('modeler.file.download')}
        </button>
      </section>

      {drawError !== null && (
        <p className="form-error" role="alert">
          {t('modeler.importError')} {drawError instanceof Error ? drawError.message : ''}
        </p>
      )}
      <div ref={container} className="modeler-canvas modeler-canvas-readonly card" dir="ltr" role="img" aria-label={t('modeler.version.canvasLabel', { n: n(version.version) })} data-testid="version-canvas" />

      <section className="card modeler-deploy" aria-labelledby={`${ids}-again`} data-testid="redeploy">
        <h2 id={`${ids}-again`}>{t('modeler.version.againHeading')}</h2>
        <p className="muted">{newest ? t('modeler.version.alreadyNewest') : t('modeler.version.againHint', { n: n(version.version) })}</p>
        <div className="field">
          <label htmlFor={`${ids}-comment`}>{t('modeler.deploy.comment')}</label>
          <textarea
            id={`${ids}-comment`}
            value={comment}
            maxLength={COMMENT_MAX}
            rows={2}
            required
            onChange={(e) => setComment(e.target.value)}
            data-testid="redeploy-comment"
          />
          <p className="hint">{t('modeler.deploy.commentHint', { max: n(COMMENT_MAX), used: n(comment.length) })}</p>
        </div>
        <button type="button" className="button button-primary" disabled={!comment.trim() || again.status === 'busy'} onClick={() => void deployAgain()} data-testid="redeploy-button">
          {again.status === 'busy' ? t('modeler.deploy.deploying') : t('modeler.version.againSubmit', { n: n(version.version) })}
        </button>
        <div role="status" aria-live="polite" data-testid="redeploy-result">
          {redeployed && <p className="notice">{t('modeler.version.againDone', { old: n(version.version), n: n(redeployed.version) })}</p>}
          {again.status === 'error' && (
            <p className="form-error">
              {t('modeler.deploy.error')} {modelingErrorMessage(t, again.error)}
            </p>
          )}
        </div>
      </section>

      <VersionHistory bpmnProcessId={bpmnProcessId} versions={versions} current={version.version} />
    </div>
  );
}
