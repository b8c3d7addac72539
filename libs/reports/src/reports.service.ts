import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EngineAuditFeed } from '@mustafid/audit/feed/engine-audit-feed';
import { SqlConditions } from '@mustafid/database';
import { CLOCK, type Clock, ProcessElementNames, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { REPORT_TIME_ZONE, type ReportRange, dayStart, nextDay, reportRange } from './report-range';
import type {
  CasesReport,
  IncidentsReport,
  LocalisedNameView,
  MinimumPeriodReport,
  OverdueTasksReport,
  ReportQueryDto,
  SatisfactionFigures,
  SatisfactionReport,
  StepDurationsReport,
  InquiriesReport,
} from './reports.dto';

/** Averages of smaller groups of survey answers are withheld, so a rating cannot be traced to one request (T3). */
export const MINIMUM_SATISFACTION_GROUP = 3;

/** The diagram elements whose start and end make a step: activities, not events or gateways. */
const STEP_TYPES = ['bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:SubProcess'];

/** A committee answer communicated less than this after the earliest answer date went out "at the minimum period". */
export const AT_MINIMUM_WINDOW = '1 day';

/** `column` falls on one of the range's days (Riyadh time). */
function within(c: SqlConditions, column: string, range: ReportRange): SqlConditions {
  c.add((p) => `${column} >= (${p}::date::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`, range.from);
  c.add((p) => `${column} < ((${p}::date + 1)::timestamp AT TIME ZONE '${REPORT_TIME_ZONE}')`, range.to);
  return c;
}

/** The first day (YYYY-MM-DD) of the period `column` falls in; its bucket is a parameter. */
function periodOf(c: SqlConditions, column: string, range: ReportRange): string {
  return `to_char(date_trunc(${c.param(range.bucket)}::text, ${column} AT TIME ZONE '${REPORT_TIME_ZONE}'), 'YYYY-MM-DD')`;
}

/** Hours with one decimal from seconds (numeric, so the rounding is exact). */
const hours = (seconds: string) => `round((${seconds})::numeric / 3600, 1)::float8`;

type Row = Record<string, unknown>;

/**
 * The managers' reports (issue 9), each one SQL pass over the data the rest of Mustafid writes:
 * cases (intake_application, intake_committee_decision, intake_survey_answer), the task store
 * (task), the engine's incidents (through the engine port) and the engine's events as copied into the
 * audit log (audit_event), so there is no second copy to drift. Nothing here names a person.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly names: ProcessElementNames,
    private readonly feed: EngineAuditFeed,
  ) {}

  range(query: ReportQueryDto): ReportRange {
    return reportRange(query, this.clock.now());
  }

  /** Every period of the range, in order. */
  private async periods(range: ReportRange): Promise<string[]> {
    const rows: Array<{ period: string }> = await this.db.query(
      `SELECT to_char(p, 'YYYY-MM-DD') AS period
         FROM generate_series(date_trunc($1::text, $2::date::timestamp), date_trunc($1::text, $3::date::timestamp), ('1 ' || $1::text)::interval) p`,
      [range.bucket, range.from, range.to],
    );
    return rows.map((r) => r.period);
  }

  private async nameOf(processDefinitionKey: string | null, elementId: string): Promise<{ name: LocalisedNameView; clauses: string[] }> {
    if (!processDefinitionKey) return { name: {}, clauses: [] };
    const n = (await this.names.of(processDefinitionKey)).get(elementId);
    return { name: { ar: n?.ar, en: n?.en }, clauses: n?.clauses ?? [] };
  }

  async cases(query: ReportQueryDto): Promise<CasesReport> {
    const range = this.range(query);
    const c = within(new SqlConditions(), 'a.submitted_at', range);
    const rows: Array<{ period: string; channel: string; status: string; cases: number }> = await this.db.query(
      `SELECT ${periodOf(c, 'a.submitted_at', range)} AS period, a.channel, a.status, count(*)::int AS cases
         FROM intake_application a ${c.where()}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      c.params,
    );
    const sum = (key: 'channel' | 'status') => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r[key], (m.get(r[key]) ?? 0) + r.cases);
      return [...m].sort(([a], [b]) => a.localeCompare(b));
    };
    return {
      range,
      periods: await this.periods(range),
      rows,
      byChannel: sum('channel').map(([channel, cases]) => ({ channel, cases })),
      byStatus: sum('status').map(([status, cases]) => ({ status, cases })),
      total: rows.reduce((n, r) => n + r.cases, 0),
    };
  }

  async stepDurations(query: ReportQueryDto): Promise<StepDurationsReport> {
    const range = this.range(query);
    await this.feed.catchUp();
    // A step's start and end are the engine's ELEMENT_ACTIVATED and ELEMENT_COMPLETED events of
    // one element instance, as the audit log holds them (with the case they belong to).
    const c = within(new SqlConditions(), 'e.at', range).raw(`e.action = 'engine.ELEMENT_COMPLETED'`).raw('e.case_id IS NOT NULL');
    const types = c.param(STEP_TYPES);
    const steps: Row[] = await this.db.query(
      `WITH ended AS (
         SELECT e.case_id, e.element_id, e.details->>'elementInstanceKey' AS eik, e.at
           FROM audit_event e ${c.where()}
       ), started AS (
         SELECT s.case_id, s.element_id, s.details->>'elementInstanceKey' AS eik, s.at, s.seq
           FROM audit_event s
          WHERE s.action = 'engine.ELEMENT_ACTIVATED' AND s.details->>'elementType' = ANY(${types}::text[])
            AND s.case_id IN (SELECT case_id FROM ended)
       )
       SELECT ended.element_id AS "elementId", max(a.process_definition_key)::text AS pdk, count(*)::int AS runs,
              ${hours('percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended.at - started.at))')} AS "medianHours",
              ${hours('percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ended.at - started.at))')} AS "p90Hours"
         FROM ended
         JOIN started USING (case_id, element_id, eik)
         JOIN intake_application a ON a.id = ended.case_id
        GROUP BY ended.element_id
        -- In the order people meet the steps: by how long after submission they start on
        -- average, and, among steps that start at the same moment, in the order the engine ran them.
        ORDER BY avg(extract(epoch FROM started.at - a.submitted_at)), min(started.seq), ended.element_id`,
      c.params,
    );
    const e = within(new SqlConditions(), 'closed_at', range).raw(`status <> 'cancelled'`);
    const endToEnd: Row[] = await this.db.query(
      `SELECT CASE WHEN grouping(status) = 1 THEN 'all' ELSE status END AS status, count(*)::int AS cases,
              ${hours('percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - submitted_at))')} AS "medianHours",
              ${hours('percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - submitted_at))')} AS "p90Hours"
         FROM intake_application ${e.where()}
        GROUP BY GROUPING SETS ((status), ())
        ORDER BY grouping(status) DESC, status`,
      e.params,
    );
    return {
      range,
      steps: await Promise.all(
        steps.map(async ({ pdk, ...s }) => ({ ...(s as { elementId: string; runs: number; medianHours: number; p90Hours: number }), ...(await this.nameOf(pdk as string, s.elementId as string)) })),
      ),
      endToEnd: endToEnd as unknown as StepDurationsReport['endToEnd'],
    };
  }

  async minimumPeriod(query: ReportQueryDto): Promise<MinimumPeriodReport> {
    const range = this.range(query);
    const c = within(new SqlConditions(), 'd.communicated_at', range).raw('a.earliest_answer_at IS NOT NULL');
    const window = c.param(AT_MINIMUM_WINDOW);
    const rows: MinimumPeriodReport['rows'] = await this.db.query(
      `SELECT ${periodOf(c, 'd.communicated_at', range)} AS period,
              count(*) FILTER (WHERE d.communicated_at >= a.earliest_answer_at AND d.communicated_at < a.earliest_answer_at + ${window}::interval)::int AS "atMinimum",
              count(*) FILTER (WHERE d.communicated_at >= a.earliest_answer_at + ${window}::interval)::int AS later,
              count(*) FILTER (WHERE d.communicated_at < a.earliest_answer_at)::int AS early
         FROM intake_committee_decision d JOIN intake_application a ON a.id = d.application_id
         ${c.where()}
        GROUP BY 1 ORDER BY 1`,
      c.params,
    );
    const total = (k: 'atMinimum' | 'later' | 'early') => rows.reduce((n, r) => n + r[k], 0);
    const all = total('atMinimum') + total('later') + total('early');
    return {
      range,
      periods: await this.periods(range),
      rows,
      total: all,
      atMinimum: total('atMinimum'),
      later: total('later'),
      early: total('early'),
      atMinimumShare: all ? Math.round((total('atMinimum') / all) * 10_000) / 10_000 : null,
    };
  }

  async overdueTasks(query: ReportQueryDto): Promise<OverdueTasksReport> {
    const range = this.range(query);
    const asOf = this.clock.now();
    const c = within(new SqlConditions(), 't.due_date', range).raw(`t.state <> 'cancelled'`);
    const now = c.param(asOf);
    const groups: OverdueTasksReport['groups'] = await this.db.query(
      `SELECT g AS "group", count(*)::int AS due,
              count(*) FILTER (WHERE t.state IN ('open', 'completing') AND t.due_date < ${now})::int AS "overdueOpen",
              count(*) FILTER (WHERE t.state = 'completed' AND t.completed_at > t.due_date)::int AS "completedLate"
         FROM task t CROSS JOIN LATERAL unnest(t.candidate_groups) g
         ${c.where()}
        GROUP BY g ORDER BY g`,
      c.params,
    );
    return { range, asOf: asOf.toISOString(), groups };
  }

  async incidents(query: ReportQueryDto): Promise<IncidentsReport> {
    const range = this.range(query);
    // Through the engine port, so the report reads Zeebe's incidents (the mirror) as well as the embedded engine's.
    const counts = await this.engine.countIncidents({ from: dayStart(range.from), to: dayStart(nextDay(range.to)) });
    const rows = await Promise.all(
      counts.map(async ({ processDefinitionKey, ...r }) => ({ ...r, name: (await this.nameOf(processDefinitionKey, r.elementId)).name })),
    );
    return { range, open: rows.reduce((n, r) => n + r.open, 0), resolved: rows.reduce((n, r) => n + r.resolved, 0), rows };
  }

  async satisfaction(query: ReportQueryDto): Promise<SatisfactionReport> {
    const range = this.range(query);
    await this.feed.catchUp();
    const figures = `count(*)::int AS answers,
      round(avg(s.overall), 2)::float8 AS overall, round(avg(s.clarity), 2)::float8 AS clarity,
      round(avg(s.time_taken), 2)::float8 AS "timeTaken", round(avg(s.courtesy), 2)::float8 AS courtesy`;
    const answers = (c: SqlConditions) => within(c, 's.answered_at', range);
    const all = answers(new SqlConditions());
    const [overall] = await this.db.query(`SELECT ${figures} FROM intake_survey_answer s ${all.where()}`, all.params);
    const ch = answers(new SqlConditions());
    const byChannel = await this.db.query(
      `SELECT a.channel, ${figures} FROM intake_survey_answer s JOIN intake_application a ON a.id = s.application_id ${ch.where()} GROUP BY a.channel ORDER BY a.channel`,
      ch.params,
    );
    const tr = answers(new SqlConditions());
    const trend = await this.db.query(`SELECT ${periodOf(tr, 's.answered_at', range)} AS period, ${figures} FROM intake_survey_answer s ${tr.where()} GROUP BY 1 ORDER BY 1`, tr.params);
    // "By step": every step (activity) the rated request went through, as the engine's events in
    // the audit log show it; a request counts once per step however often it ran the step.
    const st = answers(new SqlConditions());
    const types = st.param(STEP_TYPES);
    const byStep: Row[] = await this.db.query(
      `WITH rated AS (SELECT s.* FROM intake_survey_answer s ${st.where()}),
            path AS (
              SELECT e.case_id, e.element_id, min(e.at) AS first_at FROM audit_event e
               WHERE e.action = 'engine.ELEMENT_ACTIVATED' AND e.details->>'elementType' = ANY(${types}::text[])
                 AND e.case_id IN (SELECT application_id FROM rated)
               GROUP BY 1, 2)
       SELECT path.element_id AS "elementId", max(a.process_definition_key)::text AS pdk, ${figures}
         FROM rated s JOIN path ON path.case_id = s.application_id JOIN intake_application a ON a.id = s.application_id
        GROUP BY path.element_id ORDER BY avg(extract(epoch FROM path.first_at - a.submitted_at)), path.element_id`,
      st.params,
    );
    return {
      range,
      minimumGroupSize: MINIMUM_SATISFACTION_GROUP,
      all: withhold(overall),
      byChannel: byChannel.map(withhold),
      byStep: await Promise.all(
        byStep.map(async ({ pdk, ...r }) => ({ ...withhold(r), elementId: r.elementId as string, ...(await this.nameOf(pdk as string, r.elementId as string)) })),
      ),
      trend: trend.map(withhold),
    };
  }

  /**
   * Inquiries, suggestions, complaints and compliments (G1, T4, T5) received in the range: by
   * period, channel, kind and topic; time to answer against the target the diagram set for each
   * kind; complaints and suggestions by topic with what was done; the people's ratings of the
   * answers, averages withheld under MINIMUM_SATISFACTION_GROUP (T3). Nothing names a person.
   */
  async inquiries(query: ReportQueryDto): Promise<InquiriesReport> {
    const range = this.range(query);
    const c = within(new SqlConditions(), 'i.received_at', range);
    const rows: InquiriesReport['rows'] = await this.db.query(
      `SELECT ${periodOf(c, 'i.received_at', range)} AS period, i.channel, i.kind, i.topic, count(*)::int AS inquiries
         FROM inquiry i ${c.where()} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      c.params,
    );
    const sum = <K extends 'channel' | 'kind' | 'topic'>(key: K) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r[key], (m.get(r[key]) ?? 0) + r.inquiries);
      return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, inquiries]) => ({ [key]: k, inquiries }) as Record<K, string> & { inquiries: number });
    };
    const t = within(new SqlConditions(), 'i.received_at', range);
    const now = t.param(this.clock.now());
    const timeToAnswer: InquiriesReport['timeToAnswer'] = await this.db.query(
      `SELECT i.kind, count(*)::int AS received, count(i.answered_at)::int AS answered,
              count(*) FILTER (WHERE i.answered_at <= i.due_at)::int AS "withinTarget",
              count(*) FILTER (WHERE i.answered_at > i.due_at)::int AS late,
              count(*) FILTER (WHERE i.answered_at IS NULL AND i.due_at < ${now})::int AS "openOverdue",
              ${hours('percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.answered_at - i.received_at))')} AS "medianHours",
              count(i.reminded_at)::int AS reminded, count(i.escalated_at)::int AS escalated
         FROM inquiry i ${t.where()} GROUP BY i.kind ORDER BY i.kind`,
      t.params,
    );
    const f = within(new SqlConditions(), 'i.received_at', range).raw(`i.kind IN ('complaint', 'suggestion')`);
    const feedback: InquiriesReport['feedback'] = await this.db.query(
      `SELECT i.kind, i.topic, count(*)::int AS received, count(i.answered_at)::int AS answered,
              count(*) FILTER (WHERE i.action_taken IS NOT NULL AND i.action_taken <> '')::int AS "withAction",
              COALESCE((array_agg(i.action_taken ORDER BY i.answered_at DESC) FILTER (WHERE i.action_taken IS NOT NULL AND i.action_taken <> ''))[1:5], '{}') AS actions
         FROM inquiry i ${f.where()} GROUP BY 1, 2 ORDER BY 1, 2`,
      f.params,
    );
    const r = within(new SqlConditions(), 'x.rated_at', range);
    const ratings: Array<{ kind: string; ratings: number; average: number | null }> = await this.db.query(
      `SELECT i.kind, count(*)::int AS ratings, round(avg(x.rating), 2)::float8 AS average
         FROM inquiry_rating x JOIN inquiry i ON i.id = x.inquiry_id ${r.where()} GROUP BY i.kind ORDER BY i.kind`,
      r.params,
    );
    return {
      range,
      periods: await this.periods(range),
      rows,
      byChannel: sum('channel'),
      byKind: sum('kind'),
      byTopic: sum('topic'),
      total: rows.reduce((n, x) => n + x.inquiries, 0),
      timeToAnswer: timeToAnswer.map((x) => ({ ...x, medianHours: x.answered ? x.medianHours : null })),
      feedback,
      minimumGroupSize: MINIMUM_SATISFACTION_GROUP,
      ratings: ratings.map((x) => {
        const withheld = x.ratings < MINIMUM_SATISFACTION_GROUP;
        return { kind: x.kind, ratings: x.ratings, withheld, average: withheld ? null : Number(x.average) };
      }),
    };
  }
}

/** A group's figures, with the averages withheld when it has fewer than MINIMUM_SATISFACTION_GROUP answers. */
function withhold<T extends Row>(row: T): T & SatisfactionFigures {
  const answers = Number(row.answers ?? 0);
  const withheld = answers < MINIMUM_SATISFACTION_GROUP;
  const avg = (v: unknown) => (withheld || v === null || v === undefined ? null : Number(v));
  return { ...row, answers, withheld, overall: avg(row.overall), clarity: avg(row.clarity), timeTaken: avg(row.timeTaken), courtesy: avg(row.courtesy) };
}
