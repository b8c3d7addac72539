#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from BENCH_CPU_PROF=1 npm run bench:engine): self time by
 * package or project folder, the functions with the most self time, and the inclusive time
 * of a few functions of interest (each sample counted once per function on its stack).
 *
 *   node bench/cpuprofile-summary.mjs bench/profiles/<file>.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpuprofile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = url.match(/\/(libs\/[^/]+\/src\/[^/]+|apps\/[^/]+|bench|test)\//);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}
function group(n) {
  const f = n.callFrame;
  if (['(idle)', '(program)', '(garbage collector)', '(root)'].includes(f.functionName)) return f.functionName;
  return where(f.url) || `(native ${f.functionName || 'anonymous'})`;
}
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const { samples, timeDeltas } = profile;
const total = timeDeltas.reduce((a, b) => a + b, 0) / 1000;
const selfByGroup = new Map();
const selfByFn = new Map();
const inclusive = new Map();
const inclusiveGroup = new Map();
for (let i = 0; i < samples.length; i++) {
  const ms = (timeDeltas[i + 1] ?? 0) / 1000; // the delta after a sample is its duration
  const n = nodes.get(samples[i]);
  selfByGroup.set(group(n), (selfByGroup.get(group(n)) ?? 0) + ms);
  selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + ms);
  const seen = new Set();
  const seenGroups = new Set();
  for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
    const m = nodes.get(id);
    const key = label(m);
    if (!seen.has(key)) {
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
    const g = group(m);
    if (!seenGroups.has(g)) {
      seenGroups.add(g);
      inclusiveGroup.set(g, (inclusiveGroup.get(g) ?? 0) + ms);
    }
  }
}
// Each sample goes to the nearest frame (from the leaf up) that belongs to a known part:
// e.g. a socket write under pg counts as "PostgreSQL client", isatty under debug as "debug".
const PARTS = [
  [/^(smqp|bpmn-elements|bpmn-engine|moddle-context-serializer)$/, 'bpmn-engine (bpmn-elements, smqp broker)'],
  [/^debug$/, 'debug (loggers bpmn-engine creates per element)'],
  [/^(pg|pg-protocol|pg-pool|typeorm|@nestjs\/typeorm)$/, 'PostgreSQL client (TypeORM, pg, socket writes)'],
  [/^feelin|^lezer|^@lezer/, 'FEEL (feelin)'],
  [/^libs\/workflow/, 'engine glue (libs/workflow)'],
  [/^(bench|vitest|vite|@vitest\/.*)$/, 'benchmark harness (bench, vitest)'],
  [/^@nestjs/, 'Nest'],
];
const partOf = (g) => PARTS.find(([re]) => re.test(g))?.[1];
const byPart = new Map();
for (let i = 0; i < samples.length; i++) {
  const ms = (timeDeltas[i + 1] ?? 0) / 1000;
  let part;
  for (let id = samples[i]; id !== undefined && !part; id = parent.get(id)) {
    const g = group(nodes.get(id));
    if (['(idle)', '(program)', '(garbage collector)'].includes(g)) part = g;
    else part = partOf(g);
  }
  part ??= 'other (node internals, timers, microtask plumbing)';
  byPart.set(part, (byPart.get(part) ?? 0) + ms);
}
const busy = total - (selfByGroup.get('(idle)') ?? 0);
const pct = (ms) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
const show = (title, map, n, skipIdle = true) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].filter(([k]) => !skipIdle || k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${pct(v)} ${(v / 1000).toFixed(2).padStart(8)} s  ${k}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s not idle (percentages are of the latter)`);
show('Time by part (nearest known frame from the leaf)', byPart, top);
show('Self time by package / project folder', selfByGroup, top);
show('Inclusive time by package / project folder (sample counted once per group on its stack)', inclusiveGroup, top);
show('Self time by function', selfByFn, top);
const interesting = /^(execute|settle|createEngine|recover|resume|getState|persistRun|insertEvents|loadOpenWaits|lockInstance|nextKeys|activateJobs|completeJob|apply|fireTimer|fireDue|createInstance|compileProcess|evaluate|query|transaction|handleMessage|processMessages|parse|Engine|stringify|JSON\.stringify|serialize)\b/;
show('Inclusive time of functions of interest', new Map([...inclusive].filter(([k]) => interesting.test(k))), top);
