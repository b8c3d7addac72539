import { useEffect, useRef } from 'react';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import { LOCALES, directionOf, type Language } from '../i18n/language';
import { hasFigures, wrapLabel } from './range';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colours that stay apart for eight series (the channels), starting from the brand's. */
export const SERIES_COLOURS = ['#0b5d4b', '#b8862b', '#1f6fd1', '#a12622', '#6b4fa3', '#2f9e8f', '#d0652c', '#5c6b66'];

export interface Series {
  label: string;
  data: Array<number | null>;
  colour?: string;
}

interface ReportChartProps {
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
  language: Language;
  /** What the chart shows, for people who cannot see it (the table beside it has the numbers). */
  label: string;
  stacked?: boolean;
  /** Bars along the inline axis (long category names, such as steps). */
  horizontal?: boolean;
  /** Fixed value axis, e.g. 1–5 for ratings. */
  min?: number;
  max?: number;
  testId?: string;
  /** What to say instead of drawing bare axes when the period has no figures. */
  empty: string;
}

/**
 * One chart.js chart. It follows the page's language: numbers as the locale writes them
 * (Arabic-Indic digits in Arabic), legend and tooltips right to left, the category axis
 * running from the reading direction's start. No animation (calm, and stable screenshots).
 */
export function ReportChart({ kind, labels, series, language, label, stacked, horizontal, min, max, testId, empty }: ReportChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  // Redraw when the figures change, not whenever a parent builds equal arrays anew.
  const figures = JSON.stringify([labels, series]);
  const blank = labels.length === 0 || !hasFigures(series);

  useEffect(() => {
    const [drawnLabels, drawnSeries] = JSON.parse(figures) as [string[], Series[]];
    if (!canvas.current || blank) return;
    const rtl = directionOf(language) === 'rtl';
    const font = { family: getComputedStyle(canvas.current).fontFamily, size: 13 };
    const category = { stacked, reverse: rtl && !horizontal, ticks: { font }, grid: { display: false } };
    const value = { stacked, min, max, beginAtZero: true, reverse: rtl && horizontal, position: horizontal ? undefined : rtl ? ('right' as const) : ('left' as const), ticks: { font, precision: max ? undefined : 0 } };
    const config: ChartConfiguration<'bar' | 'line', Array<number | null>, string | string[]> = {
      type: kind,
      data: {
        labels: horizontal ? drawnLabels.map((l) => wrapLabel(l)) : drawnLabels,
        datasets: drawnSeries.map((s, i) => {
          const colour = s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length];
          return { label: s.label, data: s.data, backgroundColor: colour, borderColor: colour, spanGaps: false, borderWidth: kind === 'line' ? 2 : 0, maxBarThickness: 48 };
        }),
      },
      options: {
        locale: LOCALES[language],
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        scales: horizontal ? { x: value, y: { ...category, position: rtl ? 'right' : 'left' } } : { x: category, y: value },
        plugins: {
          legend: { rtl, position: 'bottom', labels: { font } },
          tooltip: { rtl, textDirection: rtl ? 'rtl' : 'ltr', bodyFont: font, titleFont: font },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [kind, figures, language, stacked, horizontal, min, max, blank]);

  if (blank) {
    return (
      <p className="notice report-empty" data-testid={testId ? `${testId}-empty` : undefined}>
        {empty}
      </p>
    );
  }
  return (
    <div className={`chart-box${horizontal ? ' chart-box-tall' : ''}`}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
