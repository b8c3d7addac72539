import { describe, expect, it } from 'vitest';
import { type ActivatedJob, type JobOutcome, complete, throwError } from '@mustafid/workflow';
import { bpmn, chain, eventually, openTaskKey, processId, serviceTask, useEngine, userTask } from './harness';

// Zeebe's variable scopes and element-instance lifecycle, as the Camunda 8.8 docs state them:
// https://docs.camunda.io/docs/components/concepts/variables/ (scopes, propagation, input and
// output mappings, nested targets) and
// https://docs.camunda.io/docs/components/modeler/bpmn/multi-instance/ (inputElement,
// loopCounter and outputElement local to each instance, outputCollection).

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const io = (inputs: Array<[string, string]>, outputs: Array<[string, string]> = []) =>
  `<zeebe:ioMapping>${inputs.map(([s, t]) => `<zeebe:input source="${attr(s)}" target="${t}"/>`).join('')}${outputs
    .map(([s, t]) => `<zeebe:output source="${attr(s)}" target="${t}"/>`)
    .join('')}</zeebe:ioMapping>`;
const timer = (duration: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

describe('engine contract: variable scopes and element instances as Zeebe keeps them', () => {
  const suite = useEngine();

  /** A worker for `type` that records what each job saw and answers with `outcome`. */
  function worker(type: string, outcome: (job: ActivatedJob) => JobOutcome = () => complete()) {
    const seen: ActivatedJob[] = [];
    suite.workers.push(suite.t.engine.createWorker({ type, handler: async (job) => (seen.push(job), outcome(job)) }));
    return seen;
  }
  const finished = (key: string) =>
    eventually(async () => {
      const instance = await suite.t.engine.getInstance(key);
      return instance.state === 'COMPLETED' ? instance : undefined;
    }, undefined, `instance ${key} to complete`);

  it('input mappings create locals of the element: its job sees them, the process scope never does (variables#input-mappings)', async () => {
    const id = processId('inputs');
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', `${id}-job`, io([['=applicant.name', 'name'], ['="SMS"', 'channel']]))]) });
    const seen = worker(`${id}-job`, () => complete({ sent: true }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicant: { name: 'Sara' } } });
    const done = await finished(processInstanceKey);
    expect(seen).toHaveLength(1);
    expect(seen[0].variables).toMatchObject({ name: 'Sara', channel: 'SMS', applicant: { name: 'Sara' } });
    expect(done.variables).toEqual({ applicant: { name: 'Sara' }, sent: true });
  });

  it('without output mappings a job\'s variables go to the nearest scope that has them, else the root (variables#variable-propagation)', async () => {
    const id = processId('propagate');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [
        `<bpmn:subProcess id="s1"><bpmn:extensionElements>${io([['=0', 'attempts']])}</bpmn:extensionElements>
           <bpmn:startEvent id="in"/>${serviceTask('work', `${id}-job`)}<bpmn:endEvent id="out"/>
           <bpmn:sequenceFlow id="i1" sourceRef="in" targetRef="work"/><bpmn:sequenceFlow id="i2" sourceRef="work" targetRef="out"/></bpmn:subProcess>`,
        serviceTask('s2', `${id}-after`),
      ]),
    });
    worker(`${id}-job`, () => complete({ attempts: 1, result: 'ok' }));
    const after = worker(`${id}-after`);
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const done = await finished(processInstanceKey);
    // `attempts` was local to the subprocess: updated there, and gone with it.
    expect(done.variables).toEqual({ result: 'ok' });
    expect(after[0].variables).toEqual({ result: 'ok' });
  });

  it('with output mappings only what they name reaches the parent scope, and a nested target builds and merges an object (variables#output-mappings)', async () => {
    const id = processId('outputs');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [serviceTask('s1', `${id}-job`, io([], [['=token', 'authentication.token'], ['="bearer"', 'authentication.type']]))]),
    });
    worker(`${id}-job`, () => complete({ token: 't-1', secret: 'never-seen' }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { authentication: { user: 'u1' } } });
    const done = await finished(processInstanceKey);
    expect(done.variables).toEqual({ authentication: { user: 'u1', token: 't-1', type: 'bearer' } });
  });

  it('each multi-instance iteration has its own inputElement and loopCounter; none leaks into the process scope (multi-instance#variable-mappings)', async () => {
    const id = processId('iterations');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [
        `<bpmn:serviceTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-vote"/></bpmn:extensionElements>
           <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements>
             <zeebe:loopCharacteristics inputCollection="=members" inputElement="member" outputCollection="votes" outputElement="=vote"/>
           </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
      ]),
    });
    const seen = worker(`${id}-vote`, (job) => complete({ vote: `${job.variables.member}:yes`, notes: `private ${job.variables.loopCounter}` }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { members: ['m1', 'm2'] } });
    const done = await finished(processInstanceKey);
    expect(seen.map((j) => [j.variables.member, j.variables.loopCounter])).toEqual([
      ['m1', 1],
      ['m2', 2],
    ]);
    // The first iteration's `vote` was local to it (initialised as the outputElement's variable), so the second never saw it.
    expect(seen[1].variables.vote).toBeNull();
    expect(done.variables.votes).toEqual(['m1:yes', 'm2:yes']);
    expect(done.variables).not.toHaveProperty('member');
    expect(done.variables).not.toHaveProperty('loopCounter');
    expect(done.variables).not.toHaveProperty('vote');
  });

  it('a parallel join after an exclusive merge of a task\'s exit and its interrupting boundary waits for the other branch (parallel-gateways)', async () => {
    const id = processId('join');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${userTask('visit')}
         <bpmn:boundaryEvent id="late" attachedToRef="visit">${timer('P1D')}</bpmn:boundaryEvent>
         <bpmn:exclusiveGateway id="merge"/>${userTask('check')}<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/><bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="visit"/>
         <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="check"/><bpmn:sequenceFlow id="f4" sourceRef="visit" targetRef="merge"/>
         <bpmn:sequenceFlow id="f5" sourceRef="late" targetRef="merge"/><bpmn:sequenceFlow id="f6" sourceRef="merge" targetRef="join"/>
         <bpmn:sequenceFlow id="f7" sourceRef="check" targetRef="join"/><bpmn:sequenceFlow id="f8" sourceRef="join" targetRef="end"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await suite.t.advanceClock('P1D');
    const waiting = await suite.t.engine.getInstance(processInstanceKey);
    expect(waiting.state).toBe('ACTIVE');
    expect(waiting.activeElements.map((e) => e.elementId)).toEqual(['check']);
    await suite.t.engine.completeUserTask(await openTaskKey(suite.t.engine, processInstanceKey, 'check'));
    await finished(processInstanceKey);
  });

  it('an error boundary\'s output mappings map the error\'s variables; unmapped ones stay local (error-events#variable-mappings)', async () => {
    const id = processId('errorvars');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${serviceTask('verify', `${id}-verify`)}
         <bpmn:boundaryEvent id="invalid" attachedToRef="verify"><bpmn:extensionElements>${io([], [['=missing', 'missingDocuments']])}</bpmn:extensionElements>
           <bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
         <bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="verify"/><bpmn:sequenceFlow id="f2" sourceRef="verify" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="invalid" targetRef="end2"/>`,
        `<bpmn:error id="err" name="Incomplete" errorCode="DATA_INCOMPLETE"/>`,
      ),
    });
    worker(`${id}-verify`, () => throwError('DATA_INCOMPLETE', 'documents missing', { missing: ['id-card'], detail: 'x' }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const done = await finished(processInstanceKey);
    expect(done.variables).toEqual({ missingDocuments: ['id-card'] });
  });

  it('an interruption terminates every element instance inside what it interrupts, and only those that were activated (ELEMENT_TERMINATED)', async () => {
    const id = processId('terminated');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>
         <bpmn:subProcess id="review"><bpmn:startEvent id="in"/><bpmn:parallelGateway id="split"/>${userTask('research')}${userTask('attest')}
           ${userTask('neverReached')}<bpmn:endEvent id="out"/>
           <bpmn:sequenceFlow id="i1" sourceRef="in" targetRef="split"/><bpmn:sequenceFlow id="i2" sourceRef="split" targetRef="research"/>
           <bpmn:sequenceFlow id="i3" sourceRef="split" targetRef="attest"/><bpmn:sequenceFlow id="i4" sourceRef="research" targetRef="neverReached"/>
           <bpmn:sequenceFlow id="i5" sourceRef="attest" targetRef="out"/><bpmn:sequenceFlow id="i6" sourceRef="neverReached" targetRef="out"/></bpmn:subProcess>
         <bpmn:boundaryEvent id="deadline" attachedToRef="review">${timer('P30D')}</bpmn:boundaryEvent>
         <bpmn:endEvent id="end"/><bpmn:endEvent id="closed"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="deadline" targetRef="closed"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await suite.t.advanceClock('P30D');
    await finished(processInstanceKey);
    const events = await suite.t.engine.getInstanceEvents(processInstanceKey);
    const terminated = events.filter((e) => e.intent === 'ELEMENT_TERMINATED').map((e) => e.elementId);
    expect(terminated.sort()).toEqual(['attest', 'research', 'review']);
    const tasks = await suite.t.engine.listUserTasks(processInstanceKey);
    expect(tasks.map((t) => [t.elementId, t.state]).sort()).toEqual([
      ['attest', 'CANCELED'],
      ['research', 'CANCELED'],
    ]);
    // Each element instance event carries its own key, a 64-bit number as a decimal string.
    for (const e of events.filter((x) => x.intent.startsWith('ELEMENT_'))) expect(e.elementInstanceKey ?? processInstanceKey).toMatch(/^\d+$/);
  });

  // docs.camunda.io/docs/components/concepts/process-instance-creation/ and the Operate/API
  // "cancel process instance": all active element instances are terminated, each one's inner
  // instances before it, then the process instance (Zeebe's ProcessInstanceCancelProcessor).
  it('cancelling terminates every active element instance, innermost first, then the process (ELEMENT_TERMINATED)', async () => {
    const id = processId('cancelled');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>
         <bpmn:subProcess id="review"><bpmn:startEvent id="in"/><bpmn:parallelGateway id="split"/>${userTask('research')}${userTask('attest')}
           <bpmn:endEvent id="out"/><bpmn:parallelGateway id="both"/>
           <bpmn:sequenceFlow id="i1" sourceRef="in" targetRef="split"/><bpmn:sequenceFlow id="i2" sourceRef="split" targetRef="research"/>
           <bpmn:sequenceFlow id="i3" sourceRef="split" targetRef="attest"/><bpmn:sequenceFlow id="i4" sourceRef="research" targetRef="both"/>
           <bpmn:sequenceFlow id="i5" sourceRef="attest" targetRef="both"/><bpmn:sequenceFlow id="i6" sourceRef="both" targetRef="out"/></bpmn:subProcess>
         <bpmn:userTask id="votes"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>
           <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[&quot;a&quot;, &quot;b&quot;]" inputElement="member"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
         <bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="fork"/><bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="review"/>
         <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="votes"/><bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="join"/>
         <bpmn:sequenceFlow id="f4" sourceRef="votes" targetRef="join"/><bpmn:sequenceFlow id="f5" sourceRef="join" targetRef="end"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await eventually(async () => ((await suite.t.engine.listUserTasks(processInstanceKey, 'CREATED')).length === 4 ? true : undefined));
    await suite.t.engine.cancelInstance(processInstanceKey);
    const events = await suite.t.engine.getInstanceEvents(processInstanceKey);
    const activated = new Map(events.filter((e) => e.intent === 'ELEMENT_ACTIVATED').map((e) => [e.elementInstanceKey ?? processInstanceKey, e]));
    const terminated = events.filter((e) => e.intent === 'ELEMENT_TERMINATED');
    // Exactly the live element instances, each once, and the process last.
    expect(terminated.map((e) => e.elementId).sort()).toEqual([id, 'attest', 'research', 'review', 'votes', 'votes', 'votes'].sort());
    expect(terminated.at(-1)).toMatchObject({ elementId: id, elementType: 'bpmn:Process' });
    const position = (e: (typeof terminated)[number]) => terminated.indexOf(e);
    for (const e of terminated.slice(0, -1)) {
      // Each record names an element instance that was activated, under the scope it was activated in ...
      const start = activated.get(e.elementInstanceKey!)!;
      expect(start, `${e.elementId} ${e.elementInstanceKey} was activated`).toMatchObject({ elementId: e.elementId });
      expect(e.payload?.flowScopeKey).toBe(start.payload?.flowScopeKey);
      // ... and comes before the record of its flow scope (innermost first).
      const scope = terminated.find((t) => t.elementInstanceKey === e.payload?.flowScopeKey);
      if (scope) expect(position(e)).toBeLessThan(position(scope));
      else expect(e.payload?.flowScopeKey).toBe(processInstanceKey);
    }
    const body = terminated.find((e) => e.elementId === 'votes' && e.elementType === 'bpmn:MultiInstanceBody')!;
    const inner = terminated.filter((e) => e.elementId === 'votes' && e !== body);
    expect(inner.map((e) => [e.payload?.flowScopeKey, e.payload?.loopCounter])).toEqual([
      [body.elementInstanceKey, 1],
      [body.elementInstanceKey, 2],
    ]);
  });

  it('a terminate end event in a subprocess ends only that subprocess; the process goes on (terminate-events)', async () => {
    const id = processId('terminatesub');
    await suite.t.engine.deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [
        `<bpmn:subProcess id="s1"><bpmn:startEvent id="in"/><bpmn:parallelGateway id="split"/>${userTask('slow')}
           <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
           <bpmn:sequenceFlow id="i1" sourceRef="in" targetRef="split"/><bpmn:sequenceFlow id="i2" sourceRef="split" targetRef="slow"/>
           <bpmn:sequenceFlow id="i3" sourceRef="split" targetRef="stop"/></bpmn:subProcess>`,
        userTask('s2'),
      ]),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const instance = await suite.t.engine.getInstance(processInstanceKey);
    expect(instance.state).toBe('ACTIVE');
    expect(instance.activeElements.map((e) => e.elementId)).toEqual(['s2']);
  });
});
