export * from './reports.module';
export { REPORT_READERS } from './reports.controller';
export { MAX_RANGE_DAYS, REPORT_TIME_ZONE } from './report-range';
export { AT_MINIMUM_WINDOW, MINIMUM_SATISFACTION_GROUP } from './reports.service';
