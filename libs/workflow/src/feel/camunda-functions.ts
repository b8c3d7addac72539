import { randomBytes } from 'node:crypto';
import { FeelDate, FeelDateTime, FeelFunction, date, dateAndTime, evaluate } from 'feelin';
import type { Clock } from '../embedded/clock';
import { javaRegex, javaReplaceAll } from './java-regex';

/**
 * Camunda's built-in FEEL functions that feelin lacks (or has with fewer overloads), as
 * Camunda 8.8's engine (feel-scala 1.19) defines them; given to feelin as context entries,
 * which is how feelin takes custom functions. Each is checked against
 * docs.camunda.io/docs/components/modeler/feel/builtin-functions/ and feel-scala's
 * `impl/builtin/*BuiltinFunctions.scala` at tag 1.19.5 (see decision 0021). Arguments of the
 * wrong type give null, as an invocation failure does in Camunda's FEEL.
 */

/** `assert()` failed: the whole evaluation fails (feel-scala's ASSERT_FAILURE), which Zeebe makes an incident. */
export class FeelAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelAssertionError';
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isContext = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const builtins = new Map<string, (...args: unknown[]) => unknown>();

/** feelin's own builtin of that name (a FEEL name resolves to its builtin when the context has none); looked up once. */
function feelinBuiltin(name: string): (...args: unknown[]) => unknown {
  const known = builtins.get(name);
  if (known) return known;
  const value = evaluate(name, {}).value;
  if (typeof value !== 'function') throw new Error(`feelin has no builtin '${name}'`);
  builtins.set(name, value as (...args: unknown[]) => unknown);
  return value as (...args: unknown[]) => unknown;
}

/** A key under which two FEEL values are equal (numbers, strings, lists, contexts, temporals). */
function valueKey(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (isContext(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${valueKey(v[k])}`)
      .join(',')}}`;
  }
  if (typeof v === 'object') return `${(v as object).constructor?.name}:${String(v)}`;
  return `${typeof v}:${String(v)}`;
}

/** Java's `Character.isWhitespace` (what `String.isBlank` tests): no non-breaking spaces. */
// eslint-disable-next-line no-control-regex -- Java's whitespace set includes these control characters
const javaBlank = /^[\t\n\u000B\f\r\u001C-\u001F\u0020\u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/u;
/** Java's `String.trim`: every character up to U+0020 at either end. */
// eslint-disable-next-line no-control-regex -- Java's trim strips every control character
const javaTrim = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/** A version-7 UUID (time-ordered, random), as feel-scala's `timeBasedEpochRandomGenerator`. */
export function uuidV7(ms: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.max(0, Math.floor(ms)) % 2 ** 48, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function joinStrings(list: unknown, delimiter: unknown, prefix: unknown, suffix: unknown): string | null {
  if (!Array.isArray(list)) return null;
  if (!list.every((item) => item === null || item === undefined || isString(item))) return null;
  const text = (v: unknown) => (v === null || v === undefined ? '' : isString(v) ? v : undefined);
  const [d, p, s] = [text(delimiter), text(prefix), text(suffix)];
  if (d === undefined || p === undefined || s === undefined) return null;
  // string join(list, delimiter, prefix, suffix) has no three-argument overload
  if ((prefix === undefined) !== (suffix === undefined)) return null;
  return p + list.filter(isString).join(d) + s;
}

function getPath(context: unknown, keys: unknown[]): unknown {
  if (keys.length === 0 || !keys.every(isString)) return null;
  let value: unknown = context;
  for (const key of keys) {
    if (!isContext(value) || !(key in value)) return null;
    value = value[key];
  }
  return value ?? null;
}

function putPath(context: Record<string, unknown>, keys: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = keys;
  if (rest.length === 0) return { ...context, [head]: value };
  const inner = isContext(context[head]) ? (context[head] as Record<string, unknown>) : {};
  return { ...context, [head]: putPath(inner, rest, value) };
}

const byClock = new WeakMap<Clock, Record<string, FeelFunction>>();

/**
 * The functions, keyed by their FEEL name; `now()`, `today()` and `uuid()` read `clock`. Built once
 * per clock (every run of the core asks for them; building them cost more than a whole job step).
 */
export function camundaFunctions(clock: Clock): Record<string, FeelFunction> {
  let functions = byClock.get(clock);
  if (!functions) byClock.set(clock, (functions = buildFunctions(clock)));
  return functions;
}

function buildFunctions(clock: Clock): Record<string, FeelFunction> {
  const getValue = feelinBuiltin('get value');
  const contextPut = feelinBuiltin('context put');
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- feelin passes FEEL values of any type; each function checks its own
  const f = (names: string[], fn: (...args: any[]) => unknown) => new FeelFunction(fn, names);
  return {
    // ── boolean: docs .../feel-built-in-functions-boolean/
    'is defined': f(['value'], (value) => value !== null && value !== undefined),
    'get or else': f(['value', 'default'], (value, fallback) => value ?? fallback ?? null),
    // docs .../feel-built-in-functions-ai-agent/: "Returns the unmodified value parameter"; the rest describes it for an AI agent.
    fromAi: f(['value', 'description', 'type', 'schema', 'options'], (value) => value ?? null),
    assert: f(['value', 'condition', 'cause'], (value, condition, cause) => {
      if (condition === true) return value;
      throw new FeelAssertionError(isString(cause) ? cause : 'The condition is not fulfilled');
    }),

    // ── string: docs .../feel-built-in-functions-string/
    extract: f(['input', 'pattern'], (input, pattern) => {
      if (!isString(input) || !isString(pattern)) return null;
      const re = javaRegex(pattern, '', true);
      return re ? [...input.matchAll(re)].map((m) => m[0]) : null;
    }),
    replace: f(['input', 'pattern', 'replacement', 'flags'], (input, pattern, replacement, flags) => {
      if (!isString(input) || !isString(pattern) || !isString(replacement)) return null;
      if (flags !== undefined && !isString(flags)) return null;
      const re = javaRegex(pattern, flags ?? '', true);
      return re ? javaReplaceAll(input, re, replacement) : null;
    }),
    matches: f(['input', 'pattern', 'flags'], (input, pattern, flags) => {
      if (!isString(input) || !isString(pattern)) return null;
      if (flags !== undefined && !isString(flags)) return null;
      const re = javaRegex(pattern, flags ?? '');
      return re ? re.test(input) : null;
    }),
    trim: f(['string'], (s) => (isString(s) ? s.replace(javaTrim, '') : null)),
    uuid: f([], () => uuidV7(clock.now().getTime())),
    'to base64': f(['value'], (value) => (isString(value) ? Buffer.from(value, 'utf8').toString('base64') : null)),
    'is blank': f(['string'], (s) => (isString(s) ? javaBlank.test(s) : null)),

    // ── list: docs .../feel-built-in-functions-list/
    'is empty': f(['list'], (list) => (Array.isArray(list) ? list.length === 0 : null)),
    'duplicate values': f(['list'], (list) => {
      if (!Array.isArray(list)) return null;
      const counts = new Map<string, { value: unknown; n: number }>();
      for (const item of list) {
        const key = valueKey(item);
        const seen = counts.get(key);
        if (seen) seen.n++;
        else counts.set(key, { value: item, n: 1 });
      }
      return [...counts.values()].filter((e) => e.n > 1).map((e) => e.value);
    }),
    partition: f(['list', 'size'], (list, size) => {
      if (!Array.isArray(list) || !isNumber(size)) return null;
      const n = Math.trunc(size);
      if (n <= 0) return null;
      const parts: unknown[][] = [];
      for (let i = 0; i < list.length; i += n) parts.push(list.slice(i, i + n));
      return parts;
    }),
    'string join': f(['list', 'delimiter', 'prefix', 'suffix'], joinStrings),

    // ── numeric: docs .../feel-built-in-functions-numeric/
    'random number': f([], () => Math.random()),

    // ── context: docs .../feel-built-in-functions-context/
    'get value': f(['context', 'key', 'keys'], (context, key, keys) => {
      const path = keys ?? key;
      if (Array.isArray(path)) return isContext(context) ? getPath(context, path) : null;
      return getValue(context, path);
    }),
    'context put': f(['context', 'key', 'value', 'keys'], (context, key, value, keys) => {
      const path = keys ?? key;
      if (Array.isArray(path)) {
        if (!isContext(context) || path.length === 0 || !path.every(isString)) return null;
        return putPath(context, path, value);
      }
      return contextPut(context, path, value);
    }),
    // deprecated Camunda names, still evaluated by 8.8: put() → context put(), put all() → context merge()
    put: f(['context', 'key', 'value'], (context, key, value) => (isContext(context) && isString(key) ? { ...context, [key]: value } : null)),
    'put all': f(['...contexts'], (...contexts: unknown[]) => (contexts.every(isContext) ? Object.assign({}, ...contexts) : null)),

    // ── temporal: docs .../feel-built-in-functions-temporal/ (the engine clock, which the test clock moves)
    now: f([], () => dateAndTime(clock.now().toISOString())),
    today: f([], () => date(clock.now().toISOString().slice(0, 10))),
    'last day of month': f(['date'], (d) => {
      if (!(d instanceof FeelDate) && !(d instanceof FeelDateTime)) return null;
      const last = new Date(Date.UTC(d.year, d.month, 0));
      return date(last.toISOString().slice(0, 10));
    }),
  };
}

/** The names of these functions, which the parser must know (names with spaces, `or` in `get or else`). */
export const CAMUNDA_FUNCTION_NAMES: readonly string[] = Object.keys(camundaFunctions({ now: () => new Date(0) } as Clock));
