import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { DomainError } from './domain-error';

/** `{ "documents.0.expiryDate": ["…"] }`: each invalid field with what is wrong with it. */
export type FieldProblems = Record<string, string[]>;

export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblems {
  const out: FieldProblems = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    Object.assign(out, fieldProblems(e.children ?? [], path));
  }
  return out;
}

/** A 400 whose message lists every field's problem and whose details map each field to its messages. */
export function validationFailure(errors: ValidationError[] | FieldProblems): DomainError {
  const fields = Array.isArray(errors) ? fieldProblems(errors) : errors;
  const message = Object.values(fields).flat().join('; ') || 'The request is not valid';
  return new DomainError('VALIDATION_FAILED', message, 400, { fields });
}

/** Validates a plain value as the DTO the edge would (whitelist, no unknown fields); throws validationFailure. */
export async function validated<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new DomainError('VALIDATION_FAILED', 'The request body must be a JSON object', 400, { fields: {} });
  }
  const value = plainToInstance(type, plain);
  const errors = await validate(value, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw validationFailure(errors);
  return value;
}
