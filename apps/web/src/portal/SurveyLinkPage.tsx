import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageHeading } from '../layout/PageHeading';
import { answerSurveyLink, surveyInvitation } from './api';
import { portalErrorMessage } from './portalError';
import { SurveyForm } from './SurveyForm';

/** /survey/:applicationNumber?token=…: the one-time link of the survey notice; no sign-in needed. */
export function SurveyLinkPage() {
  const { t } = useTranslation();
  // Rendered before the session check, outside the app's routes: the number comes from the path.
  const applicationNumber = decodeURIComponent(/^\/survey\/([^/]+)/.exec(useLocation().pathname)?.[1] ?? '');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<'checking' | 'open' | 'used' | 'answered' | 'expired'>('checking');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    surveyInvitation(token).then(
      (i) => setState(i.answered ? 'answered' : i.used ? 'used' : new Date(i.expiresAt) <= new Date() ? 'expired' : 'open'),
      setError,
    );
  }, [token]);

  return (
    <section className="card portal-card" aria-labelledby="survey-heading">
      <PageHeading id="survey-heading" title={t('survey.heading')} />
      <p className="muted">
        {t('survey.forRequest')} <bdi dir="ltr">{applicationNumber}</bdi>
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          {portalErrorMessage(t, error)}
        </p>
      )}
      {state === 'open' && <SurveyForm onSubmit={(answer) => answerSurveyLink(applicationNumber, token, answer)} />}
      {(state === 'used' || state === 'answered') && <p className="notice">{t('survey.alreadyAnswered')}</p>}
      {state === 'expired' && <p className="notice">{t('portal.errors.SURVEY_LINK_EXPIRED')}</p>}
    </section>
  );
}
