import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from '@mustafid/platform';
import { CommandLanes, Refused, type LaneObserver } from '@mustafid/workflow';
import { LIVE_ZEEBE } from '../zeebe/live-engine';
import { type EngineUnderTest, chain, eventually, processId, serviceTask, startEngine } from './harness';

// The embedded engine's own machinery (issue 15 point 1), not the port's contract: commands on
// instances queue in lanes, and a lane runs what queued while its last transaction ran as one
// transaction (group commit). Each caller must still get its own answer, and a command that fails
// must never fail or half-write its neighbours.

describe.skipIf(LIVE_ZEEBE)('group commit: lanes run queued commands as one transaction', () => {
  let t: EngineUnderTest;
  beforeAll(async () => {
    t = await startEngine();
    await t.sql!(`CREATE TABLE lane_probe (instance text NOT NULL, step text NOT NULL)`);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A lane set with one lane over the engine's database, recording the size of each batch. */
  function lanes(): { lanes: CommandLanes; batches: number[]; fallbacks: () => number } {
    const batches: number[] = [];
    let fellBack = 0;
    const observer: LaneObserver = { batch: (n) => batches.push(n), queued: () => undefined, fellBack: () => void fellBack++ };
    return { lanes: new CommandLanes(t.dataSource!, 1, observer), batches, fallbacks: () => fellBack };
  }

  const probe = async (step: string) =>
    ((await t.sql!(`SELECT instance FROM lane_probe WHERE step = $1 ORDER BY instance`, [step])) as Array<{ instance: string }>).map((r) => r.instance);

  it('what queues while a transaction runs is the next batch, one command per instance; a command refused before it wrote fails alone', async () => {
    const { lanes: l, batches } = lanes();
    const insert = (instance: string, refuse = false) =>
      l.run(instance, async (em) => {
        if (refuse) throw new Refused(new ConflictError('JOB_NOT_ACTIVE', `refused ${instance}`));
        await em.query(`INSERT INTO lane_probe VALUES ($1, 'refuse')`, [instance]);
        return instance;
      });
    // The first command starts the lane at once; the rest queue meanwhile. Instance 2 twice: its second command waits for the batch after.
    const answers = await Promise.allSettled([insert('1'), insert('2'), insert('3'), insert('4', true), insert('2'), insert('5')]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual(['1', '2', '3', 'refused 4', '2', '5']);
    expect((answers[3] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(batches).toEqual([1, 4, 1]);
    expect(await probe('refuse')).toEqual(['1', '2', '2', '3', '5']);
  });

  it('a command that fails after it wrote rolls its batch back, and each command runs again alone: the others are kept once, it is kept not at all', async () => {
    const { lanes: l, batches, fallbacks } = lanes();
    const runs = new Map<string, number>();
    const step = (instance: string, fail = false) =>
      l.run(instance, async (em) => {
        runs.set(instance, (runs.get(instance) ?? 0) + 1);
        await em.query(`INSERT INTO lane_probe VALUES ($1, 'fail')`, [instance]);
        if (fail) throw new Error(`incident on ${instance}`);
        return instance;
      });
    const answers = await Promise.allSettled([step('10'), step('11'), step('12', true), step('13')]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : (a.reason as Error).message))).toEqual(['10', '11', 'incident on 12', '13']);
    expect(batches).toEqual([1, 3]);
    expect(fallbacks()).toBe(1);
    // 11 ran in the batch (rolled back) and again alone; 12 failed in both; the batch stopped before 13, which ran alone.
    expect(Object.fromEntries(runs)).toEqual({ '10': 1, '11': 2, '12': 2, '13': 1 });
    expect(await probe('fail')).toEqual(['10', '11', '13']);
  });

  it('job completions on many instances at once: batches form, a stale completion is refused to its caller alone, an incident stays on its own instance (docs.camunda.io/docs/components/concepts/incidents/)', async () => {
    const id = processId('group-commit');
    const first = `${id}-first`;
    const second = `${id}-second`;
    // The second task's job type comes from a variable the first completion sets; without it the
    // expression is null and the step after the completion is an incident at s2 (EXTRACT_VALUE_ERROR).
    await t.engine.deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', first), serviceTask('s2', '=nextType')]) });
    const instances: string[] = [];
    for (let i = 0; i < 40; i++) instances.push((await t.engine.createInstance({ bpmnProcessId: id })).processInstanceKey);
    const jobs = await t.engine.activateJobs({ type: first, maxJobsToActivate: 40, timeoutMs: 60_000, worker: 'group-commit' });
    expect(jobs).toHaveLength(40);
    const bad = new Set(jobs.slice(0, 3).map((j) => j.processInstanceKey));
    const twice = jobs.slice(10, 13).map((j) => j.key);
    const before = await batchCounts(t);

    const completions = [
      ...jobs.map((j) => ({ key: j.key, variables: bad.has(j.processInstanceKey) ? {} : { nextType: second } })),
      ...twice.map((key) => ({ key, variables: { nextType: second } })),
    ];
    const answers = await Promise.allSettled(completions.map((c) => t.engine.completeJob(c.key, c.variables)));

    // Each job completed once: of a job completed twice at once, one caller is told it is no longer active.
    const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused).toHaveLength(twice.length);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'JOB_NOT_ACTIVE' });
    const refusedKeys = completions.filter((_, i) => answers[i].status === 'rejected').map((c) => c.key).sort();
    expect(refusedKeys).toEqual([...twice].sort());

    const after = await batchCounts(t);
    expect(after.commands - before.commands).toBeGreaterThanOrEqual(completions.length);
    // Fewer transactions than commands: some ran together.
    expect(after.batches - before.batches).toBeLessThan(after.commands - before.commands);

    for (const key of instances) {
      const view = await t.engine.getInstance(key);
      if (bad.has(key)) {
        expect(view.incidents, key).toMatchObject([{ errorType: 'EXTRACT_VALUE_ERROR', elementId: 's2' }]);
      } else {
        expect(view.incidents, key).toEqual([]);
        expect(view.activeElements.map((e) => e.elementId), key).toEqual(['s2']);
      }
    }
    const next = await eventually(async () => {
      const found = await t.engine.activateJobs({ type: second, maxJobsToActivate: 100, timeoutMs: 60_000, worker: 'group-commit' });
      return found.length > 0 ? found : undefined;
    }, undefined, 'the second jobs');
    expect(new Set(next.map((j) => j.processInstanceKey))).toEqual(new Set(instances.filter((k) => !bad.has(k))));
    // Every first job is completed exactly once in the log.
    const completed = (await t.sql!(
      `SELECT payload->>'key' AS job, count(*)::int AS n FROM wf_event WHERE intent = 'JOB_COMPLETED' AND payload->>'key' = ANY($1) GROUP BY 1`,
      [jobs.map((j) => j.key)],
    )) as Array<{ job: string; n: number }>;
    expect(completed).toHaveLength(40);
    expect(completed.every((r) => r.n === 1)).toBe(true);
  });
});

/** The engine's batch histogram (/api/metrics: mustafid_engine_batch_commands): batches run and commands in them. */
async function batchCounts(t: EngineUnderTest): Promise<{ batches: number; commands: number }> {
  const metric = await t.embedded!.metrics.batchSize.get();
  const value = (name: string) => metric.values.find((v) => v.metricName === name)?.value ?? 0;
  return { batches: value('mustafid_engine_batch_commands_count'), commands: value('mustafid_engine_batch_commands_sum') };
}
