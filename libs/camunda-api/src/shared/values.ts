import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@mustafid/platform';
import { type ValidationOptions, registerDecorator } from 'class-validator';

/**
 * Values as Camunda 8.8's Orchestration Cluster API writes them
 * (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/):
 * keys are 64-bit integers sent as decimal strings, int64 fields (timeouts, back-offs, time to
 * live) arrive as JSON numbers or, from Camunda's own TypeScript client, as decimal strings, and
 * there is one tenant, `<default>`.
 */

export const DEFAULT_TENANT = '<default>';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A Java long written as text, as Camunda's keys are. */
export function isLongText(value: unknown): value is string {
  if (typeof value !== 'string' || !/^-?\d{1,19}$/.test(value)) return false;
  const n = BigInt(value);
  return n >= INT64_MIN && n <= INT64_MAX;
}

export function badRequest(detail: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', detail, 400);
}

/**
 * A path key (`{processInstanceKey}`, `{jobKey}`, …): a 64-bit integer, else 400, as Camunda
 * answers a key it cannot read. A negative one names nothing (the engine answers 404).
 */
@Injectable()
export class KeyPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isLongText(value)) {
      const text = String(value);
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      throw badRequest(`${metadata.data ?? 'The key'} must be a key: a whole number from -9223372036854775808 to 9223372036854775807 (got "${shown}")`);
    }
    return value;
  }
}

/** An int64 field: a whole JSON number, or a decimal string (Camunda's client sends longs as strings), within [min, max]. */
export function IsInt64(range: { min: number; max: number }, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInt64',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => {
          const n = typeof value === 'number' ? value : isLongText(value) ? Number(value) : NaN;
          return Number.isSafeInteger(n) && n >= range.min && n <= range.max;
        },
        defaultMessage: (a) =>
          `${a?.property} must be a whole number from ${range.min.toLocaleString('en')} to ${range.max.toLocaleString('en')} (a JSON number or a decimal string)`,
      },
    });
}

/** An int32 field: a whole JSON number within [min, max], refused with one message naming the range. */
export function IsWholeNumber(range: { min: number; max: number }, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isWholeNumber',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max,
        defaultMessage: (a) => `${a?.property} must be a whole number from ${range.min.toLocaleString('en')} to ${range.max.toLocaleString('en')}`,
      },
    });
}

/** The number of an int64 field that passed IsInt64 (undefined stays undefined). */
export function int64(value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

/** Refuses every tenant but `<default>`: Mustafid runs one, as Camunda with multi-tenancy disabled. */
export function assertDefaultTenant(tenantIds: ReadonlyArray<unknown>, field: string): void {
  for (const tenantId of tenantIds) {
    if (tenantId !== undefined && tenantId !== null && typeof tenantId !== 'string') {
      // A body sent as JSON where a form was expected can carry any shape here: name it, never print it.
      throw badRequest(`${field} must be a tenant id written as text (the only tenant is ${DEFAULT_TENANT}), not ${kindOf(tenantId)}`);
    }
    if (typeof tenantId === 'string' && tenantId !== DEFAULT_TENANT) {
      throw badRequest(
        `${field} is "${tenantId.slice(0, 60)}", but Mustafid runs without multi-tenancy: the only tenant is ${DEFAULT_TENANT} (or leave ${field} out)`,
      );
    }
  }
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Dates as Camunda writes them: ISO 8601 in UTC with milliseconds. */
export function isoDate(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  return new Date(value).toISOString();
}

/** Keys the engine knows as numbers are Camunda keys; anything else (the old core's element ids) is left out. */
export function keyOrNothing(value: string | undefined | null): string | undefined {
  return value !== undefined && value !== null && isLongText(value) ? value : undefined;
}

/** Whether a JSON value is an object (not null, not a list). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
