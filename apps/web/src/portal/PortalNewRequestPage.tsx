import { useEffect, useState } from 'react';
import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequestForm } from '../cases/RequestPage';
import { portalMe, submitPortalRequest } from './api';
import { portalErrorMessage } from './portalError';

/** /portal/requests/new: the staff request form, for oneself (channel C7, the signed-in number). */
export function PortalNewRequestPage() {
  const { t } = useTranslation();
  const [mobile, setMobile] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);

  useEffect(() => {
    portalMe().then((me) => setMobile(me.mobile), setError);
  }, []);

  if (created) return <Navigate to={`/portal/requests/${created}`} replace />;
  if (error !== null) return <p className="form-error" role="alert">{portalErrorMessage(t, error)}</p>;
  if (mobile === null) return <p className="status">{t('app.loading')}</p>;
  return (
    <RequestForm
      onRecorded={(recorded) => setCreated(recorded.id)}
      applicant={{ mobile, submit: submitPortalRequest, heading: t('portal.newRequest.heading'), intro: t('portal.newRequest.intro') }}
    />
  );
}
