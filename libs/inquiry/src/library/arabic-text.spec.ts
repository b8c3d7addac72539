import { describe, expect, it } from 'vitest';
import { normaliseArabic, searchQuery, searchWords } from './arabic-text';

describe('Arabic text for the library search (R1)', () => {
  it('makes alef and hamza forms, taa marbuta and alef maqsura alike', () => {
    expect(normaliseArabic('أحمد إبراهيم آمنة')).toBe(normaliseArabic('احمد ابراهيم امنه'));
    expect(normaliseArabic('مسؤول')).toBe('مسوول');
    expect(normaliseArabic('مستشفى')).toBe(normaliseArabic('مستشفي'));
  });

  it('drops diacritics and tatweel', () => {
    expect(normaliseArabic('الْمُسْتَفِيدِينَ')).toBe('المستفيدين');
    expect(normaliseArabic('الجمعـــية')).toBe('الجمعيه');
  });

  it('writes Arabic-Indic and Eastern digits as 0–9 and Latin in lower case', () => {
    expect(normaliseArabic('١٤ يومًا ۳۰ Days')).toBe('14 يوما 30 days');
  });

  it('takes the definite article off long enough words, and splits on anything but letters and digits', () => {
    expect(searchWords('والطلبات، بالهوية؛ الأسرة-سجل')).toEqual(['طلبات', 'هويه', 'اسره', 'سجل']);
    // "ال" alone, or a word that would leave one letter, is kept.
    expect(searchWords('الى')).toEqual(['الي']);
  });

  it('builds a prefix query with no operator a person typed', () => {
    expect(searchQuery("'هُوِيَّة' & !(x) | الإقامة:*")).toBe('هويه:* | اقامه:*');
    expect(searchQuery('  ؟!  ')).toBeNull();
  });
});
