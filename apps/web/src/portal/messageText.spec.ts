import { describe, expect, it } from 'vitest';
import { isSurveyLink, messageParts } from './messageText';

describe('messageParts', () => {
  it('sets the survey link apart from the words around it', () => {
    const link = 'http://localhost:3000/survey/REQ-2026-000123?token=abcdefghijklmnopqrstuvwxyz0123456789';
    expect(messageParts(`عزيزنا فاطمة، شاركونا رأيكم: ${link}`)).toEqual([
      { kind: 'text', text: 'عزيزنا فاطمة، شاركونا رأيكم: ' },
      { kind: 'link', url: link },
    ]);
  });

  it('leaves a full stop or a closing bracket after an address in the text', () => {
    expect(messageParts('Tell us: https://example.org/s?t=1. Thanks (see https://example.org/a).')).toEqual([
      { kind: 'text', text: 'Tell us: ' },
      { kind: 'link', url: 'https://example.org/s?t=1' },
      { kind: 'text', text: '. Thanks (see ' },
      { kind: 'link', url: 'https://example.org/a' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('sets application and beneficiary numbers apart, to be shown left to right on one line', () => {
    expect(messageParts('قُبل طلبكم REQ-2026-000003، ورقم المستفيد BEN-0000001.')).toEqual([
      { kind: 'text', text: 'قُبل طلبكم ' },
      { kind: 'code', text: 'REQ-2026-000003' },
      { kind: 'text', text: '، ورقم المستفيد ' },
      { kind: 'code', text: 'BEN-0000001' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('returns text without an address or a code as it is', () => {
    expect(messageParts('أُحيل طلبكم إلى لجنة البحث.')).toEqual([{ kind: 'text', text: 'أُحيل طلبكم إلى لجنة البحث.' }]);
    expect(messageParts('')).toEqual([]);
  });
});

describe('isSurveyLink', () => {
  it('knows the survey notice link by its path, and takes a broken address for another link', () => {
    expect(isSurveyLink('https://mustafid.example/survey/REQ-2026-000001?token=x')).toBe(true);
    expect(isSurveyLink('https://mustafid.example/portal')).toBe(false);
    expect(isSurveyLink('http://[broken')).toBe(false);
  });
});
