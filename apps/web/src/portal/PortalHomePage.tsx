import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { listRequests, type RequestSummary } from './api';
import { portalErrorMessage } from './portalError';

/** /portal: the applicant's own requests, each with where it stands in plain words. */
export function PortalHomePage() {
  const { t } = useTranslation();
  const [requests, setRequests] = useState<RequestSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    listRequests().then(setRequests, setError);
  }, []);

  return (
    <div className="page-stack portal">
      <PageHeading title={t('portal.home.heading')} />
      <p className="muted">{t('portal.home.intro')}</p>
      <div className="button-row">
        <Link className="button button-primary" to="/portal/requests/new">
          {t('portal.home.newRequest')}
        </Link>
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {portalErrorMessage(t, error)}
        </p>
      )}
      {requests === null && error === null && <p className="status">{t('app.loading')}</p>}
      {requests?.length === 0 && <p className="card">{t('portal.home.none')}</p>}
      {requests && requests.length > 0 && (
        <ul className="plain-list portal-requests" aria-label={t('portal.home.listLabel')}>
          {requests.map((r) => (
            <li key={r.id} className="card portal-request-item">
              <Link to={`/portal/requests/${r.id}`} className="task-link">
                <bdi dir="ltr">{r.applicationNumber}</bdi> · {t(`vocabulary.supportTypes.${r.supportType as 'training'}`)}
              </Link>
              <p className="portal-stage">{t(`portal.stages.${r.stage}.title`)}</p>
              <p className="muted">
                {t('portal.home.submitted')} <TwoCalendarDate value={r.submittedAt} length="medium" />
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
