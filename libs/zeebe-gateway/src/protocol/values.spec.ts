import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GatewayError, assertDefaultTenant, int64In, key, parseVariables } from './values';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    if (e instanceof GatewayError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('the gateway protocol\'s values', () => {
  it('reads variables as a JSON object; empty text is none', () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CreateProcessInstance RPC": "it must be a JSON object,
    // as variables will be mapped in a key-value fashion ... [{ "a": 1, "b": 2 }] would not be a valid argument".
    expect(parseVariables('')).toEqual({});
    expect(parseVariables('{"a": 1, "b": {"c": [2]}}')).toEqual({ a: 1, b: { c: [2] } });
    expect(refusal(() => parseVariables('[{"a": 1}]'))).toEqual({ code: status.INVALID_ARGUMENT, message: 'variables must be a JSON document whose root is an object, e.g. {"a": 1}, not a list' });
    expect(refusal(() => parseVariables('null')).message).toContain('not null');
    expect(refusal(() => parseVariables('{"a": ')).message).toMatch(/^variables must be a JSON document whose root is an object, e\.g\. \{"a": 1\}; it is not valid JSON/);
    expect(refusal(() => parseVariables('{"a": "\\u0000"}')).message).toContain('NUL');
    expect(refusal(() => parseVariables('{"constructor": {}}', 'result.variables')).message).toMatch(/^result\.variables: /);
  });

  it('takes keys as positive 64-bit numbers and bounded int64 fields', () => {
    expect(key('2251799813685249', 'jobKey')).toBe('2251799813685249');
    for (const bad of ['0', '-1', '99999999999999999999']) expect(refusal(() => key(bad, 'jobKey')).code, bad).toBe(status.INVALID_ARGUMENT);
    expect(int64In('500', 'retryBackOff', 0, 1000)).toBe(500);
    expect(refusal(() => int64In('-5', 'retryBackOff', 0, 1000, ' ms')).message).toBe('retryBackOff must be a whole number from 0 to 1,000 ms (got -5)');
  });

  it('takes the default tenant, or none', () => {
    expect(() => assertDefaultTenant(['', '<default>'], 'tenantIds')).not.toThrow();
    expect(refusal(() => assertDefaultTenant(['acme'], 'tenantId')).message).toContain('Mustafid runs without multi-tenancy');
  });
});
