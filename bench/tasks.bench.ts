/**
 * Task-list benchmark: `npm run bench:tasks` (see docs/performance.md). Not a test: one long
 * `it()` that measures and prints a table.
 *
 * The built server runs as a child process on PostgreSQL (a fresh database, dropped at the
 * end). The task store is filled with BENCH_TASKS (100,000) open tasks of the deployed intake
 * process, spread over 10 candidate groups (the roles) and BENCH_USERS (1,000) users, a third
 * of them assigned, due dates spread over ±30 days. Then an open-loop load generator on
 * loopback sends BENCH_RATE (200) requests a second for BENCH_SECONDS (30) seconds: each is
 * `GET /api/tasks` (the caller's own tasks and their groups' tasks, first page of 50, by due
 * date) as one of BENCH_CALLERS (100) signed-in staff users. Requests are sent on schedule
 * whether or not earlier ones have answered, so a slow server shows as latency, not as a
 * lower rate. Printed: p50 / p90 / p99 / max latency, errors, achieved rate, server RSS.
 *
 * Knobs: BENCH_TASKS, BENCH_USERS, BENCH_CALLERS, BENCH_RATE, BENCH_SECONDS, BENCH_WARMUP (300
 * requests), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_JSON (write
 * the figures to this file), BENCH_SERVER_NODE_OPTIONS (Node options of the server, e.g. a CPU profile).
 */
import { int } from './knobs';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../libs/auth/src/passwords/passwords';
import { ROLES } from '../libs/auth/src/roles';
import { SERVER_MAIN, runBuilt } from '../test/support/processes';


const TASKS = int('BENCH_TASKS', 100_000);
const USERS = Math.max(ROLES.length, int('BENCH_USERS', 1_000));
const CALLERS = Math.min(USERS, int('BENCH_CALLERS', 100));
const RATE = Math.max(1, int('BENCH_RATE', 200));
const SECONDS = Math.max(1, int('BENCH_SECONDS', 30));
const WARMUP = int('BENCH_WARMUP', 300);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TARGET_P99_MS = 50;
const PASSWORD = 'bench-password-1';
/** Callers are staff who see their own and their groups' tasks (not the chair, auditors or admins, who see all). */
const WORKERS = ['reception', 'researcher', 'committee', 'registrar', 'service'];

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

describe('task list under load', () => {
  it(`GET /api/tasks at ${RATE} requests/s over ${TASKS} open tasks`, async () => {
    const name = `mustafid_bench_tasks_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const server = runBuilt(SERVER_MAIN, [], {
      DATABASE_URL: url.toString(),
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      // e.g. BENCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=bench/profiles" to profile the server
      ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
    });
    const db = new pg.Client({ connectionString: url.toString() });
    try {
      await server.waitFor(/listening on (http:\/\/\S+)/, 120_000);
      const base = /listening on (http:\/\/\S+)/.exec(server.output())![1];
      const pid = server.pid;
      await db.connect();

      // ── the data ───────────────────────────────────────────────────────────────
      const started = Date.now();
      const [definition] = (await db.query(`SELECT key::text, version FROM wf_process_definition WHERE bpmn_process_id = 'beneficiary-intake'`)).rows;
      expect(definition, 'the intake process deployed at start').toBeDefined();
      const hash = await hashPassword(PASSWORD);
      await db.query(
        `INSERT INTO app_user (username, display_name, roles, password_hash, active)
         SELECT 'bench-' || i, 'Bench user ' || i, ARRAY[($2::text[])[1 + i % $3]], $1, true FROM generate_series(0, $4 - 1) AS i`,
        [hash, ROLES, ROLES.length, USERS],
      );
      // Task i: group i % 10; a third assigned to a user of that group; due within ±30 days.
      await db.query(
        `INSERT INTO task (key, process_instance_key, process_definition_key, bpmn_process_id, process_version, element_id, element_instance_key,
                           name, case_number, assignee, candidate_groups, form_key, due_date, priority, state, created_at)
         SELECT 8000000000000000 + i, 7000000000000000 + i / 3, $1::bigint, 'beneficiary-intake', $2, 'Task_ReceptionCheck', 'bench-' || i,
                'مهمة', 'REQ-2026-' || lpad((i / 3)::text, 6, '0'),
                CASE WHEN i % 3 = 0 THEN 'bench-' || ((i % $5) + $5 * ((i / $5) % ($6 / $5))) END,
                ARRAY[($4::text[])[1 + i % $5]], 'reception-intake-check',
                now() + ((i * 7919) % 86400 - 43200) * interval '1 minute', 50, 'open', now() - (i % 1000) * interval '1 minute'
           FROM generate_series(0, $3 - 1) AS i`,
        [definition.key, definition.version, TASKS, ROLES, ROLES.length, USERS],
      );
      await db.query('ANALYZE task; ANALYZE app_user');
      const loadSeconds = (Date.now() - started) / 1000;

      // ── callers: staff users who see their own and their groups' tasks ───────────
      const { rows: callerRows } = await db.query(
        `SELECT username FROM app_user WHERE username LIKE 'bench-%' AND roles && $1::text[] ORDER BY random() LIMIT $2`,
        [WORKERS, CALLERS],
      );
      const tokens: string[] = [];
      for (const { username } of callerRows) {
        const res = await fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: PASSWORD }),
        });
        expect(res.status, `login ${username}`).toBe(200);
        tokens.push(((await res.json()) as { accessToken: string }).accessToken);
      }

      const call = async (i: number) => {
        const t0 = performance.now();
        try {
          const res = await fetch(`${base}/api/tasks?limit=50&sort=due`, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } });
          const body = (await res.json()) as { items?: unknown[] };
          return { ms: performance.now() - t0, ok: res.status === 200 && Array.isArray(body.items), items: body.items?.length ?? 0, status: String(res.status) };
        } catch (e) {
          return { ms: performance.now() - t0, ok: false, items: 0, status: e instanceof Error ? e.message : String(e) };
        }
      };
      for (let i = 0; i < WARMUP; i++) await call(i);

      // ── open-loop load ─────────────────────────────────────────────────────────
      const total = RATE * SECONDS;
      const interval = 1000 / RATE;
      const results: Array<Promise<{ ms: number; ok: boolean; items: number; status: string }>> = [];
      const rssBefore = rssMb(pid);
      const load0 = loadavg()[0];
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + i * interval;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        results.push(call(i));
      }
      const done = await Promise.all(results);
      const elapsed = (performance.now() - t0) / 1000;
      const latencies = done.map((r) => r.ms).sort((a, b) => a - b);
      const errors = done.filter((r) => !r.ok).length;
      const byStatus = new Map<string, number>();
      for (const r of done.filter((x) => !x.ok)) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      const failures = [...byStatus].map(([status, n]) => `${status} ×${n}`);
      const figures = {
        date: new Date().toISOString(),
        cores: availableParallelism(),
        tasks: TASKS,
        users: USERS,
        callers: tokens.length,
        requests: total,
        targetRate: RATE,
        achievedRate: Math.round(total / elapsed),
        p50Ms: +percentile(latencies, 50).toFixed(1),
        p90Ms: +percentile(latencies, 90).toFixed(1),
        p99Ms: +percentile(latencies, 99).toFixed(1),
        maxMs: +latencies.at(-1)!.toFixed(1),
        errors,
        meanItems: Math.round(done.reduce((s, r) => s + r.items, 0) / done.length),
        serverRssMb: { before: rssBefore, after: rssMb(pid) },
        loadSeconds: +loadSeconds.toFixed(1),
        loadAverageAtStart: +load0.toFixed(2),
      };
      const rows: Array<[string, string]> = [
        ['open tasks / users / groups', `${TASKS} / ${USERS} / ${ROLES.length}`],
        ['callers (mine + my groups)', String(tokens.length)],
        ['requests (target rate)', `${total} at ${RATE}/s for ${SECONDS} s`],
        ['achieved rate', `${figures.achievedRate}/s`],
        ['latency p50 / p90 / p99 / max', `${figures.p50Ms} / ${figures.p90Ms} / ${figures.p99Ms} / ${figures.maxMs} ms`],
        ['target p99', `< ${TARGET_P99_MS} ms: ${figures.p99Ms < TARGET_P99_MS ? 'met' : 'MISSED'}`],
        ['errors', errors ? `${errors} (${failures.join(', ')})` : '0'],
        ['items per page (mean)', String(figures.meanItems)],
        ['server RSS before / after', `${figures.serverRssMb.before} / ${figures.serverRssMb.after} MB`],
        ['machine', `${figures.cores} cores, load average ${figures.loadAverageAtStart} at start`],
      ];
      console.log(`\nTask list benchmark (${figures.date})\n${rows.map(([k, v]) => `  ${k.padEnd(32)} ${v}`).join('\n')}\n`);
      if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(figures, null, 2));
      expect(errors).toBe(0);
    } finally {
      await db.end().catch(() => undefined);
      await server.stop();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  });
});
