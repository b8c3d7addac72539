import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, fail, throwError } from '@mustafid/workflow';
import { type EngineUnderTest, bpmn, chain, eventually, openTaskKey, processId, serviceTask, startEngine, userTask } from './harness';
import { LIVE_ZEEBE } from '../zeebe/live-engine';

/**
 * Messages as the Camunda 8.8 docs state them: https://docs.camunda.io/docs/components/concepts/messages/
 * ("Message correlation", "Message cardinality", "Message buffering", "Message uniqueness").
 */
const message = (id: string, name: string, key = '=applicationNumber') =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements></bpmn:message>`;
const catchEvent = (id: string, ref = 'm') => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="${ref}"/></bpmn:intermediateCatchEvent>`;

/**
 * One engine per core: the rules live in the engine's message handling, so instances on the
 * bpmn-engine core (ENGINE_CORE=bpmn-engine, docs/decisions/0020) follow them too.
 */
function onCore(core: 'mustafid' | 'bpmn-engine') {
  const suite = { t: undefined as unknown as EngineUnderTest };
  beforeAll(async () => {
    suite.t = await startEngine(undefined, { ENGINE_CORE: core });
  });
  afterAll(async () => {
    await suite.t?.close();
  });
  return suite;
}

describe.each(LIVE_ZEEBE ? ['mustafid' as const] : (['mustafid', 'bpmn-engine'] as const))('engine contract (%s core): messages correlate once per process, buffer, start once per correlation key, keep their id', (core) => {
  const suite = onCore(core);
  const engine = () => suite.t.engine;

  const stateOf = async (key: string) => {
    const instance = await engine().getInstance(key);
    return { state: instance.state, at: instance.activeElements.map((e) => e.elementId).sort(), variables: instance.variables };
  };
  /** A process that waits at s1 for the message `name` keyed by applicationNumber, then at the user task s2. */
  const deployWaiting = async (id: string, name: string) => {
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [catchEvent('s1'), userTask('s2')], message('m', name)) });
  };
  /** Instances of a process by start order (the port has no instance search: read the table, as events.contract does). */
  const instancesOf = async (bpmnProcessId: string): Promise<Array<{ key: string; state: string }>> => {
    const db = (engine() as unknown as { db: { query(sql: string, p: unknown[]): Promise<Array<{ key: string; state: string }>> } }).db;
    return db.query(`SELECT key::text, state FROM wf_process_instance WHERE bpmn_process_id = $1 ORDER BY key`, [bpmnProcessId]);
  };

  // Docs, "Message cardinality": "A message is correlated only once to a process (based on the BPMN
  // process ID) [...]. If multiple subscriptions for the same process are opened [...], the message is
  // correlated only to one of the subscriptions. When subscriptions are opened for different processes,
  // the message is correlated to all of the subscriptions."
  it('one publish moves exactly one waiting instance of a process (the earliest subscription); each other process once', async () => {
    const name = `${processId('order-paid')}`;
    const p = processId('once-p');
    const q = processId('once-q');
    await deployWaiting(p, name);
    await deployWaiting(q, name);
    const first = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'K-1' } });
    const second = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'K-1' } });
    const other = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'K-1' } });

    const published = await engine().publishMessage({ name, correlationKey: 'K-1', variables: { paid: 1 } });
    expect(published.correlatedProcessInstanceKey).toBe(first.processInstanceKey);
    expect(await stateOf(first.processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['s2'], variables: { paid: 1 } });
    expect(await stateOf(second.processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['s1'] });
    expect((await stateOf(second.processInstanceKey)).variables).not.toHaveProperty('paid');
    expect(await stateOf(other.processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['s2'], variables: { paid: 1 } });

    // The next message goes to the next waiting instance of p (q waits for nothing any more).
    await engine().publishMessage({ name, correlationKey: 'K-1', variables: { paid: 2 } });
    expect(await stateOf(second.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { paid: 2 } });
    expect((await stateOf(other.processInstanceKey)).variables).toMatchObject({ paid: 1 });
  });

  it('two subscriptions of one instance (parallel catch events) take one message: one of them', async () => {
    const id = processId('once-within');
    const name = `${id}-ping`;
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${catchEvent('a')}${catchEvent('b')}
         <bpmn:endEvent id="endA"/><bpmn:endEvent id="endB"/>
         <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="fork"/>
         <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="a"/><bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="b"/>
         <bpmn:sequenceFlow id="f3" sourceRef="a" targetRef="endA"/><bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="endB"/>`,
        message('m', name),
      ),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'W-1' } });
    expect((await stateOf(processInstanceKey)).at).toEqual(['a', 'b']);
    await engine().publishMessage({ name, correlationKey: 'W-1' });
    expect(await stateOf(processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['b'] });
    await engine().publishMessage({ name, correlationKey: 'W-1' });
    expect((await stateOf(processInstanceKey)).state).toBe('COMPLETED');
  });

  // Docs, "Message buffering": "Within this time, the message can be correlated to a process instance.
  // When a subscription is opened, it polls the buffer for a proper message." With "Message cardinality":
  // once per process, so a buffered message stays for other processes but never moves a second
  // instance of one it already reached.
  it('a buffered message correlates to subscriptions opened later, once per process, and stays for other processes', async () => {
    const name = `${processId('docs-in')}`;
    const p = processId('buf-p');
    const q = processId('buf-q');
    await deployWaiting(p, name);
    await deployWaiting(q, name);
    const published = await engine().publishMessage({ name, correlationKey: 'B-1', variables: { docs: 'early' }, timeToLive: 'PT1H' });
    expect(published).toMatchObject({ buffered: true, correlatedProcessInstanceKey: undefined });

    const p1 = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'B-1' } });
    const p2 = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'B-1' } });
    expect(await stateOf(p1.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { docs: 'early' } });
    expect(await stateOf(p2.processInstanceKey)).toMatchObject({ at: ['s1'] });

    const q1 = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'B-1' } });
    expect(await stateOf(q1.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { docs: 'early' } });
    const q2 = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'B-1' } });
    expect((await stateOf(q2.processInstanceKey)).at).toEqual(['s1']);

    // A second buffered message is the next one in line (first published, first correlated).
    await engine().publishMessage({ name, correlationKey: 'B-1', variables: { docs: 'second' }, timeToLive: 'PT1H' });
    expect(await stateOf(p2.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { docs: 'second' } });
    expect(await stateOf(q2.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { docs: 'second' } });

    // Instances that subscribe at the same moment: the message still reaches the process once.
    await engine().publishMessage({ name, correlationKey: 'B-2', timeToLive: 'PT1H' });
    const racing = await Promise.all([1, 2, 3].map(() => engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'B-2' } })));
    const at = await Promise.all(racing.map(async (r) => (await stateOf(r.processInstanceKey)).at[0]));
    expect(at.sort()).toEqual(['s1', 's1', 's2']);
  });

  it('a message with a time to live that correlated at once stays buffered for a process that subscribes later', async () => {
    const name = `${processId('paid')}`;
    const p = processId('now-p');
    const q = processId('later-q');
    await deployWaiting(p, name);
    await deployWaiting(q, name);
    const p1 = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'T-1' } });
    const published = await engine().publishMessage({ name, correlationKey: 'T-1', variables: { n: 1 }, timeToLive: 'PT10M' });
    expect(published).toMatchObject({ buffered: true, correlatedProcessInstanceKey: p1.processInstanceKey });
    const p2 = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'T-1' } });
    expect((await stateOf(p2.processInstanceKey)).at).toEqual(['s1']);
    const q1 = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'T-1' } });
    expect(await stateOf(q1.processInstanceKey)).toMatchObject({ at: ['s2'], variables: { n: 1 } });
    // After its time to live it is gone from the buffer.
    await suite.t.advanceClock('PT11M');
    const q2 = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'T-1' } });
    expect((await stateOf(q2.processInstanceKey)).at).toEqual(['s1']);
  });

  // Docs, "Message correlation" (message start events): "A message is not correlated to a message start
  // event subscription if an instance of the process is active and was created by a message with the
  // same correlation key. If the message is buffered, it can be correlated after the active instance is
  // ended. Otherwise, it is discarded." An empty correlation key allows any number of instances.
  it('a message start event with a correlation key starts no second instance while the first is active', async () => {
    const id = processId('start-once');
    const name = `${id}-apply`;
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>${userTask('review')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>`,
        `<bpmn:message id="m" name="${name}"/>`,
      ),
    });
    const first = await engine().publishMessage({ name, correlationKey: 'S-1', variables: { n: 1 } });
    expect(first.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    const again = await engine().publishMessage({ name, correlationKey: 'S-1', variables: { n: 2 } });
    expect(again).toMatchObject({ correlatedProcessInstanceKey: undefined, buffered: false });
    expect(await instancesOf(id)).toEqual([{ key: first.correlatedProcessInstanceKey, state: 'ACTIVE' }]);

    // Another correlation key starts its own instance; an empty one never holds anything.
    const otherKey = await engine().publishMessage({ name, correlationKey: 'S-2' });
    expect(otherKey.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    const empty1 = await engine().publishMessage({ name, correlationKey: '' });
    const empty2 = await engine().publishMessage({ name, correlationKey: '' });
    expect(empty1.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    expect(empty2.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    expect(empty2.correlatedProcessInstanceKey).not.toBe(empty1.correlatedProcessInstanceKey);

    // A buffered one waits until the active instance ends, then starts the next one.
    const buffered = await engine().publishMessage({ name, correlationKey: 'S-1', variables: { n: 3 }, timeToLive: 'PT1H' });
    expect(buffered).toMatchObject({ correlatedProcessInstanceKey: undefined, buffered: true });
    await engine().completeUserTask(await openTaskKey(engine(), first.correlatedProcessInstanceKey!, 'review'));
    const others = [otherKey, empty1, empty2].map((m) => m.correlatedProcessInstanceKey);
    const s1 = (await instancesOf(id)).filter((i) => !others.includes(i.key));
    expect(s1.map((i) => i.state)).toEqual(['COMPLETED', 'ACTIVE']);
    expect(await stateOf(s1[1].key)).toMatchObject({ at: ['review'], variables: { n: 3 } });

    // Two publishes at once with a new key still start one instance.
    const racing = await Promise.all([1, 2, 3].map((n) => engine().publishMessage({ name, correlationKey: 'S-9', variables: { n } })));
    expect(racing.filter((r) => r.correlatedProcessInstanceKey)).toHaveLength(1);

    // Once that one is cancelled too, a message with no time to live starts a new one at once.
    await engine().cancelInstance(s1[1].key);
    const next = await engine().publishMessage({ name, correlationKey: 'S-1', variables: { n: 4 } });
    expect(next.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    expect(await stateOf(next.correlatedProcessInstanceKey!)).toMatchObject({ state: 'ACTIVE', variables: { n: 4 } });
  });

  it('a message reaches a process once: a waiting instance takes it, so the message start event of the same process does not', async () => {
    const id = processId('start-or-wait');
    const name = `${id}-reminder`;
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="byHand"/><bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
         ${catchEvent('wait')}${userTask('after')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="byHand" targetRef="wait"/><bpmn:sequenceFlow id="f2" sourceRef="byMessage" targetRef="after"/>
         <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="after"/><bpmn:sequenceFlow id="f4" sourceRef="after" targetRef="end"/>`,
        message('m', name),
      ),
    });
    const waiting = await engine().createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'R-1' } });
    const published = await engine().publishMessage({ name, correlationKey: 'R-1' });
    expect(published.correlatedProcessInstanceKey).toBe(waiting.processInstanceKey);
    expect((await instancesOf(id)).map((i) => i.key)).toEqual([waiting.processInstanceKey]);
  });

  // Docs, "Message uniqueness": "A message is rejected and not correlated if a message with the same
  // name, the same correlation key, and the same ID is already buffered. After the message is discarded
  // from the buffer, a message with the same name, correlation key, and ID can be published again."
  it('a messageId is unique per name and correlation key while its message is buffered', async () => {
    const name = processId('unique');
    const first = await engine().publishMessage({ name, correlationKey: 'U-1', timeToLive: 'PT1M', messageId: 'pay-1' });
    expect(first.buffered).toBe(true);
    await expect(engine().publishMessage({ name, correlationKey: 'U-1', timeToLive: 'PT1M', messageId: 'pay-1' })).rejects.toMatchObject({
      code: 'MESSAGE_ALREADY_PUBLISHED',
      message: expect.stringContaining("messageId 'pay-1'"),
    });
    // Without a time to live it is refused as well: the id is held by the buffered message.
    await expect(engine().publishMessage({ name, correlationKey: 'U-1', messageId: 'pay-1' })).rejects.toMatchObject({ code: 'MESSAGE_ALREADY_PUBLISHED' });
    // Another correlation key or another name is another message.
    await engine().publishMessage({ name, correlationKey: 'U-2', timeToLive: 'PT1M', messageId: 'pay-1' });
    await engine().publishMessage({ name: `${name}-other`, correlationKey: 'U-1', timeToLive: 'PT1M', messageId: 'pay-1' });
    // Once the first has left the buffer, its id is free.
    await suite.t.advanceClock('PT2M');
    const again = await engine().publishMessage({ name, correlationKey: 'U-1', timeToLive: 'PT1M', messageId: 'pay-1' });
    expect(again.key).not.toBe(first.key);
  });
});

/**
 * Incidents as Zeebe handles them: https://docs.camunda.io/docs/components/concepts/incidents/
 * ("Resolving" a job's incident: update its retries, resolve, and the job is retried).
 */
describe.each(LIVE_ZEEBE ? ['mustafid' as const] : (['mustafid', 'bpmn-engine'] as const))('engine contract (%s core): incidents of jobs', (core) => {
  const suite = onCore(core);
  const engine = () => suite.t.engine;
  const incidentsOf = async (processInstanceKey: string) => engine().listIncidents({ processInstanceKey, state: 'ACTIVE' });
  const jobKeyOf = async (processInstanceKey: string) => {
    const db = (engine() as unknown as { db: { query(sql: string, p: unknown[]): Promise<Array<{ key: string; state: string }>> } }).db;
    const [row] = await db.query(`SELECT key::text, state FROM wf_job WHERE process_instance_key = $1 ORDER BY key DESC LIMIT 1`, [processInstanceKey]);
    return row;
  };

  it('a job out of retries has an incident and cannot be completed; new retries and resolving let a worker finish the step', async () => {
    const id = processId('no-retries');
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', `${id}-charge`), userTask('s2')]) });
    let calls = 0;
    const worker = engine().createWorker({
      type: `${id}-charge`,
      handler: async () => (++calls === 1 ? fail('card declined', 0) : complete({ charged: true })),
    });
    try {
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { amount: 5 } });
      const [incident] = await eventually(async () => {
        const list = await incidentsOf(processInstanceKey);
        return list.length ? list : undefined;
      });
      expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', elementId: 's1', errorMessage: 'card declined' });
      const job = await jobKeyOf(processInstanceKey);
      expect(job.state).toBe('FAILED');

      // A late worker cannot complete it: refused, nothing changes.
      await expect(engine().completeJob(job.key, { charged: 'late' })).rejects.toMatchObject({
        code: 'JOB_NOT_ACTIVE',
        message: expect.stringContaining('no retries left and has an incident'),
      });
      await expect(engine().throwJobError(job.key, 'DECLINED')).rejects.toMatchObject({ code: 'JOB_NOT_ACTIVE' });
      const after = await engine().getInstance(processInstanceKey);
      expect(after).toMatchObject({ state: 'ACTIVE', variables: { amount: 5 } });
      expect(after.activeElements.map((e) => e.elementId)).toEqual(['s1']);
      expect((await jobKeyOf(processInstanceKey)).state).toBe('FAILED');
      expect(await incidentsOf(processInstanceKey)).toHaveLength(1);

      // Resolving without retries is refused; with retries the job is offered again and the step goes on.
      await expect(engine().resolveIncident(incident.key)).rejects.toMatchObject({ code: 'NO_RETRIES' });
      await engine().updateJobRetries(job.key, 1);
      await engine().resolveIncident(incident.key);
      await eventually(async () => ((await engine().getInstance(processInstanceKey)).activeElements.some((e) => e.elementId === 's2') ? true : undefined));
      expect((await engine().getInstance(processInstanceKey)).variables).toEqual({ amount: 5, charged: true });
      expect(await incidentsOf(processInstanceKey)).toHaveLength(0);
      expect(calls).toBe(2);
    } finally {
      await worker.close();
    }
  });

  it('resolving an incident of a BPMN error nothing caught makes the job activatable again: a worker retries it', async () => {
    const id = processId('unhandled');
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', `${id}-verify`), userTask('s2')]) });
    let calls = 0;
    const worker = engine().createWorker({
      type: `${id}-verify`,
      handler: async () => (++calls === 1 ? throwError('NOT_FOUND', 'no such applicant') : complete({ verified: true })),
    });
    try {
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
      const [incident] = await eventually(async () => {
        const list = await incidentsOf(processInstanceKey);
        return list.length ? list : undefined;
      });
      expect(incident).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', elementId: 's1' });
      const job = await jobKeyOf(processInstanceKey);
      expect(job.state).toBe('ERROR_THROWN');
      await expect(engine().completeJob(job.key)).rejects.toMatchObject({ code: 'JOB_NOT_ACTIVE', message: expect.stringContaining('resolve the incident') });

      await engine().resolveIncident(incident.key);
      await eventually(async () => ((await engine().getInstance(processInstanceKey)).activeElements.some((e) => e.elementId === 's2') ? true : undefined));
      expect(calls).toBe(2);
      expect((await engine().getInstance(processInstanceKey)).variables).toEqual({ verified: true });
      expect(await incidentsOf(processInstanceKey)).toHaveLength(0);
      expect((await engine().getInstanceEvents(processInstanceKey)).filter((e) => e.intent === 'INCIDENT_RESOLVED')).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });

  it('a task whose job has an incident is still active: an interrupting boundary timer ends it, its job and its incident', async () => {
    const id = processId('interrupted');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${serviceTask('verify', `${id}-verify`)}${userTask('late')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:boundaryEvent id="deadline" attachedToRef="verify"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="verify"/><bpmn:sequenceFlow id="f2" sourceRef="verify" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="deadline" targetRef="late"/><bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="end2"/>`,
      ),
    });
    const worker = engine().createWorker({ type: `${id}-verify`, handler: async () => throwError('NOT_FOUND') });
    try {
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
      await eventually(async () => ((await incidentsOf(processInstanceKey)).length ? true : undefined));
      expect((await engine().getInstance(processInstanceKey)).activeElements.map((e) => e.elementId).sort()).toEqual(['deadline', 'verify']);
      await suite.t.advanceClock('PT1H');
      const after = await engine().getInstance(processInstanceKey);
      expect(after.activeElements.map((e) => e.elementId)).toEqual(['late']);
      expect(after.incidents).toEqual([]);
      expect((await jobKeyOf(processInstanceKey)).state).toBe('CANCELED');
    } finally {
      await worker.close();
    }
  });
});
