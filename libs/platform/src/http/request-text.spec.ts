import { describe, expect, it } from 'vitest';
import { JSON_MAX_DEPTH, requestValueProblem, unstorableCharacter } from './request-text';

describe('requestValueProblem: what no route can take', () => {
  it('takes ordinary bodies, Arabic, emoji and surrogate pairs', () => {
    expect(requestValueProblem({ fullName: 'فاطمة عبدالله', note: '👩‍👩‍👧 \u200F', list: [1, { a: null }] }, 'body')).toBeUndefined();
    expect(unstorableCharacter('😀')).toBeUndefined();
  });

  it('refuses NUL and lone surrogates, naming the field (in keys too)', () => {
    expect(requestValueProblem({ documents: [{ number: 'a\u0000' }] }, 'body')).toMatchObject({
      code: 'INVALID_CHARACTER',
      status: 400,
      message: 'The field "documents.0.number" contains the NUL character (U+0000), which cannot be stored; send valid Unicode text without it',
    });
    expect(requestValueProblem({ email: 'x\udc00' }, 'body')?.message).toContain('half of a surrogate pair (U+DC00)');
    expect(requestValueProblem({ 'a\ud800': 1 }, 'body')?.code).toBe('INVALID_CHARACTER');
    expect(requestValueProblem({ q: '\u0000' }, 'query')?.message).toContain('The query parameter "q" contains the NUL character');
  });

  it('refuses prototype field names at any depth', () => {
    expect(requestValueProblem(JSON.parse('{"a":{"__proto__":{"x":1}}}'), 'body')).toMatchObject({ code: 'FORBIDDEN_FIELD_NAME', message: 'The field name "__proto__" is not allowed (at a.__proto__): it is reserved' });
    expect(requestValueProblem({ constructor: { prototype: {} } }, 'body')?.code).toBe('FORBIDDEN_FIELD_NAME');
  });

  it(`takes ${JSON_MAX_DEPTH} levels of nesting and refuses more, without recursion (a million levels)`, () => {
    const nest = (n: number) => {
      let v: unknown = 1;
      for (let i = 0; i < n; i++) v = [v];
      return v;
    };
    expect(requestValueProblem(nest(JSON_MAX_DEPTH), 'body')).toBeUndefined();
    expect(requestValueProblem(nest(JSON_MAX_DEPTH + 1), 'body')).toMatchObject({ code: 'BODY_TOO_DEEP', status: 400 });
    expect(requestValueProblem(nest(1_000_000), 'body')?.message).toMatch(/^The request body nests objects or lists more than 64 levels deep \(at 0\.0\.0\.0\.0\.0\.0\.0…\); send a flatter body$/);
  });
});
