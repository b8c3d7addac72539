import { describe, expect, it } from 'vitest';
import { DomainError } from '@mustafid/platform';
import { dayStart, isIsoDate, nextDay, reportDay, reportRange } from './report-range';

const now = new Date('2026-11-25T22:30:00Z'); // 01:30 on 26 November in Riyadh

describe('reportRange', () => {
  it('defaults to the 90 days up to today in Riyadh, counted by week', () => {
    expect(reportDay(now)).toBe('2026-11-26');
    expect(reportRange({}, now)).toEqual({ from: '2026-08-29', to: '2026-11-26', bucket: 'week', timeZone: 'Asia/Riyadh' });
    expect(reportRange({ to: '2026-03-01', bucket: 'month' }, now)).toMatchObject({ from: '2025-12-02', to: '2026-03-01', bucket: 'month' });
  });

  it('takes a one-day range and one of 366 days', () => {
    expect(reportRange({ from: '2026-11-01', to: '2026-11-01' }, now)).toMatchObject({ from: '2026-11-01', to: '2026-11-01' });
    expect(reportRange({ from: '2024-01-01', to: '2024-12-31' }, now)).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
  });

  it('refuses from after to, and a range longer than 366 days, naming the field', () => {
    const problem = (q: Parameters<typeof reportRange>[0]) => {
      try {
        reportRange(q, now);
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('no error');
    };
    const backwards = problem({ from: '2026-11-02', to: '2026-11-01' });
    expect(backwards).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: { fields: { from: ['from (2026-11-02) must be on or before to (2026-11-01)'] } } });
    const long = problem({ from: '2025-01-01', to: '2026-01-02' });
    expect(long.details).toEqual({
      fields: { to: ['The range from 2025-01-01 to 2026-01-02 covers 367 days; a report covers at most 366'] },
      codes: { to: [{ code: 'rangeTooLong', params: { days: 367, max: 366 } }] },
    });
    expect(backwards.details?.codes).toEqual({ from: [{ code: 'fromAfterTo' }] });
  });
});

describe('isIsoDate', () => {
  it('takes calendar dates written YYYY-MM-DD only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const text of ['2026-02-29', '2026-13-01', '2026-1-1', '2026-11-01T00:00:00Z', '01/11/2026', '', 20261101]) expect(isIsoDate(text)).toBe(false);
  });
});

describe('day bounds in the reports\' time zone', () => {
  it('a day begins at midnight in Riyadh (UTC+3), and the next day follows over months and years', () => {
    expect(dayStart('2026-11-26').toISOString()).toBe('2026-11-25T21:00:00.000Z');
    expect(reportDay(dayStart('2026-11-26'))).toBe('2026-11-26');
    expect(reportDay(new Date(dayStart('2026-11-26').getTime() - 1))).toBe('2026-11-25');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });
});
