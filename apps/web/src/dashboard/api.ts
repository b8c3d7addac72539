import { requestJson } from '../session/api';
import type { LocalisedName } from '../tasks/api';

/**
 * The managers' reports (libs/reports), each read-only, for a range of days:
 *   GET /api/reports/{cases,step-durations,minimum-period,overdue-tasks,incidents,satisfaction}?from&to&bucket
 * and each as CSV at the same path with `.csv`.
 */
export type Bucket = 'day' | 'week' | 'month';

export interface ReportRange {
  from: string;
  to: string;
  bucket: Bucket;
  timeZone: string;
}

export interface CasesReport {
  range: ReportRange;
  periods: string[];
  rows: Array<{ period: string; channel: string; status: string; cases: number }>;
  byChannel: Array<{ channel: string; cases: number }>;
  byStatus: Array<{ status: string; cases: number }>;
  total: number;
}

export interface StepDurationsReport {
  range: ReportRange;
  steps: Array<{ elementId: string; name: LocalisedName; clauses: string[]; runs: number; medianHours: number; p90Hours: number }>;
  endToEnd: Array<{ status: string; cases: number; medianHours: number; p90Hours: number }>;
}

export interface MinimumPeriodReport {
  range: ReportRange;
  periods: string[];
  rows: Array<{ period: string; atMinimum: number; later: number; early: number }>;
  total: number;
  atMinimum: number;
  later: number;
  early: number;
  atMinimumShare: number | null;
}

export interface OverdueTasksReport {
  range: ReportRange;
  asOf: string;
  groups: Array<{ group: string; due: number; overdueOpen: number; completedLate: number }>;
}

export interface IncidentsReport {
  range: ReportRange;
  open: number;
  resolved: number;
  rows: Array<{ bpmnProcessId: string; elementId: string; name: LocalisedName; errorType: string; open: number; resolved: number }>;
}

export interface SatisfactionFigures {
  answers: number;
  withheld: boolean;
  overall: number | null;
  clarity: number | null;
  timeTaken: number | null;
  courtesy: number | null;
}

export interface SatisfactionReport {
  range: ReportRange;
  minimumGroupSize: number;
  all: SatisfactionFigures;
  byChannel: Array<SatisfactionFigures & { channel: string }>;
  byStep: Array<SatisfactionFigures & { elementId: string; name: LocalisedName; clauses: string[] }>;
  trend: Array<SatisfactionFigures & { period: string }>;
}

export interface Reports {
  cases: CasesReport;
  durations: StepDurationsReport;
  minimumPeriod: MinimumPeriodReport;
  overdue: OverdueTasksReport;
  incidents: IncidentsReport;
  satisfaction: SatisfactionReport;
}

export const REPORT_PATHS: Record<keyof Reports, string> = {
  cases: 'cases',
  durations: 'step-durations',
  minimumPeriod: 'minimum-period',
  overdue: 'overdue-tasks',
  incidents: 'incidents',
  satisfaction: 'satisfaction',
};

/** The query string of a range (only the parts given; the server fills in its defaults). */
export function rangeQuery(range: { from?: string; to?: string; bucket?: Bucket }): string {
  const q = new URLSearchParams();
  if (range.from) q.set('from', range.from);
  if (range.to) q.set('to', range.to);
  if (range.bucket) q.set('bucket', range.bucket);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Where a report's CSV file is. */
export function csvHref(report: keyof Reports, range: { from?: string; to?: string; bucket?: Bucket }): string {
  return `/api/reports/${REPORT_PATHS[report]}.csv${rangeQuery(range)}`;
}

export async function fetchReports(range: { from?: string; to?: string; bucket?: Bucket }): Promise<Reports> {
  const query = rangeQuery(range);
  const get = <T,>(report: keyof Reports) => requestJson<T>(`/api/reports/${REPORT_PATHS[report]}${query}`);
  const [cases, durations, minimumPeriod, overdue, incidents, satisfaction] = await Promise.all([
    get<CasesReport>('cases'),
    get<StepDurationsReport>('durations'),
    get<MinimumPeriodReport>('minimumPeriod'),
    get<OverdueTasksReport>('overdue'),
    get<IncidentsReport>('incidents'),
    get<SatisfactionReport>('satisfaction'),
  ]);
  return { cases, durations, minimumPeriod, overdue, incidents, satisfaction };
}
