import { describe, expect, it } from 'vitest';
import { complete, fail } from '@mustafid/workflow';
import { bpmn, chain, eventually, processId, serviceTask, userTask, openTaskKey, useEngine } from './harness';

describe('engine contract: more elements (terminate, send task, message boundary, error end, user task schedule, backoff)', () => {
  const suite = useEngine();
  const workers = suite.workers;

  const at = async (key: string) => (await suite.t.engine.getInstance(key)).activeElements.map((e) => e.elementId).sort();
  const openTask = (key: string, elementId: string) => openTaskKey(suite.t.engine, key, elementId);

  it('a terminate end event ends the instance with its parallel branch still open', async () => {
    const id = processId('terminate');
    await suite.t.engine.deploy({
      resourceName: 'term.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${userTask('slow')}${userTask('fast')}
         <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent><bpmn:endEvent id="end"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/><bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="slow"/>
         <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="fast"/><bpmn:sequenceFlow id="f4" sourceRef="fast" targetRef="stop"/>
         <bpmn:sequenceFlow id="f5" sourceRef="slow" targetRef="end"/>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const slow = await openTask(processInstanceKey, 'slow');
    await suite.t.engine.completeUserTask(await openTask(processInstanceKey, 'fast'));
    const instance = await suite.t.engine.getInstance(processInstanceKey);
    expect(instance.state).toBe('COMPLETED');
    expect(instance.activeElements).toEqual([]);
    expect((await suite.t.engine.getUserTask(slow)).state).toBe('CANCELED');
  });

  it('a send task is a job like a service task', async () => {
    const id = processId('send');
    await suite.t.engine.deploy({
      resourceName: 'send.bpmn',
      xml: chain(id, [`<bpmn:sendTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-notify"/></bpmn:extensionElements></bpmn:sendTask>`]),
    });
    workers.push(suite.t.engine.createWorker({ type: `${id}-notify`, handler: async () => complete({ notified: 'sms' }) }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const done = await eventually(async () => {
      const i = await suite.t.engine.getInstance(processInstanceKey);
      return i.state === 'COMPLETED' ? i : undefined;
    });
    expect(done.variables).toEqual({ notified: 'sms' });
  });

  // docs.camunda.io/docs/components/modeler/bpmn/message-events/#message-boundary-events: a
  // non-interrupting message boundary stays subscribed while its activity runs, so every message
  // takes its own path.
  it('a non-interrupting message boundary takes every message on its own path and leaves the task open', async () => {
    const id = processId('msgboundary');
    await suite.t.engine.deploy({
      resourceName: 'mb.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('research')}
         <bpmn:boundaryEvent id="question" attachedToRef="research" cancelActivity="false"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>
         ${userTask('answer')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="research"/><bpmn:sequenceFlow id="f2" sourceRef="research" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="question" targetRef="answer"/><bpmn:sequenceFlow id="f4" sourceRef="answer" targetRef="end2"/>`,
        `<bpmn:message id="m" name="${id}-question"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseNumber"/></bpmn:extensionElements></bpmn:message>`,
      ),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { caseNumber: 'C-5' } });
    const sent = await suite.t.engine.publishMessage({ name: `${id}-question`, correlationKey: 'C-5', variables: { question: 'income?' } });
    expect(sent.correlatedProcessInstanceKey).toBe(processInstanceKey);
    expect(await at(processInstanceKey)).toEqual(['answer', 'question', 'research']);
    const again = await suite.t.engine.publishMessage({ name: `${id}-question`, correlationKey: 'C-5', variables: { question: 'family?' } });
    expect(again.correlatedProcessInstanceKey).toBe(processInstanceKey);
    expect(await at(processInstanceKey)).toEqual(['answer', 'answer', 'question', 'research']);
    const answers = (await suite.t.engine.listUserTasks(processInstanceKey, 'CREATED')).filter((t) => t.elementId === 'answer');
    expect(answers).toHaveLength(2);
    for (const task of answers) await suite.t.engine.completeUserTask(task.key);
    await suite.t.engine.completeUserTask(await openTask(processInstanceKey, 'research'));
    const done = await suite.t.engine.getInstance(processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    expect(done.variables).toMatchObject({ question: 'family?' });
  });

  it('an error end event inside a subprocess is caught by the boundary on the subprocess', async () => {
    const id = processId('errorend');
    await suite.t.engine.deploy({
      resourceName: 'ee.bpmn',
      xml: bpmn(
        id,
        `<bpmn:startEvent id="start"/>
         <bpmn:subProcess id="check"><bpmn:startEvent id="cs"/><bpmn:exclusiveGateway id="ok" default="bad"/><bpmn:endEvent id="fine"/>
           <bpmn:endEvent id="reject"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>
           <bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="ok"/>
           <bpmn:sequenceFlow id="good" sourceRef="ok" targetRef="fine"><bpmn:conditionExpression>=eligible</bpmn:conditionExpression></bpmn:sequenceFlow>
           <bpmn:sequenceFlow id="bad" sourceRef="ok" targetRef="reject"/></bpmn:subProcess>
         <bpmn:boundaryEvent id="notEligible" attachedToRef="check"><bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>
         ${userTask('explainRejection')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/><bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end"/>
         <bpmn:sequenceFlow id="f3" sourceRef="notEligible" targetRef="explainRejection"/><bpmn:sequenceFlow id="f4" sourceRef="explainRejection" targetRef="end2"/>`,
        `<bpmn:error id="err" name="Not eligible" errorCode="NOT_ELIGIBLE"/>`,
      ),
    });
    const yes = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { eligible: true } });
    const no = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { eligible: false } });
    expect((await suite.t.engine.getInstance(yes.processInstanceKey)).state).toBe('COMPLETED');
    expect(await at(no.processInstanceKey)).toEqual(['explainRejection']);
  });

  it('a user task takes its assignee, candidate groups, priority and due date from FEEL', async () => {
    const id = processId('schedule');
    await suite.t.engine.deploy({
      resourceName: 'ut.bpmn',
      xml: chain(id, [
        userTask(
          's1',
          `<zeebe:assignmentDefinition assignee="=officer" candidateGroups="reception, researcher"/>
           <zeebe:taskSchedule dueDate="=string(now() + duration(&quot;P14D&quot;))" followUpDate="2030-01-01T09:00:00Z"/>
           <zeebe:priorityDefinition priority="=if urgent then 90 else 40"/>`,
        ),
      ]),
    });
    const before = Date.now();
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { officer: 'reception', urgent: true } });
    const task = await suite.t.engine.getUserTask(await openTask(processInstanceKey, 's1'));
    expect(task).toMatchObject({ assignee: 'reception', candidateGroups: ['reception', 'researcher'], priority: 90, state: 'CREATED' });
    const due = new Date(task.dueDate!).getTime();
    expect(due - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 60_000);
    expect(due - before).toBeLessThanOrEqual(14 * 86_400_000 + 60_000);
    expect(new Date(task.followUpDate!).toISOString()).toBe('2030-01-01T09:00:00.000Z');

    // Someone (the committee chair) moves the due date; null clears the follow-up date.
    await suite.t.engine.updateUserTask(task.key, { dueDate: new Date('2031-02-03T04:05:06Z'), followUpDate: null }, { id: 'c', username: 'committee-chair' });
    const moved = await suite.t.engine.getUserTask(task.key);
    expect(new Date(moved.dueDate!).toISOString()).toBe('2031-02-03T04:05:06.000Z');
    expect(moved.followUpDate).toBeUndefined();
    expect((await suite.t.engine.getInstanceEvents(processInstanceKey)).find((e) => e.intent === 'USER_TASK_UPDATED')?.actor).toBe('committee-chair');
  });

  it('a failed job waits out its retry backoff before it is offered again', async () => {
    const id = processId('backoff');
    await suite.t.engine.deploy({ resourceName: 'bo.bpmn', xml: chain(id, [serviceTask('s1', `${id}-flaky`)]) });
    const calls: number[] = [];
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-flaky`,
        handler: async (job) => {
          calls.push(Date.now());
          return calls.length === 1 ? fail('busy', job.retries - 1, 1500) : complete();
        },
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await eventually(async () => ((await suite.t.engine.getInstance(processInstanceKey)).state === 'COMPLETED' ? true : undefined));
    expect(calls).toHaveLength(2);
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(1400);
  });
});
