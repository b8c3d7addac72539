export * from './intake.module';
export { INTAKE_JOB_TYPES, IntakeWorkers } from './workers/intake-workers';
export { INTAKE_PROCESS_ID, bpmnDir, readFormFiles, readIntakeDiagram } from './diagram/intake-diagram';
export { CasesService } from './cases/cases.service';
export { CHANNEL_NAMES, DOCUMENT_NAMES } from './applications/vocabulary';
export { CASE_READERS } from './cases/cases.controller';
export { checkNationalId, withCheckDigit } from './applications/national-id';
export { RetentionService } from './retention/retention.service';
export { SERVICE_DELIVERY_FORM, ServiceDelivery, ServiceDateBeforeDecisionError, serviceDateProblem } from './service/service-delivery';
