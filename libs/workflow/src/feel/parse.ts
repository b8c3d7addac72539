import { parseExpression } from 'feelin';
import { CAMUNDA_FUNCTION_NAMES } from './camunda-functions';

/**
 * What the parser must know besides the variables: the names of the functions we add to
 * feelin. feelin's parser reads multi-word names from its context, and `get or else` holds the
 * keyword `or`, so without them `get or else(x, 1)` would not parse.
 */
export const PARSE_CONTEXT: Readonly<Record<string, unknown>> = Object.fromEntries(CAMUNDA_FUNCTION_NAMES.map((name) => [name, () => null]));

/** Parses `source` (an expression without its `=`) as the engine will evaluate it. */
export function parseFeel(source: string): ReturnType<typeof parseExpression> {
  return parseExpression(source, { ...PARSE_CONTEXT }, undefined);
}
