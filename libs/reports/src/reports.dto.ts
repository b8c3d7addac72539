import { IsIn, IsOptional } from 'class-validator';
import { BUCKETS, type Bucket, IsIsoDate } from './report-range';

/** The date range every report takes (days in Riyadh time, both included) and how its time series are counted. */
export class ReportQueryDto {
  /** First day, YYYY-MM-DD; default 89 days before `to`. */
  @IsOptional() @IsIsoDate()
  from?: string;

  /** Last day, YYYY-MM-DD, at most 366 days after `from`; default today. */
  @IsOptional() @IsIsoDate()
  to?: string;

  /** The period time series are counted by. */
  @IsOptional() @IsIn(BUCKETS, { message: `bucket must be one of ${BUCKETS.join(', ')}` })
  bucket?: Bucket;
}

export class ReportRangeView {
  from!: string;
  to!: string;
  bucket!: Bucket;
  /** Days and periods are counted in this time zone. */
  timeZone!: string;
}

export class LocalisedNameView {
  ar?: string;
  en?: string;
}

export class CasesRow {
  /** First day of the period (YYYY-MM-DD). */
  period!: string;
  /** C1–C8. */
  channel!: string;
  /** open, closed-incomplete, rejected, completed or cancelled (now). */
  status!: string;
  cases!: number;
}

export class ChannelCount {
  channel!: string;
  cases!: number;
}

export class StatusCount {
  status!: string;
  cases!: number;
}

/** Requests submitted in the range, by period, channel and the status they have now. */
export class CasesReport {
  range!: ReportRangeView;
  /** Every period of the range, in order, including those with no case. */
  periods!: string[];
  rows!: CasesRow[];
  byChannel!: ChannelCount[];
  byStatus!: StatusCount[];
  total!: number;
}

export class StepDurationRow {
  /** The diagram element (activity) of the step. */
  elementId!: string;
  name!: LocalisedNameView;
  /** Policy clauses the step carries out (the element's `policy` property), e.g. ["S5", "O3"]. */
  clauses!: string[];
  /** Times the step finished in the range. */
  runs!: number;
  /** Median time from the step's start to its end, in hours (one decimal). */
  medianHours!: number;
  /** 90th percentile (interpolated, PostgreSQL percentile_cont), in hours. */
  p90Hours!: number;
}

export class EndToEndRow {
  /** The status the case ended with, or `all`. */
  status!: string;
  cases!: number;
  medianHours!: number;
  p90Hours!: number;
}

/** How long the steps that finished in the range took, and requests closed in the range from submission to close. */
export class StepDurationsReport {
  range!: ReportRangeView;
  steps!: StepDurationRow[];
  endToEnd!: EndToEndRow[];
}

export class MinimumPeriodRow {
  period!: string;
  /** Answers communicated within a day after the earliest answer date (the minimum period). */
  atMinimum!: number;
  /** Answers communicated a day or more after it. */
  later!: number;
  /** Answers communicated before it: the policy forbids these, so this stays 0. */
  early!: number;
}

/** Committee answers communicated in the range: at the minimum period (S5) or later. */
export class MinimumPeriodReport {
  range!: ReportRangeView;
  periods!: string[];
  rows!: MinimumPeriodRow[];
  total!: number;
  atMinimum!: number;
  later!: number;
  early!: number;
  /** atMinimum ÷ total (four decimals), or null when no answer went out. */
  atMinimumShare!: number | null;
}

export class OverdueGroupRow {
  /** A candidate group (a role). */
  group!: string;
  /** Tasks of the group due in the range. */
  due!: number;
  /** Of those, still open and past their due date now. */
  overdueOpen!: number;
  /** Of those, completed after their due date. */
  completedLate!: number;
}

/** Tasks due in the range, by candidate group: overdue now, or done late. No person is named. */
export class OverdueTasksReport {
  range!: ReportRangeView;
  /** The moment "overdue" is measured at. */
  asOf!: string;
  groups!: OverdueGroupRow[];
}

export class IncidentRow {
  bpmnProcessId!: string;
  elementId!: string;
  name!: LocalisedNameView;
  errorType!: string;
  /** Raised in the range and not resolved. */
  open!: number;
  /** Raised in the range and resolved since. */
  resolved!: number;
}

/** Engine incidents raised in the range, by process, element and error type. */
export class IncidentsReport {
  range!: ReportRangeView;
  open!: number;
  resolved!: number;
  rows!: IncidentRow[];
}

/** Averages of a group of answers (1–5, two decimals); null when the group is smaller than the minimum. */
export class SatisfactionFigures {
  answers!: number;
  /** True when the group has fewer answers than minimumGroupSize: averages are withheld (T3). */
  withheld!: boolean;
  overall!: number | null;
  clarity!: number | null;
  timeTaken!: number | null;
  courtesy!: number | null;
}

export class SatisfactionByChannel extends SatisfactionFigures {
  channel!: string;
}

export class SatisfactionByStep extends SatisfactionFigures {
  /** A step (diagram activity) the rated requests went through. */
  elementId!: string;
  name!: LocalisedNameView;
  clauses!: string[];
}

export class SatisfactionByPeriod extends SatisfactionFigures {
  period!: string;
}

/**
 * Survey answers given in the range, in aggregate only: by channel, by step the rated
 * requests went through, and by period. Comments are not part of it (T3).
 */
export class SatisfactionReport {
  range!: ReportRangeView;
  /** Smallest group whose averages are shown. */
  minimumGroupSize!: number;
  all!: SatisfactionFigures;
  byChannel!: SatisfactionByChannel[];
  byStep!: SatisfactionByStep[];
  trend!: SatisfactionByPeriod[];
}

export class InquiriesRow {
  /** First day of the period (YYYY-MM-DD). */
  period!: string;
  /** C1–C8. */
  channel!: string;
  /** question, suggestion, complaint or compliment. */
  kind!: string;
  /** What it was about (libs/inquiry vocabulary). */
  topic!: string;
  inquiries!: number;
}

export class InquiryTimeToAnswer {
  kind!: string;
  /** Received in the range. */
  received!: number;
  /** Of those, answered (by now). */
  answered!: number;
  /** Answered no later than the response-time target the diagram set for the kind. */
  withinTarget!: number;
  /** Answered after the target. */
  late!: number;
  /** Not answered and past the target now. */
  openOverdue!: number;
  /** Median hours from receipt to answer (one decimal), null with no answer. */
  medianHours!: number | null;
  /** Reminded (Event_AnswerReminder) and escalated to a supervisor (Event_AnswerOverdue). */
  reminded!: number;
  escalated!: number;
}

export class InquiryFeedbackByTopic {
  /** complaint or suggestion. */
  kind!: string;
  topic!: string;
  received!: number;
  answered!: number;
  /** Answered with what was done recorded (T5). */
  withAction!: number;
  /** What was done, newest first (at most five; written by staff, without who wrote it). */
  actions!: string[];
}

export class InquiryRatingFigures {
  kind!: string;
  ratings!: number;
  /** True when there are fewer than the minimum group: the average is withheld (T3). */
  withheld!: boolean;
  average!: number | null;
}

export class InquiriesByChannel {
  channel!: string;
  inquiries!: number;
}

export class InquiriesByKind {
  kind!: string;
  inquiries!: number;
}

export class InquiriesByTopic {
  topic!: string;
  inquiries!: number;
}

export class InquiriesReport {
  range!: ReportRangeView;
  periods!: string[];
  rows!: InquiriesRow[];
  byChannel!: InquiriesByChannel[];
  byKind!: InquiriesByKind[];
  byTopic!: InquiriesByTopic[];
  total!: number;
  timeToAnswer!: InquiryTimeToAnswer[];
  feedback!: InquiryFeedbackByTopic[];
  minimumGroupSize!: number;
  ratings!: InquiryRatingFigures[];
}
