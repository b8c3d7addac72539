export * from './camunda-api.module';
export * from './clock/clock.module';
