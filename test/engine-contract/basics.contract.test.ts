import { describe, expect, it } from 'vitest';
import { complete, fail } from '@mustafid/workflow';
import { bpmn, chain, eventually, processId, serviceTask, userTask, openTaskKey, useEngine } from './harness';
import { WAIT_MS } from '../support/budget.mjs';

describe('engine contract: deploy, jobs, user tasks, gateways, timers', () => {
  const suite = useEngine();
  const workers = suite.workers;

  const completed = (key: string) =>
    eventually(async () => {
      const instance = await suite.t.engine.getInstance(key);
      return instance.state === 'COMPLETED' ? instance : undefined;
    }, WAIT_MS, `instance ${key} to complete`);

  it('deploys: same content returns the same version, changed content the next; instances stay on theirs', async () => {
    const id = processId('versions');
    const v1 = chain(id, [userTask('s1')]);
    const first = await suite.t.engine.deploy({ resourceName: 'v.bpmn', xml: v1 });
    expect(first.processes).toMatchObject([{ bpmnProcessId: id, version: 1, isNewVersion: true }]);
    const again = await suite.t.engine.deploy({ resourceName: 'v.bpmn', xml: v1 });
    expect(again.processes[0]).toMatchObject({ version: 1, isNewVersion: false, key: first.processes[0].key });
    const running = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const v2 = chain(id, [userTask('s1'), userTask('s2')]);
    const second = await suite.t.engine.deploy({ resourceName: 'v.bpmn', xml: v2 });
    expect(second.processes[0]).toMatchObject({ version: 2, isNewVersion: true });
    const instance = await suite.t.engine.getInstance(running.processInstanceKey);
    expect(instance.version).toBe(1);
    const definitions = await suite.t.engine.listProcessDefinitions();
    expect(definitions.find((d) => d.bpmnProcessId === id)?.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(await suite.t.engine.getProcessDefinitionXml(first.processes[0].key)).toBe(v1);
    // The v1 instance finishes on v1: one user task, not two.
    const task = instance.activeElements.find((e) => e.elementId === 's1');
    expect(task).toBeDefined();
  });

  it('runs a service task as a job: the worker gets variables and headers, its result merges into the instance', async () => {
    const id = processId('job');
    await suite.t.engine.deploy({
      resourceName: 'job.bpmn',
      xml: chain(id, [serviceTask('s1', `${id}-verify`, '<zeebe:taskHeaders><zeebe:header key="channel" value="C1"/></zeebe:taskHeaders>')]),
    });
    const seen: Array<{ variables: unknown; headers: unknown }> = [];
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-verify`,
        handler: async (job) => {
          seen.push({ variables: job.variables, headers: job.customHeaders });
          return complete({ verified: true, score: (job.variables.amount as number) * 2 });
        },
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { amount: 21 } });
    const done = await completed(processInstanceKey);
    expect(done.variables).toEqual({ amount: 21, verified: true, score: 42 });
    expect(seen).toEqual([{ variables: { amount: 21 }, headers: { channel: 'C1' } }]);
    expect(done.activeElements).toEqual([]);
  });

  it('routes an exclusive gateway on FEEL conditions, with a default flow', async () => {
    const id = processId('gateway');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/>${userTask('decide')}
       <bpmn:exclusiveGateway id="gw" default="toOther"/>
       ${userTask('approved')}${userTask('other')}
       <bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide"/>
       <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="gw"/>
       <bpmn:sequenceFlow id="toApproved" sourceRef="gw" targetRef="approved"><bpmn:conditionExpression>=decision = "approve" and score &gt;= 5</bpmn:conditionExpression></bpmn:sequenceFlow>
       <bpmn:sequenceFlow id="toOther" sourceRef="gw" targetRef="other"/>
       <bpmn:sequenceFlow id="f3" sourceRef="approved" targetRef="end"/>
       <bpmn:sequenceFlow id="f4" sourceRef="other" targetRef="end"/>`,
    );
    await suite.t.engine.deploy({ resourceName: 'gw.bpmn', xml });
    const route = async (variables: Record<string, unknown>) => {
      const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { score: 7 } });
      const decide = (await suite.t.engine.getInstance(processInstanceKey)).activeElements.find((e) => e.elementId === 'decide')!;
      const taskKey = await userTaskKey(processInstanceKey, decide.elementId);
      await suite.t.engine.completeUserTask(taskKey, variables);
      return (await suite.t.engine.getInstance(processInstanceKey)).activeElements.map((e) => e.elementId);
    };
    expect(await route({ decision: 'approve' })).toEqual(['approved']);
    expect(await route({ decision: 'reject' })).toEqual(['other']);
  });

  const userTaskKey = (processInstanceKey: string, elementId: string) => openTaskKey(suite.t.engine, processInstanceKey, elementId);

  it('retries a failing job, then raises an incident; new retries and resolve finish it', async () => {
    const id = processId('retries');
    await suite.t.engine.deploy({
      resourceName: 'r.bpmn',
      xml: chain(id, [`<bpmn:serviceTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-flaky" retries="2"/></bpmn:extensionElements></bpmn:serviceTask>`]),
    });
    let calls = 0;
    let healthy = false;
    workers.push(
      suite.t.engine.createWorker({
        type: `${id}-flaky`,
        handler: async (job) => {
          calls++;
          if (!healthy) return fail('registry unreachable', job.retries - 1);
          return complete({ fixed: true });
        },
      }),
    );
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const [incident] = await eventually(async () => {
      const list = await suite.t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' });
      return list.length ? list : undefined;
    });
    expect(calls).toBe(2);
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', elementId: 's1', errorMessage: 'registry unreachable' });
    await expect(suite.t.engine.resolveIncident(incident.key)).rejects.toMatchObject({ code: 'NO_RETRIES' });
    healthy = true;
    await suite.t.engine.updateJobRetries(incident.jobKey!, 1);
    await suite.t.engine.resolveIncident(incident.key);
    const done = await completed(processInstanceKey);
    expect(done.variables).toEqual({ fixed: true });
    expect(await suite.t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' })).toEqual([]);
  });

  it('turns a gateway with no matching flow into an incident; fixing the variables and resolving moves on', async () => {
    const id = processId('nomatch');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw"/>${userTask('high')}<bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
       <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="high"><bpmn:conditionExpression>=amount &gt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
       <bpmn:sequenceFlow id="f3" sourceRef="high" targetRef="end"/>`,
    );
    await suite.t.engine.deploy({ resourceName: 'nm.bpmn', xml });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { amount: 5 } });
    const instance = await suite.t.engine.getInstance(processInstanceKey);
    expect(instance.state).toBe('ACTIVE');
    expect(instance.incidents).toHaveLength(1);
    expect(instance.incidents[0]).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'gw' });
    // Zeebe answers SetVariables with the command's key (gateway-service "SetVariablesResponse").
    expect((await suite.t.engine.setVariables(processInstanceKey, { amount: 500 })).key).toMatch(/^\d+$/);
    await suite.t.engine.resolveIncident(instance.incidents[0].key);
    const after = await suite.t.engine.getInstance(processInstanceKey);
    expect(after.incidents).toEqual([]);
    expect(after.activeElements.map((e) => e.elementId)).toEqual(['high']);
  });

  it('waits on a durable timer until the clock passes it', async () => {
    const id = processId('timer');
    await suite.t.engine.deploy({
      resourceName: 't.bpmn',
      xml: chain(id, [`<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`]),
    });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await suite.t.advanceClock('P13DT23H');
    expect((await suite.t.engine.getInstance(processInstanceKey)).state).toBe('ACTIVE');
    await suite.t.advanceClock('PT1H');
    expect((await suite.t.engine.getInstance(processInstanceKey)).state).toBe('COMPLETED');
  });

  it('fires a due timer by the scheduler alone, in real time, and records it once', async () => {
    const id = processId('realtime');
    await suite.t.engine.deploy({
      resourceName: 'rt.bpmn',
      xml: chain(id, [`<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`]),
    });
    const started = Date.now();
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await completed(processInstanceKey);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await suite.t.engine.listIncidents({ processInstanceKey })).toEqual([]);
  });

  it('records every transition in order: elements, flows, jobs, user tasks, timers, with the actor', async () => {
    const id = processId('events');
    await suite.t.engine.deploy({
      resourceName: 'ev.bpmn',
      xml: chain(id, [serviceTask('s1', `${id}-step`), userTask('s2'), `<bpmn:intermediateCatchEvent id="s3"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`]),
    });
    workers.push(suite.t.engine.createWorker({ type: `${id}-step`, handler: async () => complete({ checked: true }) }));
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, actor: { id: 'u1', username: 'reception' } });
    const task = await eventually(async () => (await suite.t.engine.getInstance(processInstanceKey)).activeElements.find((e) => e.elementId === 's2'));
    expect(task).toBeDefined();
    await suite.t.engine.completeUserTask(await userTaskKey(processInstanceKey, 's2'), { ok: true }, { id: 'u2', username: 'researcher' });
    await suite.t.advanceClock('P1D');
    await completed(processInstanceKey);
    const events = await suite.t.engine.getInstanceEvents(processInstanceKey);
    const trail = events.map((e) => `${e.intent}:${e.elementId ?? ''}`);
    const expected = [
      `ELEMENT_ACTIVATED:${id}`,
      'ELEMENT_ACTIVATED:start',
      'ELEMENT_COMPLETED:start',
      'SEQUENCE_FLOW_TAKEN:f0',
      'ELEMENT_ACTIVATED:s1',
      'JOB_CREATED:s1',
      'JOB_COMPLETED:',
      'ELEMENT_COMPLETED:s1',
      'SEQUENCE_FLOW_TAKEN:f1',
      'ELEMENT_ACTIVATED:s2',
      'USER_TASK_CREATED:s2',
      'USER_TASK_COMPLETED:s2',
      'ELEMENT_COMPLETED:s2',
      'ELEMENT_ACTIVATED:s3',
      'TIMER_CREATED:s3',
      'TIMER_TRIGGERED:s3',
      'ELEMENT_COMPLETED:s3',
      'ELEMENT_COMPLETED:end',
      `ELEMENT_COMPLETED:${id}`,
    ];
    // Each expected transition appears, in this order (other events may sit between them).
    let at = -1;
    for (const step of expected) {
      const next = trail.indexOf(step, at + 1);
      expect(next, `${step} after position ${at} in ${trail.join(' ')}`).toBeGreaterThan(at);
      at = next;
    }
    expect(events.find((e) => e.intent === 'USER_TASK_COMPLETED')?.actor).toBe('researcher');
    expect(events[0].actor).toBe('reception');
    expect(events.map((e) => Number(e.position))).toEqual([...events.map((e) => Number(e.position))].sort((a, b) => a - b));
    // The feed across instances holds the same events from any position, in the same order.
    const feed = await suite.t.engine.listEvents(String(Number(events[0].position) - 1), 10_000);
    expect(feed.filter((e) => e.processInstanceKey === processInstanceKey)).toEqual(events);
    expect(await suite.t.engine.listEvents(events.at(-1)!.position, 10)).toEqual([]);
  });

  it('cancels an instance: its waits close and it accepts nothing more', async () => {
    const id = processId('cancel');
    await suite.t.engine.deploy({ resourceName: 'c.bpmn', xml: chain(id, [userTask('s1')]) });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    await suite.t.engine.cancelInstance(processInstanceKey);
    const instance = await suite.t.engine.getInstance(processInstanceKey);
    expect(instance.state).toBe('CANCELED');
    expect(instance.activeElements).toEqual([]);
    await expect(suite.t.engine.cancelInstance(processInstanceKey)).rejects.toMatchObject({ code: 'INSTANCE_NOT_ACTIVE' });
  });
});
