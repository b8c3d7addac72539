import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { apiErrorMessage } from '../session/errorMessage';
import { type TrackView, rateAnswer, trackInquiry } from './api';

/** /portal/inquiries/:token: the person's link (no account): the status, the answer and the public article it cites; a rating, once. */
export function InquiryTrackPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const token = decodeURIComponent(/^\/portal\/inquiries\/([^/]+)/.exec(useLocation().pathname)?.[1] ?? '');
  const [view, setView] = useState<TrackView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    trackInquiry(token).then(setView, setError);
  }, [token]);

  async function rate(rating: number) {
    try {
      await rateAnswer(token, rating);
      setView(await trackInquiry(token));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="card portal-card" aria-labelledby="track-heading">
      <PageHeading id="track-heading" title={t('inquiryTrack.heading')} />
      {error !== null && (
        <p className="form-error" role="alert">
          {apiErrorMessage(t, error)}
        </p>
      )}
      {view && (
        <>
          <p>
            <bdi dir="ltr">{view.number}</bdi> · {t(`inquiries.kinds.${view.kind}`)} · {t('inquiryTrack.status')}:{' '}
            {t(view.status === 'open' ? 'inquiries.open' : 'inquiries.answered')}
          </p>
          {view.status === 'open' && <p className="muted">{t('inquiryTrack.waiting')}</p>}
          {view.answer && (
            <>
              <h2>{t('inquiryTrack.answer')}</h2>
              <p className="inquiry-answer">
                <bdi>{view.answer}</bdi>
              </p>
            </>
          )}
          {view.article && (
            <p>
              {t('inquiryTrack.article')}: <a href={`/portal/questions#${view.article.slug}`}>{localName(view.article.title, language)}</a>
            </p>
          )}
          {view.mayRate && (
            <fieldset className="rating">
              <legend>{t('inquiryTrack.rate')}</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <button key={n} type="button" className="button rating-choice" onClick={() => void rate(n)}>
                  {n.toLocaleString(language === 'ar' ? 'ar-SA' : 'en')}
                </button>
              ))}
            </fieldset>
          )}
          {view.rated && <p className="notice">{t('inquiryTrack.rated')}</p>}
        </>
      )}
    </section>
  );
}
