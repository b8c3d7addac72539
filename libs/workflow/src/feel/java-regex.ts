/**
 * Regular expressions as Camunda's FEEL engine (feel-scala, on java.util.regex) reads them:
 * the flags `s`, `m`, `i` and `x` of `matches()`/`replace()`, a leading inline flag group
 * such as `(?i)`, and Java's replacement syntax (`$1`, `${name}`, `\$`).
 * docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-string/
 */

/** Java's COMMENTS flag (`x`): unescaped whitespace and `#` comments to the end of the line are ignored. */
function stripComments(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      out += c + pattern[++i];
    } else if (c === '#') {
      while (i + 1 < pattern.length && pattern[i + 1] !== '\n') i++;
    } else if (!/\s/.test(c)) {
      out += c;
    }
  }
  return out;
}

/**
 * Compiles a Java-style pattern with Java-style flags to a JavaScript RegExp, or null when it
 * is not a valid pattern (FEEL then yields null, as feel-scala's "Invalid pattern").
 */
export function javaRegex(pattern: string, flags = '', global = false): RegExp | null {
  let source = pattern;
  let all = flags;
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    all += inline[1];
    source = source.slice(inline[0].length);
  }
  if (all.includes('x')) source = stripComments(source);
  const jsFlags = [...new Set(all.replace(/[^ims]/g, ''))].join('') + (global ? 'g' : '');
  try {
    return new RegExp(source, `u${jsFlags}`);
  } catch {
    try {
      // Java accepts escapes of any non-letter (`\_`, `\ `) that unicode mode rejects.
      return new RegExp(source, jsFlags);
    } catch {
      return null;
    }
  }
}

/** The number of capturing groups of a regular expression. */
function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

/**
 * `Matcher.replaceAll` semantics: `$n` takes as many digits as still name an existing group,
 * `${name}` a named group, `\x` the character x; a `$` that names no group is an error (null).
 */
export function javaReplaceAll(input: string, re: RegExp, replacement: string): string | null {
  const groups = groupCount(re);
  let failed = false;
  const result = input.replace(re, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const group = (n: number) => (args[n] as string | undefined) ?? '';
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === '\\') {
        if (i + 1 >= replacement.length) {
          failed = true;
          break;
        }
        out += replacement[++i];
      } else if (c === '$') {
        const next = replacement[i + 1];
        if (next === '{') {
          const end = replacement.indexOf('}', i + 2);
          const name = end < 0 ? '' : replacement.slice(i + 2, end);
          if (!name || !(name in named)) {
            failed = true;
            break;
          }
          out += named[name] ?? '';
          i = end;
        } else if (next !== undefined && next >= '0' && next <= '9') {
          let n = Number(next);
          if (n > groups) {
            failed = true;
            break;
          }
          i++;
          while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]) && n * 10 + Number(replacement[i + 1]) <= groups) {
            n = n * 10 + Number(replacement[++i]);
          }
          out += group(n);
        } else {
          failed = true;
          break;
        }
      } else {
        out += c;
      }
    }
    return out;
  });
  return failed ? null : result;
}
