import { Controller, Get, Query, Res, applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Role, Roles } from '@mustafid/auth';
import type { Response } from 'express';
import { reportCsv } from './report-csv';
import { type CasesReport, type IncidentsReport, type InquiriesReport, type MinimumPeriodReport, type OverdueTasksReport, ReportQueryDto, type SatisfactionReport, type StepDurationsReport } from './reports.dto';
import { ReportsService } from './reports.service';

/** Who reads the service-quality reports: managers and administrators. */
export const REPORT_READERS: [Role, ...Role[]] = ['manager', 'admin'];

/** A report's CSV twin: GET `<name>.csv`, documented as a text/csv file. */
const CsvReport = (name: string) =>
  applyDecorators(
    Get(`${name}.csv`),
    ApiProduces('text/csv'),
    ApiOkResponse({ description: 'The report as CSV (UTF-8 with a byte-order mark)', content: { 'text/csv': { schema: { type: 'string' } } } }),
  );

function sendCsv(res: Response, name: string, range: { from: string; to: string }, csv: string): void {
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${name}-${range.from}-${range.to}.csv"`);
  res.send(csv);
}

/**
 * The service-quality reports behind the managers' dashboard (O5, T3–T5), for a range of days
 * (`from`, `to`, YYYY-MM-DD in Riyadh time, at most 366 days) counted by `bucket`. Each has a
 * `.csv` twin (UTF-8 with a byte-order mark). All are aggregates: no person is named.
 */
@ApiTags('reports')
@Controller('reports')
@Roles(...REPORT_READERS)
@ApiBadRequestResponse({ description: 'A date not written YYYY-MM-DD, from after to, a range over 366 days, or an unknown bucket (VALIDATION_FAILED, details.fields)' })
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** Requests submitted in the range by period, channel (C1–C8) and status. */
  @Get('cases')
  cases(@Query() query: ReportQueryDto): Promise<CasesReport> {
    return this.reports.cases(query);
  }

  @CsvReport('cases')
  async casesCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.cases(query);
    sendCsv(res, 'cases', r.range, reportCsv.cases(r));
  }

  /** Median and 90th-percentile time of each step finished in the range, and end to end for requests closed in it. */
  @Get('step-durations')
  stepDurations(@Query() query: ReportQueryDto): Promise<StepDurationsReport> {
    return this.reports.stepDurations(query);
  }

  @CsvReport('step-durations')
  async stepDurationsCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.stepDurations(query);
    sendCsv(res, 'step-durations', r.range, reportCsv.stepDurations(r));
  }

  /** Committee answers communicated in the range: at the minimum period (S5) or later. */
  @Get('minimum-period')
  minimumPeriod(@Query() query: ReportQueryDto): Promise<MinimumPeriodReport> {
    return this.reports.minimumPeriod(query);
  }

  @CsvReport('minimum-period')
  async minimumPeriodCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.minimumPeriod(query);
    sendCsv(res, 'minimum-period', r.range, reportCsv.minimumPeriod(r));
  }

  /** Tasks due in the range by candidate group: overdue and still open, or completed late. */
  @Get('overdue-tasks')
  overdueTasks(@Query() query: ReportQueryDto): Promise<OverdueTasksReport> {
    return this.reports.overdueTasks(query);
  }

  @CsvReport('overdue-tasks')
  async overdueTasksCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.overdueTasks(query);
    sendCsv(res, 'overdue-tasks', r.range, reportCsv.overdueTasks(r));
  }

  /** Engine incidents raised in the range: open and resolved, by process, element and error type. */
  @Get('incidents')
  incidents(@Query() query: ReportQueryDto): Promise<IncidentsReport> {
    return this.reports.incidents(query);
  }

  @CsvReport('incidents')
  async incidentsCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.incidents(query);
    sendCsv(res, 'incidents', r.range, reportCsv.incidents(r));
  }

  /** Survey answers given in the range, averaged by channel, step and period; small groups withheld, comments left out (T3). */
  @Get('satisfaction')
  satisfaction(@Query() query: ReportQueryDto): Promise<SatisfactionReport> {
    return this.reports.satisfaction(query);
  }

  @CsvReport('satisfaction')
  async satisfactionCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.satisfaction(query);
    sendCsv(res, 'satisfaction', r.range, reportCsv.satisfaction(r));
  }

  /** Inquiries, suggestions, complaints and compliments: by channel, kind and topic; time to answer against target; what was done; ratings (aggregate). */
  @Get('inquiries')
  inquiries(@Query() query: ReportQueryDto): Promise<InquiriesReport> {
    return this.reports.inquiries(query);
  }

  @CsvReport('inquiries')
  async inquiriesCsv(@Query() query: ReportQueryDto, @Res() res: Response): Promise<void> {
    const r = await this.reports.inquiries(query);
    sendCsv(res, 'inquiries', r.range, reportCsv.inquiries(r));
  }
}
