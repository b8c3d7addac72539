export { EngineApiModule } from './engine-api.module';
export { TestClockModule } from './test-clock.module';
export { deploymentAuditEntries } from './deployment-audit';
