import { useId } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import type { ProcessVersion } from './api';

interface VersionHistoryProps {
  bpmnProcessId: string;
  versions: ProcessVersion[];
  /** The version shown on the page, marked in the list. */
  current?: number;
}

/** Every deployed version, newest first: who deployed it and when, the comment, the cases on it. */
export function VersionHistory({ bpmnProcessId, versions, current }: VersionHistoryProps) {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const n = (value: number) => formatNumber(language, value);
  return (
    <section className="card modeler-history" aria-labelledby={`${ids}-heading`} data-testid="version-history">
      <h2 id={`${ids}-heading`}>{t('modeler.history.heading')}</h2>
      {versions.length === 0 ? (
        <p className="muted">{t('modeler.history.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="modeler-table">
            <thead>
              <tr>
                <th scope="col">{t('modeler.history.version')}</th>
                <th scope="col">{t('modeler.history.when')}</th>
                <th scope="col">{t('modeler.history.who')}</th>
                <th scope="col">{t('modeler.history.comment')}</th>
                <th scope="col">{t('modeler.history.instances')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('modeler.history.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v, index) => (
                <tr key={v.key} data-version={v.version} aria-current={v.version === current ? 'true' : undefined}>
                  <th scope="row">
                    {n(v.version)}
                    {index === 0 && <span className="badge modeler-latest">{t('modeler.history.latest')}</span>}
                  </th>
                  <td>
                    <TwoCalendarDate value={v.deployedAt} length="medium" />
                  </td>
                  <td>{v.deployedBy ? <bdi dir="ltr">{v.deployedBy}</bdi> : <span className="muted">—</span>}</td>
                  <td className="modeler-comment">{v.comment ? <bdi dir="auto">{v.comment}</bdi> : <span className="muted">{t('modeler.history.noComment')}</span>}</td>
                  <td data-testid="version-instances">
                    {v.instances
                      ? t('modeler.history.counts', { active: n(v.instances.active), completed: n(v.instances.completed), canceled: n(v.instances.canceled) })
                      : t('modeler.history.noInstances')}
                  </td>
                  <td>
                    <Link to={`/modeler/${encodeURIComponent(bpmnProcessId)}/versions/${v.version}`} data-testid="open-version">
                      {t('modeler.history.open', { n: n(v.version) })}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
