import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber, type Language } from '../i18n/language';
import { localName } from '../i18n/localName';
import { PageHeading } from '../layout/PageHeading';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import { CHANNELS, isStatus, STATUSES } from '../cases/vocabulary';
import { isRoleId } from '../home/roles';
import { ApiError } from '../session/api';
import { apiErrorMessage } from '../session/errorMessage';
import { csvHref, fetchReports, rangeQuery, type Bucket, type Reports, type SatisfactionFigures } from './api';
import { requestJson } from '../session/api';
import { BUCKETS, formatFigure, formatShare, periodLabel, rangeFromSearch } from './range';
import { ReportChart, type Series } from './ReportChart';
import { StepDurationBars } from './StepDurationBars';

/** The rating dimensions of the survey (intake_survey_answer). */
const DIMENSIONS = ['overall', 'clarity', 'timeTaken', 'courtesy'] as const;

/** One colour per status, whichever statuses a period has. */
const STATUS_COLOURS: Record<(typeof STATUSES)[number], string> = { open: '#1f6fd1', 'closed-incomplete': '#5c6b66', rejected: '#a12622', completed: '#0b5d4b', cancelled: '#b8862b' };

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; reports: Reports };
type Range = ReturnType<typeof rangeFromSearch>;

/**
 * /dashboard: the managers' view of service quality (issue 9), always in aggregate. The range
 * (?from=&to=&bucket=) lives in the address; each chart has its numbers as a table and a link
 * to its report's CSV.
 */
export function DashboardPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const [search, setSearch] = useSearchParams();
  const asked = useMemo(() => rangeFromSearch(search), [search]);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    setLoad({ status: 'loading' });
    fetchReports(asked).then(
      (reports) => current && setLoad({ status: 'ready', reports }),
      (error: unknown) => current && setLoad({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [asked]);

  const shown = load.status === 'ready' ? load.reports.cases.range : undefined;
  const range: Range = shown ? { from: shown.from, to: shown.to, bucket: shown.bucket } : asked;

  return (
    <div className="page-stack dashboard-page">
      <PageHeading title={t('dashboard.heading')} />
      <p className="muted">{t('dashboard.intro')}</p>
      <RangeForm
        key={`${range.from}|${range.to}|${range.bucket}`}
        range={range}
        onChange={(r) => setSearch(Object.fromEntries(Object.entries(r).filter((entry): entry is [string, string] => Boolean(entry[1]))))}
      />
      {shown && (
        <p className="dashboard-range" data-testid="dashboard-range">
          <TwoCalendarDate value={shown.from} length="medium" /> – <TwoCalendarDate value={shown.to} length="medium" />
        </p>
      )}
      <p className="list-status" role="status" aria-live="polite">
        {load.status === 'loading' && t('dashboard.loading')}
      </p>
      {load.status === 'error' && (
        <p className="form-error" role="alert">
          {load.error instanceof ApiError && load.error.code === 'VALIDATION_FAILED' ? t('dashboard.badRange') : `${t('dashboard.loadError')} ${apiErrorMessage(t, load.error)}`}
        </p>
      )}
      {load.status === 'ready' && <Dashboard reports={load.reports} range={range} language={language} />}
    </div>
  );
}

function RangeForm({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [from, setFrom] = useState(range.from ?? '');
  const [to, setTo] = useState(range.to ?? '');
  const [bucket, setBucket] = useState<Bucket>(range.bucket ?? 'week');
  const [backwards, setBackwards] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (from && to && from > to) {
      setBackwards(true);
      return;
    }
    setBackwards(false);
    onChange({ from: from || undefined, to: to || undefined, bucket });
  }

  return (
    <form className="card dashboard-filter" onSubmit={submit} noValidate data-testid="dashboard-filter">
      <fieldset>
        <legend>{t('dashboard.filter.legend')}</legend>
        <div className="dashboard-filter-row">
          <div className="field">
            <label htmlFor={`${ids}-from`}>{t('dashboard.filter.from')}</label>
            <input id={`${ids}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={backwards || undefined} aria-describedby={`${ids}-hint`} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-to`}>{t('dashboard.filter.to')}</label>
            <input id={`${ids}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-describedby={`${ids}-hint`} />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-bucket`}>{t('dashboard.filter.bucket')}</label>
            <select id={`${ids}-bucket`} value={bucket} onChange={(e) => setBucket(e.target.value as Bucket)}>
              {BUCKETS.map((b) => (
                <option key={b} value={b}>
                  {t(`dashboard.filter.buckets.${b}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button-primary">
            {t('dashboard.filter.submit')}
          </button>
        </div>
        <p id={`${ids}-hint`} className="hint">
          {t('dashboard.filter.hint')}
        </p>
        {backwards && (
          <p className="field-error" role="alert">
            {t('dashboard.filter.fromAfterTo')}
          </p>
        )}
      </fieldset>
    </form>
  );
}

/** A report's card: its title and what it counts, the chart(s), the CSV link and the numbers as a table. */
function ReportCard({ id, title, description, csv, table, children }: { id: string; title: string; description: string; csv: string; table: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <section className="card report-card" aria-labelledby={`${ids}-title`} data-testid={`report-${id}`}>
      <h2 id={`${ids}-title`}>{title}</h2>
      <p className="muted report-description">{description}</p>
      {children}
      <div className="report-actions">
        <a className="button" href={csv} download data-testid={`csv-${id}`}>
          {t('dashboard.csv')}
        </a>
      </div>
      <details className="report-table">
        <summary>{t('dashboard.table')}</summary>
        <div className="table-scroll">{table}</div>
      </details>
    </section>
  );
}

function NumberCell({ value, language }: { value: number | null | undefined; language: Language }) {
  return <td className="number">{value === null || value === undefined ? '—' : formatFigure(language, value)}</td>;
}

function Dashboard({ reports, range, language }: { reports: Reports; range: Range; language: Language }) {
  const { t } = useTranslation();
  const n = (v: number) => formatNumber(language, v);
  const label = (period: string) => periodLabel(language, period, reports.cases.range.bucket);
  const channelName = (c: string) => `${c} · ${t(`vocabulary.channels.${c as (typeof CHANNELS)[number]}`, { defaultValue: c })}`;
  const statusName = (s: string) => (isStatus(s) ? t(`vocabulary.statuses.${s}`) : s);
  const groupName = (g: string) => (isRoleId(g) ? t(`roles.${g}`) : g);

  const cases = reports.cases;
  const casesCharts = useMemo(() => {
    const labels = cases.periods.map((p) => periodLabel(language, p, cases.range.bucket));
    const count = (key: 'channel' | 'status', value: string) => cases.periods.map((p) => cases.rows.filter((r) => r.period === p && r[key] === value).reduce((s, r) => s + r.cases, 0));
    const channels = CHANNELS.filter((c) => cases.byChannel.some((b) => b.channel === c));
    const statuses = STATUSES.filter((s) => cases.byStatus.some((b) => b.status === s));
    return {
      labels,
      byChannel: channels.map((c): Series => ({ label: c, data: count('channel', c) })),
      byStatus: statuses.map((s): Series => ({ label: s, data: count('status', s), colour: STATUS_COLOURS[s] })),
    };
  }, [cases, language]);
  const localisedStatusSeries = casesCharts.byStatus.map((s) => ({ ...s, label: statusName(s.label) }));
  const localisedChannelSeries = casesCharts.byChannel.map((s) => ({ ...s, label: channelName(s.label) }));

  const durations = reports.durations;

  const minimum = reports.minimumPeriod;
  const minimumChart = useMemo(
    () => ({
      labels: minimum.periods.map((p) => periodLabel(language, p, minimum.range.bucket)),
      series: (['atMinimum', 'later', 'early'] as const).map((k, i) => ({ key: k, data: minimum.periods.map((p) => minimum.rows.find((r) => r.period === p)?.[k] ?? 0), colour: ['#0b5d4b', '#b8862b', '#a12622'][i] })),
    }),
    [minimum, language],
  );

  const overdue = reports.overdue;
  const overdueChart = useMemo(
    () => ({
      labels: overdue.groups.map((g) => g.group),
      series: (['overdueOpen', 'completedLate'] as const).map((k, i) => ({ key: k, data: overdue.groups.map((g) => g[k]), colour: ['#a12622', '#b8862b'][i] })),
    }),
    [overdue],
  );

  const incidents = reports.incidents;
  const incidentChart = useMemo(
    () => ({
      labels: incidents.rows.map((r) => `${localName(r.name, language, r.elementId)} (${r.errorType})`),
      series: (['open', 'resolved'] as const).map((k, i) => ({ key: k, data: incidents.rows.map((r) => r[k]), colour: ['#a12622', '#0b5d4b'][i] })),
    }),
    [incidents, language],
  );

  const satisfaction = reports.satisfaction;
  const satisfactionCharts = useMemo(() => {
    const trendLabels = satisfaction.trend.map((p) => periodLabel(language, p.period, satisfaction.range.bucket));
    return {
      trendLabels,
      trend: DIMENSIONS.map((d) => ({ key: d, data: satisfaction.trend.map((p) => p[d]) })),
      channelLabels: satisfaction.byChannel.map((c) => c.channel),
      byChannel: DIMENSIONS.map((d) => ({ key: d, data: satisfaction.byChannel.map((c) => c[d]) })),
    };
  }, [satisfaction, language]);

  const figures = (f: SatisfactionFigures) => (
    <>
      <NumberCell value={f.answers} language={language} />
      {f.withheld ? (
        <td colSpan={4} className="muted">
          {t('dashboard.withheld', { n: n(satisfaction.minimumGroupSize) })}
        </td>
      ) : (
        DIMENSIONS.map((d) => <NumberCell key={d} value={f[d]} language={language} />)
      )}
    </>
  );
  const figureHeads = (first: string) => (
    <tr>
      <th scope="col">{first}</th>
      <th scope="col">{t('dashboard.satisfaction.answers')}</th>
      {DIMENSIONS.map((d) => (
        <th scope="col" key={d}>
          {t(`dashboard.satisfaction.${d}`)}
        </th>
      ))}
    </tr>
  );

  return (
    <div className="report-grid">
      <ReportCard
        id="cases"
        title={t('dashboard.cases.title')}
        description={t('dashboard.cases.description', { n: n(cases.total) })}
        csv={csvHref('cases', range)}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.cases.period')}</th>
                <th scope="col">{t('dashboard.cases.channel')}</th>
                <th scope="col">{t('dashboard.cases.status')}</th>
                <th scope="col">{t('dashboard.cases.count')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.rows.map((r) => (
                <tr key={`${r.period}|${r.channel}|${r.status}`}>
                  <td>{label(r.period)}</td>
                  <td>{channelName(r.channel)}</td>
                  <td>{statusName(r.status)}</td>
                  <NumberCell value={r.cases} language={language} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t('dashboard.total')}
                </th>
                <NumberCell value={cases.total} language={language} />
              </tr>
            </tfoot>
          </table>
        }
      >
        <ReportChart kind="bar" stacked labels={casesCharts.labels} series={localisedChannelSeries} language={language} label={t('dashboard.cases.title')} testId="chart-cases-channel" empty={t('dashboard.empty.cases')} />
        {cases.total > 0 && (
          <>
            <h3>{t('dashboard.cases.statusTitle')}</h3>
            <ReportChart kind="bar" stacked labels={casesCharts.labels} series={localisedStatusSeries} language={language} label={t('dashboard.cases.statusTitle')} testId="chart-cases-status" empty={t('dashboard.empty.cases')} />
          </>
        )}
      </ReportCard>

      <ReportCard
        id="durations"
        title={t('dashboard.durations.title')}
        description={t('dashboard.durations.description')}
        csv={csvHref('durations', range)}
        table={
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.durations.step')}</th>
                  <th scope="col">{t('dashboard.durations.runs')}</th>
                  <th scope="col">{t('dashboard.durations.median')}</th>
                  <th scope="col">{t('dashboard.durations.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {durations.steps.map((s) => (
                  <tr key={s.elementId}>
                    <th scope="row">{localName(s.name, language, s.elementId)}</th>
                    <NumberCell value={s.runs} language={language} />
                    <NumberCell value={s.medianHours} language={language} />
                    <NumberCell value={s.p90Hours} language={language} />
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('dashboard.durations.endToEndTitle')}</h3>
            <table data-testid="end-to-end">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.durations.outcome')}</th>
                  <th scope="col">{t('dashboard.cases.count')}</th>
                  <th scope="col">{t('dashboard.durations.median')}</th>
                  <th scope="col">{t('dashboard.durations.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {durations.endToEnd.map((e) => (
                  <tr key={e.status}>
                    <th scope="row">{e.status === 'all' ? t('dashboard.durations.all') : statusName(e.status)}</th>
                    <NumberCell value={e.cases} language={language} />
                    <NumberCell value={e.medianHours} language={language} />
                    <NumberCell value={e.p90Hours} language={language} />
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        }
      >
        {durations.endToEnd[0] && (
          <p className="report-headline" data-testid="end-to-end-median">
            {t('dashboard.durations.endToEndTitle')}: {t('dashboard.hours', { n: formatFigure(language, durations.endToEnd[0].medianHours) })} ({t('dashboard.durations.median')})
          </p>
        )}
        <StepDurationBars steps={durations.steps} language={language} />
      </ReportCard>

      <ReportCard
        id="minimum-period"
        title={t('dashboard.minimumPeriod.title')}
        description={t('dashboard.minimumPeriod.description')}
        csv={csvHref('minimumPeriod', range)}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.cases.period')}</th>
                <th scope="col">{t('dashboard.minimumPeriod.atMinimum')}</th>
                <th scope="col">{t('dashboard.minimumPeriod.later')}</th>
                <th scope="col">{t('dashboard.minimumPeriod.early')}</th>
              </tr>
            </thead>
            <tbody>
              {minimum.rows.map((r) => (
                <tr key={r.period}>
                  <td>{label(r.period)}</td>
                  <NumberCell value={r.atMinimum} language={language} />
                  <NumberCell value={r.later} language={language} />
                  <NumberCell value={r.early} language={language} />
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <p className="report-headline" data-testid="minimum-share">
          {minimum.atMinimumShare === null ? t('dashboard.minimumPeriod.noAnswers') : t('dashboard.minimumPeriod.share', { share: formatShare(language, minimum.atMinimumShare), n: n(minimum.total) })}
        </p>
        <ReportChart
          kind="bar"
          stacked
          labels={minimumChart.labels}
          series={minimumChart.series.map((s) => ({ label: t(`dashboard.minimumPeriod.${s.key}`), data: s.data, colour: s.colour }))}
          language={language}
          label={t('dashboard.minimumPeriod.title')}
          testId="chart-minimum-period"
          empty={t('dashboard.minimumPeriod.noAnswers')}
        />
      </ReportCard>

      <ReportCard
        id="overdue-tasks"
        title={t('dashboard.overdue.title')}
        description={t('dashboard.overdue.description')}
        csv={csvHref('overdue', range)}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.overdue.group')}</th>
                <th scope="col">{t('dashboard.overdue.due')}</th>
                <th scope="col">{t('dashboard.overdue.overdueOpen')}</th>
                <th scope="col">{t('dashboard.overdue.completedLate')}</th>
              </tr>
            </thead>
            <tbody>
              {overdue.groups.map((g) => (
                <tr key={g.group}>
                  <th scope="row">{groupName(g.group)}</th>
                  <NumberCell value={g.due} language={language} />
                  <NumberCell value={g.overdueOpen} language={language} />
                  <NumberCell value={g.completedLate} language={language} />
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <ReportChart
          kind="bar"
          labels={overdueChart.labels.map(groupName)}
          series={overdueChart.series.map((s) => ({ label: t(`dashboard.overdue.${s.key}`), data: s.data, colour: s.colour }))}
          language={language}
          label={t('dashboard.overdue.title')}
          testId="chart-overdue"
          empty={t('dashboard.empty.overdue')}
        />
      </ReportCard>

      <ReportCard
        id="incidents"
        title={t('dashboard.incidents.title')}
        description={t('dashboard.incidents.description')}
        csv={csvHref('incidents', range)}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.incidents.process')}</th>
                <th scope="col">{t('dashboard.incidents.element')}</th>
                <th scope="col">{t('dashboard.incidents.errorType')}</th>
                <th scope="col">{t('dashboard.incidents.openCount')}</th>
                <th scope="col">{t('dashboard.incidents.resolvedCount')}</th>
              </tr>
            </thead>
            <tbody>
              {incidents.rows.map((r) => (
                <tr key={`${r.bpmnProcessId}|${r.elementId}|${r.errorType}`}>
                  <td>
                    <bdi dir="ltr">{r.bpmnProcessId}</bdi>
                  </td>
                  <td>{localName(r.name, language, r.elementId)}</td>
                  <td>
                    <bdi dir="ltr">{r.errorType}</bdi>
                  </td>
                  <NumberCell value={r.open} language={language} />
                  <NumberCell value={r.resolved} language={language} />
                </tr>
              ))}
            </tbody>
          </table>
        }
      >
        <p className="report-headline" data-testid="incidents-open">
          {t('dashboard.incidents.open', { n: n(incidents.open) })}
        </p>
        <ReportChart
          kind="bar"
          horizontal
          stacked
          labels={incidentChart.labels}
          series={incidentChart.series.map((s) => ({ label: t(s.key === 'open' ? 'dashboard.incidents.openCount' : 'dashboard.incidents.resolvedCount'), data: s.data, colour: s.colour }))}
          language={language}
          label={t('dashboard.incidents.title')}
          testId="chart-incidents"
          empty={t('dashboard.empty.incidents')}
        />
      </ReportCard>

      <ReportCard
        id="satisfaction"
        title={t('dashboard.satisfaction.title')}
        description={t('dashboard.satisfaction.description', { n: n(satisfaction.all.answers), min: n(satisfaction.minimumGroupSize) })}
        csv={csvHref('satisfaction', range)}
        table={
          <>
            <table data-testid="satisfaction-by-channel">
              <caption>{t('dashboard.satisfaction.channelTitle')}</caption>
              <thead>{figureHeads(t('dashboard.cases.channel'))}</thead>
              <tbody>
                {satisfaction.byChannel.map((c) => (
                  <tr key={c.channel}>
                    <th scope="row">{channelName(c.channel)}</th>
                    {figures(c)}
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('dashboard.total')}</th>
                  {figures(satisfaction.all)}
                </tr>
              </tbody>
            </table>
            <table>
              <caption>{t('dashboard.satisfaction.stepTitle')}</caption>
              <thead>{figureHeads(t('dashboard.durations.step'))}</thead>
              <tbody>
                {satisfaction.byStep.map((s) => (
                  <tr key={s.elementId}>
                    <th scope="row">{localName(s.name, language, s.elementId)}</th>
                    {figures(s)}
                  </tr>
                ))}
              </tbody>
            </table>
            <table>
              <caption>{t('dashboard.satisfaction.trendTitle')}</caption>
              <thead>{figureHeads(t('dashboard.cases.period'))}</thead>
              <tbody>
                {satisfaction.trend.map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{label(p.period)}</th>
                    {figures(p)}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        }
      >
        <h3>{t('dashboard.satisfaction.trendTitle')}</h3>
        <ReportChart
          kind="line"
          min={1}
          max={5}
          labels={satisfactionCharts.trendLabels}
          series={satisfactionCharts.trend.map((s) => ({ label: t(`dashboard.satisfaction.${s.key}`), data: s.data }))}
          language={language}
          label={t('dashboard.satisfaction.trendTitle')}
          testId="chart-satisfaction-trend"
          empty={t('dashboard.empty.satisfaction', { n: n(satisfaction.minimumGroupSize) })}
        />
        <h3>{t('dashboard.satisfaction.channelTitle')}</h3>
        <ReportChart
          kind="bar"
          min={0}
          max={5}
          labels={satisfactionCharts.channelLabels.map(channelName)}
          series={satisfactionCharts.byChannel.map((s) => ({ label: t(`dashboard.satisfaction.${s.key}`), data: s.data }))}
          language={language}
          label={t('dashboard.satisfaction.channelTitle')}
          testId="chart-satisfaction-channel"
          empty={t('dashboard.empty.satisfaction', { n: n(satisfaction.minimumGroupSize) })}
        />
      </ReportCard>

      <InquiriesCard range={range} language={language} />
    </div>
  );
}

interface InquiriesReport {
  total: number;
  byKind: Array<{ kind: string; inquiries: number }>;
  byChannel: Array<{ channel: string; inquiries: number }>;
  byTopic: Array<{ topic: string; inquiries: number }>;
  timeToAnswer: Array<{ kind: string; received: number; answered: number; withinTarget: number; late: number; openOverdue: number; medianHours: number | null; escalated: number }>;
  feedback: Array<{ kind: string; topic: string; received: number; answered: number; withAction: number; actions: string[] }>;
}

/** Inquiries, suggestions and complaints (issue 20: G1, T4, T5): time to answer against target by kind, and what was done, as tables. */
function InquiriesCard({ range, language }: { range: Range; language: Language }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<InquiriesReport | null>(null);
  const n = (value: number | null) => (value === null ? '—' : formatFigure(language, value));
  useEffect(() => {
    requestJson<InquiriesReport>(`/api/reports/inquiries${rangeQuery(range)}`).then(setReport, () => setReport(null));
  }, [range]);
  if (!report) return null;
  const kind = (k: string) => t(`inquiries.kinds.${k}` as 'inquiries.kinds.question');
  const topic = (k: string) => t(`inquiries.topics.${k}` as 'inquiries.topics.other');
  return (
    <ReportCard
      id="inquiries"
      title={t('dashboard.inquiries.title')}
      description={t('dashboard.inquiries.description', { n: n(report.total) })}
      csv={`/api/reports/inquiries.csv${rangeQuery(range)}`}
      table={
        <table>
          <caption>{t('dashboard.inquiries.feedbackTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inquiries.kind')}</th>
              <th scope="col">{t('inquiries.topic')}</th>
              <th scope="col">{t('dashboard.inquiries.received')}</th>
              <th scope="col">{t('dashboard.inquiries.withAction')}</th>
              <th scope="col">{t('inquiries.actionTaken')}</th>
            </tr>
          </thead>
          <tbody>
            {report.feedback.map((f) => (
              <tr key={`${f.kind}|${f.topic}`}>
                <th scope="row">{kind(f.kind)}</th>
                <td>{topic(f.topic)}</td>
                <td>{n(f.received)}</td>
                <td>{n(f.withAction)}</td>
                <td>
                  {f.actions.map((a) => (
                    <bdi key={a}>{a} </bdi>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {report.timeToAnswer.length === 0 ? (
        <p className="muted">{t('inquiries.none')}</p>
      ) : (
        <table data-testid="inquiries-time-to-answer">
          <caption>{t('dashboard.inquiries.timeTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inquiries.kind')}</th>
              <th scope="col">{t('dashboard.inquiries.received')}</th>
              <th scope="col">{t('dashboard.inquiries.withinTarget')}</th>
              <th scope="col">{t('dashboard.inquiries.late')}</th>
              <th scope="col">{t('dashboard.inquiries.openOverdue')}</th>
              <th scope="col">{t('dashboard.inquiries.medianHours')}</th>
            </tr>
          </thead>
          <tbody>
            {report.timeToAnswer.map((r) => (
              <tr key={r.kind}>
                <th scope="row">{kind(r.kind)}</th>
                <td>{n(r.received)}</td>
                <td>{n(r.withinTarget)}</td>
                <td>{n(r.late)}</td>
                <td>{n(r.openOverdue)}</td>
                <td>{n(r.medianHours)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportCard>
  );
}
