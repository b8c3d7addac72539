/**
 * Engine benchmark: `npm run bench:engine` (see docs/performance.md). Not a test: one long
 * `it()` that measures and prints a table; it fails only when the engine does not finish
 * the work it was given.
 *
 *   (a) durable throughput: start → 10 service tasks → end, one in-process worker, at each
 *       concurrency of BENCH_CONCURRENCY (16 and 64) in the same run
 *   (b) the same process on bare in-memory bpmn-engine, and bare PostgreSQL single-row commits at
 *       the same concurrencies (the ratio of (a) to them)
 *   (c) parked instances: start → timer → end, resident memory and a burst of due timers
 *   (d) 1, 2 and 4 built server processes (`dist/apps/server/main.js`) on one PostgreSQL
 *       database, driven through the REST API by external workers: job completions/s
 *
 * Order of the work: bare commits on the fresh database, then (c), then (a), then the bare
 * bpmn-engine, then (d): (c) runs first so that its resident-memory figures are not inflated by the
 * heap that (a)'s throughput leaves behind. The table is printed in the order (a), (b), (c), (d).
 * Every figure also goes to a JSON file (BENCH_JSON, else bench/results/engine-<time>.json);
 * `npm run bench:engine` prints its path as its last line (bench/print-json-path.mjs).
 *
 * Knobs (environment): BENCH_QUICK=1 (a reduced size, the same figures: under 3 minutes),
 * BENCH_INSTANCES (300 at concurrency 16, c/32 times as many at a concurrency c > 32; quick 60),
 * BENCH_CONCURRENCY (16,64: a comma list), BENCH_PARKED (100000; quick 3000),
 * BENCH_DUE (10000, at most BENCH_PARKED; quick 1000), BENCH_MAX_JOBS (the worker's maxJobsActive;
 * default the larger of 32 and the concurrency), BENCH_POOL_SIZE (10, DATABASE_POOL_SIZE),
 * BENCH_WARMUP (20 instances before (a); quick 5), BENCH_COMMIT_SECONDS (5; quick 2),
 * BENCH_BARE_INSTANCES (= BENCH_INSTANCES), BENCH_PROCESSES (1,2,4), BENCH_PROC_INSTANCES (300
 * per process count; quick 60), BENCH_PROC_CONCURRENCY (64 instances in flight over all processes),
 * BENCH_DATABASE (postgres | embedded; (d) needs postgres), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_SKIP (comma list of a, b, c, d), BENCH_JSON (the figures' file),
 * BENCH_FIRE (scheduler | both: also call settle() while the scheduler fires), BENCH_CACHE_SIZE (ENGINE_CACHE_SIZE), BENCH_CORE (ENGINE_CORE),
 * BENCH_CPU_PROF=1 and BENCH_NODE_FLAGS (see vitest.bench.config.mts).
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DatabaseModule, type DatabaseEndpoint, openDatabase } from '@mustafid/database';
import { ConfigModule, loadConfig } from '@mustafid/platform';
import {
  type ActivatedJob,
  AdjustableClock,
  CLOCK,
  EmbeddedWorkflowEngine,
  type JobOutcome,
  WORKFLOW_ENGINE,
  type WorkflowEngine,
  WorkflowModule,
  complete,
} from '@mustafid/workflow';
import { Engine } from 'bpmn-engine';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { compileProcess } from '../libs/workflow/src/model/compile';
import { type Running, SERVER_MAIN, runBuilt } from '../test/support/processes';

// ── knobs ──────────────────────────────────────────────────────────────────────

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${raw}`);
  return n;
}

/** A comma list of whole numbers from the environment, or its default. */
function ints(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const list = raw.split(',').map((x) => Number(x.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name} must be a comma list of whole numbers ≥ 1, got ${raw}`);
  return list;
}

/** BENCH_QUICK=1: the same figures at a reduced size (the whole `npm run bench:engine` in under 3 minutes). */
const QUICK = process.env.BENCH_QUICK === '1';
/** Instances of (a) at concurrency 16; at a higher concurrency c, c/32 times as many (600 at 64). */
const INSTANCES = int('BENCH_INSTANCES', QUICK ? 60 : 300);
/** (a) runs at each of these concurrencies, in one run; the first also drives (c) and (b1). */
const CONCURRENCIES = ints('BENCH_CONCURRENCY', [16, 64]);
const CONCURRENCY = CONCURRENCIES[0];
const PARKED = int('BENCH_PARKED', QUICK ? 3_000 : 100_000);
const DUE = Math.min(int('BENCH_DUE', QUICK ? 1_000 : 10_000), PARKED);
/** The in-process worker's maxJobsActive: BENCH_MAX_JOBS, else the larger of 32 and the concurrency. */
const MAX_JOBS = process.env.BENCH_MAX_JOBS ? Math.max(1, int('BENCH_MAX_JOBS', 32)) : undefined;
const maxJobsAt = (concurrency: number) => MAX_JOBS ?? Math.max(32, concurrency);
const instancesAt = (concurrency: number) => Math.round(INSTANCES * Math.max(1, concurrency / 32));
const POOL_SIZE = Math.max(1, int('BENCH_POOL_SIZE', 10));
const WARMUP = int('BENCH_WARMUP', QUICK ? 5 : 20);
/** (d): this many built server processes on one PostgreSQL database, one after the other. */
const PROCESSES = ints('BENCH_PROCESSES', [1, 2, 4]);
const PROC_INSTANCES = int('BENCH_PROC_INSTANCES', QUICK ? 60 : 300);
/** (d): instances in flight at once, over all processes. */
const PROC_CONCURRENCY = Math.max(1, int('BENCH_PROC_CONCURRENCY', 64));
/** ENGINE_CACHE_SIZE for the engine under test (unset: the engine's default). */
const CACHE_SIZE = process.env.BENCH_CACHE_SIZE ? int('BENCH_CACHE_SIZE', 0) : undefined;
/** ENGINE_CORE for the engine under test: mustafid (the default) or bpmn-engine (the old core). */
const CORE = process.env.BENCH_CORE;
if (CORE !== undefined && CORE !== 'mustafid' && CORE !== 'bpmn-engine') throw new Error('BENCH_CORE must be mustafid or bpmn-engine');
const COMMIT_SECONDS = int('BENCH_COMMIT_SECONDS', QUICK ? 2 : 5);
const BARE_INSTANCES = int('BENCH_BARE_INSTANCES', INSTANCES);
const DATABASE = (process.env.BENCH_DATABASE ?? 'postgres') as 'postgres' | 'embedded';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const FIRE = (process.env.BENCH_FIRE ?? 'scheduler') as 'scheduler' | 'both';
const JSON_PATH = resolve(process.env.BENCH_JSON || `bench/results/engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
/** Where the path of the last run's JSON is left for `bench/print-json-path.mjs`, which prints it after vitest's own summary. */
const JSON_POINTER = resolve('bench/results/.last-engine-json');
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const STEPS = 10;
const STALL_MS = 120_000;
const DAY = 86_400_000;

const TARGET = { jobsPerSecond: 1000, jobsPerSecondAt64: 2500, ofBareCommits: 0.5, parkedRssMb: 300, parkedFor: 100_000, timerLagP99Ms: 1000 };

const CORES = availableParallelism();

/** Busy shares in percent of one core; "other" is every other process on the machine (the vitest parent too). */
function cpuShares(d: ReturnType<typeof cpuDelta>): string {
  const other = Math.max(0, d.machineBusyShare * CORES * d.wall - d.node - d.postgres);
  return `${fmt((d.node / d.wall) * 100)} / ${fmt((d.postgres / d.wall) * 100)} / ${fmt((other / d.wall) * 100)}`;
}

// ── small helpers ──────────────────────────────────────────────────────────────

const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

function collect(): void {
  if (!gc) return;
  for (let i = 0; i < 3; i++) gc();
}

function memory() {
  const m = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN) / 1024;
  return {
    rssMb: m.rss / MB,
    heapMb: m.heapUsed / MB,
    heapTotalMb: m.heapTotal / MB,
    externalMb: (m.external + m.arrayBuffers) / MB,
    rssAnonMb: kb('RssAnon'),
    rssFileMb: kb('RssFile'),
  };
}

/** Samples resident memory every 100 ms while a phase runs: its peaks. */
function peakSampler() {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { rssMb: rss / MB, heapMb: heap / MB };
    },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** Runs `fn(0..total-1)` with at most `concurrency` calls in flight. */
async function bounded(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        await fn(i);
      }
    }),
  );
}

/** CPU seconds of this process, of PostgreSQL's processes, and of the whole machine. */
let benchDatabaseName = '';
const POSTGRES_SERVER = /checkpointer|background writer|walwriter|autovacuum launcher|logical replication|stats collector|archiver/;

function cpuSnapshot() {
  const hz = 100;
  const postgres = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm !== 'postgres') continue;
      // Only this benchmark's backends and the server's shared processes: other databases' clients are "other".
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!(benchDatabaseName && cmd.includes(benchDatabaseName)) && !POSTGRES_SERVER.test(cmd)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      postgres.set(pid, (Number(fields[11]) + Number(fields[12])) / hz);
    } catch {
      // the process ended
    }
  }
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = (ticks[3] + ticks[4]) / hz;
  const total = ticks.reduce((a, b) => a + b, 0) / hz;
  const self = process.cpuUsage();
  return { node: (self.user + self.system) / 1e6, postgres, machineBusy: total - idle, machineTotal: total, at: performance.now() };
}

function cpuDelta(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>) {
  const wall = (b.at - a.at) / 1000;
  return {
    wall,
    node: b.node - a.node,
    // Backends that exit in between (the pool closes idle connections) drop out: count only
    // the processes alive at the end, from where they were at the start (0 if they are new).
    postgres: [...b.postgres].reduce((sum, [pid, cpu]) => sum + cpu - (a.postgres.get(pid) ?? 0), 0),
    machineBusyShare: (b.machineBusy - a.machineBusy) / (b.machineTotal - a.machineTotal),
  };
}

/**
 * Counts the SQL statements this process sends (every pg client: TypeORM's pool and ours),
 * by first keyword, and the time each waited for its answer.
 */
const queries = { total: 0, waitMs: 0, byKind: new Map<string, number>(), byText: new Map<string, number>() };
/** BENCH_TRACE=1: also count statements by their text (first 90 characters) and print the top ones per job in (a). */
const TRACE = process.env.BENCH_TRACE === '1';
function countQueries(): void {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchCounted?: boolean };
  if (proto.__benchCounted) return;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '');
    const kind = text.trimStart().split(/\s+/, 1)[0]?.toUpperCase() || '?';
    queries.total++;
    queries.byKind.set(kind, (queries.byKind.get(kind) ?? 0) + 1);
    if (TRACE) {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
      queries.byText.set(key, (queries.byText.get(key) ?? 0) + 1);
    }
    const started = performance.now();
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => (queries.waitMs += performance.now() - started),
        () => (queries.waitMs += performance.now() - started),
      );
    }
    return result;
  };
  proto.__benchCounted = true;
}
function resetQueries(): void {
  queries.total = 0;
  queries.waitMs = 0;
  queries.byKind.clear();
  queries.byText.clear();
}

// ── diagrams ───────────────────────────────────────────────────────────────────

function bpmn(id: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs-${id}" targetNamespace="http://mustafid.bench"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${id}" name="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
}

function chain(id: string, steps: string[]): string {
  const ids = ['start', ...steps.map((_, i) => `s${i + 1}`), 'end'];
  const flows = ids.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${to}"/>`);
  return bpmn(id, `<bpmn:startEvent id="start"/>${steps.join('')}<bpmn:endEvent id="end"/>${flows.join('')}`);
}

const serviceTask = (id: string) =>
  `<bpmn:serviceTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="bench-step"/></bpmn:extensionElements></bpmn:serviceTask>`;
const tenSteps = (id: string) => chain(id, Array.from({ length: STEPS }, (_, i) => serviceTask(`s${i + 1}`)));
const timerWait = (id: string, duration: string) =>
  chain(id, [`<bpmn:intermediateCatchEvent id="s1" name="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`]);

// ── the database ───────────────────────────────────────────────────────────────

interface BenchDatabase {
  env: Record<string, string>;
  label: string;
  drop(): Promise<void>;
}

async function createDatabase(): Promise<BenchDatabase> {
  if (DATABASE === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'mustafid-bench-'));
    return { env: { DATA_DIR: dir }, label: `PGlite in ${dir}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `mustafid_bench_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  benchDatabaseName = name;
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    label: `PostgreSQL database ${name}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

function pgConfig(endpoint: DatabaseEndpoint): pg.PoolConfig {
  const c = endpoint.connection;
  return 'url' in c ? { connectionString: c.url } : { host: c.host, port: c.port, user: c.username, database: c.database };
}

/** Single-row INSERT commits from `concurrency` loops on their own connections, for `seconds`. */
async function bareCommits(endpoint: DatabaseEndpoint, concurrency: number, seconds: number) {
  // PGlite runs one statement at a time and its socket server must not interleave two
  // connections' protocol messages: one connection there, as the engine's own pool has.
  const max = endpoint.kind === 'embedded' ? 1 : concurrency;
  const pool = new pg.Pool({ ...pgConfig(endpoint), max });
  try {
    await pool.query(`CREATE TABLE bench_commit (id bigserial PRIMARY KEY, loop integer NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const payload = 'x'.repeat(100);
    let commits = 0;
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    const cpu0 = cpuSnapshot();
    await Promise.all(
      Array.from({ length: max }, async (_, loop) => {
        while (performance.now() < until) {
          await pool.query(`INSERT INTO bench_commit (loop, payload) VALUES ($1, $2)`, [loop, payload]);
          commits++;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = cpuDelta(cpu0, cpuSnapshot());
    await pool.query(`DROP TABLE bench_commit`);
    return { commits, perSecond: commits / elapsed, connections: max, cpu, postgresCpuMsPerCommit: (cpu.postgres * 1000) / commits, nodeCpuMsPerCommit: (cpu.node * 1000) / commits };
  } finally {
    await pool.end();
  }
}

// ── (b) bare bpmn-engine ───────────────────────────────────────────────────────

class ImmediateService {
  execute(_message: unknown, callback: (err: unknown, result?: unknown) => void): void {
    queueMicrotask(() => callback(null, {}));
  }
}

const immediateServices = {
  bench(activity: { type: string; behaviour: Record<string, unknown> }) {
    if (activity.type === 'bpmn:ServiceTask') activity.behaviour.Service = ImmediateService;
  },
};

async function bareEngineRate(xml: string, mode: 'xml' | 'compiled', total: number, concurrency: number) {
  const compiled = mode === 'compiled' ? await compileProcess(xml, 'bench-bare') : undefined;
  const runOne = async () => {
    const engine = new Engine({
      name: 'bench-bare',
      ...(compiled ? { sourceContext: compiled.sourceContext } : { source: xml, moddleOptions: { zeebe } }),
      settings: { enableDummyService: false },
      extensions: immediateServices,
    } as never);
    const ended = engine.waitFor('end');
    await engine.execute();
    await ended;
  };
  await bounded(Math.min(20, total), concurrency, runOne); // warm-up
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await bounded(total, concurrency, runOne);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { instances: total, perSecond: total / seconds, cpuMsPerInstance: (cpu.user + cpu.system) / 1000 / total, seconds };
}

// ── the engine ─────────────────────────────────────────────────────────────────

interface Booted {
  context: INestApplicationContext;
  engine: WorkflowEngine;
  embedded: EmbeddedWorkflowEngine;
  clock: AdjustableClock;
  db: DataSource;
}

async function boot(endpoint: DatabaseEndpoint, config: ReturnType<typeof loadConfig>): Promise<Booted> {
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(endpoint), WorkflowModule] })
  class BenchModule {}
  const context = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const embedded = context.get(EmbeddedWorkflowEngine);
  embedded.start();
  return {
    context,
    engine: context.get<WorkflowEngine>(WORKFLOW_ENGINE),
    embedded,
    clock: context.get<AdjustableClock>(CLOCK),
    db: context.get(DataSource),
  };
}

/** Resolves when `check` is true; fails when `progress` has not moved for STALL_MS. */
async function until(check: () => boolean, progress: () => number, what: string, diagnose: () => Promise<string>): Promise<void> {
  let last = progress();
  let lastMoved = performance.now();
  while (!check()) {
    await new Promise((r) => setTimeout(r, 20));
    const now = progress();
    if (now !== last) {
      last = now;
      lastMoved = performance.now();
    } else if (performance.now() - lastMoved > STALL_MS) {
      throw new Error(`${what}: no progress for ${STALL_MS / 1000} s (${now} done). ${await diagnose()}`);
    }
  }
}

// ── (d) several server processes on one PostgreSQL ─────────────────────────────

/** CPU seconds of the given processes so far (utime + stime), 0 for one that has ended. */
function processCpu(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // ended
    }
  }
  return total;
}

/** The password the built servers seed for admin (SEED_DEMO=true). */
const DEMO_PASSWORD = 'mustafid-bench';

/** A signed-in client of one built server's HTTP API. */
async function signIn(url: string): Promise<(path: string, body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in at ${url} failed: ${res.status}`);
  const token = ((await res.json()) as { accessToken: string }).accessToken;
  return async (path, body) => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

/**
 * `count` built servers (`node dist/apps/server/main.js`, with the heap flags `npm start` uses)
 * on a fresh PostgreSQL database: PROC_INSTANCES instances of the ten-step chain created
 * round-robin over the processes through the REST API, PROC_CONCURRENCY in flight; on each
 * process two external workers (`POST /v2/jobs/activation`, then each job's completion on the
 * same process). Job completions/s over the whole run, latency from the audit log.
 */
async function serverProcesses(count: number, xml: string) {
  const name = `mustafid_bench_procs_${count}_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const previousDatabase = benchDatabaseName;
  benchDatabaseName = name;
  const servers: Running[] = [];
  const sql = new pg.Client({ connectionString: url.toString() });
  try {
    const env = (seed: boolean) => ({
      DATABASE_URL: url.toString(),
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: String(seed),
      DEMO_PASSWORD,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      ...(CORE ? { ENGINE_CORE: CORE } : {}),
    });
    const flags = ['--max-old-space-size=256', '--max-semi-space-size=8'];
    const listening = async (server: Running) => {
      await server.waitFor(/listening on (http:\/\/\S+)/, 120_000);
      return /listening on (http:\/\/\S+)/.exec(server.output())![1];
    };
    // The first migrates the database and seeds admin; the others start on it together.
    servers.push(runBuilt(SERVER_MAIN, [], env(true), flags));
    const urls = [await listening(servers[0])];
    for (let i = 1; i < count; i++) servers.push(runBuilt(SERVER_MAIN, [], env(false), flags));
    urls.push(...(await Promise.all(servers.slice(1).map(listening))));
    const clients = await Promise.all(urls.map(signIn));
    await sql.connect();
    const deployed = await clients[0]('/api/deployments', { resourceName: 'bench-procs.bpmn', xml });
    if (deployed.status !== 201) throw new Error(`deploy failed: ${deployed.status} ${JSON.stringify(deployed.body)}`);

    let completions = 0;
    const errors: string[] = [];
    const waiting = new Map<string, () => void>();
    const finished = new Set<string>();
    let stopping = false;
    const worker = async (call: (typeof clients)[number]) => {
      while (!stopping) {
        const res = await call('/v2/jobs/activation', { type: 'bench-step', worker: 'bench', maxJobsToActivate: 32, timeout: 60_000, requestTimeout: 1000 });
        if (res.status !== 200) {
          errors.push(`activation ${res.status}`);
          continue;
        }
        await Promise.all(
          (res.body.jobs as Array<{ jobKey: string; elementId: string; processInstanceKey: string }>).map(async (job) => {
            const done = await call(`/v2/jobs/${job.jobKey}/completion`, {});
            if (done.status !== 204) {
              errors.push(`completion ${done.status}`);
              return;
            }
            completions++;
            if (job.elementId === `s${STEPS}`) {
              const resolve = waiting.get(job.processInstanceKey);
              if (resolve) resolve();
              else finished.add(job.processInstanceKey);
            }
          }),
        );
      }
    };
    const workers = clients.flatMap((call) => [worker(call), worker(call)]);
    const runInstances = async (total: number, latencies?: number[]) => {
      await bounded(total, PROC_CONCURRENCY, async (i) => {
        const t0 = performance.now();
        const created = await clients[i % clients.length]('/api/process-instances', { bpmnProcessId: 'bench-procs', variables: { i } });
        if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
        const key = created.body.processInstanceKey as string;
        if (!finished.delete(key)) await new Promise<void>((resolve) => waiting.set(key, () => (waiting.delete(key), resolve())));
        latencies?.push(performance.now() - t0);
      });
    };
    let result;
    try {
      await runInstances(Math.min(20, PROC_INSTANCES));
      const pids = servers.map((s) => s.pid);
      const serverCpu0 = processCpu(pids);
      const cpu0 = cpuSnapshot();
      const before = completions;
      const xacts = async () => Number((await sql.query(`SELECT xact_commit::bigint AS c FROM pg_stat_database WHERE datname = current_database()`)).rows[0].c);
      const xact0 = await xacts();
      const latencies: number[] = [];
      await runInstances(PROC_INSTANCES, latencies);
      const transactions = (await xacts()) - xact0;
      const cpu = cpuDelta(cpu0, cpuSnapshot());
      const serverCpu = processCpu(pids) - serverCpu0;
      const jobs = completions - before;
      const [lat] = (
        await sql.query(
          `WITH c AS (SELECT e.payload->>'key' AS job, e.created_at FROM wf_event e JOIN wf_process_instance p ON p.key = e.process_instance_key
                        WHERE e.intent = 'JOB_CREATED' AND p.bpmn_process_id = 'bench-procs'),
                d AS (SELECT payload->>'key' AS job, created_at FROM wf_event WHERE intent = 'JOB_COMPLETED'),
                l AS (SELECT extract(epoch FROM d.created_at - c.created_at) * 1000 AS ms FROM c JOIN d USING (job))
           SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99 FROM l`,
        )
      ).rows;
      const [twice] = (
        await sql.query(`SELECT count(*)::int AS n FROM (SELECT payload->>'key' FROM wf_event WHERE intent = 'JOB_COMPLETED' GROUP BY 1 HAVING count(*) > 1) x`)
      ).rows;
      result = {
        processes: count,
        instances: PROC_INSTANCES,
        jobs,
        seconds: cpu.wall,
        jobsPerSecond: jobs / cpu.wall,
        jobLatencyMs: { p50: Number(lat.p50), p99: Number(lat.p99) },
        instanceLatencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
        transactionsPerJob: transactions / jobs,
        serverCpuMsPerJob: (serverCpu * 1000) / jobs,
        postgresCpuMsPerJob: (cpu.postgres * 1000) / jobs,
        benchCpuMsPerJob: (cpu.node * 1000) / jobs,
        cpu,
        jobsCompletedTwice: twice.n as number,
        errors: errors.length,
      };
    } finally {
      stopping = true;
      await Promise.all(workers);
    }
    expect(result.jobs).toBe(PROC_INSTANCES * STEPS);
    expect(result.jobsCompletedTwice).toBe(0);
    return result;
  } finally {
    await sql.end().catch(() => undefined);
    await Promise.all(servers.map((s) => s.stop()));
    benchDatabaseName = previousDatabase;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  }
}

// ── the benchmark ──────────────────────────────────────────────────────────────

interface Row {
  section: string;
  metric: string;
  value: string;
  target?: string;
  met?: boolean;
}

describe('engine benchmark', () => {
  it('measures throughput, parked memory and timer lag', async () => {
    const rows: Row[] = [];
    const figures: Record<string, unknown> = {
      knobs: { QUICK, INSTANCES, CONCURRENCIES, PARKED, DUE, MAX_JOBS: MAX_JOBS ?? 'max(32, concurrency)', POOL_SIZE, WARMUP, COMMIT_SECONDS, BARE_INSTANCES, DATABASE, CACHE_SIZE, CORE: CORE ?? 'mustafid', PROCESSES, PROC_INSTANCES, PROC_CONCURRENCY },
      machine: { hostname: hostname(), cores: CORES, loadAtStart: loadavg() },
      date: new Date().toISOString(),
      node: process.version,
      gc: Boolean(gc),
    };
    const add = (section: string, metric: string, value: string, target?: string, met?: boolean) => rows.push({ section, metric, value, target, met });
    const runStarted = performance.now();
    const startLoad = loadavg().map((l) => l.toFixed(2)).join(' ');
    collect();
    const atStart = memory();
    figures.rssAtStart = atStart;
    countQueries();

    const database = await createDatabase();
    const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent', ENABLE_TEST_CLOCK: 'true', SEED_DEMO: 'false', DATABASE_POOL_SIZE: String(POOL_SIZE), ...(CACHE_SIZE === undefined ? {} : { ENGINE_CACHE_SIZE: String(CACHE_SIZE) }), ...(CORE ? { ENGINE_CORE: CORE } : {}) });
    let endpoint: DatabaseEndpoint | undefined;
    let poolSize = POOL_SIZE;
    let booted: Booted | undefined;
    /** By concurrency. */
    const bareCommit = new Map<number, Awaited<ReturnType<typeof bareCommits>>>();
    const durable = new Map<number, { instancesPerSecond: number; jobsPerSecond: number }>();
    try {
      const openStarted = performance.now();
      endpoint = await openDatabase(config.database);
      poolSize = endpoint.poolSize;
      const openSeconds = (performance.now() - openStarted) / 1000;

      // (b2) bare commits first, on the fresh database, before the engine connects.
      if (!SKIP.has('b')) {
        for (const c of CONCURRENCIES) bareCommit.set(c, await bareCommits(endpoint, c, COMMIT_SECONDS));
        figures.bareCommits = Object.fromEntries(bareCommit);
      }

      const bootStarted = performance.now();
      booted = await boot(endpoint, config);
      const bootSeconds = (performance.now() - bootStarted) / 1000;
      figures.boot = { openSeconds, bootSeconds, database: database.label };
      const { engine, embedded, clock, db } = booted;
      collect();
      const afterBoot = memory();
      figures.rssAfterBoot = afterBoot;
      add('process', 'RSS at start (vitest worker, modules loaded) / after boot, after GC', `${fmt(atStart.rssMb)} / ${fmt(afterBoot.rssMb)} MB (heap ${fmt(atStart.heapMb)} / ${fmt(afterBoot.heapMb)} MB)`);
      add('process', 'open database / boot Nest context', `${fmt(openSeconds, 2)} s / ${fmt(bootSeconds, 2)} s`);

      // Instance completion: the worker hands each outcome to finishJob; after the last
      // step's completion commits, the instance has ended (no poll of the database needed).
      const waiting = new Map<string, () => void>();
      const finished = new Set<string>();
      const finishErrors: string[] = [];
      let completions = 0;
      const finishJob = embedded.finishJob.bind(embedded);
      embedded.finishJob = async (job: ActivatedJob, outcome: JobOutcome) => {
        try {
          await finishJob(job, outcome);
        } catch (e) {
          finishErrors.push(`${job.key} ${job.elementId}: ${(e as Error).message}`);
          throw e;
        }
        completions++;
        if (job.elementId === `s${STEPS}`) {
          const resolve = waiting.get(job.processInstanceKey);
          if (resolve) resolve();
          else finished.add(job.processInstanceKey);
        }
      };
      const done = (key: string) =>
        finished.delete(key) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(key, () => (waiting.delete(key), resolve())));
      const diagnose = async () => {
        const [incidents] = await db.query(`SELECT count(*)::int AS n, min(error_message) AS example FROM wf_incident WHERE state = 'ACTIVE'`);
        const jobs = await db.query(`SELECT state, count(*)::int AS n FROM wf_job GROUP BY state`);
        return `incidents: ${incidents.n} (${incidents.example ?? '-'}); jobs: ${JSON.stringify(jobs)}; finish errors: ${finishErrors.slice(0, 3).join(' | ') || 'none'}`;
      };

      // ── (c) parked instances and a burst of due timers ────────────────────────
      if (!SKIP.has('c') && PARKED > 0) {
        await engine.deploy({ resourceName: 'bench-park-14.bpmn', xml: timerWait('bench-park-14', 'P14D') });
        await engine.deploy({ resourceName: 'bench-park-30.bpmn', xml: timerWait('bench-park-30', 'P30D') });
        collect();
        const before = memory();
        // The BENCH_DUE instances that will be due are spread evenly through the others.
        const isDue = (i: number) => Math.floor(((i + 1) * DUE) / PARKED) > Math.floor((i * DUE) / PARKED);
        resetQueries();
        const cpu0 = cpuSnapshot();
        const parkingPeak = peakSampler();
        let created = 0;
        const creating = bounded(PARKED, CONCURRENCY, async (i) => {
          await engine.createInstance({ bpmnProcessId: isDue(i) ? 'bench-park-14' : 'bench-park-30', variables: { i } });
          created++;
        });
        await Promise.race([creating, until(() => created === PARKED, () => created, '(c) parking', diagnose)]);
        await creating;
        const cpu = cpuDelta(cpu0, cpuSnapshot());
        const peak = parkingPeak.stop();
        const parkQueries = queries.total;
        const rawAfter = memory();
        collect();
        const after = memory();
        const [parked] = await db.query(
          `SELECT count(*) FILTER (WHERE p.bpmn_process_id = 'bench-park-14')::int AS due, count(*)::int AS total
             FROM wf_timer t JOIN wf_process_instance p ON p.key = t.process_instance_key WHERE t.state = 'CREATED'`,
        );
        expect(parked).toEqual({ due: DUE, total: PARKED });
        const [stateSize] = await db.query(
          `SELECT avg(octet_length(engine_state::text))::int AS text, avg(pg_column_size(engine_state))::int AS stored
             FROM wf_process_instance WHERE bpmn_process_id LIKE 'bench-park-%'`,
        );
        const [dbSize] = await db.query(`SELECT pg_database_size(current_database()) AS bytes`);

        // Fire: the scheduler (running, as in the server) notices the jump of the clock.
        embedded.timers.lags.splice(0);
        resetQueries();
        const fireCpu0 = cpuSnapshot();
        const advancedTo = clock.advance(14 * DAY);
        embedded.timers.wake();
        const lags = embedded.timers.lags;
        // BENCH_FIRE=both: also call settle() (what POST /api/test/clock does) while the
        // scheduler's own loop fires: two loops over the same due timers.
        const alsoSettle = FIRE === 'both' ? embedded.settle() : Promise.resolve({ timersFired: 0 });
        await until(() => lags.length >= DUE, () => lags.length, '(c) firing', diagnose);
        const settledToo = await alsoSettle;
        const fireCpu = cpuDelta(fireCpu0, cpuSnapshot());
        const fireSeconds = fireCpu.wall;
        const fireQueries = queries.total;
        const settled = await embedded.settle();
        const engineLags = [...lags];
        const [fired] = await db.query(
          `SELECT count(*) FILTER (WHERE p.bpmn_process_id = 'bench-park-14' AND t.state = 'TRIGGERED')::int AS due_fired,
                  count(*) FILTER (WHERE p.bpmn_process_id = 'bench-park-30' AND t.state <> 'CREATED')::int AS early,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.triggered_at - greatest(t.due_at, $1::timestamptz)) * 1000)
                    FILTER (WHERE t.state = 'TRIGGERED') AS jump50,
                  percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM t.triggered_at - greatest(t.due_at, $1::timestamptz)) * 1000)
                    FILTER (WHERE t.state = 'TRIGGERED') AS jump99,
                  max(extract(epoch FROM t.triggered_at - greatest(t.due_at, $1::timestamptz)) * 1000) FILTER (WHERE t.state = 'TRIGGERED') AS jumpmax
             FROM wf_timer t JOIN wf_process_instance p ON p.key = t.process_instance_key`,
          [advancedTo],
        );
        for (const k of ['jump50', 'jump99', 'jumpmax']) fired[k] = fired[k] === null ? NaN : Number(fired[k]);
        const [ended] = await db.query(`SELECT count(*)::int AS n FROM wf_process_instance WHERE bpmn_process_id = 'bench-park-14' AND state = 'COMPLETED'`);
        collect();
        const afterFiring = memory();
        expect(fired.due_fired).toBe(DUE);
        expect(fired.early).toBe(0);
        expect(ended.n).toBe(DUE);
        const p99Lag = fired.jump99 as number;
        figures.parked = {
          parked: PARKED,
          due: DUE,
          createSeconds: cpu.wall,
          createPerSecond: PARKED / cpu.wall,
          createCpu: cpu,
          before,
          rawAfter,
          peak,
          after,
          afterFiring,
          engineStateBytes: stateSize,
          databaseBytes: Number(dbSize.bytes),
          fireSeconds,
          firePerSecond: DUE / fireSeconds,
          fireCpu,
          parkQueries,
          fireQueries,
          settleExtra: settled.timersFired,
          fireMode: FIRE,
          settledToo: settledToo.timersFired,
          lagsRecorded: engineLags.length,
          engineLagMs: { p50: percentile(engineLags, 0.5), p99: percentile(engineLags, 0.99), max: percentile(engineLags, 1) },
          lagAfterJumpMs: { p50: fired.jump50, p99: fired.jump99, max: fired.jumpmax },
        };
        const s = '(c) parked timers';
        add(s, 'instances parked (timer P14D / P30D)', `${fmt(PARKED)} (${fmt(DUE)} / ${fmt(PARKED - DUE)})`);
        add(s, 'creation rate', `${fmt(PARKED / cpu.wall, 0)} instances/s (${fmt(cpu.wall, 1)} s)`);
        add(s, 'RSS before parking (after GC)', `${fmt(before.rssMb, 0)} MB (heap ${fmt(before.heapMb, 0)} MB)`);
        const rssTarget = `< ${TARGET.parkedRssMb} MB at ${fmt(TARGET.parkedFor)} parked`;
        const rssMet = PARKED >= TARGET.parkedFor ? after.rssMb < TARGET.parkedRssMb : undefined;
        add(s, `RSS after parking (after GC${gc ? '' : ': no --expose-gc'})`, `${fmt(after.rssMb, 0)} MB (heap ${fmt(after.heapMb, 0)} MB; before GC ${fmt(rawAfter.rssMb, 0)} MB)`, rssTarget, rssMet);
        add(s, 'SQL statements per parked instance / per fired timer', `${fmt(parkQueries / PARKED, 1)} / ${fmt(fireQueries / DUE, 1)}`);
        add(s, 'peak while parking: RSS / V8 heap used', `${fmt(peak.rssMb)} / ${fmt(peak.heapMb)} MB`);
        add(s, 'slim engine state per parked instance', `${fmt(stateSize.text)} B JSON (${fmt(stateSize.stored)} B stored)`);
        add(s, 'database size', `${fmt(Number(dbSize.bytes) / MB, 0)} MB`);
        add(s, `time to fire ${fmt(DUE)} due timers (scheduler)`, `${fmt(fireSeconds, 2)} s = ${fmt(DUE / fireSeconds, 0)} timers/s`);
        add(s, 'lag after the clock jump p50 / p99 / max', `${fmt(fired.jump50, 0)} / ${fmt(p99Lag, 0)} / ${fmt(fired.jumpmax, 0)} ms`, `p99 < ${fmt(TARGET.timerLagP99Ms)} ms`, p99Lag < TARGET.timerLagP99Ms);
        if (FIRE === 'both') add(s, 'BENCH_FIRE=both: lags recorded / settle() "fired" / due', `${fmt(engineLags.length)} / ${fmt(settledToo.timersFired)} / ${fmt(DUE)}`);
        add(s, 'engine.timers.lags p50 / p99 (due→fired)', `${fmt(percentile(engineLags, 0.5) / 1000, 1)} / ${fmt(percentile(engineLags, 0.99) / 1000, 1)} s (includes the parking time: see docs)`);
        add(s, 'CPU while parking (% of one core): Node / PostgreSQL / other', cpuShares(cpu));
        add(s, 'CPU while firing (% of one core): Node / PostgreSQL / other', cpuShares(fireCpu));
        add(s, 'RSS after firing (after GC)', `${fmt(afterFiring.rssMb, 0)} MB`);
      }
      // ── (a) durable throughput ────────────────────────────────────────────────
      if (!SKIP.has('a')) await engine.deploy({ resourceName: 'bench-warmup.bpmn', xml: tenSteps('bench-warmup') });
      figures.durable = {};
      for (const [round, conc] of (SKIP.has('a') ? [] : CONCURRENCIES).entries()) {
        const total = instancesAt(conc);
        const deployed = await engine.deploy({ resourceName: `bench-steps-${conc}.bpmn`, xml: tenSteps(`bench-steps-${conc}`) });
        const definitionKey = deployed.processes[0].key;
        let handled = 0;
        const worker = engine.createWorker({
          type: 'bench-step',
          maxJobsActive: maxJobsAt(conc),
          handler: async () => {
            handled++;
            return complete();
          },
        });
        const drive = (bpmnProcessId: string, total: number, latencies?: number[]) =>
          bounded(total, conc, async (i) => {
            const t0 = performance.now();
            const { processInstanceKey } = await engine.createInstance({ bpmnProcessId, variables: { i } });
            await done(processInstanceKey);
            latencies?.push(performance.now() - t0);
          });
        let ended = 0;
        const run = async (bpmnProcessId: string, count: number, latencies?: number[]) => {
          ended = 0;
          const driving = drive(bpmnProcessId, count, latencies).then(() => void (ended = count));
          await Promise.race([driving, until(() => ended === count, () => completions, `(a) ${bpmnProcessId}`, diagnose)]);
          await driving;
        };
        if (round === 0 && WARMUP > 0) await run('bench-warmup', WARMUP);

        collect();
        resetQueries();
        const [stat0] = endpoint.kind === 'postgres' ? await db.query(`SELECT xact_commit::bigint AS c FROM pg_stat_database WHERE datname = current_database()`) : [{ c: 0 }];
        const completionsBefore = completions;
        const handledBefore = handled;
        const instanceLatencies: number[] = [];
        const cpu0 = cpuSnapshot();
        const durablePeak = peakSampler();
        await run(`bench-steps-${conc}`, total, instanceLatencies);
        const cpu = cpuDelta(cpu0, cpuSnapshot());
        const q = { total: queries.total, waitMs: queries.waitMs, byKind: Object.fromEntries([...queries.byKind].sort((a, b) => b[1] - a[1])) };
        const [stat1] = endpoint.kind === 'postgres' ? await db.query(`SELECT xact_commit::bigint AS c FROM pg_stat_database WHERE datname = current_database()`) : [{ c: 0 }];
        const rssEnd = memory();
        const peakA = durablePeak.stop();
        const jobs = completions - completionsBefore;
        await worker.close();

        const [check] = await db.query(
          `SELECT count(*) FILTER (WHERE state = 'COMPLETED')::int AS completed, count(*)::int AS total FROM wf_process_instance WHERE process_definition_key = $1`,
          [definitionKey],
        );
        expect(check).toEqual({ completed: total, total });
        expect(jobs).toBe(total * STEPS);
        // Latency from the audit log: the JOB_CREATED event is stamped when the run that made
        // the job is persisted (before its commit), JOB_COMPLETED when the completing
        // transaction has locked the instance and consumes the job (before it runs the engine).
        // "next job" = JOB_CREATED of this job → JOB_CREATED of the next step's job, which also
        // covers the completing run and its commit.
        const [lat] = await db.query(
          `WITH c AS (
             SELECT payload->>'key' AS job, process_instance_key AS pik, element_id, created_at FROM wf_event
              WHERE intent = 'JOB_CREATED' AND process_definition_key = $1),
           d AS (SELECT payload->>'key' AS job, created_at FROM wf_event WHERE intent = 'JOB_COMPLETED' AND process_definition_key = $1),
           l AS (SELECT extract(epoch FROM d.created_at - c.created_at) * 1000 AS ms FROM c JOIN d USING (job)),
           n AS (SELECT extract(epoch FROM c2.created_at - c.created_at) * 1000 AS ms FROM c
                   JOIN c c2 ON c2.pik = c.pik AND c2.element_id = 's' || (substr(c.element_id, 2)::int + 1))
           SELECT (SELECT count(*) FROM l)::int AS jobs,
                  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM l) AS p50,
                  (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM l) AS p99,
                  (SELECT max(ms) FROM l) AS max,
                  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM n) AS next50,
                  (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM n) AS next99`,
          [definitionKey],
        );
        for (const k of Object.keys(lat)) lat[k] = lat[k] === null ? NaN : Number(lat[k]);
        const [events] = await db.query(`SELECT count(*)::int AS n FROM wf_event WHERE process_definition_key = $1`, [definitionKey]);

        const instancesPerSecond = total / cpu.wall;
        const jobsPerSecond = jobs / cpu.wall;
        durable.set(conc, { instancesPerSecond, jobsPerSecond });
        const commits = Number(stat1.c) - Number(stat0.c);
        (figures.durable as Record<number, unknown>)[conc] = {
          concurrency: conc,
          maxJobsActive: maxJobsAt(conc),
          instances: total,
          jobs,
          handled: handled - handledBefore,
          seconds: cpu.wall,
          instancesPerSecond,
          jobsPerSecond,
          jobLatencyMs: lat,
          instanceLatencyMs: { p50: percentile(instanceLatencies, 0.5), p99: percentile(instanceLatencies, 0.99) },
          cpu,
          queries: q,
          dbCommits: commits,
          eventsPerInstance: events.n / total,
          rss: rssEnd,
          peak: peakA,
        };
        const s = `(a) durable, 10 service tasks, concurrency ${conc} (maxJobsActive ${maxJobsAt(conc)})`;
        add(s, 'instances completed', `${fmt(total)} in ${fmt(cpu.wall, 2)} s`);
        add(s, 'completed instances/s', fmt(instancesPerSecond, 1));
        const jobsTarget = conc >= 64 ? TARGET.jobsPerSecondAt64 : TARGET.jobsPerSecond;
        add(s, 'job completions/s', fmt(jobsPerSecond, 0), `≥ ${fmt(jobsTarget)}`, jobsPerSecond >= jobsTarget);
        add(s, 'job created→completed p50 / p99 (wf_event)', `${fmt(lat.p50, 1)} / ${fmt(lat.p99, 1)} ms`);
        add(s, 'job created→next job created p50 / p99', `${fmt(lat.next50, 1)} / ${fmt(lat.next99, 1)} ms`);
        add(s, 'instance start→end p50 / p99 (client)', `${fmt(percentile(instanceLatencies, 0.5), 0)} / ${fmt(percentile(instanceLatencies, 0.99), 0)} ms`);
        add(s, 'SQL statements per job completion', fmt(q.total / jobs, 1));
        if (TRACE) {
          for (const [text, n] of [...queries.byText].sort((a, b) => b[1] - a[1]).slice(0, 20)) add(s, `  ${text.replace(/\|/g, '/')}`, fmt(n / jobs, 2));
        }
        if (endpoint.kind === 'postgres') add(s, 'DB transactions per job completion', fmt(commits / jobs, 2));
        add(s, 'CPU per job completion: Node / PostgreSQL', `${fmt((cpu.node * 1000) / jobs, 2)} / ${endpoint.kind === 'postgres' ? fmt((cpu.postgres * 1000) / jobs, 2) : 'in Node'} ms`);
        add(s, 'CPU (% of one core): Node / PostgreSQL / other processes', cpuShares(cpu));
        add(s, 'audit events per instance', fmt(events.n / total, 1));
        add(s, 'server RSS at end (no GC)', `${fmt(rssEnd.rssMb, 0)} MB (V8 heap used ${fmt(rssEnd.heapMb, 0)} of ${fmt(rssEnd.heapTotalMb, 0)} MB)`);
        add(s, 'peak during (a): RSS / V8 heap used', `${fmt(peakA.rssMb)} / ${fmt(peakA.heapMb)} MB`);
      }

    } finally {
      if (booted) await booted.context.close();
      if (endpoint) await endpoint.close();
      await database.drop();
    }

    // ── (b1) bare bpmn-engine, in memory, same diagram ──────────────────────────
    if (!SKIP.has('b')) {
      const xml = tenSteps('bench-bare');
      const fromXml = await bareEngineRate(xml, 'xml', BARE_INSTANCES, CONCURRENCY);
      const compiled = await bareEngineRate(xml, 'compiled', BARE_INSTANCES, CONCURRENCY);
      figures.bareEngine = { fromXml, compiled };
      const s = '(b) bare baselines';
      add(s, 'bpmn-engine in memory, source: xml', `${fmt(fromXml.perSecond, 1)} instances/s (${fmt(fromXml.cpuMsPerInstance, 2)} ms CPU each)`);
      add(s, 'bpmn-engine in memory, precompiled sourceContext', `${fmt(compiled.perSecond, 1)} instances/s (${fmt(compiled.cpuMsPerInstance, 2)} ms CPU each)`);
      figures.ratios = {};
      for (const c of CONCURRENCIES) {
        const bare = bareCommit.get(c);
        const d = durable.get(c);
        if (bare) {
          add(s, `bare single-row INSERT commits at concurrency ${c} (pg, ${bare.connections} connection${bare.connections === 1 ? '' : 's'})`, `${fmt(bare.perSecond, 0)} commits/s`);
          add(s, `  bare commit CPU: Node / PostgreSQL per commit`, `${fmt(bare.nodeCpuMsPerCommit, 3)} / ${fmt(bare.postgresCpuMsPerCommit, 3)} ms; ${cpuShares(bare.cpu)} % of a core`);
        }
        if (d && bare) {
          const ratio = d.jobsPerSecond / bare.perSecond;
          (figures.ratios as Record<number, unknown>)[c] = { jobsPerSecond: d.jobsPerSecond, bareCommitsPerSecond: bare.perSecond, ratio };
          add(s, `(a) job completions/s ÷ bare commits/s, concurrency ${c}`, `${fmt(ratio * 100, 1)}% (${fmt(d.jobsPerSecond)} / ${fmt(bare.perSecond)})`, `≥ ${TARGET.ofBareCommits * 100}%`, ratio >= TARGET.ofBareCommits);
        }
      }
      const d = durable.get(CONCURRENCY);
      if (d) {
        add(s, `(a) instances/s ÷ bare bpmn-engine (xml) instances/s, concurrency ${CONCURRENCY}`, `${fmt((d.instancesPerSecond / fromXml.perSecond) * 100, 1)}%`);
        add(s, `(a) instances/s ÷ bare bpmn-engine (precompiled), concurrency ${CONCURRENCY}`, `${fmt((d.instancesPerSecond / compiled.perSecond) * 100, 1)}%`);
      }
    }

    // ── (d) 1, 2, 4 built server processes on one PostgreSQL ─────────────────────
    if (!SKIP.has('d') && DATABASE === 'postgres' && PROCESSES.length > 0) {
      const runs = [];
      for (const n of PROCESSES) runs.push(await serverProcesses(n, tenSteps('bench-procs')));
      figures.processes = runs;
      const one = runs.find((r) => r.processes === 1);
      for (const r of runs) {
        const s = `(d) ${r.processes} server process${r.processes === 1 ? '' : 'es'}, REST workers, ${fmt(PROC_CONCURRENCY)} in flight`;
        add(s, 'job completions/s', `${fmt(r.jobsPerSecond, 0)}${one && r !== one ? ` (${fmt(r.jobsPerSecond / one.jobsPerSecond, 2)}× one process)` : ''} (${fmt(r.jobs)} jobs in ${fmt(r.seconds, 1)} s)`);
        add(s, 'job created→completed p50 / p99 (wf_event)', `${fmt(r.jobLatencyMs.p50, 1)} / ${fmt(r.jobLatencyMs.p99, 1)} ms`);
        add(s, 'DB transactions per job completion (all processes)', fmt(r.transactionsPerJob, 2));
        add(s, 'CPU per job completion: servers / PostgreSQL / bench client', `${fmt(r.serverCpuMsPerJob, 2)} / ${fmt(r.postgresCpuMsPerJob, 2)} / ${fmt(r.benchCpuMsPerJob, 2)} ms`);
        add(s, 'jobs completed twice', fmt(r.jobsCompletedTwice));
      }
    }

    // ── the table ───────────────────────────────────────────────────────────────
    const totalSeconds = (performance.now() - runStarted) / 1000;
    const head = `Mustafid engine benchmark: ${DATABASE === 'embedded' ? 'PGlite (embedded)' : 'PostgreSQL'}, Node ${process.version}, ${CORES} cores, ${QUICK ? 'BENCH_QUICK, ' : ''}concurrency ${CONCURRENCIES.join(' and ')}, pool ${poolSize}, ${totalSeconds.toFixed(0)} s; load average at start ${startLoad}`;
    const w = [
      Math.max(...rows.map((r) => r.metric.length)),
      Math.max(...rows.map((r) => r.value.length)),
      Math.max(6, ...rows.map((r) => (r.target ?? '').length)),
    ];
    const line = (a: string, b: string, c: string, d: string) => `| ${a.padEnd(w[0])} | ${b.padEnd(w[1])} | ${c.padEnd(w[2])} | ${d.padEnd(4)} |`;
    const out = [head, line('metric', 'value', 'target', 'met'), `|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|${'-'.repeat(w[2] + 2)}|------|`];
    const rank = (r: Row) => ['process', '(a)', '(b)', '(c)', '(d)'].findIndex((p) => r.section.startsWith(p));
    rows.sort((x, y) => rank(x) - rank(y)); // stable: rows keep their order within a section
    let section = '';
    for (const r of rows) {
      if (r.section !== section) {
        section = r.section;
        out.push(line(`**${section}**`, '', '', ''));
      }
      out.push(line(r.metric, r.value, r.target ?? '', r.met === undefined ? (r.target ? 'n/a' : '') : r.met ? 'yes' : 'NO'));
    }
    figures.totalSeconds = totalSeconds;
    console.log(`\n${out.join('\n')}\n`);
    figures.loadAtEnd = loadavg();
    mkdirSync(dirname(JSON_PATH), { recursive: true });
    writeFileSync(JSON_PATH, JSON.stringify(figures, null, 2));
    mkdirSync(dirname(JSON_POINTER), { recursive: true });
    writeFileSync(JSON_POINTER, JSON_PATH);
    console.log(`figures: ${JSON_PATH}`);
  });
});
