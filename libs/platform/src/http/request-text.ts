import { DomainError } from '../errors/domain-error';

/**
 * What no route of this API can take, checked once at the edge for every parsed body and
 * query: text PostgreSQL cannot store (the NUL character; half of a UTF-16 surrogate pair,
 * which is not a character and has no UTF-8), field names that reach an object's prototype
 * when copied (`__proto__`, `constructor`, `prototype`), and nesting so deep that the
 * recursive steps after parsing (class-transformer, class-validator) overflow the stack.
 * Each is refused with a 400 naming the field, before any handler runs.
 */

/** Deepest nesting of objects and lists a JSON body may have (form-js forms, the deepest real bodies, stay under 20). */
export const JSON_MAX_DEPTH = 64;

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first NUL or lone surrogate in a string, as a short description; undefined when the text is clean. */
export function unstorableCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'the NUL character (U+0000)';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `half of a surrogate pair (U+${c.toString(16).toUpperCase()}) that is not a character`;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return `half of a surrogate pair (U+${c.toString(16).toUpperCase()}) that is not a character`;
  }
  return undefined;
}

/** A field path as people read it: documents.0.number; long paths keep their start. */
function pathText(path: Array<string | number>): string {
  const shown = path.slice(0, 8).map(String).join('.');
  return path.length > 8 ? `${shown}…` : shown || 'the body';
}

/** Why a parsed request value cannot be taken (with a code and the field), or undefined when it can. */
export function requestValueProblem(value: unknown, where: 'body' | 'query', maxDepth = JSON_MAX_DEPTH): DomainError | undefined {
  // Iterative, so a value nested a million deep is measured without recursion.
  const stack: Array<{ value: unknown; path: Array<string | number>; depth: number }> = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const bad = unstorableCharacter(v);
      if (bad) return unstorable(where, path, bad);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) {
      return new DomainError(
        'BODY_TOO_DEEP',
        `The request ${where} nests objects or lists more than ${maxDepth} levels deep (at ${pathText(path)}); send a flatter ${where}`,
        400,
        { maxDepth },
      );
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i], depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = [...path, key];
      if (PROTOTYPE_KEYS.has(key)) {
        return new DomainError('FORBIDDEN_FIELD_NAME', `The field name "${key}" is not allowed (at ${pathText(at)}): it is reserved`, 400, { field: pathText(at) });
      }
      const badKey = unstorableCharacter(key);
      if (badKey) return unstorable(where, at, badKey);
      stack.push({ value: (v as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return undefined;
}

function unstorable(where: 'body' | 'query', path: Array<string | number>, what: string): DomainError {
  const field = where === 'query' ? `query parameter "${pathText(path)}"` : path.length ? `field "${pathText(path)}"` : 'request body';
  return new DomainError('INVALID_CHARACTER', `The ${field} contains ${what}, which cannot be stored; send valid Unicode text without it`, 400, {
    field: pathText(path),
  });
}
