import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../i18n/language';
import { currentLanguage } from '../i18n';
import type { SurveyAnswer } from './api';
import { portalErrorMessage } from './portalError';

const QUESTIONS = ['overall', 'clarity', 'timeTaken', 'courtesy'] as const;
type Question = (typeof QUESTIONS)[number];

/**
 * The satisfaction survey (O5): four ratings from 1 to 5 and a comment. It first tells the
 * applicant what a rating is for (T3): seen only in aggregate, never beside a named staff
 * member, used to improve the service and never to punish.
 */
export function SurveyForm({ onSubmit }: { onSubmit: (answer: SurveyAnswer) => Promise<unknown> }) {
  const { t } = useTranslation();
  const ids = useId();
  const [ratings, setRatings] = useState<Partial<Record<Question, number>>>({});
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState<Question[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const unanswered = QUESTIONS.filter((q) => !ratings[q]);
    setMissing(unanswered);
    if (unanswered.length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ overall: ratings.overall!, clarity: ratings.clarity!, timeTaken: ratings.timeTaken!, courtesy: ratings.courtesy!, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <p className="notice success-panel" role="status" data-testid="survey-thanks">
        {t('survey.thanks')}
      </p>
    );
  }

  return (
    <form className="form survey-form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={`${ids}-promise`}>
      <div className="notice survey-promise" id={`${ids}-promise`} data-testid="survey-promise">
        <p>{t('survey.right')}</p>
        <p>{t('survey.aggregateOnly')}</p>
      </div>
      {QUESTIONS.map((q) => (
        <fieldset key={q} className="survey-question" aria-invalid={missing.includes(q) || undefined}>
          <legend>{t(`survey.questions.${q}`)}</legend>
          <div className="rating-scale">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="rating-option">
                <input type="radio" name={`${ids}-${q}`} value={n} checked={ratings[q] === n} onChange={() => setRatings((r) => ({ ...r, [q]: n }))} />
                <span>{formatNumber(currentLanguage(), n)}</span>
              </label>
            ))}
          </div>
          <p className="hint">{t('survey.scale')}</p>
          {missing.includes(q) && <p className="field-error">{t('survey.pick')}</p>}
        </fieldset>
      ))}
      <div className="field">
        <label htmlFor={`${ids}-comment`}>{t('survey.comment')}</label>
        <textarea id={`${ids}-comment`} rows={4} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        <p className="hint">{t('survey.commentHint')}</p>
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {portalErrorMessage(t, error)}
        </p>
      )}
      <button type="submit" className="button button-primary button-block" aria-busy={busy || undefined}>
        {busy ? t('survey.sending') : t('survey.submit')}
      </button>
    </form>
  );
}
