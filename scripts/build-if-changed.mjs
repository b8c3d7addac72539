// `npm start` runs this first: it builds the server, the worker and the web app only when their
// sources changed since the last build, so a warm start takes seconds instead of minutes.
// "Changed" is a sha256 over every source file's path and bytes (apps/, libs/, bpmn/, the
// package and build configuration), kept in dist/.build-sources; a missing output also rebuilds.
// `node scripts/build-if-changed.mjs [--force]`
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const SOURCES = ['apps', 'libs', 'bpmn', 'package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json'];
const OUTPUTS = ['dist/apps/server/main.js', 'dist/apps/worker/main.js', 'dist/apps/web/index.html'];
const STAMP = join(root, 'dist/.build-sources');

function* files(path) {
  const stat = statSync(path);
  if (stat.isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    yield* files(join(path, entry));
  }
}

function sourcesHash() {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    const path = join(root, source);
    if (!existsSync(path)) continue;
    for (const file of files(path)) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

const started = Date.now();
const hash = sourcesHash();
const built = existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash && OUTPUTS.every((o) => existsSync(join(root, o)));
if (built && !process.argv.includes('--force')) {
  console.log(`mustafid: the build is current (sources checked in ${Date.now() - started} ms); starting the built server`);
} else {
  console.log(built ? 'mustafid: rebuilding (--force)' : 'mustafid: sources changed since the last build (or it never ran): building the server, the worker and the web app');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
  writeFileSync(STAMP, `${hash}\n`);
}
