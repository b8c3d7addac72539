export * from './tasks.module';
export { FormRegistry } from './forms/form-registry';
export { type FormSchema, validateAgainstForm } from './forms/form-schema';
