import { describe, expect, it } from 'vitest';
import { complete, throwError } from '@mustafid/workflow';
import { bpmn, chain, eventually, processId, serviceTask, userTask, openTaskKey, useEngine } from './harness';
import { WAIT_MS } from '../support/budget.mjs';

const message = (id: string, name: string, key = '=applicationNumber') =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements></bpmn:message>`;
const timer = (duration: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

describe('engine contract: messages, boundary events, errors, parallel paths, subprocesses, mappings', () => {
  const suite = useEngine();
  const workers = suite.workers;

  const state = async (key: string) => {
    const instance = await suite.t.engine.getInstance(key);
    return { state: instance.state, at: instance.activeElements.map((e) => e.elementId).sort(), variables: instance.variables, incidents: instance.incidents };
  };
  const completed = (key: string) =>
    eventually(async () => ((await suite.t.engine.getInstance(key)).state === 'COMPLETED' ? true : undefined), WAIT_MS, `instance ${key} to complete`);

  async function deployChain(id: string, steps: string[], extra = '') {
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml: chain(id, steps, extra) });
  }

  it('correlates a message by name and key; a wrong key never correlates', async () => {
    const id = processId('msg');
    await deployChain(id, [`<bpmn:intermediateCatchEvent id="s1"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>`], message('m', `${id}-docs`));
    const a = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'A-1' } });
    const b = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'A-2' } });
    const wrong = await suite.t.engine.publishMessage({ name: `${id}-docs`, correlationKey: 'A-9', variables: { docs: 'x' } });
    expect(wrong).toMatchObject({ buffered: false, correlatedProcessInstanceKey: undefined });
    expect((await state(a.processInstanceKey)).state).toBe('ACTIVE');
    const right = await suite.t.engine.publishMessage({ name: `${id}-docs`, correlationKey: 'A-2', variables: { docs: ['id-card'] } });
    expect(right.correlatedProcessInstanceKey).toBe(b.processInstanceKey);
    expect(await state(b.processInstanceKey)).toMatchObject({ state: 'COMPLETED', variables: { applicationNumber: 'A-2', docs: ['id-card'] } });
    expect((await state(a.processInstanceKey)).state).toBe('ACTIVE');
  });

  it('buffers a message for its time to live and correlates it when the instance arrives; an expired one does not', async () => {
    const id = processId('buffer');
    await deployChain(id, [userTask('s1'), `<bpmn:receiveTask id="s2" messageRef="m"/>`], message('m', `${id}-late`));
    const early = await suite.t.engine.publishMessage({ name: `${id}-late`, correlationKey: 'A-7', variables: { arrived: 'early' }, timeToLive: 'PT1H' });
    expect(early.buffered).toBe(true);
    await suite.t.engine.publishMessage({ name: `${id}-late`, correlationKey: 'A-8', timeToLive: 'PT1M' });
    const seven = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'A-7' } });
    const eight = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'A-8' } });
    await suite.t.advanceClock('PT2M');
    for (const key of [seven.processInstanceKey, eight.processInstanceKey]) {
      const task = (await suite.t.engine.getInstance(key)).activeElements.find((e) => e.elementId === 's1')!;
      await suite.t.engine.completeUserTask(await taskKey(key, task.elementId));
    }
    expect(await state(seven.processInstanceKey)).toMatchObject({ state: 'COMPLETED', variables: { arrived: 'early' } });
    expect(await state(eight.processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['s2'] });
  });

  it('an interrupting boundary timer cancels the task and takes its own path', async () => {
    const id = processId('escalate');
    await suite.t.engine.deploy({
      resourceName: 'b.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('review')}<bpmn:boundaryEvent id="late" attachedToRef="review">${timer('P3D')}</bpmn:boundaryEvent>
         ${userTask('escalated')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="late" targetRef="escalated"/><bpmn:sequenceFlow id="f4" sourceRef="escalated" targetRef="end2"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    expect((await state(processInstanceKey)).at).toEqual(['late', 'review']);
    await suite.t.advanceClock('P3D');
    expect((await state(processInstanceKey)).at).toEqual(['escalated']);
  });

  it('a non-interrupting boundary timer opens a parallel path and leaves the task open; the task completing closes the timer', async () => {
    const id = processId('remind');
    await suite.t.engine.deploy({
      resourceName: 'n.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('decide')}<bpmn:boundaryEvent id="remind" attachedToRef="decide" cancelActivity="false">${timer('P10D')}</bpmn:boundaryEvent>
         ${serviceTask('notifyChair', `${id}-remind`)}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide"/><bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="notifyChair"/><bpmn:sequenceFlow id="f4" sourceRef="notifyChair" targetRef="end2"/>`,
      ),
    });
    const reminded: string[] = [];
    workers.push(suite.t.engine.createWorker({ type: `${id}-remind`, handler: async (job) => (reminded.push(job.processInstanceKey), complete()) }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await suite.t.advanceClock('P10D');
    expect(reminded).toEqual([processInstanceKey]);
    expect((await state(processInstanceKey)).at).toEqual(['decide']);
    await suite.t.engine.completeUserTask(await taskKey(processInstanceKey, 'decide'));
    await completed(processInstanceKey);
  });

  it('a BPMN error thrown by a worker is caught by an error boundary with its code; an uncaught one is an incident', async () => {
    const id = processId('error');
    await suite.t.engine.deploy({
      resourceName: 'e.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${serviceTask('verify', `${id}-verify`)}
         <bpmn:boundaryEvent id="invalid" attachedToRef="verify"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
         ${userTask('askForDocuments')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="verify"/><bpmn:sequenceFlow id="f2" sourceRef="verify" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="invalid" targetRef="askForDocuments"/><bpmn:sequenceFlow id="f4" sourceRef="askForDocuments" targetRef="end2"/>`,
        `<bpmn:error id="err" name="Incomplete" errorCode="DATA_INCOMPLETE"/>`,
      ),
    });
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-verify`,
        handler: async (job) => throwError(job.variables.code as string, 'documents missing', { missing: ['id-card'] }),
      }),
    );
    const caught = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { code: 'DATA_INCOMPLETE' } });
    const uncaught = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { code: 'SOMETHING_ELSE' } });
    await eventually(async () => ((await state(caught.processInstanceKey)).at.includes('askForDocuments') ? true : undefined));
    const [incident] = await eventually(async () => {
      const list = await suite.t.engine.listIncidents({ processInstanceKey: uncaught.processInstanceKey, state: 'ACTIVE' });
      return list.length ? list : undefined;
    });
    expect(incident).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', elementId: 'verify' });
  });

  it('joins parallel paths at a parallel gateway', async () => {
    const id = processId('parallel');
    await suite.t.engine.deploy({
      resourceName: 'p.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${userTask('research')}${userTask('attest')}<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/><bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="research"/>
         <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="attest"/><bpmn:sequenceFlow id="f4" sourceRef="research" targetRef="join"/>
         <bpmn:sequenceFlow id="f5" sourceRef="attest" targetRef="join"/><bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="end"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    expect((await state(processInstanceKey)).at).toEqual(['attest', 'research']);
    await suite.t.engine.completeUserTask(await taskKey(processInstanceKey, 'research'), { researched: true });
    expect(await state(processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['attest'] });
    await suite.t.engine.completeUserTask(await taskKey(processInstanceKey, 'attest'), { attested: true });
    expect(await state(processInstanceKey)).toMatchObject({ state: 'COMPLETED', variables: { researched: true, attested: true } });
  });

  it('waits at an event-based gateway for whichever comes first: the message or the deadline', async () => {
    const id = processId('race');
    await suite.t.engine.deploy({
      resourceName: 'r.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="gw"/>
         <bpmn:intermediateCatchEvent id="docs"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
         <bpmn:intermediateCatchEvent id="deadline">${timer('P30D')}</bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="complete"/><bpmn:endEvent id="closedIncomplete"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/><bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="docs"/>
         <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="deadline"/><bpmn:sequenceFlow id="f4" sourceRef="docs" targetRef="complete"/>
         <bpmn:sequenceFlow id="f5" sourceRef="deadline" targetRef="closedIncomplete"/>`,
        message('m', `${id}-docs`),
      ),
    });
    const byMessage = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'R-1' } });
    const byTimer = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'R-2' } });
    await suite.t.engine.publishMessage({ name: `${id}-docs`, correlationKey: 'R-1' });
    expect((await state(byMessage.processInstanceKey)).state).toBe('COMPLETED');
    await suite.t.advanceClock('P30D');
    expect((await state(byTimer.processInstanceKey)).state).toBe('COMPLETED');
    // The message closed that instance's timer: thirty more days fire nothing for it, and its
    // path went through the message only.
    await suite.t.advanceClock('P30D');
    const events = await suite.t.engine.getInstanceEvents(byMessage.processInstanceKey);
    expect(events.filter((e) => e.intent === 'TIMER_TRIGGERED')).toEqual([]);
    expect(events.filter((e) => e.intent === 'ELEMENT_COMPLETED').map((e) => e.elementId)).toEqual(['start', 'gw', 'docs', 'complete', id]);
  });

  it('runs an embedded subprocess', async () => {
    const id = processId('sub');
    await suite.t.engine.deploy({
      resourceName: 's.bpmn',
      xml: chain(id, [
        `<bpmn:subProcess id="s1"><bpmn:startEvent id="subStart"/>${userTask('inner')}<bpmn:endEvent id="subEnd"/>
         <bpmn:sequenceFlow id="sf1" sourceRef="subStart" targetRef="inner"/><bpmn:sequenceFlow id="sf2" sourceRef="inner" targetRef="subEnd"/></bpmn:subProcess>`,
      ]),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    expect((await state(processInstanceKey)).at).toEqual(['inner']);
    await suite.t.engine.completeUserTask(await taskKey(processInstanceKey, 'inner'));
    expect((await state(processInstanceKey)).state).toBe('COMPLETED');
  });

  it('maps a subprocess\'s inputs as it starts (its timer and jobs see them) and its outputs as it ends', async () => {
    const id = processId('subio');
    await suite.t.engine.deploy({
      resourceName: 'sio.bpmn',
      xml: chain(id, [
        `<bpmn:subProcess id="s1">
           <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;P14D&quot;" target="minimumPeriod"/>
             <zeebe:output source="=noticeSent" target="reviewNoticeSent"/></zeebe:ioMapping></bpmn:extensionElements>
           <bpmn:startEvent id="subStart"/>${serviceTask('notice', `${id}-notice`)}
           <bpmn:intermediateCatchEvent id="hold">${timer('=minimumPeriod')}</bpmn:intermediateCatchEvent><bpmn:endEvent id="subEnd"/>
           <bpmn:sequenceFlow id="sf1" sourceRef="subStart" targetRef="notice"/><bpmn:sequenceFlow id="sf2" sourceRef="notice" targetRef="hold"/>
           <bpmn:sequenceFlow id="sf3" sourceRef="hold" targetRef="subEnd"/></bpmn:subProcess>`,
      ]),
    });
    let seen: unknown;
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-notice`,
        handler: async (job) => ((seen = job.variables.minimumPeriod), complete({ noticeSent: true })),
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await eventually(async () => ((await state(processInstanceKey)).at.includes('hold') ? true : undefined), WAIT_MS, 'the hold timer');
    expect(seen).toBe('P14D');
    await suite.t.advanceClock('P13D');
    expect((await state(processInstanceKey)).at).toEqual(['hold']);
    await suite.t.advanceClock('P1D');
    const done = await state(processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables).toMatchObject({ reviewNoticeSent: true });
  });

  it('maps inputs into a job and outputs back with zeebe:ioMapping', async () => {
    const id = processId('io');
    await deployChain(id, [
      serviceTask(
        's1',
        `${id}-score`,
        `<zeebe:ioMapping><zeebe:input source="=applicant.income" target="income"/><zeebe:input source="=count(applicant.dependants)" target="dependants"/>
         <zeebe:output source="=score" target="eligibilityScore"/></zeebe:ioMapping>`,
      ),
    ]);
    let received: unknown;
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-score`,
        fetchVariables: ['income', 'dependants'],
        handler: async (job) => {
          received = job.variables;
          return complete({ score: 80, scratch: 'not kept' });
        },
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicant: { income: 3000, dependants: ['a', 'b'] } } });
    await completed(processInstanceKey);
    expect(received).toEqual({ income: 3000, dependants: 2 });
    const { variables } = await state(processInstanceKey);
    expect(variables).toEqual({ applicant: { income: 3000, dependants: ['a', 'b'] }, eligibilityScore: 80 });
  });

  it('starts an instance from a message start event', async () => {
    const id = processId('msgstart');
    await suite.t.engine.deploy({
      resourceName: 'ms.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>${userTask('s1')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f2" sourceRef="s1" targetRef="end"/>`,
        `<bpmn:message id="m" name="${id}-request"/>`,
      ),
    });
    const published = await suite.t.engine.publishMessage({ name: `${id}-request`, correlationKey: '', variables: { channel: 'C7' } });
    expect(published.correlatedProcessInstanceKey).toMatch(/^\d+$/);
    expect(await state(published.correlatedProcessInstanceKey!)).toMatchObject({ state: 'ACTIVE', at: ['s1'], variables: { channel: 'C7' } });
  });

  it('starts instances from a timer start event; a cycle repeats, a new version replaces the old timers', async () => {
    const id = processId('timerstart');
    const version = (cycle: string) =>
      bpmn(
        id,
        `<bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
         ${userTask('s1')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f2" sourceRef="s1" targetRef="end"/>`,
      );
    await suite.t.engine.deploy({ resourceName: 'ts.bpmn', xml: version('R3/P1D') });
    const count = async () => {
      const defs = await suite.t.engine.listProcessDefinitions();
      const keys = defs.find((d) => d.bpmnProcessId === id)!.versions.map((v) => v.key);
      // The port has no search of instances yet (the task list and audit issues add one).
      const db = (suite.t.engine as unknown as { db: { query(sql: string, p: unknown[]): Promise<Array<{ n: number }>> } }).db;
      const [row] = await db.query(`SELECT count(*)::int AS n FROM wf_process_instance WHERE process_definition_key = ANY($1)`, [keys]);
      return row.n;
    };
    expect(await count()).toBe(0);
    await suite.t.advanceClock('P1D');
    expect(await count()).toBe(1);
    await suite.t.advanceClock('P1D');
    expect(await count()).toBe(2);
    // Version 2 cycles once a week: version 1's third occurrence never comes.
    await suite.t.engine.deploy({ resourceName: 'ts.bpmn', xml: version('R/P7D') });
    await suite.t.advanceClock('P1D');
    expect(await count()).toBe(2);
    await suite.t.advanceClock('P6D');
    expect(await count()).toBe(3);
    await expect(suite.t.engine.createInstance({ bpmnProcessId: id })).rejects.toMatchObject({ code: 'NO_NONE_START_EVENT' });
  });

  it('a process with a none start and a message start begins at only one of them', async () => {
    const id = processId('twostarts');
    await suite.t.engine.deploy({
      resourceName: 'two.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="byHand"/><bpmn:startEvent id="byMessage"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
         ${userTask('s1')}<bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="byHand" targetRef="s1"/><bpmn:sequenceFlow id="f2" sourceRef="byMessage" targetRef="s1"/>
         <bpmn:sequenceFlow id="f3" sourceRef="s1" targetRef="end"/>`,
        `<bpmn:message id="m" name="${id}-go"/>`,
      ),
    });
    const byHand = await suite.t.engine.createInstance({ bpmnProcessId: id });
    expect((await state(byHand.processInstanceKey)).at).toEqual(['s1']);
    const byMessage = await suite.t.engine.publishMessage({ name: `${id}-go`, correlationKey: '' });
    expect(byMessage.correlatedProcessInstanceKey).not.toBe(byHand.processInstanceKey);
    expect((await state(byMessage.correlatedProcessInstanceKey!)).at).toEqual(['s1']);
    expect((await state(byHand.processInstanceKey)).at).toEqual(['s1']);
  });

  const taskKey = (processInstanceKey: string, elementId: string) => openTaskKey(suite.t.engine, processInstanceKey, elementId);
});
