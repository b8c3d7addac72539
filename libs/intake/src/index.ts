export * from './intake.module';
export { INTAKE_JOB_TYPES, IntakeWorkers } from './workers/intake-workers';
export { INTAKE_PROCESS_ID, readIntakeDiagram } from './diagram/intake-diagram';
export { checkNationalId, withCheckDigit } from './applications/national-id';
