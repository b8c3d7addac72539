import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEngine } from '@mustafid/workflow';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type EngineUnderTest, bpmn, openTaskKey, serviceTask, startEngine, userTask } from './harness';

// The embedded engine's own machinery, not the port's contract: live engine objects kept
// between steps (ENGINE_CACHE_SIZE) must behave exactly as recovering every step does. Only the
// bpmn-engine core keeps live engines (ENGINE_CORE=bpmn-engine, kept while instances it started
// still run); our own core recovers each step from its compact state.

const ID = 'cache-paths';
const XML = bpmn(
  ID,
  `<bpmn:startEvent id="start"/>
   ${serviceTask('s1', `${ID}-check`)}
   <bpmn:boundaryEvent id="rejected" attachedToRef="s1"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
   <bpmn:endEvent id="endRejected"/>
   <bpmn:exclusiveGateway id="gw" default="toReview"/>
   ${userTask('review')}
   <bpmn:endEvent id="endReviewed"/>
   ${serviceTask('s2', `${ID}-auto`)}
   <bpmn:intermediateCatchEvent id="docs"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
   ${serviceTask('s3', `${ID}-visit`)}
   <bpmn:boundaryEvent id="late" attachedToRef="s3"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
   ${serviceTask('s3late', `${ID}-late`)}
   <bpmn:endEvent id="endLate"/>
   <bpmn:serviceTask id="s4"><bpmn:extensionElements><zeebe:taskDefinition type="${ID}-vote"/></bpmn:extensionElements>
     <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
       <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="votes" outputElement="=vote"/>
     </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
   <bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s1"/>
   <bpmn:sequenceFlow id="f2" sourceRef="rejected" targetRef="endRejected"/>
   <bpmn:sequenceFlow id="f3" sourceRef="s1" targetRef="gw"/>
   <bpmn:sequenceFlow id="toAuto" sourceRef="gw" targetRef="s2"><bpmn:conditionExpression>=x &gt; 1</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="toReview" sourceRef="gw" targetRef="review"/>
   <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="endReviewed"/>
   <bpmn:sequenceFlow id="f5" sourceRef="s2" targetRef="docs"/>
   <bpmn:sequenceFlow id="f6" sourceRef="docs" targetRef="s3"/>
   <bpmn:sequenceFlow id="f7" sourceRef="late" targetRef="s3late"/>
   <bpmn:sequenceFlow id="f8" sourceRef="s3late" targetRef="endLate"/>
   <bpmn:sequenceFlow id="f9" sourceRef="s3" targetRef="s4"/>
   <bpmn:sequenceFlow id="f10" sourceRef="s4" targetRef="end"/>`,
  `<bpmn:message id="m" name="${ID}-docs"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>
   <bpmn:error id="err" name="Rejected" errorCode="REJECTED"/>`,
);

/** Completes the one job of `type` that is ready (every job of it, in key order, with `all`). */
async function completeJobs(t: EngineUnderTest, type: string, variables: (i: number) => Record<string, unknown> = () => ({}), all = false): Promise<number> {
  const jobs = await t.embedded!.lockJobs(type, 'test', all ? 100 : 1, 60_000);
  expect(jobs.length, `jobs of ${type}`).toBeGreaterThan(0);
  jobs.sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
  for (const [i, job] of jobs.entries()) await t.engine.completeJob(job.key, variables(i));
  return jobs.length;
}

/** Three cases down different paths, each step awaited, in one fixed order: job completions, a thrown error, a user task, a message, a boundary timer, a multi-instance task. */
async function drive(t: EngineUnderTest): Promise<Array<{ state: string; variables: unknown; events: string[] }>> {
  await t.engine.deploy({ resourceName: 'cache.bpmn', xml: XML });
  const keys: string[] = [];
  const start = async (variables: Record<string, unknown>) => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId: ID, variables });
    keys.push(processInstanceKey);
    return processInstanceKey;
  };
  // 1: automatic path, every job completed.
  await start({ x: 2, orderId: 'o1', items: ['a', 'b', 'c'] });
  await completeJobs(t, `${ID}-check`, () => ({ checked: true }));
  await completeJobs(t, `${ID}-auto`);
  await t.engine.publishMessage({ name: `${ID}-docs`, correlationKey: 'o1', variables: { docs: 3 } });
  await completeJobs(t, `${ID}-visit`, () => ({ visited: true }));
  await completeJobs(t, `${ID}-vote`, (i) => ({ vote: `yes-${i}` }), true);
  // 2: the visit is late: its boundary timer fires.
  await start({ x: 3, orderId: 'o2', items: ['a'] });
  await completeJobs(t, `${ID}-check`);
  await completeJobs(t, `${ID}-auto`);
  await t.engine.publishMessage({ name: `${ID}-docs`, correlationKey: 'o2' });
  await t.advanceClock('PT2H');
  await completeJobs(t, `${ID}-late`, () => ({ late: true }));
  // 3: review path, a user task.
  const third = await start({ x: 0, orderId: 'o3', items: [] });
  await completeJobs(t, `${ID}-check`);
  await t.engine.completeUserTask(await openTaskKey(t.engine, third, 'review'), { reviewed: 'ok' });
  // 4: rejected by a BPMN error from the first job.
  await start({ x: 5, orderId: 'o4', items: [] });
  const [job] = await t.embedded!.lockJobs(`${ID}-check`, 'test', 1, 60_000);
  await t.engine.throwJobError(job.key, 'REJECTED', 'not eligible');
  return Promise.all(keys.map((k) => outcome(t.engine, k)));
}

async function outcome(engine: WorkflowEngine, key: string) {
  const instance = await engine.getInstance(key);
  const events = await engine.getInstanceEvents(key);
  // In the order they happened: by position as a number (past 9, 99, … as well).
  const positions = events.map((e) => BigInt(e.position));
  expect(positions.length).toBeGreaterThan(0);
  expect(positions.every((p, i) => i === 0 || p > positions[i - 1]), `positions ${positions.join(',')}`).toBe(true);
  return { state: instance.state, variables: instance.variables, events: events.map((e) => `${e.intent} ${e.elementId ?? ''} ${e.elementType ?? ''}`.trim()) };
}

describe('the embedded engine keeps live engines between steps', () => {
  it('a cached engine takes the same path, with the same events, as recovering every step', async () => {
    const cached = await startEngine(undefined, { ENGINE_CACHE_SIZE: '100', ENGINE_CORE: 'bpmn-engine' });
    const recovered = await startEngine(undefined, { ENGINE_CACHE_SIZE: '0', ENGINE_CORE: 'bpmn-engine' });
    try {
      const withCache = await drive(cached);
      const withoutCache = await drive(recovered);
      expect(withCache.map((o) => o.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
      expect(withCache).toEqual(withoutCache);
      expect(withCache[0].variables).toMatchObject({ checked: true, docs: 3, visited: true, votes: ['yes-0', 'yes-1', 'yes-2'] });
      expect(withCache[1].events).toContain('TIMER_TRIGGERED late');
      expect(withCache[1].events).toContain('ELEMENT_COMPLETED endLate bpmn:EndEvent');
      expect(withCache[2].events).toContain('ELEMENT_COMPLETED endReviewed bpmn:EndEvent');
      expect(withCache[3].events).toContain('ERROR_THROWN s1 bpmn:ServiceTask');
      // The cache was used (most steps after the first of each case), and never without one.
      expect(cached.embedded!.engines.hits).toBeGreaterThanOrEqual(12);
      expect(recovered.embedded!.engines.hits).toBe(0);
    } finally {
      await cached.close();
      await recovered.close();
    }
  });
});

// Another process moving the instance on makes a cached engine stale: it must not be used.
if (process.env.DATABASE_URL) {
  describe('a live engine cached by one process', () => {
    let db: TestDatabase;
    let a: EngineUnderTest;
    let b: EngineUnderTest;
    beforeAll(async () => {
      db = await createTestDatabase();
      a = await startEngine(db, { ENGINE_CORE: 'bpmn-engine' });
      b = await startEngine(db, { ENGINE_CORE: 'bpmn-engine' });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.drop();
    });

    it('is not used after another process advanced the instance: the step recovers the stored state', async () => {
      const id = 'cache-stale';
      await a.engine.deploy({
        resourceName: 'stale.bpmn',
        xml: bpmn(
          id,
          `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="split"/>${serviceTask('left', `${id}-left`)}${serviceTask('right', `${id}-right`)}
           <bpmn:parallelGateway id="join"/>${serviceTask('last', `${id}-last`)}<bpmn:endEvent id="end"/>
           <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split"/>
           <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="left"/><bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="right"/>
           <bpmn:sequenceFlow id="f4" sourceRef="left" targetRef="join"/><bpmn:sequenceFlow id="f5" sourceRef="right" targetRef="join"/>
           <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="last"/><bpmn:sequenceFlow id="f7" sourceRef="last" targetRef="end"/>`,
        ),
      });
      // A starts the instance and keeps its engine (waiting at left and right).
      const { processInstanceKey } = await a.engine.createInstance({ bpmnProcessId: id });
      const [left] = await b.embedded!.lockJobs(`${id}-left`, 'b', 1, 60_000);
      const [right] = await a.embedded!.lockJobs(`${id}-right`, 'a', 1, 60_000);
      // B completes left. A's cached engine still thinks left is open: were it used for right,
      // the join would wait for left for ever.
      await b.engine.completeJob(left.key, { by: 'b' });
      const stale = a.embedded!.engines.stale;
      await a.engine.completeJob(right.key, { by: 'a' });
      const [last] = await a.embedded!.lockJobs(`${id}-last`, 'a', 1, 60_000);
      expect(last, 'the join passed').toBeDefined();
      expect(a.embedded!.engines.stale).toBe(stale + 1);
      // A's engine from that recovered step is current again, and is used.
      const hits = a.embedded!.engines.hits;
      await a.engine.completeJob(last.key);
      expect(a.embedded!.engines.hits).toBe(hits + 1);
      expect((await a.engine.getInstance(processInstanceKey)).state).toBe('COMPLETED');
    });
  });
}
