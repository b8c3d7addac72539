import { describe, expect, it } from 'vitest';
import { redactedUrl } from './logging';

describe('redactedUrl (issue 18.9: personal data out of logs)', () => {
  it('keeps the path and the query keys, never the values', () => {
    expect(redactedUrl('/api/cases?q=1012345678&status=open')).toBe('/api/cases?q=[redacted]&status=[redacted]');
    expect(redactedUrl('/api/portal/demo/sign-in-codes?mobile=0551234567')).toBe('/api/portal/demo/sign-in-codes?mobile=[redacted]');
    expect(redactedUrl('/api/cases')).toBe('/api/cases');
    expect(redactedUrl('/api/cases?')).toBe('/api/cases?');
    expect(redactedUrl('/api/cases?flag&x=1')).toBe('/api/cases?flag=[redacted]&x=[redacted]');
  });
});
