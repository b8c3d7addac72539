/**
 * Memory soak: `npm run bench:soak` (issue 18.9; see docs/performance.md). Not a test: one long
 * `it()` that drives the built server and prints its resident memory over time.
 *
 * The built server runs as the Dockerfile runs it (NODE_ENV unset so the demo accounts exist,
 * the Dockerfile's heap bounds, the embedded database in a fresh folder). After start and a
 * warm-up, its idle RSS is the baseline of this run. Then BENCH_CLIENTS (4) clients loop for
 * BENCH_SOAK_SECONDS (600) seconds over what people do all day: record a request, search and
 * read cases, list tasks, complete reception checks, lint the intake diagram, and send the bad
 * input the security review found (deep JSON, out-of-range keys, hostile diagrams). RSS is read
 * from /proc every BENCH_SAMPLE_SECONDS (30). Printed: each sample, the figures as ratios of the
 * idle baseline, requests and errors (5xx) by kind. Loopback only; it stops by itself.
 *
 * Knobs: BENCH_SOAK_SECONDS, BENCH_CLIENTS, BENCH_SAMPLE_SECONDS, BENCH_JSON (write the figures).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../libs/intake/src/applications/national-id';
import { SERVER_MAIN, runBuilt } from '../test/support/processes';
import { int } from './knobs';

const SECONDS = int('BENCH_SOAK_SECONDS', 600);
const CLIENTS = int('BENCH_CLIENTS', 4);
const SAMPLE_SECONDS = int('BENCH_SAMPLE_SECONDS', 30);
const PASSWORD = 'mustafid-demo';

const dockerfile = readFileSync('docker/Dockerfile', 'utf8');
const NODE_OPTIONS = (JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[]).slice(1, -1);
const INTAKE = readFileSync('bpmn/beneficiary-intake.bpmn', 'utf8');

let serial = 0;
/** A complete walk-in training request with a new national ID number (as test/support/intake.ts makes them). */
function request(mobile: string) {
  const nationalId = withCheckDigit(`1${String(20_000_000 + ++serial * 7919).slice(-8)}`);
  return {
    channel: 'C1',
    fullName: 'فاطمة عبدالله الحربي',
    nationalId,
    birthDate: '1990-05-14',
    mobile,
    email: 'fatimah@example.org',
    city: 'الرياض',
    address: 'حي الملز، شارع الستين',
    householdMembers: [],
    monthlyIncome: 3500,
    supportType: 'training',
    documents: [
      { type: 'national-id', number: nationalId, expiryDate: `${new Date().getFullYear() + 5}-01-01` },
      { type: 'qualification', number: 'Q-2020-11' },
    ],
  };
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

describe('memory soak of the built server', () => {
  it(`${CLIENTS} clients for ${SECONDS} s`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mustafid-soak-'));
    const server = runBuilt(SERVER_MAIN, [], { DATA_DIR: dataDir, PORT: '0', SEED_DEMO: 'true', LOG_LEVEL: 'error' }, NODE_OPTIONS);
    try {
      await server.waitFor(/listening on (http:\/\/\S+)/, 180_000);
      const url = /listening on (http:\/\/\S+)/.exec(server.output())![1];
      const token = async (username: string) => {
        const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
        return ((await res.json()) as { accessToken: string }).accessToken;
      };
      const tokens = { reception: await token('reception'), owner: await token('process-owner'), admin: await token('admin') };
      const counts = new Map<string, { requests: number; errors: number }>();
      const call = async (kind: string, who: string, method: string, path: string, body?: unknown, raw?: string) => {
        const c = counts.get(kind) ?? { requests: 0, errors: 0 };
        counts.set(kind, c);
        c.requests++;
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { authorization: `Bearer ${who}`, 'content-type': 'application/json' },
          body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        }).catch(() => undefined);
        if (!res || res.status >= 500) c.errors++;
        const text = res ? await res.text() : '';
        try {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          return { status: res?.status ?? 0, body: text ? (JSON.parse(text) as any) : undefined };
        } catch {
          return { status: res?.status ?? 0, body: undefined };
        }
      };

      // Warm-up, then the idle baseline of this run.
      for (let i = 0; i < 20; i++) await call('warm-up', tokens.reception, 'GET', '/api/cases?limit=20');
      await new Promise((r) => setTimeout(r, 5_000));
      const idle = rssMb(server.pid);

      const deep = '['.repeat(5_000) + ']'.repeat(5_000);
      const hostile = INTAKE.replace('<bpmn:extensionElements>', `<bpmn:extensionElements>${'<a>'.repeat(150_000)}${'</a>'.repeat(150_000)}`);
      const until = Date.now() + SECONDS * 1000;
      const samples: Array<{ second: number; rssMb: number }> = [];
      const started = Date.now();
      const sampler = setInterval(() => samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: rssMb(server.pid) }), SAMPLE_SECONDS * 1000);
      const client = async (n: number) => {
        for (let round = 0; Date.now() < until; round++) {
          const application = request(`055${String(1_000_000 + ((n * 100_000 + round) % 9_000_000)).slice(-7)}`);
          const created = await call('submit', tokens.reception, 'POST', '/api/applications', application);
          await call('search', tokens.reception, 'GET', `/api/cases?q=${application.nationalId}`);
          if (created.body?.id) await call('read', tokens.reception, 'GET', `/api/cases/${created.body.id}`);
          const tasks = await call('tasks', tokens.reception, 'GET', '/api/tasks?limit=20');
          const open = (tasks.body?.items ?? []) as Array<{ key: string; elementId: string }>;
          const check = open.find((t) => t.elementId === 'Task_ReceptionCheck');
          if (check) await call('complete', tokens.reception, 'POST', `/api/tasks/${check.key}/complete`, { variables: { dataComplete: round % 2 === 0, referToResearcher: false } });
          if (round % 5 === 0) await call('lint', tokens.owner, 'POST', '/api/modeling/lint', { xml: INTAKE });
          if (round % 10 === 0) {
            await call('bad: deep JSON', tokens.reception, 'POST', '/api/applications', undefined, deep);
            await call('bad: key out of range', tokens.admin, 'GET', '/api/tasks/9223372036854775808');
            await call('bad: hostile diagram', tokens.owner, 'POST', '/api/modeling/lint', { xml: hostile });
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
      clearInterval(sampler);
      const final = rssMb(server.pid);
      samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: final });

      const peak = Math.max(...samples.map((s) => s.rssMb));
      const lastHalf = samples.slice(Math.floor(samples.length / 2)).map((s) => s.rssMb);
      const figures = {
        machine: { cores: availableParallelism(), loadAverage1m: Number(loadavg()[0].toFixed(2)), node: process.version },
        date: new Date().toISOString(),
        seconds: SECONDS,
        clients: CLIENTS,
        nodeOptions: NODE_OPTIONS,
        idleRssMb: idle,
        peakRssMb: peak,
        finalRssMb: final,
        peakOverIdle: Number((peak / idle).toFixed(2)),
        finalOverIdle: Number((final / idle).toFixed(2)),
        lastHalfSpreadMb: Math.round((Math.max(...lastHalf) - Math.min(...lastHalf)) * 10) / 10,
        requests: Object.fromEntries(counts),
        samples,
      };
      console.log(`\nsoak: ${CLIENTS} clients, ${SECONDS} s, server ${NODE_OPTIONS.join(' ')}, load ${figures.machine.loadAverage1m} on ${figures.machine.cores} cores`);
      console.log('  second   RSS (MB)   ×idle');
      for (const s of samples) console.log(`  ${String(s.second).padStart(6)}   ${s.rssMb.toFixed(1).padStart(8)}   ${(s.rssMb / idle).toFixed(2)}`);
      console.log(`  idle ${idle} MB · peak ${peak} MB (×${figures.peakOverIdle}) · final ${final} MB (×${figures.finalOverIdle}) · last-half spread ${figures.lastHalfSpreadMb} MB`);
      for (const [kind, c] of counts) console.log(`  ${kind.padEnd(24)} ${String(c.requests).padStart(7)} requests, ${c.errors} errors`);
      if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(figures, null, 2));
      expect(samples.length).toBeGreaterThan(0);
      expect([...counts.values()].reduce((n, c) => n + c.errors, 0)).toBe(0);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
