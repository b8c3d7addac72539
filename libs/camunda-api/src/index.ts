export * from './camunda-api.module';
