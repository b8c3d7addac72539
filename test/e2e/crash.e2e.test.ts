import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@mustafid/database';
import { loadConfig } from '@mustafid/platform';
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../support/app';
import { ChildApi } from '../support/child-api';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';
import { chain, serviceTask, userTask } from '../engine-contract/harness';

const INSTANCES = 200;
const PROCESS = 'crash-intake';
const XML = chain(PROCESS, [
  serviceTask('s1', 'crash-record'),
  userTask('s2'),
  `<bpmn:intermediateCatchEvent id="s3"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
  serviceTask('s4', 'crash-notify'),
]);

interface Job {
  key: string;
  processInstanceKey: string;
  elementId: string;
}

/**
 * The worker: applies each job's effect at most once per instance and element (as an
 * idempotent worker must, since a job in flight at a crash is delivered again), then completes.
 */
class IdempotentWorker {
  readonly effects = new Map<string, number>();
  redeliveries = 0;

  async activate(client: ChildApi, type: string): Promise<Job[]> {
    const { status, body } = await client.call<{ jobs: Job[] }>('POST', '/api/jobs/activation', { type, maxJobsToActivate: 50, timeout: 3000 });
    return status === 200 ? body.jobs : [];
  }

  /** The job's business effect, applied once per instance and element whatever the deliveries. */
  apply(job: Job): void {
    const effect = `${job.processInstanceKey}:${job.elementId}`;
    if (this.effects.has(effect)) this.redeliveries++;
    else this.effects.set(effect, 1);
  }

  async pass(client: ChildApi, type: string): Promise<number> {
    const jobs = await this.activate(client, type);
    await Promise.all(
      jobs.map(async (job) => {
        this.apply(job);
        await client.call('POST', `/api/jobs/${job.key}/completion`, { variables: { [`${job.elementId}Done`]: true } });
      }),
    );
    return jobs.length;
  }
}

describe('crash: kill -9 mid-way, restart on the same database', () => {
  let db: TestDatabase;
  let server: Running | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
  });

  const start = async () => {
    server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', ENABLE_TEST_CLOCK: 'true', SEED_DEMO: 'true', DEMO_PASSWORD });
    await server.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
    return ChildApi.signIn(/listening on (http:\/\/\S+)/.exec(server.output())![1]);
  };

  it(
    `${INSTANCES} instances on jobs, user tasks and timers all finish, with no timer lost or fired twice and no effect applied twice`,
    async () => {
      let client = await start();
      expect((await client.call('POST', '/api/deployments', { resourceName: 'crash.bpmn', xml: XML })).status).toBe(201);
      const keys: string[] = [];
      for (let i = 0; i < INSTANCES; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(20, INSTANCES - i) }, (_, j) =>
            client.call<{ processInstanceKey: string }>('POST', '/api/process-instances', { bpmnProcessId: PROCESS, variables: { n: i + j } }),
          ),
        );
        keys.push(...batch.map((b) => b.body.processInstanceKey));
      }
      const worker = new IdempotentWorker();

      // Work until about half the instances recorded, then pull the plug while jobs are in flight.
      while ([...worker.effects.keys()].filter((k) => k.endsWith(':s1')).length < INSTANCES / 2) {
        await worker.pass(client, 'crash-record');
      }
      // A batch is activated and its effects applied, but the server dies before any completion.
      const inFlight = await worker.activate(client, 'crash-record');
      expect(inFlight.length).toBeGreaterThan(0);
      inFlight.forEach((job) => worker.apply(job));
      await server!.kill();

      client = await start();
      const openTasks = async () => {
        let open = 0;
        for (let i = 0; i < keys.length; i += 25) {
          const lists = await Promise.all(
            keys.slice(i, i + 25).map((k) => client.call<Array<{ key: string }>>('GET', `/api/user-tasks?processInstanceKey=${k}&state=CREATED`)),
          );
          for (const list of lists) {
            for (const task of list.body) {
              open++;
              await client.call('POST', `/api/user-tasks/${task.key}/completion`, { variables: { reviewed: true } });
            }
          }
        }
        return open;
      };
      // Record every instance (jobs in flight at the crash come back after their 3 s lock) and review it.
      for (let round = 0; round < 200; round++) {
        const worked = await worker.pass(client, 'crash-record');
        const reviewed = await openTasks();
        const recorded = [...worker.effects.keys()].filter((k) => k.endsWith(':s1')).length;
        if (recorded === INSTANCES && worked === 0 && reviewed === 0) break;
        if (worked === 0 && reviewed === 0) await new Promise((r) => setTimeout(r, 500));
      }
      // Every instance now waits on its timer: an hour passes.
      const moved = await client.call<{ timersFired: number }>('POST', '/api/test/clock', { advance: 'PT1H' });
      expect(moved.status).toBe(200);
      expect(moved.body.timersFired).toBe(INSTANCES);
      while (await worker.pass(client, 'crash-notify')) {
        /* until no notify job is left */
      }

      const states = await Promise.all(keys.map((k) => client.call<{ state: string; variables: Record<string, unknown> }>('GET', `/api/process-instances/${k}`)));
      expect(states.filter((s) => s.body.state !== 'COMPLETED')).toEqual([]);
      for (const s of states) expect(s.body.variables).toMatchObject({ s1Done: true, reviewed: true, s4Done: true });
      expect(worker.effects.size).toBe(INSTANCES * 2);
      expect([...worker.effects.values()].every((n) => n === 1)).toBe(true);

      await server!.stop();
      server = undefined;
      // Read the engine's own record of what happened.
      const endpoint = await openDatabase(loadConfig({ ...db.env }).database);
      const ds = new DataSource({ type: 'postgres', ...endpoint.connection, extra: { max: 1 } } as never);
      await ds.initialize();
      try {
        const [timers] = await ds.query(`SELECT count(*)::int AS n FROM wf_event WHERE intent = 'TIMER_TRIGGERED'`);
        const [created] = await ds.query(`SELECT count(*)::int AS n FROM wf_event WHERE intent = 'TIMER_CREATED'`);
        const twice = await ds.query(
          `SELECT process_instance_key FROM wf_event WHERE intent IN ('TIMER_TRIGGERED') GROUP BY process_instance_key HAVING count(*) > 1`,
        );
        const [completedJobs] = await ds.query(`SELECT count(*)::int AS n FROM wf_job WHERE state = 'COMPLETED'`);
        expect(created.n).toBe(INSTANCES);
        expect(timers.n).toBe(INSTANCES);
        expect(twice).toEqual([]);
        expect(completedJobs.n).toBe(INSTANCES * 2);
        // The jobs in flight at the crash came back once their lock ran out, and were absorbed.
        expect(worker.redeliveries).toBeGreaterThanOrEqual(inFlight.length);
      } finally {
        await ds.destroy();
        await endpoint.close();
      }
    },
    40 * WAIT_MS,
  );
});
