import { parseExpression } from 'feelin';
import { CAMUNDA_FUNCTION_NAMES } from './camunda-functions';

/**
 * What the parser must know besides the variables: the names of the functions we add to
 * feelin. feelin's parser reads multi-word names from its context, and `get or else` holds the
 * keyword `or`, so without them `get or else(x, 1)` would not parse.
 */
export const PARSE_CONTEXT: Readonly<Record<string, unknown>> = Object.fromEntries(CAMUNDA_FUNCTION_NAMES.map((name) => [name, () => null]));

/**
 * A string literal may span lines in Camunda's FEEL (feel-scala reads the line breaks as they are;
 * Camunda's own AI agent diagrams write prompts so), where feelin's grammar refuses them: inside
 * string literals, raw line breaks become the escapes `\n` and `\r`, which mean the same.
 */
export function feelSource(source: string): string {
  if (!source.includes('\n') && !source.includes('\r')) return source;
  let out = '';
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (inString && c === '\\') {
      out += c + (source[++i] ?? '');
      continue;
    }
    if (c === '"') inString = !inString;
    out += inString && c === '\n' ? '\\n' : inString && c === '\r' ? '\\r' : c;
  }
  return out;
}

/** Parses `source` (an expression without its `=`) as the engine will evaluate it. */
export function parseFeel(source: string): ReturnType<typeof parseExpression> {
  return parseExpression(feelSource(source), { ...PARSE_CONTEXT }, undefined);
}
