import { describe, expect, it } from 'vitest';
import { AdjustableClock } from './clock';
import { Feel, FeelError, parseFeel } from './feel';

/**
 * FEEL as Camunda 8.8 evaluates it (decision 0021). Each case cites the Camunda 8.8 page it
 * copies; the functions' exact behaviour is feel-scala 1.19 (Camunda 8.8's FEEL engine).
 */
// DOCS: 'https://docs.camunda.io/docs/components/modeler/feel'

const clock = new AdjustableClock();
const feel = new Feel(clock);
const ev = (expression: string, variables: Record<string, unknown> = {}) => feel.evaluate(`=${expression}`, variables, 'EXTRACT_VALUE_ERROR', 'el');

describe('null semantics', () => {
  // ${DOCS}/language-guide/feel-variables/ : "If no variable exists with the given name, the expression returns null."
  it('a missing variable is null, not an error', () => {
    expect(ev('x')).toBeNull();
    expect(ev('x.y')).toBeNull();
    expect(ev('applicant.name', { applicant: {} })).toBeNull();
  });

  // ${DOCS}/language-guide/feel-boolean-expressions/ : null check; comparison with null; ternary and/or
  it('compares, combines and tests null as the boolean-expressions page states', () => {
    expect(ev('x = null')).toBe(true);
    expect(ev('x != null and x.b > 10')).toBe(false);
    expect(ev('{}.y = null')).toBe(true);
    expect(ev('x > 5')).toBeNull();
    expect(ev('true and x')).toBeNull();
    expect(ev('false and x')).toBe(false);
    expect(ev('true or x')).toBe(true);
    expect(ev('false or x')).toBeNull();
    expect(ev('x instance of Any')).toBe(false);
  });

  // ${DOCS}/language-guide/feel-variables/ (missing is null) and Camunda's "Conditions" / exclusive gateway:
  // a condition that is not true or false is an incident in Zeebe, not a silent false.
  it('a condition on a missing variable is a CONDITION_ERROR naming the expression, the element and the warning', () => {
    try {
      feel.condition('=amount > 1000', {}, 'flow_big');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FeelError);
      expect((e as FeelError).errorType).toBe('CONDITION_ERROR');
      expect((e as FeelError).message).toContain("'amount > 1000' of flow_big");
      expect((e as FeelError).message).toContain('NO_VARIABLE_FOUND');
    }
    expect(feel.condition('=is defined(amount) and amount > 1000', {}, 'flow_big')).toBe(false);
    expect(feel.condition('=get or else(amount, 0) > 1000', { amount: 5000 }, 'flow_big')).toBe(true);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/service-tasks/ (job type is an expression whose result is the type);
  // a null result is unusable, so the element gets an incident naming it and the expression.
  it('a job type or message name that evaluates to null is an EXTRACT_VALUE_ERROR naming the element and expression', () => {
    expect(feel.text('=kind + "-worker"', { kind: 'verify' }, 'task', 'job type')).toBe('verify-worker');
    expect(feel.text('verify-data', {}, 'task', 'job type')).toBe('verify-data');
    expect(() => feel.text('=kind', {}, 'task', 'job type')).toThrowError(/job type of task, the expression 'kind', to be a string, but it was null/);
    expect(() => feel.text('=topic', {}, 'catch', 'message name')).toThrowError(/NO_VARIABLE_FOUND/);
  });

  it('a syntax error is still a FeelError', () => {
    expect(() => ev('1 +')).toThrowError(/does not parse/);
  });
});

describe('boolean functions', () => {
  // ${DOCS}/builtin-functions/feel-built-in-functions-boolean/#is-definedvalue
  it('is defined()', () => {
    expect(ev('is defined(1)')).toBe(true);
    expect(ev('is defined(null)')).toBe(false);
    expect(ev('is defined(x)')).toBe(false);
    expect(ev('is defined(x.y)', { x: {} })).toBe(false);
    expect(ev('is defined(x)', { x: false })).toBe(true);
  });

  // ${DOCS}/builtin-functions/feel-built-in-functions-boolean/#get-or-elsevalue-default
  it('get or else()', () => {
    expect(ev('get or else("this", "default")')).toBe('this');
    expect(ev('get or else(null, "default")')).toBe('default');
    expect(ev('get or else(null, null)')).toBeNull();
    expect(ev('get or else(priority, "normal")')).toBe('normal');
    expect(ev('get or else(value: priority, default: 3)')).toBe(3);
  });

  // ${DOCS}/builtin-functions/feel-built-in-functions-boolean/#assertvalue-condition-cause
  it('assert() returns the value, or fails the evaluation with the cause', () => {
    expect(ev('assert(x, x >= 0)', { x: 4 })).toBe(4);
    expect(() => ev('assert(x, x != null)')).toThrowError(/The condition is not fulfilled/);
    expect(() => ev(`assert(x, x >= 0, "'x' should be positive")`, { x: -1 })).toThrowError(/'x' should be positive/);
  });
});

describe('string functions', () => {
  // page: ${DOCS}/builtin-functions/feel-built-in-functions-string/

  // ${page}#extractstring-pattern
  it('extract()', () => {
    expect(ev('extract("references are 1234, 1256, 1378", "12[0-9]*")')).toEqual(['1234', '1256']);
    expect(ev('extract("none", "[0-9]+")')).toEqual([]);
    expect(ev('extract(x, "[0-9]+")')).toBeNull();
  });

  // ${page}#replaceinput-pattern-replacement and #replaceinput-pattern-replacement-flags
  it('replace() with groups and Java flags s, m, i, x', () => {
    expect(ev('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")')).toBe('[1=ab][2=]cd');
    expect(ev('replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")')).toBe('(012) 345-6789');
    expect(ev('replace("How do you feel?", "Feel", "FEEL", "i")')).toBe('How do you FEEL?');
    expect(ev('replace(text, "a.b", "x", "s")', { text: 'a\nb' })).toBe('x');
    expect(ev('replace(text, "a.b", "x")', { text: 'a\nb' })).toBe('a\nb');
    expect(ev('replace(text, "^b", "x", "m")', { text: 'a\nb' })).toBe('a\nx');
    expect(ev('replace("2024-05", " (\\d+) - (\\d+)  # year, month", "$2/$1", "x")')).toBe('05/2024');
    expect(ev('replace("price: 5", "\\d", "\\$$0")')).toBe('price: $5');
    expect(ev('replace("abc", "(?i)B", "x")')).toBe('axc');
  });

  // ${page}#matchesinput-pattern-flags
  it('matches() with the x flag', () => {
    expect(ev('matches("FooBar", "foo", "i")')).toBe(true);
    expect(ev('matches("abc", "a b c", "x")')).toBe(true);
  });

  // ${page}#trimstring, #is-blankstring, #to-base64value
  it('trim(), is blank(), to base64()', () => {
    expect(ev('trim("  hello world  ")')).toBe('hello world');
    expect(ev('trim("hello   world ")')).toBe('hello   world');
    expect(ev('is blank("")')).toBe(true);
    expect(ev('is blank(" ")')).toBe(true);
    expect(ev('is blank("hello world")')).toBe(false);
    expect(ev('to base64("FEEL")')).toBe('RkVFTA==');
  });

  // ${page}#uuid
  it('uuid() gives 36 characters, a new one each time', () => {
    const a = ev('uuid()') as string;
    const b = ev('uuid()') as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).toHaveLength(36);
    expect(b).not.toBe(a);
  });
});

describe('list functions', () => {
  // page: ${DOCS}/builtin-functions/feel-built-in-functions-list/

  // ${page}#is-emptylist
  it('is empty()', () => {
    expect(ev('is empty([])')).toBe(true);
    expect(ev('is empty([1,2,3])')).toBe(false);
  });

  // ${page}#partitionlist-size
  it('partition()', () => {
    expect(ev('partition([1,2,3,4,5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(ev('partition([], 2)')).toEqual([]);
    expect(ev('partition([1,2], 0)')).toBeNull();
  });

  // ${page}#duplicate-valueslist and #distinct-valueslist (feelin's own)
  it('duplicate values() and distinct values()', () => {
    expect(ev('duplicate values([1,2,3,2,1])')).toEqual([1, 2]);
    expect(ev('duplicate values([{a:1},{a:1},"x"])')).toEqual([{ a: 1 }]);
    expect(ev('distinct values([1,2,3,2,1])')).toEqual([1, 2, 3]);
  });

  // ${page}#string-joinlist-delimiter-prefix-suffix
  it('string join() with delimiter, prefix and suffix', () => {
    expect(ev('string join(["a","b","c"])')).toBe('abc');
    expect(ev('string join(["a"], "X")')).toBe('a');
    expect(ev('string join(["a","b","c"], ", ")')).toBe('a, b, c');
    expect(ev('string join(["a","b","c"], ", ", "[", "]")')).toBe('[a, b, c]');
    expect(ev('string join(["a",null,"c"])')).toBe('ac');
    expect(ev('string join([])')).toBe('');
    expect(ev('string join(["a", 1])')).toBeNull();
  });
});

describe('context, numeric and temporal functions', () => {
  // ${DOCS}/builtin-functions/feel-built-in-functions-context/#get-valuecontext-keys and #context-putcontext-keys-value
  it('get value() and context put() with a path of keys', () => {
    expect(ev('get value({x:1, y: {z:0}}, ["y", "z"])')).toBe(0);
    expect(ev('get value({a: {b: 3}}, ["b"])')).toBeNull();
    expect(ev('get value({foo: 123}, "foo")')).toBe(123);
    expect(ev('context put({x:1}, ["y", "z"], 2)')).toEqual({ x: 1, y: { z: 2 } });
    expect(ev('context put({x:1, y: {z:0}}, ["y", "z"], 2)')).toEqual({ x: 1, y: { z: 2 } });
    expect(ev('context put({x:1}, "y", 2)')).toEqual({ x: 1, y: 2 });
  });

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-numeric/ (random number, Camunda 8.8)
  it('random number()', () => {
    const n = ev('random number()') as number;
    expect(n).toBeGreaterThanOrEqual(0);
    expect(n).toBeLessThan(1);
  });

  // ${DOCS}/builtin-functions/feel-built-in-functions-temporal/#now and #today: the engine clock, which the test clock moves
  it('now() and today() read the engine clock', () => {
    const moved = new AdjustableClock();
    moved.advance(400 * 24 * 3600_000);
    const later = new Feel(moved);
    const today = later.evaluate('=string(today())', {}, 'EXTRACT_VALUE_ERROR') as string;
    expect(today).toBe(moved.now().toISOString().slice(0, 10));
    expect(later.evaluate('=today() > date(now()) - duration("P1D")', {}, 'EXTRACT_VALUE_ERROR')).toBe(true);
    expect(later.evaluate('=now() > date and time("2026-01-01T00:00:00Z") + duration("P300D")', {}, 'EXTRACT_VALUE_ERROR')).toBe(
      moved.now().getTime() > Date.parse('2026-01-01T00:00:00Z') + 300 * 24 * 3600_000,
    );
  });

  // ${DOCS}/builtin-functions/feel-built-in-functions-temporal/#last-day-of-monthdate
  it('last day of month()', () => {
    expect(ev('last day of month(date("2022-10-01"))')).toBe('2022-10-31');
    expect(ev('last day of month(date and time("2024-02-16T12:00:00"))')).toBe('2024-02-29');
  });
});

describe('deploy-time parsing', () => {
  // ${DOCS}/builtin-functions/feel-built-in-functions-boolean/ : `get or else` contains the keyword `or`
  it('parses the added function names', () => {
    for (const source of ['get or else(x, 1)', 'is defined(x) and is empty(y)', 'string join(l, ",", "[", "]")', 'duplicate values(l)']) {
      let error = false;
      parseFeel(source).iterate({ enter: (n) => void (n.type.isError && (error = true)) });
      expect(error, source).toBe(false);
    }
  });
});

describe('FEEL string literals over several lines', () => {
  // Camunda's FEEL (feel-scala) takes line breaks inside a string literal as they are; Camunda's own AI agent tutorial
  // (test/conformance: tutorials-ai-email-support-agent.bpmn) writes its system prompt so.
  const feel = new Feel(new AdjustableClock());
  it('evaluates and parses a string that spans lines, keeping its line breaks', () => {
    expect(feel.evaluate('="Dear \\"customer\\",\nwelcome.\r\n" + name', { name: 'Sara' }, 'EXTRACT_VALUE_ERROR')).toBe('Dear "customer",\nwelcome.\r\nSara');
    expect(Feel.syntaxError('="one\ntwo"')).toBeUndefined();
    let broken = false;
    parseFeel('"one\ntwo"').iterate({ enter: (n) => void (broken ||= n.type.isError) });
    expect(broken).toBe(false);
  });
});
