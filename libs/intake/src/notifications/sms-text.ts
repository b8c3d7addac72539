/**
 * Short messages as SMPP 3.4 carries them: the GSM 03.38 default alphabet (data_coding 0) when
 * every character of the text is in it, else UCS-2 (data_coding 8, UTF-16BE) — Arabic always is;
 * a text longer than one message is split into parts that each start with a concatenation user
 * data header (3GPP TS 23.040 §9.2.3.24.1: IEI 00, 8-bit reference, part count, part number), so
 * the phone shows one message.
 */

/** The GSM 03.38 default alphabet, by code (0x1B, the escape to the extension table, is not a character). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: each costs two septets, 0x1B and its code. */
const GSM_EXTENSION: Record<string, number> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
const GSM_CODE = new Map([...GSM_BASIC].map((c, i) => [c, i] as const).filter(([c]) => c !== '\u001b'));

export const DATA_CODING_GSM = 0x00;
export const DATA_CODING_UCS2 = 0x08;
/** esm_class bit: the short message starts with a user data header. */
export const ESM_CLASS_UDHI = 0x40;

/** Characters (septets, or UTF-16 code units) in one message, and in each part of a split one (the header takes 6 octets). */
export const SINGLE_LIMIT = { gsm: 160, ucs2: 70 } as const;
export const PART_LIMIT = { gsm: 153, ucs2: 67 } as const;

export type SmsAlphabet = 'gsm' | 'ucs2';

export function isGsm(text: string): boolean {
  for (const c of text) if (!GSM_CODE.has(c) && !(c in GSM_EXTENSION)) return false;
  return true;
}

/** The text as units that must stay together in one part: one character each (its septets, or its UTF-16 code units). */
function unitsOf(text: string, alphabet: SmsAlphabet): Buffer[] {
  const units: Buffer[] = [];
  for (const c of text) {
    if (alphabet === 'ucs2') {
      const b = Buffer.from(c, 'utf16le');
      b.swap16();
      units.push(b);
    } else if (GSM_CODE.has(c)) units.push(Buffer.from([GSM_CODE.get(c)!]));
    else units.push(Buffer.from([0x1b, GSM_EXTENSION[c]]));
  }
  return units;
}

/** The size of a unit in the message's measure: septets for GSM, UTF-16 code units for UCS-2. */
const sizeOf = (unit: Buffer, alphabet: SmsAlphabet) => (alphabet === 'ucs2' ? unit.length / 2 : unit.length);

export interface EncodedSms {
  dataCoding: number;
  alphabet: SmsAlphabet;
  /** Each part's short_message (its header first when there is more than one part); GSM as one septet per octet, unpacked, as SMPP carries it. */
  parts: Buffer[];
  /** esm_class to submit each part with. */
  esmClass: number;
}

function splitUnits(units: Buffer[], alphabet: SmsAlphabet): Buffer[][] {
  const total = units.reduce((n, u) => n + sizeOf(u, alphabet), 0);
  if (total <= SINGLE_LIMIT[alphabet]) return [units];
  const parts: Buffer[][] = [[]];
  let used = 0;
  for (const unit of units) {
    const size = sizeOf(unit, alphabet);
    if (used + size > PART_LIMIT[alphabet]) {
      parts.push([]);
      used = 0;
    }
    parts.at(-1)!.push(unit);
    used += size;
  }
  return parts;
}

/** How many parts the text takes. */
export function partCount(text: string): number {
  const alphabet: SmsAlphabet = isGsm(text) ? 'gsm' : 'ucs2';
  return splitUnits(unitsOf(text, alphabet), alphabet).length;
}

/**
 * The text as the short messages that carry it. `reference` (0–255) ties the parts of one text
 * together on the phone: the same text sent again (a retry of its missing parts) keeps it.
 */
export function encodeSms(text: string, reference: number): EncodedSms {
  const alphabet: SmsAlphabet = isGsm(text) ? 'gsm' : 'ucs2';
  const split = splitUnits(unitsOf(text, alphabet), alphabet);
  if (split.length > 255) throw new Error(`A text of ${split.length} parts cannot be sent (at most 255)`);
  const dataCoding = alphabet === 'gsm' ? DATA_CODING_GSM : DATA_CODING_UCS2;
  if (split.length === 1) return { dataCoding, alphabet, parts: [Buffer.concat(split[0])], esmClass: 0 };
  const parts = split.map((units, i) => Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference & 0xff, split.length, i + 1]), ...units]));
  return { dataCoding, alphabet, parts, esmClass: ESM_CLASS_UDHI };
}

/** Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digits as ASCII digits. */
export function westernDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0x0f) % 10));
}

/**
 * A mobile number in international form without the plus, as SMPP addresses it (TON 1, NPI 1):
 * Saudi 05XXXXXXXX, 5XXXXXXXX, 9665XXXXXXXX, +9665XXXXXXXX or 009665XXXXXXXX → 9665XXXXXXXX, in
 * any digits; another country's number only with its + or 00 prefix. Undefined when it is no
 * mobile number.
 */
export function internationalMobile(value: string): string | undefined {
  const compact = westernDigits(value).replace(/[\s\-().\u200e\u200f]/g, '');
  const saudi = /^(?:\+966|00966|966|0)?(5\d{8})$/.exec(compact);
  if (saudi) return `966${saudi[1]}`;
  const other = /^(?:\+|00)([1-9]\d{7,14})$/.exec(compact);
  return other ? other[1] : undefined;
}

/** The most parts one notice may take: six UCS-2 parts are 402 characters, and six messages' charge. */
export const MAX_PARTS = 6;

/**
 * What a notice says by SMS (docs/decisions/0026): the Arabic body, then the English one when
 * both fit in MAX_PARTS; else the Arabic alone; an Arabic body longer than that (a long list of
 * missing documents, long decision reasons) is cut at a word and ends by sending the reader to the
 * full text in the portal, where the applicant signs in with this same number.
 */
export function smsText(bodyAr: string, bodyEn: string, portalUrl: string): string {
  const both = `${bodyAr}\n\n${bodyEn}`;
  if (partCount(both) <= MAX_PARTS) return both;
  if (partCount(bodyAr) <= MAX_PARTS) return bodyAr;
  const tail = ` … النص الكامل في بوابة المستفيدين: ${portalUrl}`;
  const words = bodyAr.split(' ');
  while (words.length > 1 && partCount(`${words.join(' ')}${tail}`) > MAX_PARTS) words.pop();
  return `${words.join(' ')}${tail}`;
}
