import { describe, expect, it } from 'vitest';
import { ServiceDateBeforeDecisionError, serviceDateProblem } from './service-delivery';

describe('serviceDateProblem (S7 follows S5)', () => {
  it('refuses a service date before the day of the decision', () => {
    expect(serviceDateProblem('2026-12-17', '2026-12-18')).toEqual({ decisionDay: '2026-12-18' });
  });

  it('accepts the day of the decision and any day after it', () => {
    expect(serviceDateProblem('2026-12-18', '2026-12-18')).toBeUndefined();
    expect(serviceDateProblem('2027-01-03', '2026-12-18')).toBeUndefined();
  });

  it('leaves a missing or malformed date, or a case without a decision, to the other checks', () => {
    expect(serviceDateProblem(undefined, '2026-12-18')).toBeUndefined();
    expect(serviceDateProblem('18/12/2026', '2026-12-18')).toBeUndefined();
    expect(serviceDateProblem('2026-12-01', undefined)).toBeUndefined();
  });

  it('says both dates in its message and names the field', () => {
    const error = new ServiceDateBeforeDecisionError('2026-12-17', '2026-12-18');
    expect(error.code).toBe('SERVICE_DATE_BEFORE_DECISION');
    expect(error.status).toBe(400);
    expect(error.message).toBe("The service date 2026-12-17 is before the committee's decision on 2026-12-18: the service is provided after the decision");
    expect(error.details).toMatchObject({ fields: { deliveredOn: [error.message] }, decisionDay: '2026-12-18' });
  });
});
