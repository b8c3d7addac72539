import { describe, expect, it } from 'vitest';
import type { EngineEvent, WorkflowEngine } from '@mustafid/workflow';
import { bpmn, eventually, processId, useEngine } from './harness';

/**
 * Compensation as the Camunda 8.8 docs state it; each test quotes the sentence it checks from
 * - EVENTS: https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
 * - HANDLER: https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/
 * Where the docs leave the records open, they are Zeebe's (camunda/camunda zeebe/engine
 * BpmnCompensationSubscriptionBehaviour and CompensationEventExecutionTest): the compensation
 * boundary event is written activated and completed when it is triggered, each handler is
 * activated in the throw event's flow scope, and the throw event completes after its last handler.
 */

const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
/** Flows along a chain of element ids: f-a-b, f-b-c, … */
const path = (...ids: string[]) => ids.slice(1).map((to, i) => flow(`f-${ids[i]}-${to}`, ids[i], to)).join('');
const task = (id: string, ext = '', attrs = '') =>
  `<bpmn:userTask id="${id}" name="${id}"${attrs}><bpmn:extensionElements><zeebe:userTask/>${ext}</bpmn:extensionElements></bpmn:userTask>`;
/** A user task with a compensation boundary event associated with its handler `undo-<id>`, a user task marked for compensation. */
const compensable = (id: string, options: { ext?: string; handlerExt?: string; attrs?: string } = {}) =>
  `${task(id, options.ext, options.attrs)}<bpmn:boundaryEvent id="${id}-comp" attachedToRef="${id}"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>` +
  `${task(`undo-${id}`, options.handlerExt, ' isForCompensation="true"')}<bpmn:association id="${id}-assoc" associationDirection="One" sourceRef="${id}-comp" targetRef="undo-${id}"/>`;
const throwEvent = (id: string, activityRef?: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''}/></bpmn:intermediateThrowEvent>`;
const compensationEnd = (id: string) => `<bpmn:endEvent id="${id}"><bpmn:compensateEventDefinition/></bpmn:endEvent>`;
const message = (id: string, name: string) =>
  `<bpmn:message id="${id}" name="${name}"><bpmn:extensionElements><zeebe:subscription correlationKey="=ref"/></bpmn:extensionElements></bpmn:message>`;
const mapping = (kind: 'input' | 'output', target: string, source: string) => `<zeebe:${kind} source="${source}" target="${target}"/>`;

const LIFECYCLE: Record<string, string> = { ELEMENT_ACTIVATED: 'activated', ELEMENT_COMPLETED: 'completed', ELEMENT_TERMINATED: 'terminated' };
/** The lifecycle of an instance's elements, in order: "activated A", "completed A", … */
async function pathOf(engine: WorkflowEngine, key: string): Promise<string[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => LIFECYCLE[e.intent]).map((e) => `${LIFECYCLE[e.intent]} ${e.elementId}`);
}
/** The compensation subscription records: "CREATED A", "TRIGGERED A", … */
async function subscriptionsOf(engine: WorkflowEngine, key: string): Promise<string[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => e.intent.startsWith('COMPENSATION_SUBSCRIPTION_')).map((e) => `${e.intent.slice(26)} ${e.elementId}`);
}
const keyOf = (events: EngineEvent[], intent: string, elementId: string) => events.find((e) => e.intent === intent && e.elementId === elementId)?.elementInstanceKey;

describe('engine contract: compensation (boundary events, handlers, throw and end events)', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;
  const deploy = (id: string, body: string, extra = '') => engine().deploy({ resourceName: `${id}.bpmn`, xml: bpmn(id, body, extra) });
  const at = async (key: string) => (await engine().getInstance(key)).activeElements.map((e) => e.elementId).sort();
  const state = async (key: string) => {
    const instance = await engine().getInstance(key);
    return { state: instance.state, at: instance.activeElements.map((e) => e.elementId).sort(), variables: instance.variables };
  };
  /** Completes the open user task at `elementId` (the first one, by creation, when several are open there). */
  const completeTask = async (key: string, elementId: string, variables: Record<string, unknown> = {}) => {
    const open = await eventually(async () => (await engine().listUserTasks(key, 'CREATED')).find((t) => t.elementId === elementId), undefined, `a task at ${elementId}`);
    await engine().completeUserTask(open.key, variables);
  };

  // EVENTS: "After the service task A is completed, the process reaches the compensation intermediate throw event. This
  // invokes the compensation handler Undo A associated with the compensation boundary event. Once the compensation
  // handler Undo A is completed, the process completes the compensation intermediate throw event and takes the outgoing
  // sequence flow."
  it('a throw event invokes the handler of the completed activity, waits for it, then takes its outgoing flow', async () => {
    const id = processId('comp-basic');
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A')}${throwEvent('thr')}<bpmn:endEvent id="end"/>${path('start', 'A', 'thr', 'end')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id, variables: { order: 'O-1' } });
    await completeTask(key, 'A');
    expect(await at(key)).toEqual(['thr', 'undo-A']);
    await completeTask(key, 'undo-A');
    expect(await state(key)).toEqual({ state: 'COMPLETED', at: [], variables: { order: 'O-1' } });
    expect(await pathOf(engine(), key)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated A', 'completed A',
      'activated thr', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'completed undo-A', 'completed thr',
      'activated end', 'completed end', `completed ${id}`,
    ]);
    const events = await engine().getInstanceEvents(key);
    const aKey = keyOf(events, 'ELEMENT_COMPLETED', 'A');
    const thrKey = keyOf(events, 'ELEMENT_ACTIVATED', 'thr');
    const undoKey = keyOf(events, 'ELEMENT_ACTIVATED', 'undo-A');
    expect(events.filter((e) => e.intent.startsWith('COMPENSATION_SUBSCRIPTION_')).map((e) => [e.intent, e.elementId, e.elementInstanceKey, e.payload])).toEqual([
      ['COMPENSATION_SUBSCRIPTION_CREATED', 'A', aKey, { flowScopeKey: key, compensationHandlerId: 'undo-A' }],
      ['COMPENSATION_SUBSCRIPTION_TRIGGERED', 'A', aKey, { throwEventInstanceKey: thrKey, compensationHandlerInstanceKey: undoKey }],
      ['COMPENSATION_SUBSCRIPTION_COMPLETED', 'A', aKey, { throwEventInstanceKey: thrKey }],
    ]);
    // The handler runs in the throw event's flow scope (Zeebe activates it with the throw event's record).
    expect(events.find((e) => e.intent === 'ELEMENT_ACTIVATED' && e.elementId === 'undo-A')?.payload).toEqual({ flowScopeKey: key });
  });

  // EVENTS, "Triggering compensation": "it triggers the compensation within its scope and invokes all compensation
  // handlers of completed activities. The compensation handlers of active or terminated activities are not invoked."
  it('only completed activities are compensated: not an active one, not one an interrupting boundary event terminated', async () => {
    const id = processId('comp-completed-only');
    const boundary = '<bpmn:boundaryEvent id="B-msg" attachedToRef="B"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>';
    await deploy(
      id,
      `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${compensable('A')}${compensable('B')}${boundary}${compensable('C')}${throwEvent('thr')}` +
        `<bpmn:endEvent id="end-b"/><bpmn:endEvent id="end-t"/><bpmn:endEvent id="end-c"/>` +
        path('start', 'fork', 'A', 'B', 'end-b') + path('B-msg', 'thr', 'end-t') + path('fork', 'C', 'end-c'),
      message('m', `${id}-stop`),
    );
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id, variables: { ref: id } });
    await completeTask(key, 'A');
    await engine().publishMessage({ name: `${id}-stop`, correlationKey: id });
    expect(await at(key)).toEqual(['C', 'thr', 'undo-A']);
    await completeTask(key, 'undo-A');
    expect(await at(key)).toEqual(['C']);
    await completeTask(key, 'C');
    expect((await state(key)).state).toBe('COMPLETED');
    expect(await pathOf(engine(), key)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated fork', 'completed fork', 'activated A', 'activated C', 'completed A',
      'activated B', 'terminated B', 'activated B-msg', 'completed B-msg',
      'activated thr', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'completed undo-A', 'completed thr', 'activated end-t', 'completed end-t',
      'completed C', 'activated end-c', 'completed end-c', `completed ${id}`,
    ]);
    expect(await subscriptionsOf(engine(), key)).toEqual(['CREATED A', 'TRIGGERED A', 'COMPLETED A', 'CREATED C']);
  });

  // EVENTS, "Triggering compensation": "The compensation throw event remains active until all invoked compensation
  // handlers are completed." and "The process instance invokes all compensation handlers at once without any specific order."
  it('a compensation end event invokes every handler at once and stays active until the last one completed', async () => {
    const id = processId('comp-end');
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A')}${compensable('B')}${compensationEnd('undo-all')}${path('start', 'A', 'B', 'undo-all')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A');
    await completeTask(key, 'B');
    expect(await at(key)).toEqual(['undo-A', 'undo-B', 'undo-all']);
    await completeTask(key, 'undo-B');
    expect(await state(key)).toEqual({ state: 'ACTIVE', at: ['undo-A', 'undo-all'], variables: {} });
    await completeTask(key, 'undo-A');
    expect((await state(key)).state).toBe('COMPLETED');
    expect(await pathOf(engine(), key)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated A', 'completed A', 'activated B', 'completed B',
      'activated undo-all', 'activated A-comp', 'completed A-comp', 'activated B-comp', 'completed B-comp', 'activated undo-A', 'activated undo-B',
      'completed undo-B', 'completed undo-A', 'completed undo-all', `completed ${id}`,
    ]);
  });

  // EVENTS, "Compensating embedded subprocesses": "If a process instance enters a compensation throw event and there are
  // completed embedded subprocesses in the same scope, it invokes the compensation handlers within these subprocesses and
  // nested subprocesses."
  it('a throw event compensates inside completed subprocesses and the subprocesses nested in them', async () => {
    const id = processId('comp-subprocess');
    const inner = `<bpmn:subProcess id="S2"><bpmn:startEvent id="s2-start"/>${compensable('B')}<bpmn:endEvent id="s2-end"/>${path('s2-start', 'B', 's2-end')}</bpmn:subProcess>`;
    const outer = `<bpmn:subProcess id="S"><bpmn:startEvent id="s-start"/>${compensable('A')}${inner}<bpmn:endEvent id="s-end"/>${path('s-start', 'A', 'S2', 's-end')}</bpmn:subProcess>`;
    await deploy(id, `<bpmn:startEvent id="start"/>${outer}${throwEvent('thr')}<bpmn:endEvent id="end"/>${path('start', 'S', 'thr', 'end')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A');
    await completeTask(key, 'B');
    expect(await at(key)).toEqual(['thr', 'undo-A', 'undo-B']);
    await completeTask(key, 'undo-A');
    await completeTask(key, 'undo-B');
    expect((await state(key)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), key)).slice(18)).toEqual([
      'completed S', 'activated thr', 'activated A-comp', 'completed A-comp', 'activated B-comp', 'completed B-comp', 'activated undo-A', 'activated undo-B',
      'completed undo-A', 'completed undo-B', 'completed thr', 'activated end', 'completed end', `completed ${id}`,
    ]);
    // A subprocess holding subscriptions gets one itself (without a handler); it completes after the ones inside it.
    expect(await subscriptionsOf(engine(), key)).toEqual([
      'CREATED A', 'CREATED B', 'CREATED S2', 'CREATED S',
      'TRIGGERED S', 'TRIGGERED A', 'TRIGGERED S2', 'TRIGGERED B',
      'COMPLETED A', 'COMPLETED B', 'COMPLETED S2', 'COMPLETED S',
    ]);
    const events = await engine().getInstanceEvents(key);
    expect(events.find((e) => e.intent === 'COMPENSATION_SUBSCRIPTION_CREATED' && e.elementId === 'S2')?.payload).toEqual({
      flowScopeKey: keyOf(events, 'ELEMENT_ACTIVATED', 'S'),
      compensationHandlerId: null,
    });
  });

  // EVENTS, "Compensating embedded subprocesses": "The compensation handlers are not invoked if the subprocess is active or terminated."
  it('nothing inside an active or a terminated subprocess is compensated', async () => {
    const id = processId('comp-subprocess-open');
    const sub = `<bpmn:subProcess id="S"><bpmn:startEvent id="s-start"/>${compensable('D')}${task('E')}<bpmn:endEvent id="s-end"/>${path('s-start', 'D', 'E', 's-end')}</bpmn:subProcess>`;
    const boundary = '<bpmn:boundaryEvent id="S-msg" attachedToRef="S"><bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>';
    await deploy(
      id,
      `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${sub}${boundary}${task('F')}${throwEvent('thr')}${throwEvent('thr2')}` +
        `<bpmn:endEvent id="end-s"/><bpmn:endEvent id="end-f"/><bpmn:endEvent id="end-2"/>` +
        path('start', 'fork', 'S', 'end-s') + path('fork', 'F', 'thr', 'end-f') + path('S-msg', 'thr2', 'end-2'),
      message('m', `${id}-stop`),
    );
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id, variables: { ref: id } });
    await completeTask(key, 'D');
    await completeTask(key, 'F');
    expect(await at(key)).toEqual(['E', 'S-msg']);
    await engine().publishMessage({ name: `${id}-stop`, correlationKey: id });
    expect((await state(key)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), key)).slice(7)).toEqual([
      'activated s-start', 'completed s-start', 'activated D', 'completed D', 'activated E',
      'completed F', 'activated thr', 'completed thr', 'activated end-f', 'completed end-f',
      'terminated E', 'terminated S', 'activated S-msg', 'completed S-msg', 'activated thr2', 'completed thr2', 'activated end-2', 'completed end-2', `completed ${id}`,
    ]);
    expect(await subscriptionsOf(engine(), key)).toEqual(['CREATED D', 'DELETED D']);
  });

  // EVENTS, "Compensating embedded subprocesses": "If the compensation throw event is inside an embedded subprocess, the
  // process instance invokes only the compensation handlers within the subprocess. It doesn't invoke any compensation
  // handler outside the subprocess."
  it('a throw event inside a subprocess compensates only what completed inside that subprocess', async () => {
    const id = processId('comp-inside');
    const sub = `<bpmn:subProcess id="S"><bpmn:startEvent id="s-start"/>${compensable('B')}${throwEvent('thr-in')}<bpmn:endEvent id="s-end"/>${path('s-start', 'B', 'thr-in', 's-end')}</bpmn:subProcess>`;
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A')}${sub}<bpmn:endEvent id="end"/>${path('start', 'A', 'S', 'end')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A');
    await completeTask(key, 'B');
    expect(await at(key)).toEqual(['thr-in', 'undo-B']);
    await completeTask(key, 'undo-B');
    expect((await state(key)).state).toBe('COMPLETED');
    const events = await engine().getInstanceEvents(key);
    expect(events.find((e) => e.intent === 'ELEMENT_ACTIVATED' && e.elementId === 'undo-B')?.payload).toEqual({ flowScopeKey: keyOf(events, 'ELEMENT_ACTIVATED', 'S') });
    expect((await pathOf(engine(), key)).slice(5)).toEqual([
      'activated S', 'activated s-start', 'completed s-start', 'activated B', 'completed B',
      'activated thr-in', 'activated B-comp', 'completed B-comp', 'activated undo-B', 'completed undo-B', 'completed thr-in',
      'activated s-end', 'completed s-end', 'completed S', 'activated end', 'completed end', `completed ${id}`,
    ]);
    expect(await subscriptionsOf(engine(), key)).toEqual(['CREATED A', 'CREATED B', 'TRIGGERED B', 'COMPLETED B']);
  });

  // EVENTS, "Compensating multi-instance activities": "The compensation handler of a multi-instance activity is invoked
  // only once, rather than for each item in the input collection." and "The process instance invokes the compensation
  // handler only if all instances of the multi-instance activity are completed."
  it('the handler of a multi-instance activity is invoked once, and only after all its instances completed', async () => {
    const id = processId('comp-multi');
    const loop = '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="item"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>';
    const multi = compensable('A').replace('</bpmn:extensionElements></bpmn:userTask>', `</bpmn:extensionElements>${loop}</bpmn:userTask>`);
    await deploy(
      id,
      `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${multi}${task('go')}${throwEvent('thr')}<bpmn:parallelGateway id="join"/><bpmn:endEvent id="end"/>` +
        path('start', 'fork', 'A', 'join', 'end') + path('fork', 'go', 'thr', 'join'),
    );
    const all = (await engine().createInstance({ bpmnProcessId: id })).processInstanceKey;
    for (let n = 0; n < 3; n++) await completeTask(all, 'A');
    await completeTask(all, 'go');
    expect(await at(all)).toEqual(['thr', 'undo-A']);
    await completeTask(all, 'undo-A');
    expect((await state(all)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), all)).filter((p) => p.includes('undo-A') || p.includes('thr'))).toEqual([
      'activated thr', 'activated undo-A', 'completed undo-A', 'completed thr',
    ]);
    expect(await subscriptionsOf(engine(), all)).toEqual(['CREATED A', 'TRIGGERED A', 'COMPLETED A']);

    const some = (await engine().createInstance({ bpmnProcessId: id })).processInstanceKey;
    await completeTask(some, 'A');
    await completeTask(some, 'A');
    await completeTask(some, 'go');
    expect(await at(some)).toEqual(['A']);
    await completeTask(some, 'A');
    expect((await state(some)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), some)).filter((p) => p.includes('undo-A') || p.includes('thr'))).toEqual(['activated thr', 'completed thr']);
  });

  // EVENTS, "Triggering compensation for a specific activity": "On a compensation intermediate throw or end event, it is
  // possible to specify the activity to compensate by using the property activityRef." "This can be used to enforce that
  // compensation handlers are invoked synchronously in a given order."
  it('activityRef compensates one activity, so two throw events undo B before A', async () => {
    const id = processId('comp-ref');
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A')}${compensable('B')}${throwEvent('thr-b', 'B')}${throwEvent('thr-a', 'A')}<bpmn:endEvent id="end"/>${path('start', 'A', 'B', 'thr-b', 'thr-a', 'end')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A');
    await completeTask(key, 'B');
    expect(await at(key)).toEqual(['thr-b', 'undo-B']);
    await completeTask(key, 'undo-B');
    expect(await at(key)).toEqual(['thr-a', 'undo-A']);
    await completeTask(key, 'undo-A');
    expect((await state(key)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), key)).slice(7)).toEqual([
      'activated thr-b', 'activated B-comp', 'completed B-comp', 'activated undo-B', 'completed undo-B', 'completed thr-b',
      'activated thr-a', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'completed undo-A', 'completed thr-a',
      'activated end', 'completed end', `completed ${id}`,
    ]);
  });

  // HANDLER: "When a process instance reaches a compensation throw event, it invokes the compensation handlers for all
  // completed activities. If an activity has been completed more than once, the compensation handler is invoked for the
  // same amount." Each completion is compensated once: a second throw event finds nothing left (Zeebe:
  // shouldTriggerCompensationHandlerOnlyOnce).
  it('an activity completed twice has its handler invoked twice, and a second throw event invokes none again', async () => {
    const id = processId('comp-twice');
    await deploy(
      id,
      `<bpmn:startEvent id="start"/>${compensable('A')}<bpmn:exclusiveGateway id="again" default="f-done"/>${throwEvent('thr')}${throwEvent('thr2')}<bpmn:endEvent id="end"/>` +
        path('start', 'A', 'again') + flow('f-loop', 'again', 'A', '=count &lt; 2') + flow('f-done', 'again', 'thr') + path('thr', 'thr2', 'end'),
    );
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A', { count: 1 });
    await completeTask(key, 'A', { count: 2 });
    expect(await at(key)).toEqual(['thr', 'undo-A', 'undo-A']);
    await completeTask(key, 'undo-A');
    expect(await at(key)).toEqual(['thr', 'undo-A']);
    await completeTask(key, 'undo-A');
    expect(await state(key)).toEqual({ state: 'COMPLETED', at: [], variables: { count: 2 } });
    expect((await pathOf(engine(), key)).slice(11)).toEqual([
      'activated thr', 'activated A-comp', 'completed A-comp', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'activated undo-A',
      'completed undo-A', 'completed undo-A', 'completed thr', 'activated thr2', 'completed thr2', 'activated end', 'completed end', `completed ${id}`,
    ]);
    expect(await subscriptionsOf(engine(), key)).toEqual(['CREATED A', 'CREATED A', 'TRIGGERED A', 'TRIGGERED A', 'COMPLETED A', 'COMPLETED A']);
  });

  // EVENTS, "Triggering compensation from an event subprocess": "An interrupting or non-interrupting event subprocess can
  // contain compensation intermediate throw events or a compensation end event. These compensation events can specify an
  // activity or broadcast the compensation within the outer scope of the event subprocess." "A common pattern is to use
  // this in combination with an error event subprocess".
  it('a throw event in an error event subprocess compensates what completed in the scope around it', async () => {
    const id = processId('comp-esp');
    const esp = `<bpmn:subProcess id="on-error" triggeredByEvent="true"><bpmn:startEvent id="esp-start"><bpmn:errorEventDefinition errorRef="err"/></bpmn:startEvent>${throwEvent('thr-esp')}<bpmn:endEvent id="esp-end"/>${path('esp-start', 'thr-esp', 'esp-end')}</bpmn:subProcess>`;
    await deploy(
      id,
      `<bpmn:startEvent id="start"/>${compensable('A')}<bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>${esp}${path('start', 'A', 'fail')}`,
      '<bpmn:error id="err" name="failed" errorCode="failed"/>',
    );
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(key, 'A');
    expect(await at(key)).toEqual(['thr-esp', 'undo-A']);
    const events = await engine().getInstanceEvents(key);
    expect(events.find((e) => e.intent === 'ELEMENT_ACTIVATED' && e.elementId === 'undo-A')?.payload).toEqual({ flowScopeKey: keyOf(events, 'ELEMENT_ACTIVATED', 'on-error') });
    await completeTask(key, 'undo-A');
    expect((await state(key)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), key)).slice(5)).toEqual([
      'activated fail', 'terminated fail', 'activated on-error', 'activated esp-start', 'completed esp-start',
      'activated thr-esp', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'completed undo-A', 'completed thr-esp',
      'activated esp-end', 'completed esp-end', 'completed on-error', `completed ${id}`,
    ]);
  });

  // HANDLER, "Interrupting compensation handlers": "If the process instance is canceled, it terminates all compensation
  // handlers." "Within a process, the process instance terminates a compensation handler if the compensation throw event
  // that invoked the compensation handler is interrupted. This can happen in the following cases: [...] If an interrupting
  // event subprocess is triggered."
  it('a handler is terminated with the throw event that invoked it: on cancel, and by an interrupting event subprocess', async () => {
    const id = processId('comp-interrupt');
    const esp = `<bpmn:subProcess id="on-stop" triggeredByEvent="true"><bpmn:startEvent id="esp-start"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent><bpmn:endEvent id="esp-end"/>${path('esp-start', 'esp-end')}</bpmn:subProcess>`;
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A')}${throwEvent('thr')}<bpmn:endEvent id="end"/>${esp}${path('start', 'A', 'thr', 'end')}`, message('m', `${id}-stop`));

    const canceled = (await engine().createInstance({ bpmnProcessId: id, variables: { ref: `${id}-c` } })).processInstanceKey;
    await completeTask(canceled, 'A');
    await engine().cancelInstance(canceled);
    expect((await pathOf(engine(), canceled)).slice(5)).toEqual([
      'activated thr', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'terminated thr', 'terminated undo-A', `terminated ${id}`,
    ]);

    const interrupted = (await engine().createInstance({ bpmnProcessId: id, variables: { ref: `${id}-i` } })).processInstanceKey;
    await completeTask(interrupted, 'A');
    await engine().publishMessage({ name: `${id}-stop`, correlationKey: `${id}-i` });
    expect((await state(interrupted)).state).toBe('COMPLETED');
    expect((await engine().listUserTasks(interrupted, 'CREATED')).map((t) => t.elementId)).toEqual([]);
    expect((await pathOf(engine(), interrupted)).slice(5)).toEqual([
      'activated thr', 'activated A-comp', 'completed A-comp', 'activated undo-A', 'terminated thr', 'terminated undo-A',
      'activated on-stop', 'activated esp-start', 'completed esp-start', 'activated esp-end', 'completed esp-end', 'completed on-stop', `completed ${id}`,
    ]);
  });

  // HANDLER, "Variable mappings": "Input variable mappings are applied before invoking the compensation handler. They can
  // be used to create local variables for the compensation handler." "Output variable mappings are applied after
  // completing the compensation handler. They can be used to customize how the result variables of the compensation
  // handler are merged into the process instance."
  it("a handler's input mappings create its locals and its output mappings decide what reaches the process", async () => {
    const id = processId('comp-mappings');
    const handlerExt = `<zeebe:ioMapping>${mapping('input', 'refundOf', '=order')}${mapping('output', 'refund', '=refundOf + &quot; refunded &quot; + string(amount)')}</zeebe:ioMapping>`;
    await deploy(id, `<bpmn:startEvent id="start"/>${compensable('A', { handlerExt })}${throwEvent('thr')}<bpmn:endEvent id="end"/>${path('start', 'A', 'thr', 'end')}`);
    const { processInstanceKey: key } = await engine().createInstance({ bpmnProcessId: id, variables: { order: 'O-7' } });
    await completeTask(key, 'A', { charged: true });
    const [handlerTask] = await engine().listUserTasks(key, 'CREATED');
    expect(handlerTask.elementId).toBe('undo-A');
    await completeTask(key, 'undo-A', { amount: 40 });
    expect(await state(key)).toEqual({ state: 'COMPLETED', at: [], variables: { order: 'O-7', charged: true, refund: 'O-7 refunded 40' } });
  });

  // EVENTS, "Triggering compensation for a specific activity": "The referenced activity must have a compensation boundary
  // event and must be in the same scope of the compensation throw event." HANDLER: "Activities that are associated to a
  // compensation boundary event have a compensation marker." A compensation start event (an event subprocess started by
  // compensation) is not among what the 8.8 pages describe, and Camunda 8.8's modeler rules refuse it; so does the engine.
  it('refuses at deploy, naming the element, what compensation cannot run: a wrong activityRef, a boundary without handler, a compensation start event', async () => {
    const id = processId('comp-refused');
    const esp = `<bpmn:subProcess id="on-comp" triggeredByEvent="true"><bpmn:startEvent id="comp-start"><bpmn:compensateEventDefinition/></bpmn:startEvent><bpmn:endEvent id="esp-end"/>${path('comp-start', 'esp-end')}</bpmn:subProcess>`;
    const body =
      `<bpmn:startEvent id="start"/>${task('A')}<bpmn:boundaryEvent id="A-comp" attachedToRef="A"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>` +
      `${compensable('B')}${throwEvent('thr', 'C')}${task('C')}<bpmn:endEvent id="end"/>${esp}${path('start', 'A', 'B', 'thr', 'C', 'end')}`;
    await expect(deploy(id, body)).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: {
        problems: [
          // Camunda 8.8's own modeler rules (camunda-compat) refuse it too.
          { elementId: 'comp-start', rule: 'camunda-compat/element-type', message: 'Element of type <bpmn:StartEvent> with event definition of type <bpmn:CompensateEventDefinition> not allowed' },
          { elementId: 'A-comp', rule: 'compensation', message: 'A compensation boundary event needs an association to exactly one compensation handler (an activity marked isForCompensation); A-comp has 0' },
          { elementId: 'thr', rule: 'compensation', message: 'The activityRef of a compensation event must name an activity with a compensation boundary event; C has none' },
          {
            elementId: 'comp-start',
            rule: 'supported-elements',
            message: 'A compensation start event (a compensation event subprocess) is not supported by the embedded engine; Camunda 8.8 compensates through a compensation boundary event and its associated handler',
          },
        ],
      },
    });
    await expect(engine().listProcessDefinitions()).resolves.not.toContainEqual(expect.objectContaining({ bpmnProcessId: id }));
  });
});
