import { describe, expect, it } from 'vitest';
import { riyadhDay, serviceDateBeforeDecision } from './serviceDate';

describe('the service date against the decision (S5 → S7)', () => {
  it('reads a moment as the day it is in Riyadh (UTC+3)', () => {
    expect(riyadhDay('2026-12-17T20:59:59Z')).toBe('2026-12-17');
    expect(riyadhDay('2026-12-17T21:00:00Z')).toBe('2026-12-18');
  });

  it('names the decision day when the service is dated before it', () => {
    expect(serviceDateBeforeDecision('2026-12-17', '2026-12-17T21:30:00Z')).toBe('2026-12-18');
  });

  it('accepts the decision day and later, and leaves a missing date or decision to other checks', () => {
    expect(serviceDateBeforeDecision('2026-12-18', '2026-12-17T21:30:00Z')).toBeUndefined();
    expect(serviceDateBeforeDecision('2027-01-02', '2026-12-17T21:30:00Z')).toBeUndefined();
    expect(serviceDateBeforeDecision(undefined, '2026-12-17T21:30:00Z')).toBeUndefined();
    expect(serviceDateBeforeDecision('2026-12-01', undefined)).toBeUndefined();
    expect(serviceDateBeforeDecision('2026-12-01', 'not a date')).toBeUndefined();
  });
});
