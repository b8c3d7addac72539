import { status } from '@grpc/grpc-js';
import { requestValueProblem } from '@mustafid/platform';
import type { Variables } from '@mustafid/workflow';

/**
 * A refusal in the gateway protocol's own terms: a gRPC status code and a sentence for the
 * person reading the client's error (docs.camunda.io "Zeebe API RPCs" names the codes per RPC).
 */
export class GatewayError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const invalidArgument = (message: string) => new GatewayError(status.INVALID_ARGUMENT, message);

/** The one tenant (Camunda with multi-tenancy off). */
export const DEFAULT_TENANT = '<default>';

/** Refuses any tenant but `<default>` (or none), as a gateway with multi-tenancy disabled. */
export function assertDefaultTenant(tenantIds: readonly string[], field: string): void {
  for (const tenantId of tenantIds) {
    if (tenantId !== '' && tenantId !== DEFAULT_TENANT) {
      throw invalidArgument(`${field} is "${tenantId.slice(0, 60)}", but Mustafid runs without multi-tenancy: the only tenant is ${DEFAULT_TENANT} (or leave ${field} empty)`);
    }
  }
}

/**
 * A `variables` field: a JSON document whose root is an object (empty text: none), as every RPC
 * that takes variables requires; otherwise INVALID_ARGUMENT naming the field, before anything is
 * written. What no API of Mustafid takes (NUL characters, prototype keys, nesting past 64) is
 * refused here too, as at the HTTP edge.
 */
export function parseVariables(text: string, field = 'variables'): Variables {
  if (text === '' || text === undefined || text === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw invalidArgument(`${field} must be a JSON document whose root is an object, e.g. {"a": 1}; it is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    throw invalidArgument(`${field} must be a JSON document whose root is an object, e.g. {"a": 1}, not ${kind}`);
  }
  const problem = requestValueProblem(value, 'body');
  if (problem) throw invalidArgument(`${field}: ${problem.message}`);
  return value as Variables;
}

/** A text field that must not be blank. */
export function required(value: string, field: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidArgument(`${field} must not be blank: ${example}`);
  if (value.length > 255) throw invalidArgument(`${field} must be at most 255 characters`);
  return value;
}

/** An int64 field (a decimal string from the loader) as a number within [min, max], else INVALID_ARGUMENT. */
export function int64In(value: string, field: string, min: number, max: number, unit = ''): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw invalidArgument(`${field} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}${unit} (got ${String(value).slice(0, 25)})`);
  }
  return n;
}

/** A key field: Zeebe's keys are positive 64-bit numbers; 0 means the field was not sent. */
export function key(value: string, field: string): string {
  if (!/^\d{1,19}$/.test(value) || BigInt(value) <= 0n) throw invalidArgument(`${field} must be a key: a positive 64-bit whole number, as the gateway gave it (got ${String(value).slice(0, 25)})`);
  return value;
}
