import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../applications/national-id';
import { DOCUMENT_NAMES, type DocumentType } from '../applications/vocabulary';
import { verifyApplication } from './verification';

const nationalId = withCheckDigit('109876543');
const base = { nationalId, supportType: 'training' as const, submissionDate: '2026-11-25', duplicateOpenCases: [] };
const id = (expiryDate: string | null, providedOn = '2026-11-25', number = nationalId) => ({ type: 'national-id', number, expiryDate, providedOn });
const qualification = { type: 'qualification', number: 'Q-1', expiryDate: null, providedOn: '2026-11-25' };

describe('verifyApplication (S2)', () => {
  it('is complete when every required document was valid on the day it was provided', () => {
    expect(verifyApplication({ ...base, documents: [id('2026-11-25'), qualification] })).toMatchObject({ complete: true, missing: [], problems: [] });
  });

  it('refuses an identity card that had expired on the submission date, saying so', () => {
    const v = verifyApplication({ ...base, documents: [id('2026-11-24'), qualification] });
    expect(v.complete).toBe(false);
    expect(v.missing).toEqual(['national-id']);
    expect(v.problems).toEqual(['The National ID card expired on 2026-11-24, before it was submitted on 2026-11-25']);
  });

  it('judges a later document by the day it was provided, not by the submission date or today', () => {
    const v = verifyApplication({ ...base, documents: [id('2026-12-01'), { ...qualification, expiryDate: '2026-12-20', providedOn: '2026-12-10' }] });
    expect(v.complete).toBe(true);
  });

  it('lists the documents the kind of support needs, an iqama for a resident, and a card whose number is not the applicant\'s', () => {
    const resident = withCheckDigit('212345678');
    const v = verifyApplication({ ...base, nationalId: resident, supportType: 'financial-aid', documents: [id('2030-01-01', '2026-11-25', resident)] });
    expect(v.missing).toEqual(['iqama', 'family-record', 'income-proof', 'bank-letter']);
    const other = verifyApplication({ ...base, documents: [id('2030-01-01', '2026-11-25', withCheckDigit('100000001')), qualification] });
    expect(other.problems[0]).toMatch(/does not match the request's ID number/);
  });

  it('words its findings for the officer in Arabic and English: documents by name, never codes or raw lists (issue 19 point 4)', () => {
    const resident = withCheckDigit('212345678');
    const v = verifyApplication({ ...base, nationalId: resident, supportType: 'financial-aid', documents: [id('2026-11-24', '2026-11-25', resident)], duplicateOpenCases: ['REQ-2026-000007'] });
    expect(v.summary.ar).toBe(`ينقص: ${['iqama', 'family-record', 'income-proof', 'bank-letter'].map((t) => DOCUMENT_NAMES[t as DocumentType].ar).join('، ')}. انتهت صلاحية بطاقة الهوية الوطنية في 2026-11-24 قبل تقديمها في 2026-11-25.`);
    expect(v.summary.en).toBe(`Missing: ${['iqama', 'family-record', 'income-proof', 'bank-letter'].map((t) => DOCUMENT_NAMES[t as DocumentType].en).join(', ')}. The National ID card expired on 2026-11-24, before it was submitted on 2026-11-25.`);
    expect(v.problemsAr).toHaveLength(v.problems.length);
    expect(v.duplicateList).toBe('REQ-2026-000007');
    for (const text of [v.summary.ar, v.summary.en]) expect(text).not.toMatch(/[[\]"]|family-record|bank-letter/);
    expect(verifyApplication({ ...base, documents: [id('2026-11-25'), qualification] }).summary.ar).toBe('البيانات والمستندات مكتملة وصالحة في تاريخ التقديم.');
  });
});
