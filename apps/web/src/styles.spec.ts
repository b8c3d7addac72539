import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The one stylesheet is merged by hand from several branches. An unclosed block does not fail
 * the build: browsers read what follows as rules nested inside it (CSS nesting), so a whole
 * section silently stops applying (the portal's styles once sat inside a modeler rule).
 */
function nestedStyleRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const stack: string[] = [];
  const nested: string[] = [];
  let prelude = '';
  for (const ch of text) {
    if (ch === '{') {
      const selector = prelude.split(';').pop()!.trim();
      const parent = stack.at(-1);
      if (parent !== undefined && !parent.startsWith('@')) nested.push(`${parent} { ${selector} }`);
      stack.push(selector);
      prelude = '';
    } else if (ch === '}') {
      if (stack.pop() === undefined) nested.push('a "}" with no block to close');
      prelude = '';
    } else {
      prelude += ch;
    }
  }
  return [...nested, ...stack.map((s) => `"${s}" is never closed`)];
}

describe('styles.css', () => {
  it('closes every block, and nests rules only inside at-rules', () => {
    expect(nestedStyleRules(readFileSync(path.join(__dirname, 'styles.css'), 'utf8'))).toEqual([]);
  });

  it('the check finds an unclosed rule that swallows the next one', () => {
    expect(nestedStyleRules('.a {\n.b { color: red; }\n')).toEqual(['.a { .b }', '".a" is never closed']);
  });
});
