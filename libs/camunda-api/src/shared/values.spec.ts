import { describe, expect, it } from 'vitest';
import type { DomainError } from '@mustafid/platform';
import { assertDefaultTenant } from './values';

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

describe('tenant ids', () => {
  it('accepts the default tenant or none', () => {
    expect(() => assertDefaultTenant([undefined, null, '<default>'], 'tenantId')).not.toThrow();
  });

  it('refuses another tenant in words', () => {
    const error = refusal(() => assertDefaultTenant(['acme'], 'tenantId'));
    expect(error.status).toBe(400);
    expect(error.message).toBe('tenantId is "acme", but Mustafid runs without multi-tenancy: the only tenant is <default> (or leave tenantId out)');
  });

  // Found by the API fuzz (seed 180008): an object whose toString is not a function made String() throw, a 500.
  it.each([
    [{ toString: 1, valueOf: 'x', hasOwnProperty: null }, 'an object'],
    [['<default>'], 'a list'],
    [7, 'a number'],
  ])('refuses a tenant id that is not text (%j) with a 400 naming its kind', (value, kind) => {
    const error = refusal(() => assertDefaultTenant([value], 'tenantId'));
    expect(error.status).toBe(400);
    expect(error.message).toBe(`tenantId must be a tenant id written as text (the only tenant is <default>), not ${kind}`);
  });
});
