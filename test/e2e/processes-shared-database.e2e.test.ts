import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/app';
import { ChildApi, bounded } from '../support/child-api';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';
import { chain, serviceTask } from '../engine-contract/harness';

/**
 * Two built server processes on one PostgreSQL database (issue 15 point 4): each command of
 * Zeebe's happens once whichever process a client talks to.
 *
 * - A job is activated by one worker at a time: "Once a job is activated, it is locked to that
 *   worker for the timeout" (https://docs.camunda.io/docs/components/concepts/job-workers/).
 * - A timer fires once when it is due (https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/).
 * - A message correlates to at most one subscription per process, and a messageId is unique while
 *   its message is buffered: a second publication with it is rejected
 *   (https://docs.camunda.io/docs/components/concepts/messages/, "Message correlation",
 *   "Message cardinality", "Message uniqueness").
 *
 * Runs on PostgreSQL whatever DATABASE_URL says: an embedded data folder admits one process
 * (test/engine-contract/two-engines.contract.test.ts checks the refusal).
 */
const INSTANCES = 300;
const PROCESS = 'procs-shared';
const JOB_TYPE = 'procs-work';
const MESSAGE = 'procs-go';
const XML = chain(
  PROCESS,
  [
    serviceTask('s1', JOB_TYPE),
    `<bpmn:intermediateCatchEvent id="s2"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
    `<bpmn:intermediateCatchEvent id="s3"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>`,
  ],
  `<bpmn:message id="m" name="${MESSAGE}"><bpmn:extensionElements><zeebe:subscription correlationKey="=ref"/></bpmn:extensionElements></bpmn:message>`,
);


describe('two server processes on one PostgreSQL database', () => {
  let db: TestDatabase;
  const servers: Running[] = [];
  let a: ChildApi;
  let b: ChildApi;
  let sql: PgClient;

  const start = async (name: string, seed: boolean): Promise<ChildApi> => {
    const server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', ENABLE_TEST_CLOCK: 'true', SEED_DEMO: String(seed), DEMO_PASSWORD });
    servers.push(server);
    await server.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
    return ChildApi.signIn(/listening on (http:\/\/\S+)/.exec(server.output())![1], name);
  };

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    // The first runs the migrations and seeds the admin; the second starts on the migrated database.
    a = await start('a', true);
    b = await start('b', false);
    sql = new PgClient({ connectionString: db.env.DATABASE_URL });
    await sql.connect();
  }, 20 * WAIT_MS);
  afterAll(async () => {
    await sql?.end();
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
  });

  /** The one number a `SELECT count(*) …` answers. */
  const count = async (query: string, params: unknown[] = []) => Number(Object.values((await sql.query(query, params)).rows[0])[0]);
  /** How many instances have an `intent` event (of `elementId`), and those with more than one (none is right). */
  const perInstance = async (intent: string, elementId?: string) => {
    const { rows } = await sql.query<{ pik: string; n: number }>(
      `SELECT e.process_instance_key::text AS pik, count(*)::int AS n FROM wf_event e JOIN wf_process_instance p ON p.key = e.process_instance_key
          WHERE e.intent = $1 AND p.bpmn_process_id = $2 AND ($3::text IS NULL OR e.element_id = $3) GROUP BY 1`,
      [intent, PROCESS, elementId ?? null],
    );
    return { instances: rows.length, twice: rows.filter((r) => r.n > 1) };
  };

  it(
    `${INSTANCES} instances: each job activated once across both, each due timer fired once, each message correlated once`,
    async () => {
      expect((await a.call('POST', '/api/deployments', { resourceName: 'procs.bpmn', xml: XML })).status).toBe(201);
      const keys: string[] = [];
      await bounded(INSTANCES, 16, async (i) => {
        const api = i % 2 ? a : b;
        const created = await api.call<{ processInstanceKey: string }>('POST', '/api/process-instances', { bpmnProcessId: PROCESS, variables: { ref: `r${i}` } });
        expect(created.status).toBe(201);
        keys[i] = created.body.processInstanceKey;
      });

      // ── jobs: two activation loops on each process at once, through Camunda's REST route ──
      const activated: Array<{ jobKey: string; processInstanceKey: string; by: string }> = [];
      const deadline = Date.now() + 8 * WAIT_MS;
      const activator = async (api: ChildApi) => {
        while (activated.length < INSTANCES && Date.now() < deadline) {
          const res = await api.call<{ jobs: Array<{ jobKey: string; processInstanceKey: string }> }>('POST', '/v2/jobs/activation', {
            type: JOB_TYPE,
            worker: api.name,
            maxJobsToActivate: 20,
            timeout: 10 * 60_000,
            requestTimeout: 500,
          });
          expect(res.status).toBe(200);
          for (const job of res.body.jobs) activated.push({ jobKey: job.jobKey, processInstanceKey: job.processInstanceKey, by: api.name });
        }
      };
      await Promise.all([activator(a), activator(a), activator(b), activator(b)]);
      expect(new Set(activated.map((j) => j.jobKey)).size).toBe(activated.length);
      expect(activated).toHaveLength(INSTANCES);
      expect(new Set(activated.map((j) => j.processInstanceKey))).toEqual(new Set(keys));
      // Both processes handed out jobs (they raced for the same rows).
      expect(new Set(activated.map((j) => j.by))).toEqual(new Set(['a', 'b']));
      // Nothing is left to activate on either while the jobs are locked.
      for (const api of [a, b]) {
        const more = await api.call<{ jobs: unknown[] }>('POST', '/v2/jobs/activation', { type: JOB_TYPE, maxJobsToActivate: 50, timeout: 60_000, requestTimeout: 100 });
        expect(more.body.jobs).toEqual([]);
      }
      // Each job completed through the process that did not activate it.
      await bounded(activated.length, 16, async (i) => {
        const job = activated[i];
        const res = await (job.by === 'a' ? b : a).call('POST', `/v2/jobs/${job.jobKey}/completion`, { variables: { worked: job.by } });
        expect(res.status).toBe(204);
      });
      expect(await count(`SELECT count(*) FROM wf_job WHERE type = $1 AND state = 'COMPLETED'`, [JOB_TYPE])).toBe(INSTANCES);
      expect(await perInstance('JOB_COMPLETED')).toEqual({ instances: INSTANCES, twice: [] });

      // ── timers: all due at once on both processes (each moves its own test clock an hour on) ──
      expect(await count(`SELECT count(*) FROM wf_timer t JOIN wf_process_instance p ON p.key = t.process_instance_key WHERE p.bpmn_process_id = $1 AND t.state = 'CREATED'`, [PROCESS])).toBe(INSTANCES);
      const moved = await Promise.all([a, b].map((api) => api.call<{ timersFired: number }>('POST', '/api/test/clock', { advance: 'PT1H' })));
      for (const m of moved) expect(m.status).toBe(200);
      expect(moved[0].body.timersFired + moved[1].body.timersFired).toBeLessThanOrEqual(INSTANCES);
      expect(await perInstance('TIMER_TRIGGERED')).toEqual({ instances: INSTANCES, twice: [] });
      expect(await perInstance('ELEMENT_COMPLETED', 's2')).toEqual({ instances: INSTANCES, twice: [] });
      expect(await count(`SELECT count(*) FROM wf_message_subscription s JOIN wf_process_instance p ON p.key = s.process_instance_key WHERE p.bpmn_process_id = $1 AND s.state = 'OPEN'`, [PROCESS])).toBe(INSTANCES);

      // ── messages: the same message sent to both processes at once ──
      // First half: "correlate message" (no buffer): one of the two reaches the instance, the other finds no subscription (404).
      // Second half: "publish message" with one messageId and a time to live: one is taken, the other rejected as a duplicate (409).
      const half = INSTANCES / 2;
      await bounded(INSTANCES, 8, async (i) => {
        const ref = `r${i}`;
        const answers =
          i < half
            ? await Promise.all([a, b].map((api) => api.call<{ processInstanceKey?: string }>('POST', '/v2/messages/correlation', { name: MESSAGE, correlationKey: ref, variables: { via: api.name } })))
            : await Promise.all(
                [a, b].map((api) =>
                  api.call<{ processInstanceKey?: string }>('POST', '/v2/messages/publication', { name: MESSAGE, correlationKey: ref, messageId: `id-${ref}`, timeToLive: 3_600_000, variables: { via: api.name } }),
                ),
              );
        const statuses = answers.map((x) => x.status).sort();
        expect(statuses, `${ref}: ${JSON.stringify(answers)}`).toEqual(i < half ? [200, 404] : [200, 409]);
        if (i < half) expect(answers.find((x) => x.status === 200)!.body.processInstanceKey).toBe(keys[i]);
      });
      // The catch event completed once per instance, and every subscription was taken once.
      expect(await perInstance('ELEMENT_COMPLETED', 's3')).toEqual({ instances: INSTANCES, twice: [] });
      const subscriptions = await sql.query<{ state: string; n: number }>(
        `SELECT s.state, count(*)::int AS n FROM wf_message_subscription s JOIN wf_process_instance p ON p.key = s.process_instance_key WHERE p.bpmn_process_id = $1 GROUP BY 1`,
        [PROCESS],
      );
      expect(subscriptions.rows).toEqual([{ state: 'CORRELATED', n: INSTANCES }]);

      // Every instance ran each step once and ended.
      const { rows } = await sql.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM wf_process_instance WHERE bpmn_process_id = $1 GROUP BY state`, [PROCESS]);
      expect(rows).toEqual([{ state: 'COMPLETED', n: INSTANCES }]);
      const via = await sql.query<{ via: string }>(`SELECT DISTINCT variables->>'via' AS via FROM wf_process_instance WHERE bpmn_process_id = $1`, [PROCESS]);
      expect(via.rows.every((r) => r.via === 'a' || r.via === 'b')).toBe(true);
    },
    40 * WAIT_MS,
  );
});
