import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/language';
import { localName } from '../i18n/localName';
import type { StepDurationsReport } from './api';
import { barShare, formatFigure } from './range';

/**
 * Time per step as horizontal bars, one row per step with its full name above its two bars
 * (median and 90th percentile, in hours, the figure written beside each bar). HTML, not a
 * canvas: the names wrap instead of being squeezed, however many steps there are (the intake
 * process has 17), and a screen reader reads each row.
 */
export function StepDurationBars({ steps, language }: { steps: StepDurationsReport['steps']; language: Language }) {
  const { t } = useTranslation();
  if (steps.length === 0) {
    return (
      <p className="notice report-empty" data-testid="chart-durations-empty">
        {t('dashboard.empty.durations')}
      </p>
    );
  }
  const longest = Math.max(...steps.map((s) => Math.max(s.p90Hours, s.medianHours)));
  const hours = (n: number) => t('dashboard.hours', { n: formatFigure(language, n) });
  return (
    <div className="step-bars" data-testid="chart-durations">
      <p className="step-bars-legend" aria-hidden="true">
        <span className="step-bars-key is-median" /> {t('dashboard.durations.median')}
        <span className="step-bars-key is-p90" /> {t('dashboard.durations.p90')}
      </p>
      <ul className="plain-list step-bars-list">
        {steps.map((s) => (
          <li key={s.elementId} className="step-bar" data-element={s.elementId}>
            <p className="step-bar-name">{localName(s.name, language, s.elementId)}</p>
            {(['medianHours', 'p90Hours'] as const).map((figure) => (
              <div key={figure} className="step-bar-row">
                <span className="visually-hidden">{t(figure === 'medianHours' ? 'dashboard.durations.median' : 'dashboard.durations.p90')}: </span>
                <span className="step-bar-track" aria-hidden="true">
                  <span className={`step-bar-fill ${figure === 'medianHours' ? 'is-median' : 'is-p90'}`} style={{ inlineSize: `${barShare(s[figure], longest)}%` }} />
                </span>
                <span className="step-bar-value">{hours(s[figure])}</span>
              </div>
            ))}
          </li>
        ))}
      </ul>
    </div>
  );
}
