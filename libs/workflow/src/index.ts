export * from './port/workflow-engine';
export * from './workflow.module';
export * from './test-clock.module';
export { AdjustableClock, CLOCK, type Clock } from './embedded/clock';
export { EmbeddedWorkflowEngine } from './embedded/embedded-engine';
export { InvalidBpmnError, type BpmnProblem } from './model/safe-xml';
export { elementNames, type ElementName } from './model/element-names';
export { durationMs } from './embedded/duration';
