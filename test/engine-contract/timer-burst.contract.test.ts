import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_ZEEBE } from '../zeebe/live-engine';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type EngineUnderTest, chain, processId, startEngine } from './harness';

// The embedded engine's own machinery (issue 15 point 3), not the port's contract: a burst of due
// timers is claimed by the lanes' transactions themselves (`FOR UPDATE … SKIP LOCKED`) and fired
// in the same transaction as their steps, with no lease. What must hold is Camunda's timer
// semantics (https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/): an intermediate
// timer catch event with a duration completes once its time has passed, and the flow goes on; a
// timer fires once, never twice, however many engines poll, and a firing that did not commit did
// not happen (the timer is still due and fires later).

const postgres = Boolean(process.env.DATABASE_URL);
/** More than two full batches per lane (a batch takes at most 200 commands). */
const BURST = 520;

/** start → timer catch event s1 (P1D) → end. */
function timerProcess(id: string): string {
  return chain(id, [
    `<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
  ]);
}

async function startMany(t: EngineUnderTest, bpmnProcessId: string, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let from = 0; from < count; from += 20) {
    const chunk = Array.from({ length: Math.min(20, count - from) }, () => t.engine.createInstance({ bpmnProcessId }).then((i) => i.processInstanceKey));
    keys.push(...(await Promise.all(chunk)));
  }
  return keys;
}

/** Per instance: its state, how often its timer element completed, and its timer row's state. */
async function outcome(t: EngineUnderTest, keys: string[]): Promise<Array<{ key: string; state: string; completed: number; triggered: number; timer: string; leased: boolean }>> {
  return (await t.sql!(
    `SELECT p.key::text AS key, p.state,
            (SELECT count(*)::int FROM wf_event e WHERE e.process_instance_key = p.key AND e.element_id = 's1' AND e.intent = 'ELEMENT_COMPLETED') AS completed,
            (SELECT count(*)::int FROM wf_event e WHERE e.process_instance_key = p.key AND e.element_id = 's1' AND e.intent = 'TIMER_TRIGGERED') AS triggered,
            (SELECT string_agg(t.state, ',') FROM wf_timer t WHERE t.process_instance_key = p.key) AS timer,
            EXISTS (SELECT 1 FROM wf_timer t WHERE t.process_instance_key = p.key AND t.claimed_until IS NOT NULL) AS leased
       FROM wf_process_instance p WHERE p.key = ANY($1::bigint[]) ORDER BY p.key`,
    [keys],
  )) as Array<{ key: string; state: string; completed: number; triggered: number; timer: string; leased: boolean }>;
}

function firedOnce(key: string) {
  return { key, state: 'COMPLETED', completed: 1, triggered: 1, timer: 'TRIGGERED', leased: false };
}

describe.skipIf(LIVE_ZEEBE)('timers in bulk: due timers claimed and fired in their steps’ transactions', () => {
  let t: EngineUnderTest;
  beforeAll(async () => {
    t = await startEngine();
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`${BURST} timers due at once all fire exactly once, and no lease is written`, async () => {
    const id = processId('burst');
    await t.engine.deploy({ resourceName: `${id}.bpmn`, xml: timerProcess(id) });
    const keys = await startMany(t, id, BURST);
    const fired = t.embedded!.timers.firedTotal;
    await t.advanceClock('P1D');
    expect(t.embedded!.timers.firedTotal - fired).toBe(BURST);
    expect(await outcome(t, keys)).toEqual([...keys].sort(byKey).map(firedOnce));
  });
});

describe.skipIf(LIVE_ZEEBE)('timers in bulk: a batch that fails in SQL leaves its timers due', () => {
  let db: TestDatabase;
  let t: EngineUnderTest | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('a failed statement rolls the batch back; the others fire alone, the failing one stays due and fires once after a restart', async () => {
    t = await startEngine(db);
    const id = processId('burst-fail');
    await t.engine.deploy({ resourceName: `${id}.bpmn`, xml: timerProcess(id) });
    const keys = [...(await startMany(t, id, 40))].sort(byKey);
    // The 20th instance's step fails when it stores the instance: a statement in the middle of the batch's writes.
    const victim = keys[19];
    await t.sql!(`CREATE TABLE burst_fail (key bigint PRIMARY KEY)`);
    await t.sql!(`INSERT INTO burst_fail VALUES ($1)`, [victim]);
    await t.sql!(`CREATE FUNCTION burst_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM burst_fail WHERE key = NEW.key) THEN RAISE EXCEPTION 'burst_fail: instance %', NEW.key; END IF;
        RETURN NEW;
      END $$`);
    await t.sql!(`CREATE TRIGGER burst_fail BEFORE UPDATE ON wf_process_instance FOR EACH ROW EXECUTE FUNCTION burst_fail()`);
    const fallbacks = await fallbackCount(t);

    await t.advanceClock('P1D');

    // The batch fell back: every other timer fired once, alone; the victim's firing never committed.
    expect(await fallbackCount(t)).toBeGreaterThan(fallbacks);
    const after = await outcome(t, keys);
    expect(after.filter((r) => r.key !== victim)).toEqual(keys.filter((k) => k !== victim).map(firedOnce));
    expect(after.find((r) => r.key === victim)).toEqual({ key: victim, state: 'ACTIVE', completed: 0, triggered: 0, timer: 'CREATED', leased: false });

    // A restart (what a crash mid-batch leaves is the same: nothing of the batch, no lease): the timer is due at once and fires once.
    await t.close();
    t = undefined;
    const restarted = await startEngine(db);
    t = restarted;
    await restarted.sql!(`DELETE FROM burst_fail`);
    await restarted.advanceClock('P1D');
    expect(await outcome(restarted, keys)).toEqual(keys.map(firedOnce));
  });
});

if (postgres) {
  describe.skipIf(LIVE_ZEEBE)('timers in bulk: two engines on one PostgreSQL split a burst', () => {
    let db: TestDatabase;
    let a: EngineUnderTest;
    let b: EngineUnderTest;
    beforeAll(async () => {
      db = await createTestDatabase();
      a = await startEngine(db);
      b = await startEngine(db);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.drop();
    });

    it(`${BURST + 80} timers due at once: each engine fires some, none fires twice, all fire`, async () => {
      const id = processId('burst-two');
      await a.engine.deploy({ resourceName: `${id}.bpmn`, xml: timerProcess(id) });
      const keys = [...(await startMany(a, id, BURST + 80))].sort(byKey);
      const before = [a.embedded!.timers.firedTotal, b.embedded!.timers.firedTotal];
      // Both engines' clocks pass the due time together; each settles (and its scheduler polls) at once.
      await Promise.all([a.advanceClock('P1D'), b.advanceClock('P1D')]);
      const byA = a.embedded!.timers.firedTotal - before[0];
      const byB = b.embedded!.timers.firedTotal - before[1];
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      expect(byA + byB).toBe(keys.length);
      expect(await outcome(a, keys)).toEqual(keys.map(firedOnce));
    });
  });
}

function byKey(x: string, y: string): number {
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** The engine's count of batches run again command by command (/api/metrics: mustafid_engine_batch_fallbacks_total). */
async function fallbackCount(t: EngineUnderTest): Promise<number> {
  const metric = await t.embedded!.metrics.batchFallbacks.get();
  return metric.values.reduce((n, v) => n + v.value, 0);
}
