// Every test of the suite by its full title, as vitest itself lists them (`vitest list --json`,
// collected by importing each file, so `it.each` rows and template titles are expanded exactly as
// they run). Prints {"<file relative to the repository>": ["<describe> > … > <title>", …], …}.
// Used by libs/intake/src/diagram/policy-map.spec.ts to find the tests docs/policy-map.md names.
// Lists without starting servers or needing a database: test/support/list-tests.config.mts.
// `node scripts/list-tests.mjs [file filters…]`
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** This environment without what a surrounding vitest run set (the spec that calls this runs inside one). */
function listerEnvironment() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|TINYPOOL|__VITEST)/.test(k)));
  return { ...env, CI: 'true', NODE_ENV: 'test' };
}

/** Runs `vitest list` and returns the full titles by file (relative to the repository, `/`-separated). */
export function listTests(filters = []) {
  const dir = mkdtempSync(join(tmpdir(), 'mustafid-list-tests-'));
  const out = join(dir, 'tests.json');
  try {
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'list',
        '--config',
        'test/support/list-tests.config.mts',
        // The default (vitest 5) parses files statically: `it.each` titles stay as `%s`, template
        // literals unevaluated. Collecting imports each file and gives the titles the runner reports.
        '--staticParse=false',
        `--json=${out}`,
        ...filters,
      ],
      { cwd: root, encoding: 'utf8', env: listerEnvironment() },
    );
    if (result.status !== 0) {
      throw new Error(`vitest list failed (exit ${result.status}):\n${result.stderr}\n${result.stdout}`.trim());
    }
    /** @type {Array<{ name: string, file: string }>} */
    const tests = JSON.parse(readFileSync(out, 'utf8'));
    /** @type {Record<string, string[]>} */
    const byFile = {};
    for (const t of tests) (byFile[relative(root, t.file).split('\\').join('/')] ??= []).push(t.name);
    return byFile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${JSON.stringify(listTests(process.argv.slice(2)), null, 2)}\n`);
}
