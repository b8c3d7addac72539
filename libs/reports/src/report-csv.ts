import { csvDocument } from '@mustafid/platform';
import type { CasesReport, IncidentsReport, InquiriesReport, MinimumPeriodReport, OverdueTasksReport, SatisfactionFigures, SatisfactionReport, StepDurationsReport } from './reports.dto';

/** Each report's numbers as a CSV file (the dashboard links each chart to one). */
export const reportCsv = {
  cases: (r: CasesReport) => csvDocument(['period', 'channel', 'status', 'cases'], r.rows.map((x) => [x.period, x.channel, x.status, x.cases])),

  stepDurations: (r: StepDurationsReport) =>
    csvDocument(
      ['measure', 'element_id', 'element_ar', 'element_en', 'clauses', 'status', 'count', 'median_hours', 'p90_hours'],
      [
        ...r.steps.map((s) => ['step', s.elementId, s.name.ar, s.name.en, s.clauses.join(' '), '', s.runs, s.medianHours, s.p90Hours]),
        ...r.endToEnd.map((e) => ['end_to_end', '', '', '', '', e.status, e.cases, e.medianHours, e.p90Hours]),
      ],
    ),

  minimumPeriod: (r: MinimumPeriodReport) => csvDocument(['period', 'at_minimum', 'later', 'early'], r.rows.map((x) => [x.period, x.atMinimum, x.later, x.early])),

  overdueTasks: (r: OverdueTasksReport) => csvDocument(['group', 'due', 'overdue_open', 'completed_late'], r.groups.map((g) => [g.group, g.due, g.overdueOpen, g.completedLate])),

  incidents: (r: IncidentsReport) =>
    csvDocument(
      ['bpmn_process_id', 'element_id', 'element_ar', 'element_en', 'error_type', 'open', 'resolved'],
      r.rows.map((x) => [x.bpmnProcessId, x.elementId, x.name.ar, x.name.en, x.errorType, x.open, x.resolved]),
    ),

  satisfaction: (r: SatisfactionReport) => {
    const figures = (f: SatisfactionFigures) => [f.answers, f.withheld, f.overall, f.clarity, f.timeTaken, f.courtesy];
    return csvDocument(
      ['grouping', 'key', 'name_ar', 'name_en', 'answers', 'withheld', 'overall', 'clarity', 'time_taken', 'courtesy'],
      [
        ['all', '', '', '', ...figures(r.all)],
        ...r.byChannel.map((c) => ['channel', c.channel, '', '', ...figures(c)]),
        ...r.byStep.map((s) => ['step', s.elementId, s.name.ar, s.name.en, ...figures(s)]),
        ...r.trend.map((t) => ['period', t.period, '', '', ...figures(t)]),
      ],
    );
  },

  inquiries: (r: InquiriesReport) =>
    csvDocument(
      ['measure', 'period', 'channel', 'kind', 'topic', 'count', 'answered', 'within_target', 'late', 'open_overdue', 'median_hours', 'with_action', 'average_rating'],
      [
        ...r.rows.map((x) => ['received', x.period, x.channel, x.kind, x.topic, x.inquiries, '', '', '', '', '', '', '']),
        ...r.timeToAnswer.map((x) => ['time_to_answer', '', '', x.kind, '', x.received, x.answered, x.withinTarget, x.late, x.openOverdue, x.medianHours, '', '']),
        ...r.feedback.map((x) => ['feedback', '', '', x.kind, x.topic, x.received, x.answered, '', '', '', '', x.withAction, '']),
        ...r.ratings.map((x) => ['rating', '', '', x.kind, '', x.ratings, '', '', '', '', '', '', x.average]),
      ],
    ),
};
