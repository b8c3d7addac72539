import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { DomainError } from './domain-error';

/** `{ "documents.0.expiryDate": ["…"] }`: each invalid field with what is wrong with it. */
export type FieldProblems = Record<string, string[]>;

/**
 * What is wrong with a field as a code a user interface words in its own language (Arabic,
 * English), with the values the words need: `{ code: 'tooLong', params: { max: 150 } }`.
 * class-validator's constraint names are the codes of the edge's checks (isString, isIn,
 * length, matches, isEmail, min, max, isCalendarDate, isSaudiNationalId…); `unknownField` is a
 * field the request may not carry; `invalid` a problem without a code of its own.
 */
export interface FieldCode {
  code: string;
  params?: Record<string, string | number>;
}

/** A field's problem: the server's words alone (code `invalid`), or the words with their code. */
export type FieldProblem = string | { message: string; code: string; params?: Record<string, string | number> };

/** Each field's codes, in the order of its messages. */
export type FieldCodes = Record<string, FieldCode[]>;

const CONSTRAINT_CODES: Record<string, string> = { whitelistValidation: 'unknownField' };

function walk(errors: ValidationError[], prefix: string, fields: FieldProblems, codes: FieldCodes): void {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      fields[path] = Object.values(e.constraints);
      codes[path] = Object.keys(e.constraints).map((name) => ({ code: CONSTRAINT_CODES[name] ?? name }));
    }
    walk(e.children ?? [], path, fields, codes);
  }
}

export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblems {
  const out: FieldProblems = {};
  walk(errors, prefix, out, {});
  return out;
}

/**
 * A 400 whose message lists every field's problem and whose details map each field to its
 * messages (`fields`, English) and to their codes (`codes`, for the interface to word).
 */
export function validationFailure(errors: ValidationError[] | Record<string, FieldProblem[]>): DomainError {
  const fields: FieldProblems = {};
  const codes: FieldCodes = {};
  if (Array.isArray(errors)) walk(errors, '', fields, codes);
  else {
    for (const [key, problems] of Object.entries(errors)) {
      fields[key] = problems.map((p) => (typeof p === 'string' ? p : p.message));
      codes[key] = problems.map((p) => (typeof p === 'string' ? { code: 'invalid' } : { code: p.code, ...(p.params ? { params: p.params } : {}) }));
    }
  }
  const message = Object.values(fields).flat().join('; ') || 'The request is not valid';
  return new DomainError('VALIDATION_FAILED', message, 400, { fields, codes });
}

/** A problem with its code, for validationFailure. */
export const coded = (code: string, message: string, params?: Record<string, string | number>): FieldProblem => ({ code, message, ...(params ? { params } : {}) });

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
