import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/app';
import { ChildApi, bounded } from '../support/child-api';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';
import { chain, serviceTask } from '../engine-contract/harness';

/**
 * kill -9 while the engine's one lane holds a batch of 40 or more job completions in its open
 * transaction (group commit, docs/architecture.md): the batch is kept whole or not at all, and
 * after a restart the worker's retries finish what was lost. Zeebe's job semantics: a job is
 * completed once; completing a job that is no longer active is rejected, and a worker whose
 * request got no answer may send it again
 * (https://docs.camunda.io/docs/components/concepts/job-workers/ "Completing or failing jobs",
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/).
 *
 * On PostgreSQL whatever DATABASE_URL says: the test watches the lane's row locks from a
 * connection of its own, which an embedded data folder does not admit.
 */
const INSTANCES = 600;
const PROCESS = 'crash-batch';
const XML = chain(PROCESS, [serviceTask('s1', 'batch-first'), serviceTask('s2', 'batch-second')]);
/** The kill comes once the lane holds at least this many instances locked in one transaction. */
const BATCH_AT_KILL = 40;

/** Activates every job of `type` there is (locked for ten minutes). */
async function activateAll(api: ChildApi, type: string, expected: number): Promise<Array<{ jobKey: string; processInstanceKey: string }>> {
  const jobs: Array<{ jobKey: string; processInstanceKey: string }> = [];
  for (let round = 0; jobs.length < expected && round < 200; round++) {
    const res = await api.call<{ jobs: typeof jobs }>('POST', '/v2/jobs/activation', { type, maxJobsToActivate: 100, timeout: 600_000, requestTimeout: 1000 });
    expect(res.status).toBe(200);
    jobs.push(...res.body.jobs);
  }
  return jobs;
}

describe('crash: kill -9 while a lane holds a batch', () => {
  let db: TestDatabase;
  let server: Running | undefined;
  let sql: PgClient;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await sql?.end();
    await server?.kill();
    await db?.drop();
  });

  const start = async () => {
    // One lane: every completion queues behind the same transaction, so its batches are large.
    server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', SEED_DEMO: 'true', DEMO_PASSWORD, ENGINE_LANES: '1' });
    await server.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
    return ChildApi.signIn(/listening on (http:\/\/\S+)/.exec(server.output())![1]);
  };

  it(
    `${INSTANCES} completions at once, killed with ${BATCH_AT_KILL}+ in one open transaction: each instance whole or untouched, and all finish once after a restart`,
    async () => {
      let api = await start();
      sql = new PgClient({ connectionString: db.env.DATABASE_URL });
      await sql.connect();
      expect((await api.call('POST', '/api/deployments', { resourceName: 'crash-batch.bpmn', xml: XML })).status).toBe(201);
      await bounded(INSTANCES, 16, async (i) => {
        expect((await api.call('POST', '/api/process-instances', { bpmnProcessId: PROCESS, variables: { n: i } })).status).toBe(201);
      });
      const first = await activateAll(api, 'batch-first', INSTANCES);
      expect(first).toHaveLength(INSTANCES);

      // Every completion at once; the kill comes as soon as the lane is seen holding a large batch:
      // its instances locked FOR UPDATE (prefetchInstances) by a transaction not yet committed.
      const answers: Array<number | 'lost'> = new Array(INSTANCES).fill('lost');
      let killedWith = 0;
      const sending = Promise.all(
        first.map(async (job, i) => {
          try {
            answers[i] = (await api.call('POST', `/v2/jobs/${job.jobKey}/completion`, { variables: { first: i } })).status;
          } catch {
            answers[i] = 'lost';
          }
        }),
      );
      let sent = false;
      void sending.then(() => (sent = true));
      while (!sent) {
        const { rows } = await sql.query<{ locked: number }>(
          `SELECT (SELECT count(*) FROM wf_process_instance WHERE bpmn_process_id = $1)
                - (SELECT count(*) FROM (SELECT 1 FROM wf_process_instance WHERE bpmn_process_id = $1 FOR SHARE SKIP LOCKED) x) AS locked`,
          [PROCESS],
        );
        if (Number(rows[0].locked) >= BATCH_AT_KILL) {
          killedWith = Number(rows[0].locked);
          await server!.kill();
          break;
        }
      }
      await sending;
      expect(killedWith, `the lane never held ${BATCH_AT_KILL} instances at once (answers: ${answers.filter((a) => a === 204).length} of ${INSTANCES} done)`).toBeGreaterThanOrEqual(BATCH_AT_KILL);

      // With the server dead: each instance is either wholly past its first task or untouched.
      const { rows: instances } = await sql.query<{ key: string; job: string; done: boolean; next: boolean; vars: boolean; events: number }>(
        `SELECT p.key::text, j.key::text AS job, j.state = 'COMPLETED' AS done,
                EXISTS (SELECT 1 FROM wf_job n WHERE n.process_instance_key = p.key AND n.type = 'batch-second') AS next,
                p.variables ? 'first' AS vars,
                (SELECT count(*)::int FROM wf_event e WHERE e.process_instance_key = p.key AND e.intent = 'JOB_COMPLETED') AS events
           FROM wf_process_instance p JOIN wf_job j ON j.process_instance_key = p.key AND j.type = 'batch-first'
          WHERE p.bpmn_process_id = $1`,
        [PROCESS],
      );
      expect(instances).toHaveLength(INSTANCES);
      const halfWritten = instances.filter((r) => r.next !== r.done || r.vars !== r.done || r.events !== (r.done ? 1 : 0));
      expect(halfWritten).toEqual([]);
      const applied = new Set(instances.filter((r) => r.done).map((r) => r.job));
      // What was acknowledged was kept; the batch in flight was not (it held ≥ BATCH_AT_KILL uncommitted).
      const acknowledged = first.filter((_, i) => answers[i] === 204).map((j) => j.jobKey);
      expect(acknowledged.filter((k) => !applied.has(k))).toEqual([]);
      expect(applied.size).toBeLessThan(INSTANCES);
      const { rows: left } = await sql.query<{ state: string; n: number }>(
        `SELECT state, count(*)::int AS n FROM wf_job WHERE type = 'batch-first' AND state <> 'COMPLETED' GROUP BY 1`,
      );
      expect(left).toEqual([{ state: 'ACTIVATED', n: INSTANCES - applied.size }]);

      // Restart; the worker sends again every completion that got no 204.
      api = await start();
      const retried = first.filter((_, i) => answers[i] !== 204);
      const again = new Map<string, number>();
      await bounded(retried.length, 16, async (i) => {
        const job = retried[i];
        again.set(job.jobKey, (await api.call('POST', `/v2/jobs/${job.jobKey}/completion`, { variables: { first: 'again' } })).status);
      });
      for (const job of retried) {
        // Not kept at the crash: completed now. Kept but its answer lost: refused, the job is no longer active.
        if (applied.has(job.jobKey)) expect([404, 409]).toContain(again.get(job.jobKey));
        else expect(again.get(job.jobKey)).toBe(204);
      }

      const second = await activateAll(api, 'batch-second', INSTANCES);
      expect(second).toHaveLength(INSTANCES);
      await bounded(second.length, 16, async (i) => {
        expect((await api.call('POST', `/v2/jobs/${second[i].jobKey}/completion`, {})).status).toBe(204);
      });
      const { rows: end } = await sql.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM wf_process_instance WHERE bpmn_process_id = $1 GROUP BY 1`, [PROCESS]);
      expect(end).toEqual([{ state: 'COMPLETED', n: INSTANCES }]);
      const { rows: twice } = await sql.query(
        `SELECT payload->>'key' AS job FROM wf_event WHERE intent = 'JOB_COMPLETED' AND process_instance_key IN (SELECT key FROM wf_process_instance WHERE bpmn_process_id = $1)
          GROUP BY 1 HAVING count(*) > 1`,
        [PROCESS],
      );
      expect(twice).toEqual([]);
      const [jobs] = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM wf_job WHERE state = 'COMPLETED' AND type LIKE 'batch-%'`)).rows;
      expect(jobs.n).toBe(2 * INSTANCES);
    },
    40 * WAIT_MS,
  );
});
