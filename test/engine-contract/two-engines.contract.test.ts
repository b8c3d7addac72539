import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, type JobWorker } from '@mustafid/workflow';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type EngineUnderTest, chain, eventually, serviceTask, startEngine } from './harness';
import { WAIT_MS } from '../support/budget.mjs';

const INSTANCES = 120;

// Two engines on one PostgreSQL stand for two server processes. An embedded data folder
// admits one process, so there the guarantee is that a second engine is refused.
const postgres = Boolean(process.env.DATABASE_URL);

if (!postgres) {
  describe('two engines on one embedded data folder', () => {
    it('the second is refused, so nothing can run twice', async () => {
      const db = await createTestDatabase();
      const first = await startEngine(db);
      try {
        await expect(startEngine(db)).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED' });
      } finally {
        await first.close();
        await db.drop();
      }
    });
  });
}

if (postgres) describe('two engines on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: EngineUnderTest;
  let b: EngineUnderTest;
  const workers: JobWorker[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    a = await startEngine(db);
    b = await startEngine(db);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('never fire one timer twice nor activate one job twice', async () => {
    await a.engine.deploy({
      resourceName: 'race.bpmn',
      xml: chain('race', [
        `<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
        serviceTask('s2', 'race-job'),
      ]),
    });
    const handled: Array<{ engine: string; job: string }> = [];
    for (const [name, t] of [['a', a], ['b', b]] as const) {
      workers.push(
        t.engine.createWorker({
          type: 'race-job',
          maxJobsActive: 8,
          timeoutMs: 60_000,
          handler: async (job) => {
            handled.push({ engine: name, job: job.key });
            await new Promise((r) => setTimeout(r, 2));
            return complete({ by: name });
          },
        }),
      );
    }
    const keys: string[] = [];
    for (let i = 0; i < INSTANCES; i++) keys.push((await (i % 2 ? a : b).engine.createInstance({ bpmnProcessId: 'race' })).processInstanceKey);
    await eventually(async () => {
      const states = await Promise.all(keys.map((k) => a.engine.getInstance(k).then((x) => x.state)));
      return states.every((s) => s === 'COMPLETED') || undefined;
    }, 4 * WAIT_MS, 'all instances to complete');

    expect(handled).toHaveLength(INSTANCES);
    expect(new Set(handled.map((h) => h.job)).size).toBe(INSTANCES);
    const pg = new Client({ connectionString: db.env.DATABASE_URL });
    await pg.connect();
    try {
      const fired = await pg.query(`SELECT process_instance_key, count(*)::int AS n FROM wf_event WHERE intent = 'TIMER_TRIGGERED' GROUP BY 1`);
      expect(fired.rows).toHaveLength(INSTANCES);
      expect(fired.rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await pg.end();
    }
    // Both processes took part.
    expect(new Set(handled.map((h) => h.engine))).toEqual(new Set(['a', 'b']));
  });
});
