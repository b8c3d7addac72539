// Runs every test of the matched files on its own (vitest `-t` with its exact full title), one
// after another, so a test that only passes after its neighbours is found (issue 22 point 5).
// `node scripts/each-alone.mjs [file filters…]`, e.g. `node scripts/each-alone.mjs test/e2e/portal`.
// Needs what the tests need (the built server for e2e: `npm run build:server`; DATABASE_URL for
// PostgreSQL). Prints one line per test and, at the end, the ones that failed alone; exit 1 if any.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listTests } from './list-tests.mjs';

const root = join(import.meta.dirname, '..');
const PROJECTS = [
  ['test/e2e/', 'e2e'],
  ['test/engine-contract/', 'engine-contract'],
  ['test/zeebe/', 'zeebe'],
  ['test/conformance/', 'conformance'],
  ['test/browser/', 'browser'],
  ['test/fuzz/', 'fuzz'],
  ['libs/', 'unit'],
  ['apps/', 'unit'],
];
const projectOf = (file) => PROJECTS.find(([prefix]) => file.startsWith(prefix))?.[1];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const filters = process.argv.slice(2);
const byFile = listTests(filters);
const failed = [];
let count = 0;
for (const [file, names] of Object.entries(byFile)) {
  const project = projectOf(file);
  if (!project) throw new Error(`no vitest project runs ${file}`);
  for (const name of names) {
    count++;
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', project, file, '--testNamePattern', `^${escape(name)}$`, '--passWithNoTests=false'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    // Exactly this one test ran and passed: "Tests  1 passed (…)", no other counts.
    const summary = /Tests\s+(.*)\(/.exec(result.stdout)?.[1]?.trim() ?? '';
    const ok = result.status === 0 && /^1 passed/.test(summary);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${file} > ${name}${ok ? '' : `  (${summary || `exit ${result.status}`})`}`);
    if (!ok) failed.push({ file, name, output: `${result.stdout}\n${result.stderr}`.slice(-4000) });
  }
}
console.log(`\n${count - failed.length} of ${count} tests pass alone.`);
for (const f of failed) console.log(`\n--- ${f.file} > ${f.name}\n${f.output}`);
process.exit(failed.length > 0 ? 1 : 0);
