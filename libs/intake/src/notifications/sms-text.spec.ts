import * as smpp from 'smpp';
import { describe, expect, it } from 'vitest';
import { noticeText } from './notice-texts';
import { receiptOf } from './smpp-link';
import { referenceOf } from './sms-sender';
import { DATA_CODING_GSM, DATA_CODING_UCS2, ESM_CLASS_UDHI, MAX_PARTS, encodeSms, internationalMobile, isGsm, partCount, smsText, westernDigits } from './sms-text';

/** The text back from the parts, as a phone reassembles them: headers checked, parts in order. */
function reassemble(parts: Buffer[], dataCoding: number): string {
  return parts
    .map((p, i) => {
      const body = parts.length > 1 ? p.subarray(6) : p;
      if (parts.length > 1) expect([...p.subarray(0, 6)].filter((_, k) => k !== 3)).toEqual([0x05, 0x00, 0x03, parts.length, i + 1]);
      return dataCoding === DATA_CODING_UCS2 ? Buffer.from(body).swap16().toString('utf16le') : smpp.encodings.ASCII.decode(body);
    })
    .join('');
}

// SMPP 3.4 (data_coding, esm_class UDHI) and 3GPP TS 23.038 / 23.040 (GSM 7-bit alphabet, concatenation header).
// The Camunda docs do not cover SMS; the notices are Mustafid's own (issue 19 point 2).
describe('SMS text: alphabet, splitting and numbers', () => {
  it('keeps Latin text that GSM 03.38 holds in data_coding 0, one septet per octet, escapes for the extension table', () => {
    expect(isGsm('Hello @ £5 {x} €')).toBe(true);
    const one = encodeSms('Hi {Ali} €5', 7);
    expect(one).toEqual({ dataCoding: DATA_CODING_GSM, alphabet: 'gsm', esmClass: 0, parts: [Buffer.from([0x48, 0x69, 0x20, 0x1b, 0x28, 0x41, 0x6c, 0x69, 0x1b, 0x29, 0x20, 0x1b, 0x65, 0x35])] });
    // The smpp package's own GSM decoder reads back the same text.
    expect(smpp.encodings.ASCII.decode(one.parts[0])).toBe('Hi {Ali} €5');
  });

  it('sends Arabic (and any text outside GSM 03.38) as UCS-2, data_coding 8', () => {
    expect(isGsm('Your request — REQ-1')).toBe(false);
    const ar = encodeSms('مرحبا', 1);
    expect(ar.dataCoding).toBe(DATA_CODING_UCS2);
    expect(ar.parts).toEqual([Buffer.from('06450631062d06280627', 'hex')]);
  });

  it('fits 160 GSM septets or 70 UCS-2 characters in one message; beyond, 153 or 67 per part with a concatenation header', () => {
    expect(encodeSms('a'.repeat(160), 1).parts).toHaveLength(1);
    const gsm = encodeSms('a'.repeat(161), 9);
    expect(gsm.parts.map((p) => p.length)).toEqual([6 + 153, 6 + 8]);
    expect(gsm.esmClass).toBe(ESM_CLASS_UDHI);
    expect([...gsm.parts[0].subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 9, 2, 1]);
    expect(encodeSms('ب'.repeat(70), 1).parts).toHaveLength(1);
    const ucs2 = encodeSms('ب'.repeat(71), 200);
    expect(ucs2.parts.map((p) => (p.length - 6) / 2)).toEqual([67, 4]);
    expect([...ucs2.parts[1].subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 200, 2, 2]);
  });

  it('never splits an escaped GSM character or a surrogate pair between parts, and reassembles to the exact text', () => {
    const gsm = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const g = encodeSms(gsm, 3);
    expect(g.parts[0].length - 6).toBe(152); // the escape and its code move together to part 2
    expect(reassemble(g.parts, g.dataCoding)).toBe(gsm);
    const emoji = `${'ع'.repeat(66)}😀${'ع'.repeat(10)}`;
    const u = encodeSms(emoji, 3);
    expect((u.parts[0].length - 6) / 2).toBe(66);
    expect(reassemble(u.parts, u.dataCoding)).toBe(emoji);
  });

  it('reassembles every notice of the policy exactly, within the part limit', () => {
    const facts = { applicationNumber: 'REQ-2026-000123', fullName: 'فاطمة عبدالله الحربي', earliestAnswerAt: new Date('2026-03-01T09:00:00Z'), missing: ['national-id'], decision: 'rejected' as const, reasons: 'الدخل أعلى من الحد', beneficiaryNumber: 'BEN-0000001', surveyLink: 'https://mustafid.example/survey/REQ-2026-000123?token=abc', code: '123456', codeMinutes: 10 };
    for (const notice of ['acknowledgment', 'please-sign', 'hand-over', 'missing-documents', 'closed-incomplete', 'decision', 'registration', 'survey', 'sign-in-code'] as const) {
      const t = noticeText(notice, facts);
      const text = smsText(t.bodyAr, t.bodyEn, 'https://mustafid.example/portal');
      expect(text.startsWith(t.bodyAr.split(' ').slice(0, 3).join(' ')), notice).toBe(true);
      expect(partCount(text), notice).toBeLessThanOrEqual(MAX_PARTS);
      const e = encodeSms(text, 42);
      expect(reassemble(e.parts, e.dataCoding), notice).toBe(text);
    }
    const ack = noticeText('acknowledgment', facts);
    expect(smsText(ack.bodyAr, ack.bodyEn, 'x')).toBe(`${ack.bodyAr}\n\n${ack.bodyEn}`);
  });

  it('sends the Arabic alone when both languages do not fit in six parts, and cuts a longer Arabic text at a word, pointing to the portal', () => {
    const ar = 'كلمة '.repeat(60).trim(); // 299 characters: five parts
    const en = 'word '.repeat(40).trim();
    expect(smsText(ar, en, 'https://m.example/portal')).toBe(ar);
    const long = 'سبب '.repeat(200).trim();
    const cut = smsText(long, en, 'https://m.example/portal');
    expect(partCount(cut)).toBe(MAX_PARTS);
    expect(cut).toMatch(/^(سبب )+سبب … النص الكامل في بوابة المستفيدين: https:\/\/m\.example\/portal$/);
  });

  it('normalises mobile numbers to international form, in Western or Arabic-Indic digits', () => {
    expect(internationalMobile('0551234567')).toBe('966551234567');
    expect(internationalMobile('+966551234567')).toBe('966551234567');
    expect(internationalMobile('00966 55 123 4567')).toBe('966551234567');
    expect(internationalMobile('551234567')).toBe('966551234567');
    expect(internationalMobile('٠٥٥١٢٣٤٥٦٧')).toBe('966551234567');
    expect(internationalMobile('۰۵۵۱۲۳۴۵۶۷')).toBe('966551234567');
    expect(internationalMobile('+44 7700 900123')).toBe('447700900123');
    expect(internationalMobile('0112345678')).toBeUndefined(); // a Riyadh landline
    expect(internationalMobile('7700900123')).toBeUndefined(); // foreign, without its country code
    expect(westernDigits('REQ-٢٠٢٦')).toBe('REQ-2026');
  });

  it('gives each notice a fixed concatenation reference from its id', () => {
    expect(referenceOf('00000000-0000-0000-0000-0000000000ff')).toBe(255);
    expect(referenceOf('9b2f4c1e-0000-4000-8000-00000000002a')).toBe(42);
  });

  it('reads delivery receipts from their TLVs or from the receipt text', () => {
    const text = (message: string, esm = 0x04) => new smpp.PDU('deliver_sm', { esm_class: esm, short_message: { message } });
    expect(receiptOf(text('id:0A1B2C sub:001 dlvrd:001 submit date:2603011200 done date:2603011201 stat:DELIVRD err:000 text:'))).toEqual({ messageId: '0A1B2C', state: 'DELIVRD', error: '000' });
    expect(receiptOf(new smpp.PDU('deliver_sm', { esm_class: 0x04, receipted_message_id: 'm-7', message_state: 5, short_message: { message: 'id:m-7 stat:UNDELIV err:001' } }))).toEqual({ messageId: 'm-7', state: 'UNDELIV', error: '001' });
    expect(receiptOf(text('hello from a phone', 0x00))).toBeUndefined();
  });
});
