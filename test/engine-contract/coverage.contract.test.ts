import { describe, expect, it } from 'vitest';
import { type ActivatedJob, type JobOutcome, complete } from '@mustafid/workflow';
import { bpmn, chain, eventually, openTaskKey, processId, serviceTask, useEngine, userTask } from './harness';

// BPMN elements beyond the basics, each as the Camunda 8.8 docs describe it
// (https://docs.camunda.io/docs/components/modeler/bpmn/bpmn-coverage/ and the page cited per test).

const timer = (d: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const message = (id: string, name: string, key: string) =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="${key}"/></bpmn:extensionElements></bpmn:message>`;
let flowCount = 0;
const flows = (...pairs: Array<[string, string, string?]>) =>
  pairs
    .map(([from, to, condition]) =>
      condition
        ? `<bpmn:sequenceFlow id="x${++flowCount}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition.replace(/</g, '&lt;').replace(/>/g, '&gt;')}</bpmn:conditionExpression></bpmn:sequenceFlow>`
        : `<bpmn:sequenceFlow id="x${++flowCount}" sourceRef="${from}" targetRef="${to}"/>`,
    )
    .join('');

describe('engine contract: the rest of the BPMN elements Camunda 8 runs', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;

  function worker(type: string, outcome: (job: ActivatedJob) => JobOutcome = () => complete()) {
    const seen: ActivatedJob[] = [];
    suite.workers.push(engine().createWorker({ type, handler: async (job) => (seen.push(job), outcome(job)) }));
    return seen;
  }
  const at = async (key: string) => (await engine().getInstance(key)).activeElements.map((e) => e.elementId).sort();
  const state = async (key: string) => (await engine().getInstance(key)).state;
  const finished = (key: string) =>
    eventually(async () => {
      const instance = await engine().getInstance(key);
      return instance.state === 'COMPLETED' ? instance : undefined;
    }, undefined, `instance ${key} to complete`);

  // https://docs.camunda.io/docs/components/modeler/bpmn/event-subprocesses/
  it('a non-interrupting timer event subprocess runs beside the main path; an interrupting message one ends it', async () => {
    const id = processId('esp');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('review')}<bpmn:endEvent id="end"/>${flows(['start', 'review'], ['review', 'end'])}
         <bpmn:subProcess id="reminder" triggeredByEvent="true"><bpmn:startEvent id="remindStart" isInterrupting="false">${timer('P7D')}</bpmn:startEvent>
           ${userTask('remind')}<bpmn:endEvent id="remindEnd"/>
           <bpmn:sequenceFlow id="r1" sourceRef="remindStart" targetRef="remind"/><bpmn:sequenceFlow id="r2" sourceRef="remind" targetRef="remindEnd"/></bpmn:subProcess>
         <bpmn:subProcess id="withdrawn" triggeredByEvent="true"><bpmn:startEvent id="withdrawStart"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
           <bpmn:endEvent id="withdrawEnd"/><bpmn:sequenceFlow id="w1" sourceRef="withdrawStart" targetRef="withdrawEnd"/></bpmn:subProcess>`,
        message('m', `${id}-withdraw`, '=caseId'),
      ),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { caseId: 'E-1' } });
    expect(await at(processInstanceKey)).toEqual(['remindStart', 'review', 'withdrawStart']);
    await suite.t.advanceClock('P7D');
    expect(await at(processInstanceKey)).toEqual(['remind', 'review', 'withdrawStart']);
    await engine().publishMessage({ name: `${id}-withdraw`, correlationKey: 'E-1', variables: { reason: 'moved away' } });
    const done = await engine().getInstance(processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables).toMatchObject({ reason: 'moved away' });
    const tasks = await engine().listUserTasks(processInstanceKey);
    expect(tasks.map((t) => [t.elementId, t.state]).sort()).toEqual([
      ['remind', 'CANCELED'],
      ['review', 'CANCELED'],
    ]);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/event-subprocesses/ (error start event)
  it('an error event subprocess catches an error thrown inside its scope and ends the scope\'s other paths', async () => {
    const id = processId('esperror');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="split"/>${serviceTask('check', `${id}-check`)}${userTask('waiting')}<bpmn:endEvent id="end"/>
         ${flows(['start', 'split'], ['split', 'check'], ['split', 'waiting'], ['check', 'end'], ['waiting', 'end'])}
         <bpmn:subProcess id="onError" triggeredByEvent="true"><bpmn:startEvent id="caught"><bpmn:errorEventDefinition errorRef="err"/></bpmn:startEvent>
           ${userTask('handle')}<bpmn:endEvent id="handled"/>
           <bpmn:sequenceFlow id="e1" sourceRef="caught" targetRef="handle"/><bpmn:sequenceFlow id="e2" sourceRef="handle" targetRef="handled"/></bpmn:subProcess>`,
        `<bpmn:error id="err" errorCode="INELIGIBLE"/>`,
      ),
    });
    worker(`${id}-check`, () => ({ outcome: 'error', errorCode: 'INELIGIBLE', errorMessage: 'no', variables: { why: 'age' } }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await eventually(async () => ((await at(processInstanceKey)).includes('handle') ? true : undefined));
    expect(await at(processInstanceKey)).toEqual(['handle']);
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'handle'));
    const done = await finished(processInstanceKey);
    expect(done.variables).toEqual({ why: 'age' });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/inclusive-gateways/
  it('an inclusive gateway takes every flow whose condition is true, and its join waits only for those', async () => {
    const id = processId('inclusive');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:inclusiveGateway id="fork" default="toNone"/>${userTask('income')}${userTask('housing')}${userTask('health')}
         <bpmn:inclusiveGateway id="join"/>${userTask('decide')}<bpmn:endEvent id="end"/>
         ${flows(['start', 'fork'], ['fork', 'income', '=needsIncome'], ['fork', 'housing', '=needsHousing'], ['fork', 'health', '=needsHealth'],
           ['income', 'join'], ['housing', 'join'], ['health', 'join'], ['join', 'decide'], ['decide', 'end'])}
         <bpmn:sequenceFlow id="toNone" sourceRef="fork" targetRef="join"/>`,
      ),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { needsIncome: true, needsHousing: true, needsHealth: false } });
    expect(await at(processInstanceKey)).toEqual(['housing', 'income']);
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'income'));
    expect(await at(processInstanceKey)).toEqual(['housing']);
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'housing'));
    expect(await at(processInstanceKey)).toEqual(['decide']);
    // None true: the default flow goes straight to the join, which has nothing else to wait for.
    const none = await engine().createInstance({ bpmnProcessId: id, variables: { needsIncome: false, needsHousing: false, needsHealth: false } });
    expect(await at(none.processInstanceKey)).toEqual(['decide']);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/script-tasks/ (FEEL expression)
  it('a script task with zeebe:script evaluates its FEEL and sets the result variable', async () => {
    const id = processId('script');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [
        `<bpmn:scriptTask id="s1"><bpmn:extensionElements><zeebe:script expression="=sum(incomes) / count(incomes)" resultVariable="averageIncome"/></bpmn:extensionElements></bpmn:scriptTask>`,
      ]),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { incomes: [3000, 5000] } });
    const done = await finished(processInstanceKey);
    expect(done.variables).toEqual({ incomes: [3000, 5000], averageIncome: 4000 });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation
  it('a user task without zeebe:userTask is a job of type io.camunda.zeebe:userTask with its assignment in headers', async () => {
    const id = processId('jobusertask');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [`<bpmn:userTask id="s1"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=officer" candidateGroups="reception"/></bpmn:extensionElements></bpmn:userTask>`]),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { officer: 'noura' } });
    const seen = worker('io.camunda.zeebe:userTask', () => complete({ answered: true }));
    const done = await finished(processInstanceKey);
    expect(seen.find((j) => j.processInstanceKey === processInstanceKey)?.customHeaders).toMatchObject({
      'io.camunda.zeebe:assignee': 'noura',
      'io.camunda.zeebe:candidateGroups': '["reception"]',
    });
    expect(done.variables).toEqual({ officer: 'noura', answered: true });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/
  it('an escalation thrown in a subprocess is caught by a non-interrupting boundary; an uncaught one lets the instance go on', async () => {
    const id = processId('escalation');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>
         <bpmn:subProcess id="work"><bpmn:startEvent id="in"/><bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:intermediateThrowEvent>
           ${userTask('goOn')}<bpmn:intermediateThrowEvent id="raiseOther"><bpmn:escalationEventDefinition escalationRef="other"/></bpmn:intermediateThrowEvent><bpmn:endEvent id="out"/>
           <bpmn:sequenceFlow id="i1" sourceRef="in" targetRef="raise"/><bpmn:sequenceFlow id="i2" sourceRef="raise" targetRef="goOn"/>
           <bpmn:sequenceFlow id="i3" sourceRef="goOn" targetRef="raiseOther"/><bpmn:sequenceFlow id="i4" sourceRef="raiseOther" targetRef="out"/></bpmn:subProcess>
         <bpmn:boundaryEvent id="escalated" attachedToRef="work" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="esc"/></bpmn:boundaryEvent>
         ${userTask('supervisor')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         ${flows(['start', 'work'], ['work', 'end'], ['escalated', 'supervisor'], ['supervisor', 'end2'])}`,
        `<bpmn:escalation id="esc" escalationCode="LATE"/><bpmn:escalation id="other" escalationCode="NOBODY_CATCHES"/>`,
      ),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect(await at(processInstanceKey)).toEqual(['goOn', 'supervisor']);
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'goOn'));
    expect(await at(processInstanceKey)).toEqual(['supervisor']);
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'supervisor'));
    expect(await state(processInstanceKey)).toBe('COMPLETED');
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/link-events/
  it('a link throw event continues at the link catch event of the same name', async () => {
    const id = processId('link');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:intermediateThrowEvent id="goTo"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateThrowEvent>
         <bpmn:intermediateCatchEvent id="arrive"><bpmn:linkEventDefinition name="page2"/></bpmn:intermediateCatchEvent>${userTask('there')}<bpmn:endEvent id="end"/>
         ${flows(['start', 'goTo'], ['arrive', 'there'], ['there', 'end'])}`,
      ),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect(await at(processInstanceKey)).toEqual(['there']);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/multi-instance/#completion-condition
  it('a multi-instance completion condition ends the other iterations once it holds', async () => {
    const id = processId('quorum');
    await engine().deploy({
      resourceName: `${id}.bpmn`,
      xml: chain(id, [
        `<bpmn:userTask id="s1"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>
           <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=members" inputElement="member"/></bpmn:extensionElements>
           <bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`,
        userTask('s2'),
      ]),
    });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { members: ['a', 'b', 'c'] } });
    const tasks = (await engine().listUserTasks(processInstanceKey, 'CREATED')).filter((t) => t.elementId === 's1');
    expect(tasks).toHaveLength(3);
    await engine().completeUserTask(tasks[0].key);
    expect((await engine().listUserTasks(processInstanceKey, 'CREATED')).filter((t) => t.elementId === 's1')).toHaveLength(2);
    await engine().completeUserTask(tasks[1].key);
    expect(await at(processInstanceKey)).toEqual(['s2']);
    expect((await engine().getUserTask(tasks[2].key)).state).toBe('CANCELED');
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/collaboration/ (one executable process per pool;
  // black-box pools and message flows are documentation) and several processes in one file, each its own process.
  it('a collaboration with a black-box pool and a second executable process deploys as two processes, each running alone', async () => {
    const a = processId('pool-a');
    const b = processId('pool-b');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${a}" targetNamespace="http://mustafid.test">
  <bpmn:collaboration id="collab">
    <bpmn:participant id="pa" processRef="${a}"/><bpmn:participant id="pb" processRef="${b}"/><bpmn:participant id="applicant" name="Applicant"/>
    <bpmn:messageFlow id="mf" sourceRef="applicant" targetRef="a-task"/>
  </bpmn:collaboration>
  <bpmn:process id="${a}" isExecutable="true"><bpmn:startEvent id="a-start"/>${userTask('a-task')}<bpmn:endEvent id="a-end"/>${flows(['a-start', 'a-task'], ['a-task', 'a-end'])}</bpmn:process>
  <bpmn:process id="${b}" isExecutable="true"><bpmn:startEvent id="b-start"/>${userTask('b-task')}<bpmn:endEvent id="b-end"/>${flows(['b-start', 'b-task'], ['b-task', 'b-end'])}</bpmn:process>
</bpmn:definitions>`;
    const deployed = await engine().deploy({ resourceName: `${a}.bpmn`, xml });
    expect(deployed.processes.map((p) => p.bpmnProcessId).sort()).toEqual([a, b].sort());
    const one = await engine().createInstance({ bpmnProcessId: a });
    const two = await engine().createInstance({ bpmnProcessId: b });
    expect(await at(one.processInstanceKey)).toEqual(['a-task']);
    expect(await at(two.processInstanceKey)).toEqual(['b-task']);
  });
});
