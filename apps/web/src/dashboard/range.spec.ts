import { describe, expect, it } from 'vitest';
import { csvHref, rangeQuery } from './api';
import { barShare, formatFigure, formatShare, hasFigures, periodLabel, rangeFromSearch, wrapLabel } from './range';

describe('the dashboard range in the address', () => {
  it('keeps well-formed days and a known bucket, leaves the rest to the server', () => {
    expect(rangeFromSearch(new URLSearchParams('from=2026-11-01&to=2026-11-30&bucket=day'))).toEqual({ from: '2026-11-01', to: '2026-11-30', bucket: 'day' });
    expect(rangeFromSearch(new URLSearchParams('from=yesterday&bucket=year'))).toEqual({ from: undefined, to: undefined, bucket: undefined });
  });

  it('builds the report and CSV addresses from it', () => {
    expect(rangeQuery({})).toBe('');
    expect(csvHref('durations', { from: '2026-11-01', to: '2026-11-30', bucket: 'week' })).toBe('/api/reports/step-durations.csv?from=2026-11-01&to=2026-11-30&bucket=week');
  });
});

describe('numbers and periods as each language writes them', () => {
  it('writes Arabic-Indic digits in Arabic', () => {
    expect(formatFigure('ar', 4.33)).toBe('٤٫٣٣');
    expect(formatFigure('en', 4.33)).toBe('4.33');
    expect(formatShare('en', 0.8)).toBe('80%');
    expect(formatShare('ar', 0.8)).toMatch(/^٨٠/);
    expect(periodLabel('en', '2026-11-01', 'month')).toBe('Nov 2026');
    expect(periodLabel('en', '2026-11-23', 'week')).toBe('23 Nov');
    expect(periodLabel('ar', '2026-11-23', 'day')).toMatch(/^٢٣/);
  });
});

describe('chart labels', () => {
  it('wraps a long step name into lines at word boundaries', () => {
    expect(wrapLabel('Notify the applicant of the hand-over to the committee', 28)).toEqual(['Notify the applicant of the', 'hand-over to the committee']);
    expect(wrapLabel('Short')).toEqual(['Short']);
  });
});

describe('what a chart has to show', () => {
  it('has figures when some value is above zero, none for an empty period', () => {
    expect(hasFigures([{ data: [0, null, 2] }])).toBe(true);
    expect(hasFigures([{ data: [0, 0] }, { data: [null] }])).toBe(false);
    expect(hasFigures([])).toBe(false);
  });

  it('scales a bar against the longest, a short one still visible', () => {
    expect(barShare(12, 48)).toBe(25);
    expect(barShare(48, 48)).toBe(100);
    expect(barShare(0.01, 400)).toBe(1);
    expect(barShare(0, 48)).toBe(0);
    expect(barShare(3, 0)).toBe(0);
  });
});
