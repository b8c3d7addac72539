import { describe, expect, it } from 'vitest';
import { bothCalendars, dateInTwoCalendars, todayInTwoCalendars } from './dates';

// 25 November 2026 is 15 Jumada al-Akhirah 1448 in the Umm al-Qura calendar.
const day = new Date(2026, 10, 25, 12, 0, 0);

describe('todayInTwoCalendars', () => {
  it('writes both calendars in English', () => {
    const today = todayInTwoCalendars('en', day);
    expect(today.iso).toBe('2026-11-25');
    expect(today.gregorian).toBe('25 November 2026');
    expect(today.hijri).toMatch(/^15 Jumada II 1448 AH$/);
  });

  it('writes both calendars in Arabic as ar-SA does, Gregorian named explicitly', () => {
    const today = todayInTwoCalendars('ar', day);
    expect(today.gregorian).toBe(new Intl.DateTimeFormat('ar-SA', { calendar: 'gregory', dateStyle: 'long' }).format(day));
    expect(today.hijri).toBe(new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'long' }).format(day));
    expect(today.gregorian).toContain('نوفمبر');
    expect(today.hijri).toContain('جمادى');
    expect(today.hijri).toContain('هـ');
  });
});

describe('dateInTwoCalendars', () => {
  it('writes a calendar day as that day in both calendars, whatever the time zone', () => {
    const day = dateInTwoCalendars('en', '2026-11-25', 'long');
    expect(day).toEqual({ iso: '2026-11-25', gregorian: '25 November 2026', hijri: expect.stringMatching(/^15 Jumada II 1448 AH$/) });
  });

  it('writes a timestamp as the local day it falls on, keeping the instant for <time>', () => {
    const at = new Date(2026, 10, 25, 9, 30);
    const written = dateInTwoCalendars('ar', at.toISOString());
    expect(written?.iso).toBe(at.toISOString());
    expect(written?.gregorian).toBe(new Intl.DateTimeFormat('ar-SA', { calendar: 'gregory', dateStyle: 'medium' }).format(at));
    expect(written?.hijri).toBe(new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'medium' }).format(at));
  });

  it('gives nothing for a missing or unreadable value', () => {
    expect(dateInTwoCalendars('en', undefined)).toBeUndefined();
    expect(dateInTwoCalendars('en', null)).toBeUndefined();
    expect(dateInTwoCalendars('en', 'not a date')).toBeUndefined();
  });
});

describe('bothCalendars', () => {
  it('writes a day in both calendars on one line, for a sentence', () => {
    expect(bothCalendars('en', '2026-11-25')).toBe('25 November 2026 (15 Jumada II 1448 AH)');
    expect(bothCalendars('ar', '2026-11-25')).toBe(`${new Intl.DateTimeFormat('ar-SA', { calendar: 'gregory', dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-11-25T12:00:00Z'))} (${new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-11-25T12:00:00Z'))})`);
  });
});
