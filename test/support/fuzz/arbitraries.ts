import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { withCheckDigit } from '@mustafid/intake';
import { dayInYears } from '../intake';
import { type FuzzOperation, type OpenApiDocument, type Schema, resolveSchema } from './openapi';

/**
 * fast-check arbitraries for hostile requests, derived from the OpenAPI document: a valid
 * request for the operation (from its schemas, with values the domain accepts where a schema
 * cannot say so), then one mutation: a field replaced by a hostile value, a required field
 * dropped, an unknown or prototype key added, the whole body replaced, a raw body that is not
 * JSON or nested thousands deep, another content type, a hostile path id or query string.
 */

/** One request as sent. `shape` says what was done to it, in a few words (for the report). */
export interface FuzzRequest {
  op: string;
  /** The identity whose credentials are sent (`anonymous`: none). */
  as: string;
  /** `own`: the identity's session; otherwise a kind of broken credential. */
  credentials: 'own' | 'garbage-bearer' | 'tampered-bearer' | 'basic' | 'empty-bearer' | 'garbage-cookie';
  method: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  contentType?: string;
  body?: string | Uint8Array;
  shape: string;
}

/** What the fuzz knows of the running server: valid ids for path parameters, and identities. */
export interface FuzzFixtures {
  /** Values that name something that exists, for a path parameter of an operation. */
  pathValues(op: FuzzOperation, param: string): string[];
  /** Identities (besides `anonymous`) and their roles. */
  identities: Record<string, string[]>;
  /** Adjusts a valid body drawn from an operation's schema (before a mutation, if any). */
  validBody?(op: FuzzOperation, body: unknown): unknown;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** A UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Text PostgreSQL cannot store, and that has no UTF-8: the most common way bad input reached the database. */
const UNSTORABLE_STRINGS: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['lone high surrogate', 'x\ud800y'],
  ['lone low surrogate', '\udfffz'],
  ['long NUL', '\u0000'.repeat(300)],
];

const HOSTILE_STRINGS: Array<[string, string]> = [
  ['RTL override', '\u202Eabc\u202C'],
  ['RTL mark', '\u200Fمستفيد\u200F'],
  ['BOM and zero-width', '\uFEFF\u200B\u200D'],
  ['emoji sequence', '👩‍👩‍👧‍👦🇸🇦'],
  ['combining marks', 'e\u0301\u0301\u0301\u0301\u0301'],
  ['Arabic', 'فاطمة عبدالله'],
  ['empty', ''],
  ['spaces', '   '],
  ['newlines', 'a\r\nb\nc'],
  ['control characters', '\u0001\u0007\u001b[31m\u007f'],
  ['HTML', '<script>alert(1)</script>'],
  ['SQL', "' OR '1'='1' --"],
  ['template', '${7*7}{{7*7}}#{7*7}'],
  ['path traversal', '../../../etc/passwd'],
  ['percent NUL', '%00'],
  ['big number text', '9223372036854775808'],
  ['negative text', '-1'],
  ['NaN text', 'NaN'],
  ['null text', 'null'],
  ['invalid date', '2026-02-30'],
  ['zero date', '0000-00-00'],
  ['far date', '99999-12-31T23:59:59Z'],
  ['timestamp text', '2026-13-45T25:61:61+99:99'],
  ['infinity text', 'infinity'],
  ['prototype text', '__proto__'],
  ['FEEL', '=some x in [1] satisfies x > 0'],
  ['CSV formula', '=HYPERLINK("http://127.0.0.1")'],
  ['long 10k', 'a'.repeat(10_000)],
  ['long Arabic 5k', 'م'.repeat(5_000)],
];

const HOSTILE_NUMBERS: Array<[string, number]> = [
  ['0', 0],
  ['-1', -1],
  ['-0', -0],
  ['fraction', 1.5],
  ['2^31-1', 2147483647],
  ['2^31', 2147483648],
  ['-2^31-1', -2147483649],
  ['2^53', 9007199254740992],
  ['2^63', 9223372036854775808],
  ['1e21', 1e21],
  ['1e308', 1e308],
  ['-1e308', -1e308],
  ['5e-324', 5e-324],
];

/** Raw JSON text for a value: what JSON.stringify cannot write (huge literals, 1e400, deep nesting). */
const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const HOSTILE_RAW: Array<[string, string]> = [
  ['2^63 literal', '9223372036854775808'],
  ['2^64 literal', '18446744073709551616'],
  ['1e400 (Infinity)', '1e400'],
  ['-1e400', '-1e400'],
  ['nested 50', deepArray(50)],
  ['nested 2,000', deepArray(2_000)],
  ['nested objects 2,000', deepObject(2_000)],
  ['nested 10,000', deepArray(10_000)],
];

/** Objects with keys that reach the prototype chain when copied carelessly (JSON.parse makes them own keys). */
const HOSTILE_OBJECTS: Array<[string, () => unknown]> = [
  ['constructor.prototype', () => JSON.parse('{"constructor":{"prototype":{}}}')],
  ['__proto__', () => JSON.parse('{"__proto__":{"isAdmin":true,"roles":["admin"]}}')],
  ['toString key', () => ({ toString: 1, valueOf: 'x', hasOwnProperty: null })],
  ['empty object', () => ({})],
  ['empty array', () => []],
  ['array of nulls', () => [null, null]],
  ['array of arrays', () => [[[]]]],
  ['wide object', () => Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]))],
  ['long array', () => Array.from({ length: 5_000 }, (_, i) => i)],
];

/** A hostile value for a JSON field: `value` to stringify, or `raw` JSON text. */
export interface Hostile {
  label: string;
  value?: unknown;
  raw?: string;
}

export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE_STRINGS).map(([label, value]) => ({ label: `string: ${label}`, value })) },
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(([label, value]) => ({ label: `string: ${label}`, value })) },
  { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }).map((value) => ({ label: 'string: random code units', value })) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS).map(([label, value]) => ({ label: `number: ${label}`, value })) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_RAW).map(([label, raw]) => ({ label: `raw: ${label}`, raw })) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_OBJECTS).map(([label, make]) => ({ label: `structure: ${label}`, value: make() })) },
  { weight: 2, arbitrary: fc.constant<Hostile>({ label: 'null', value: null }) },
  { weight: 1, arbitrary: fc.constantFrom<Hostile>({ label: 'true', value: true }, { label: 'false', value: false }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ label: 'random JSON', value })) },
);

/** Path ids as sent (already percent-encoded): out of range, malformed, encoded NUL and friends. */
const OUT_OF_RANGE_IDS = ['9223372036854775808', '18446744073709551616', '99999999999999999999999', '-1', '-9223372036854775809', '9'.repeat(400)];
const MALFORMED_IDS = ['%00', '1%00', '%', '%zz', '%C0%80', '%ED%A0%80', '%E2%80%AE1', '%EF%BC%91%EF%BC%92', '%F0%9F%98%80', '%2F', '%5C', '%2E%2E', '..'];
const ODD_IDS = [
  '9223372036854775807',
  '0',
  '00000000000000000001',
  '+1',
  '1e3',
  '1.5',
  '0x10',
  'abc',
  '%20',
  '%25',
  '%D9%85%D8%B3%D8%AA',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'REQ-2026-000001',
  'REQ-9999-9999999999999999999',
  '%27%20OR%201%3D1--',
  'a'.repeat(3_000),
];
const hostileId = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...OUT_OF_RANGE_IDS) }, { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_IDS) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_IDS) });

/** Percent-encodes the UTF-8 of a string (lone surrogates become U+FFFD, as any client sends them). */
export function encodeComponent(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

// ---------------------------------------------------------------------------------------------
// Valid values from schemas

const MINIMAL_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_fuzz" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="fuzz-minimal" name="Fuzz" isExecutable="true">
    <bpmn:startEvent id="Start" name="Start"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" />
    <bpmn:endEvent id="End" name="End"><bpmn:incoming>Flow_1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
let intakeXml: string | undefined;
const intakeDiagram = () => (intakeXml ??= readFileSync(resolve('bpmn/beneficiary-intake.bpmn'), 'utf8'));

const nationalId = fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => withCheckDigit(`1${n}`));
const isoDay = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

/**
 * Values the domain accepts where the schema cannot say so (check digits, ages, the demo
 * accounts), by property name. The schema's own value is drawn otherwise.
 */
const KNOWN_GOOD: Record<string, fc.Arbitrary<unknown>> = {
  nationalId,
  birthDate: fc.constantFrom('1990-05-14', '1985-11-02', '2001-01-31'),
  // Always ahead of today, so the drawn requests stay valid whenever the fuzz runs.
  expiryDate: fc.constantFrom(dayInYears(5), dayInYears(2)),
  mobile: fc.constantFrom('0551234567', '+966551234567', '0569876543'),
  email: fc.constantFrom('fatimah@example.org', 'a.b@example.com'),
  fullName: fc.constantFrom('فاطمة عبدالله الحربي', 'Sara Al-Harbi'),
  typedName: fc.constantFrom('فاطمة عبدالله الحربي', 'Sara Al-Harbi'),
  city: fc.constantFrom('الرياض', 'Jeddah'),
  address: fc.constantFrom('حي الملز، شارع الستين', '12 King Fahd Road'),
  username: fc.constantFrom('admin', 'reception', 'fuzz-user', 'nobody'),
  password: fc.constantFrom('mustafid-demo', 'wrong-password-1'),
  assignee: fc.constantFrom('reception', 'committee', 'admin', 'nobody'),
  xml: fc.oneof({ weight: 9, arbitrary: fc.constant(MINIMAL_BPMN) }, { weight: 1, arbitrary: fc.constant(null).map(() => intakeDiagram()) }),
  bpmnProcessId: fc.constantFrom('beneficiary-intake', 'fuzz-minimal', 'no-such-process'),
  from: isoDay,
  to: isoDay,
  dueBefore: isoDay,
  dueAfter: isoDay,
  dueDate: fc.oneof(isoDay, fc.constant(null)),
  followUpDate: fc.oneof(isoDay, fc.constant(null)),
  dataHash: fc.constantFrom('0'.repeat(64), 'ab'.repeat(32)),
  code: fc.constantFrom('123456', '000000'),
  // Task list cursors are base64url JSON [sort value, key]: well-formed ones with values of the wrong type or range.
  cursor: fc
    .constantFrom<unknown>(['2026-01-01T00:00:00.000Z', '1'], ['abc', '1'], [null, '2'], [1e21, '3'], ['infinity', '99999999999999999999'], [{}, '1'], ['2026-01-01', '-1'], 'x', [])
    .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  token: fc.constantFrom('A'.repeat(43), 'b-_9'.repeat(10) + 'xyz'),
  comment: fc.constantFrom('Fuzz: a new version', 'تحديث'),
  reason: fc.constantFrom('The applicant corrected the address', 'تصحيح'),
  variables: fc.constantFrom({}, { note: 'x' }, { applicationNumber: 'REQ-2026-000001' }),
  forms: fc.constant({}),
  processInstanceKey: fc.constantFrom('1', '2251799813685249'),
};

const MATCHING = new Map<string, fc.Arbitrary<string>>();

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern) {
    // One character class repeated (^[…]+$): the lengths go into the pattern, as a filter would rarely hit them.
    const single = /^\^(\[[^\]]+\])[+*]\$$/.exec(schema.pattern);
    const pattern = single && (schema.minLength !== undefined || schema.maxLength !== undefined) ? `^${single[1]}{${Math.max(schema.minLength ?? 1, 1)},${Math.min(schema.maxLength ?? 40, 200)}}$` : schema.pattern;
    try {
      // Built once per pattern: a class such as \p{L} takes fast-check a while to build.
      let arb = MATCHING.get(pattern);
      if (!arb) MATCHING.set(pattern, (arb = fc.stringMatching(new RegExp(pattern, 'u'))));
      return arb;
    } catch {
      /* a pattern fast-check cannot generate from: plain strings */
    }
  }
  return fc.string({ minLength, maxLength });
}

/** A value the schema allows (by name, one the domain accepts where KNOWN_GOOD has it). */
export function validOf(doc: OpenApiDocument, raw: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
  if (name && KNOWN_GOOD[name]) return KNOWN_GOOD[name];
  const schema = resolveSchema(doc, raw);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (depth > 4) return fc.constant(null);
  switch (schema.type) {
    case 'string':
      return stringOf(schema);
    case 'number':
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = validOf(doc, schema.items ?? {}, undefined, depth + 1);
      const maxLength = Math.min(schema.maxItems ?? 3, 3);
      const minLength = Math.min(schema.minItems ?? 0, maxLength);
      return schema.uniqueItems ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(item, { minLength, maxLength });
    }
    default: {
      const props = schema.properties ?? {};
      if (Object.keys(props).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) model[key] = validOf(doc, sub, key, depth + 1);
      return fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies

/** A body to send: a JSON value (with raw fragments spliced in), or raw text. */
interface BodyPlan {
  value?: unknown;
  /** Raw JSON text for fields marked with RAW_MARK(i). */
  raws?: string[];
  /** Raw body text instead of JSON. */
  text?: string | Uint8Array;
  shape: string;
}

const RAW_MARK = (i: number) => `\u0000fuzz-raw-${i}\u0000`;

function serialise(plan: BodyPlan): string {
  let text = JSON.stringify(plan.value) ?? '';
  plan.raws?.forEach((raw, i) => (text = text.replace(JSON.stringify(RAW_MARK(i)), raw)));
  return text;
}

const hostileAsPlanValue = (h: Hostile, raws: string[]) => (h.raw !== undefined ? RAW_MARK(raws.push(h.raw) - 1) : h.value);

/** The valid body with one thing changed (or nothing, now and then). */
function mutatedBody(doc: OpenApiDocument, schema: Schema, valid: unknown): fc.Arbitrary<BodyPlan> {
  const resolved = resolveSchema(doc, schema);
  const obj = valid && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : undefined;
  const keys = [...new Set([...Object.keys(resolved.properties ?? {}), ...Object.keys(obj ?? {})])];
  const required = resolved.required ?? [];
  const options: Array<fc.WeightedArbitrary<BodyPlan>> = [{ weight: 1, arbitrary: fc.constant({ value: valid, shape: 'valid' }) }];
  if (obj && keys.length > 0) {
    options.push({
      weight: 12,
      arbitrary: fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, h]) => {
        const raws: string[] = [];
        return { value: { ...obj, [key]: hostileAsPlanValue(h, raws) }, raws, shape: `field ${key} ← ${h.label}` };
      }),
    });
    // One level deeper: inside a nested object or the first item of a list.
    const nested = keys.filter((k) => obj[k] && typeof obj[k] === 'object');
    if (nested.length > 0) {
      options.push({
        weight: 4,
        arbitrary: fc.tuple(fc.constantFrom(...nested), hostileValue, fc.string({ maxLength: 10 })).map(([key, h, other]) => {
          const raws: string[] = [];
          const inner = obj[key];
          const target = Array.isArray(inner) ? inner[0] : inner;
          const innerKeys = target && typeof target === 'object' && !Array.isArray(target) ? Object.keys(target) : [];
          const innerKey = innerKeys.length > 0 ? innerKeys[other.length % innerKeys.length] : other;
          const changed = { ...((target as object) ?? {}), [innerKey]: hostileAsPlanValue(h, raws) };
          const replaced = Array.isArray(inner) ? [changed, ...inner.slice(1)] : changed;
          return { value: { ...obj, [key]: replaced }, raws, shape: `field ${key}.${Array.isArray(inner) ? '0.' : ''}${innerKey} ← ${h.label}` };
        }),
      });
      // A list where an object is expected inside a list (e.g. documents: [[…]]).
      options.push({
        weight: 1,
        arbitrary: fc.constantFrom(...nested).map((key) => ({ value: { ...obj, [key]: [Array.isArray(obj[key]) ? obj[key] : [obj[key]]] }, shape: `field ${key} ← wrapped in a list` })),
      });
    }
    if (required.length > 0) {
      options.push({
        weight: 1,
        arbitrary: fc.constantFrom(...required).map((key) => {
          const rest = { ...obj };
          delete rest[key];
          return { value: rest, shape: `without ${key}` };
        }),
      });
    }
    options.push({
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'roles', 'id', 'x'), hostileValue).map(([key, h]) => {
        const raws: string[] = [];
        const value = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
        Object.defineProperty(value, key, { value: hostileAsPlanValue(h, raws), enumerable: true, writable: true, configurable: true });
        return { value, raws, shape: `extra key ${key} ← ${h.label}` };
      }),
    });
  }
  options.push({
    weight: 2,
    arbitrary: hostileValue.map((h) => {
      const raws: string[] = [];
      return { value: hostileAsPlanValue(h, raws), raws, shape: `body ← ${h.label}` };
    }),
  });
  options.push({ weight: 2, arbitrary: rawBody });
  return fc.oneof(...options);
}

/** Bodies that are not the JSON they claim to be. */
const rawBody: fc.Arbitrary<BodyPlan> = fc.oneof(
  fc.constantFrom<BodyPlan>(
    { text: '', shape: 'raw: empty' },
    { text: '{', shape: 'raw: truncated' },
    { text: '{"a":1,}', shape: 'raw: trailing comma' },
    { text: "{'a':1}", shape: 'raw: single quotes' },
    { text: 'NaN', shape: 'raw: NaN' },
    { text: 'null', shape: 'raw: null' },
    { text: '"a string"', shape: 'raw: a string' },
    { text: '123', shape: 'raw: a number' },
    { text: '\uFEFF{}', shape: 'raw: BOM' },
    { text: '{"a":"\\ud800"}', shape: 'raw: escaped lone surrogate' },
    { text: '{"a":"\\u0000"}', shape: 'raw: escaped NUL' },
    { text: '{"a":1,"a":2}', shape: 'raw: duplicate keys' },
    { text: Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]), shape: 'raw: invalid UTF-8' },
    { text: deepArray(2_000), shape: 'raw: arrays nested 2,000' },
    { text: deepObject(2_000), shape: 'raw: objects nested 2,000' },
    { text: deepArray(20_000), shape: 'raw: arrays nested 20,000' },
    { text: deepObject(50_000), shape: 'raw: objects nested 50,000' },
  ),
  fc.string({ unit: codeUnit, maxLength: 40 }).map((text) => ({ text, shape: 'raw: random code units' })),
  fc.constant(null).map(() => ({ text: `{"a":"${'x'.repeat(1_100_000)}"}`, shape: 'raw: over 1 MB' })),
);

/** Encodes a body plan for a content type; returns the body and the header to send. */
function encode(plan: BodyPlan, as: string, boundary: string): { contentType?: string; body?: string | Uint8Array; shape: string } {
  if (plan.text !== undefined) return { contentType: as === 'json' ? 'application/json' : as, body: plan.text, shape: plan.shape };
  const json = serialise(plan);
  switch (as) {
    case 'json':
      return { contentType: 'application/json', body: json, shape: plan.shape };
    case 'urlencoded': {
      const v = plan.value;
      const pairs: Array<[string, unknown]> = v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [['value', v]];
      const body = pairs.map(([k, x]) => `${encodeComponent(k)}=${encodeComponent(typeof x === 'string' ? x : (JSON.stringify(x) ?? ''))}`).join('&');
      return { contentType: 'application/x-www-form-urlencoded', body, shape: `${plan.shape} (urlencoded)` };
    }
    case 'multipart': {
      const parts: string[] = [];
      const v = plan.value;
      for (const name of ['application', 'attestation', 'documents']) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${json}\r\n`);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v).slice(0, 8)) {
          parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof x === 'string' ? x : JSON.stringify(x)}\r\n`);
        }
      }
      parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="document-0"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\r\n`);
      return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n`, shape: `${plan.shape} (multipart)` };
    }
    case 'broken-multipart':
      return { contentType: 'multipart/form-data; boundary=zz', body: `--zz\r\nContent-Disposition: form-data; name="application"\r\n\r\n${json}`, shape: `${plan.shape} (truncated multipart)` };
    case 'multipart-no-boundary':
      return { contentType: 'multipart/form-data', body: json, shape: `${plan.shape} (multipart without boundary)` };
    case 'multipart-file': {
      const name = ['file', 'scan', 'document-0', 'document-99', 'x'][json.length % 5];
      const filename = ['../../x.bpmn', 'a\u202Egpj.bpmn', 'diagram.bpmn', '', 'a"b.pdf'][json.length % 5];
      const body = `--b0\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n${MINIMAL_BPMN}\r\n--b0\r\nContent-Disposition: form-data; name="${name}"; filename="b.bin"\r\n\r\n\u0000\u0001\r\n--b0--\r\n`;
      return { contentType: 'multipart/form-data; boundary=b0', body, shape: `${plan.shape} (multipart files)` };
    }
    default:
      return { contentType: as, body: json, shape: `${plan.shape} (as ${as})` };
  }
}

const CONTENT_TYPES = fc.oneof(
  { weight: 20, arbitrary: fc.constant('json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'urlencoded',
      'multipart',
      'broken-multipart',
      'multipart-no-boundary',
      'multipart-file',
      'text/plain',
      'application/xml',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/vnd.api+json',
      'application/octet-stream',
      '*/*',
      'application/x-www-form-urlencoded',
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// Paths, queries, identities

interface Part {
  text: string;
  shape?: string;
}

/** The path with ids that exist, or (`hostile`) one of them replaced by a hostile id. */
function pathArb(op: FuzzOperation, fixtures: FuzzFixtures, hostile: boolean): fc.Arbitrary<Part> {
  const params = op.params.filter((p) => p.in === 'path');
  const known = params.map((p) => fc.constantFrom(...fixtures.pathValues(op, p.name)).map(encodeComponent));
  const fill = (values: string[]) => params.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]), op.path);
  if (!hostile || params.length === 0) return fc.tuple(...known).map((values) => ({ text: fill(values) }));
  const bad = fc.oneof(
    { weight: 4, arbitrary: hostileId.map((v) => ({ v, label: v.length > 40 ? `${v.slice(0, 12)}… (${v.length} chars)` : v })) },
    { weight: 1, arbitrary: fc.string({ unit: codeUnit, minLength: 1, maxLength: 12 }).map((x) => ({ v: encodeComponent(x), label: 'random code units' })) },
  );
  return fc.tuple(fc.tuple(...known), fc.nat({ max: params.length - 1 }), bad).map(([values, i, b]) => {
    values[i] = b.v;
    return { text: fill(values), shape: `${params[i].name} = ${b.label}` };
  });
}

const queryValue = (v: unknown) => encodeComponent(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** Query parameters with values the schema allows (each present or not), or (`hostile`) one of them made hostile or an unknown one added. */
function queryArb(doc: OpenApiDocument, op: FuzzOperation, hostile: boolean): fc.Arbitrary<Part> {
  const params = op.params.filter((p) => p.in === 'query');
  const valid = fc.tuple(...params.map((p) => fc.option(validOf(doc, p.schema, p.name).map((v) => `${encodeComponent(p.name)}=${queryValue(v)}`), { freq: 2 })));
  const join = (parts: Array<string | null>) => {
    const present = parts.filter((q): q is string => q !== null);
    return present.length ? `?${present.join('&')}` : '';
  };
  if (!hostile) return valid.map((parts) => ({ text: join(parts) }));
  const extra = fc.constantFrom('x=1', '__proto__[a]=1', 'constructor=1', '%00=%00', 'a='.concat('b'.repeat(5_000))).map((q) => ({ q, label: `?${q.slice(0, 20)}` }));
  if (params.length === 0) return extra.map((e) => ({ text: `?${e.q}`, shape: e.label }));
  const bad = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: hostileId.map((v) => ({ q: `${encodeComponent(name)}=${v}`, label: `?${name}=${v.length > 40 ? `${v.slice(0, 12)}…` : v}` })) },
      { weight: 3, arbitrary: hostileValue.map((h) => ({ q: `${encodeComponent(name)}=${encodeComponent(h.raw ?? (typeof h.value === 'string' ? h.value : (JSON.stringify(h.value) ?? '')))}`, label: `?${name} ← ${h.label}` })) },
      { weight: 1, arbitrary: fc.constant({ q: `${encodeComponent(name)}=1&${encodeComponent(name)}=2`, label: `?${name} twice` }) },
      { weight: 1, arbitrary: fc.constant({ q: `${encodeComponent(name)}[a]=1`, label: `?${name}[a]` }) },
    );
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(valid, fc.nat({ max: params.length - 1 })).chain(([parts, i]) => bad(params[i].name).map((b) => ({ text: join(parts.map((q, j) => (j === i ? b.q : q))), shape: b.label }))) },
    { weight: 1, arbitrary: fc.tuple(valid, extra).map(([parts, e]) => ({ text: join([...parts, e.q]), shape: e.label })) },
  );
}

const CREDENTIAL_KINDS = fc.oneof(
  { weight: 24, arbitrary: fc.constant<FuzzRequest['credentials']>('own') },
  { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['credentials']>('garbage-bearer', 'tampered-bearer', 'basic', 'empty-bearer', 'garbage-cookie') },
);

function identityArb(op: FuzzOperation, fixtures: FuzzFixtures): fc.Arbitrary<string> {
  const all = ['anonymous', ...Object.keys(fixtures.identities)];
  const allowed =
    op.access.kind === 'public'
      ? all
      : op.access.kind === 'signed-in'
        ? Object.keys(fixtures.identities)
        : Object.entries(fixtures.identities)
            .filter(([, roles]) => roles.some((r) => (op.access as { roles: string[] }).roles.includes(r)))
            .map(([name]) => name);
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(allowed.length ? allowed : all)) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
}

/**
 * A hostile request for one operation: valid in every part but one (the path, the query, the
 * body with its content type), so the mutation reaches the code that handles it instead of
 * being refused for something else first; now and then nothing is changed.
 */
export function requestArb(doc: OpenApiDocument, op: FuzzOperation, fixtures: FuzzFixtures): fc.Arbitrary<FuzzRequest> {
  const hasPath = op.params.some((p) => p.in === 'path');
  const hasQuery = op.params.some((p) => p.in === 'query');
  const targets: Array<fc.WeightedArbitrary<'path' | 'query' | 'body' | 'none'>> = [{ weight: 1, arbitrary: fc.constant('none' as const) }];
  if (hasPath) targets.push({ weight: 3, arbitrary: fc.constant('path' as const) });
  targets.push({ weight: hasQuery ? 3 : 1, arbitrary: fc.constant('query' as const) });
  if (op.body) targets.push({ weight: 8, arbitrary: fc.constant('body' as const) });
  else if (op.method !== 'GET') targets.push({ weight: 1, arbitrary: fc.constant('body' as const) });

  const body = (hostile: boolean): fc.Arbitrary<{ contentType?: string; body?: string | Uint8Array; shape?: string }> => {
    if (op.method === 'GET') return fc.constant({});
    if (!op.body) return hostile ? rawBody.map((plan) => encode(plan, 'json', 'b')) : fc.constant({});
    const drawn = validOf(doc, op.body.schema);
    const valid = fixtures.validBody ? drawn.map((v) => fixtures.validBody!(op, v)) : drawn;
    if (!hostile) return valid.map((value) => encode({ value, shape: 'valid' }, 'json', 'b'));
    return fc
      .tuple(valid.chain((v) => mutatedBody(doc, op.body!.schema, v)), CONTENT_TYPES, fc.constantFrom('fuzzboundary', 'x'))
      .map(([plan, as, boundary]) => encode(plan, as, boundary));
  };

  // Built once (not inside chain): arbitraries are costly to build and cheap to draw from.
  const as = identityArb(op, fixtures);
  const parts = {
    path: [pathArb(op, fixtures, false), pathArb(op, fixtures, true)],
    query: [queryArb(doc, op, false), queryArb(doc, op, true)],
    body: [body(false), body(true)],
  };
  return fc.oneof(...targets).chain((target) =>
    fc
      .record({
        as,
        credentials: CREDENTIAL_KINDS,
        path: parts.path[target === 'path' ? 1 : 0],
        query: parts.query[target === 'query' ? 1 : 0],
        body: parts.body[target === 'body' ? 1 : 0],
      })
      .map((r): FuzzRequest => {
        const shapes = [r.path.shape, r.query.shape, r.body.shape].filter((x) => x && x !== 'valid');
        return {
          op: op.id,
          as: r.as,
          credentials: r.credentials,
          method: op.method,
          path: r.path.text + r.query.text,
          contentType: r.body.contentType,
          body: r.body.body,
          shape: shapes.length ? shapes.join('; ') : 'valid',
        };
      }),
  );
}
