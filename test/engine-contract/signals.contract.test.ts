import { describe, expect, it } from 'vitest';
import type { EngineEvent, WorkflowEngine } from '@mustafid/workflow';
import { createTestDatabase } from '../support/database';
import { bpmn, chain, eventually, openTaskKey, processId, startEngine, useEngine, userTask } from './harness';

/**
 * Signals as the Camunda 8.8 docs state them; each test quotes the sentence it checks from
 * - SIGNAL_EVENTS: https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/
 * - SIGNALS: https://docs.camunda.io/docs/components/concepts/signals/
 */

const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}"/>`;
const signalDef = (ref: string) => `<bpmn:signalEventDefinition signalRef="${ref}"/>`;
const catchSignal = (id: string, ref = 'sig') => `<bpmn:intermediateCatchEvent id="${id}">${signalDef(ref)}</bpmn:intermediateCatchEvent>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
const inputs = (pairs: Record<string, string>) =>
  `<bpmn:extensionElements><zeebe:ioMapping>${Object.entries(pairs)
    .map(([target, source]) => `<zeebe:input source="${source}" target="${target}"/>`)
    .join('')}</zeebe:ioMapping></bpmn:extensionElements>`;

/** The lifecycle of an instance's elements, in order: "activated review", "terminated review", … */
const LIFECYCLE: Record<string, string> = { ELEMENT_ACTIVATED: 'activated', ELEMENT_COMPLETED: 'completed', ELEMENT_TERMINATED: 'terminated' };
async function pathOf(engine: WorkflowEngine, key: string): Promise<string[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => LIFECYCLE[e.intent]).map((e) => `${LIFECYCLE[e.intent]} ${e.elementId}`);
}
async function eventsOf(engine: WorkflowEngine, key: string, intent: string): Promise<EngineEvent[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => e.intent === intent);
}

describe('engine contract: signals broadcast to every open subscription and start processes, never buffered', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;
  const deploy = (id: string, xml: string) => engine().deploy({ resourceName: `${id}.bpmn`, xml });
  const stateOf = async (key: string) => {
    const instance = await engine().getInstance(key);
    return { state: instance.state, at: instance.activeElements.map((e) => e.elementId).sort(), variables: instance.variables };
  };
  /** start (signal) → review (user task) → end */
  const signalStarted = (id: string, name: string, endId = 'end') =>
    bpmn(id, `<bpmn:startEvent id="start">${signalDef('sig')}</bpmn:startEvent>${userTask('review')}<bpmn:endEvent id="${endId}"/>${flow('f1', 'start', 'review')}${flow('f2', 'review', endId)}`, signal('sig', name));

  // SIGNAL_EVENTS, "Signal start events": "Broadcasting a signal iterates over the available subscriptions. If the name of
  // the broadcasted signal matches the name of the signal start event, the process instance is created." and "Signal
  // subscriptions only exist for the latest version of a process definition." With "Variable mappings": "By default, all
  // signal variables are merged into the process instance."
  it('a broadcast starts one instance of each process whose latest version has a signal start event of that name, with the signal variables', async () => {
    const name = processId('policy-changed');
    const p = processId('sig-start-p');
    const q = processId('sig-start-q');
    const dropped = processId('sig-start-dropped');
    await deploy(p, signalStarted(p, name));
    const p2 = await deploy(p, signalStarted(p, name, 'done'));
    await deploy(q, signalStarted(q, name));
    await deploy(dropped, signalStarted(dropped, name));
    await deploy(dropped, chain(dropped, [userTask('s1')]));
    const before = await engine().createInstance({ bpmnProcessId: dropped });

    const { signalKey } = await engine().broadcastSignal({ signalName: name, variables: { batch: 'S-1', reason: 'law 12' } });
    // One key sequence: the broadcast's key comes after the instance created before it.
    expect(signalKey).toMatch(/^\d+$/);
    expect(BigInt(signalKey) > BigInt(before.processInstanceKey)).toBe(true);

    const [pKey, ...pMore] = await engine().findInstances(p, { name: 'batch', value: 'S-1' });
    expect(pMore).toEqual([]);
    const pInstance = await engine().getInstance(pKey);
    expect({ version: pInstance.version, definition: pInstance.processDefinitionKey }).toEqual({ version: 2, definition: p2.processes[0].key });
    expect(await stateOf(pKey)).toEqual({ state: 'ACTIVE', at: ['review'], variables: { batch: 'S-1', reason: 'law 12' } });
    expect(await pathOf(engine(), pKey)).toEqual([`activated ${p}`, 'activated start', 'completed start', 'activated review']);
    expect(await engine().findInstances(q, { name: 'batch', value: 'S-1' })).toHaveLength(1);
    expect(await engine().findInstances(dropped, { name: 'batch', value: 'S-1' })).toEqual([]);
  });

  // SIGNAL_EVENTS, "Signals": "If the expression belongs to a signal start event of the process, it is evaluated on
  // deploying the process." "The evaluation must result in a string."
  it("a signal start event's name expression is evaluated on deploying; one that gives no string is refused, naming the element", async () => {
    const id = processId('sig-start-feel');
    await deploy(id, bpmn(id, `<bpmn:startEvent id="start">${signalDef('sig')}</bpmn:startEvent><bpmn:endEvent id="end"/>${flow('f1', 'start', 'end')}`, signal('sig', `=&quot;order &quot; + &quot;${id}&quot;`)));
    await engine().broadcastSignal({ signalName: `order ${id}`, variables: { order: 'O-1' } });
    const [started] = await engine().findInstances(id, { name: 'order', value: 'O-1' });
    expect(await stateOf(started)).toEqual({ state: 'COMPLETED', at: [], variables: { order: 'O-1' } });

    const bad = processId('sig-start-bad');
    await expect(
      deploy(bad, bpmn(bad, `<bpmn:startEvent id="start">${signalDef('sig')}</bpmn:startEvent><bpmn:endEvent id="end"/>${flow('f1', 'start', 'end')}`, signal('sig', '=missing + 1'))),
    ).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_BPMN',
      problems: [
        {
          elementId: 'start',
          rule: 'signal-name',
          message:
            "Expected the signal name of start, the expression 'missing + 1', to be a string, but it was null. The evaluation reported the following warnings: [NO_VARIABLE_FOUND] Variable 'missing' not found; [INVALID_TYPE] Can't add '1' to 'null'",
        },
      ],
    });
  });

  // SIGNAL_EVENTS, "Signal intermediate catch events": "When a signal intermediate catch event is entered, a signal
  // subscription is created. [...] When the subscription is triggered, the corresponding signal catch event is completed
  // and the process instance continues." With the intro: "a signal will trigger all process instances with a token waiting
  // at a corresponding catch event, even across different processes."
  it('one broadcast triggers the catch events of every waiting instance of every process, merging its variables', async () => {
    const name = processId('documents-ready');
    const p = processId('sig-catch-p');
    const q = processId('sig-catch-q');
    await deploy(p, chain(p, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    await deploy(q, chain(q, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    const a = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'A-1' } });
    const b = await engine().createInstance({ bpmnProcessId: p, variables: { applicationNumber: 'A-2' } });
    const c = await engine().createInstance({ bpmnProcessId: q, variables: { applicationNumber: 'A-3' } });
    expect((await stateOf(a.processInstanceKey)).at).toEqual(['s1']);
    const [subscribed] = await eventsOf(engine(), a.processInstanceKey, 'SIGNAL_SUBSCRIPTION_CREATED');
    expect(subscribed).toMatchObject({ elementId: 's1', payload: { signalName: name } });

    const { signalKey } = await engine().broadcastSignal({ signalName: name, variables: { ready: true } });
    expect(await stateOf(a.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { applicationNumber: 'A-1', ready: true } });
    expect(await stateOf(b.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { applicationNumber: 'A-2', ready: true } });
    expect(await stateOf(c.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { applicationNumber: 'A-3', ready: true } });
    expect(await pathOf(engine(), a.processInstanceKey)).toEqual([`activated ${p}`, 'activated start', 'completed start', 'activated s1', 'completed s1', 'activated s2']);
    expect((await eventsOf(engine(), c.processInstanceKey, 'SIGNAL_TRIGGERED')).map((e) => [e.elementId, e.payload])).toEqual([['s1', { signalName: name, signalKey }]]);
  });

  // SIGNALS, "Signal subscriptions": "When you broadcast a signal it triggers all signal subscriptions that match the signal
  // name." A signal is not a message: there is no time to live, so a catch event entered after the broadcast waits for the next.
  it('a signal is not buffered: a catch event entered after the broadcast waits for the next one; another name never triggers it', async () => {
    const name = processId('not-buffered');
    const id = processId('sig-late');
    await deploy(id, chain(id, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    await engine().broadcastSignal({ signalName: name, variables: { early: true } });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s1'], variables: {} });
    await engine().broadcastSignal({ signalName: `${name}-other` });
    expect((await stateOf(processInstanceKey)).at).toEqual(['s1']);
    await engine().broadcastSignal({ signalName: name, variables: { late: true } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { late: true } });
  });

  // SIGNAL_EVENTS, "Signal boundary events": "When the activity is entered, it creates a signal subscription for each
  // boundary signal event." An interrupting one terminates the activity and takes its own path, once.
  it('an interrupting signal boundary event terminates its activity and takes its path; its subscription closes', async () => {
    const name = processId('withdrawn');
    const id = processId('sig-boundary');
    await deploy(
      id,
      bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('review')}<bpmn:boundaryEvent id="withdrawn" attachedToRef="review">${signalDef('sig')}</bpmn:boundaryEvent>
         ${userTask('archive')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         ${flow('f1', 'start', 'review')}${flow('f2', 'review', 'end')}${flow('f3', 'withdrawn', 'archive')}${flow('f4', 'archive', 'end2')}`,
        signal('sig', name),
      ),
    );
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'W-1' } });
    expect((await stateOf(processInstanceKey)).at).toEqual(['review', 'withdrawn']);
    await engine().broadcastSignal({ signalName: name, variables: { withdrawnBy: 'applicant' } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['archive'], variables: { applicationNumber: 'W-1', withdrawnBy: 'applicant' } });
    expect((await engine().listUserTasks(processInstanceKey)).map((t) => [t.elementId, t.state])).toEqual([
      ['review', 'CANCELED'],
      ['archive', 'CREATED'],
    ]);
    await engine().broadcastSignal({ signalName: name, variables: { withdrawnBy: 'again' } });
    expect(await pathOf(engine(), processInstanceKey)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated review',
      'terminated review', 'activated withdrawn', 'completed withdrawn', 'activated archive',
    ]);
    expect((await stateOf(processInstanceKey)).variables).toEqual({ applicationNumber: 'W-1', withdrawnBy: 'applicant' });
  });

  // SIGNAL_EVENTS, "Signal boundary events": "If a non-interrupting boundary event is triggered, the activity is not
  // terminated and multiple broadcasted signals can trigger the boundary events."
  it('a non-interrupting signal boundary event fires for every broadcast while its activity waits, and no more after', async () => {
    const name = processId('reminder');
    const id = processId('sig-boundary-non');
    await deploy(
      id,
      bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('decide')}<bpmn:boundaryEvent id="remind" attachedToRef="decide" cancelActivity="false">${signalDef('sig')}</bpmn:boundaryEvent>
         ${userTask('note')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         ${flow('f1', 'start', 'decide')}${flow('f2', 'decide', 'end')}${flow('f3', 'remind', 'note')}${flow('f4', 'note', 'end2')}`,
        signal('sig', name),
      ),
    );
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await engine().broadcastSignal({ signalName: name, variables: { n: 1 } });
    await engine().broadcastSignal({ signalName: name, variables: { n: 2 } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['decide', 'note', 'note', 'remind'], variables: { n: 2 } });
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'decide'));
    await engine().broadcastSignal({ signalName: name, variables: { n: 3 } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['note', 'note'], variables: { n: 2 } });
    expect(await pathOf(engine(), processInstanceKey)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated decide',
      'activated remind', 'completed remind', 'activated note',
      'activated remind', 'completed remind', 'activated note',
      'completed decide', 'activated end', 'completed end',
    ]);
  });

  const withEventSubprocess = (id: string, name: string, interrupting: boolean) =>
    bpmn(
      id,
      `<bpmn:startEvent id="start"/>${userTask('work')}<bpmn:endEvent id="end"/>${flow('f1', 'start', 'work')}${flow('f2', 'work', 'end')}
       <bpmn:subProcess id="esp" triggeredByEvent="true">
         <bpmn:startEvent id="espStart" isInterrupting="${interrupting}">${signalDef('sig')}</bpmn:startEvent>${userTask('handle')}<bpmn:endEvent id="espEnd"/>
         ${flow('f3', 'espStart', 'handle')}${flow('f4', 'handle', 'espEnd')}
       </bpmn:subProcess>`,
      signal('sig', name),
    );

  // Event subprocesses (https://docs.camunda.io/docs/components/modeler/bpmn/event-subprocesses/): "When an interrupting
  // event subprocess is triggered, all active instances of its containing scope are terminated" and "An interrupting event
  // subprocess can be triggered only once." Signal starts of event subprocesses: SIGNAL_EVENTS (BPMN coverage: signal event
  // subprocess, interrupting and not).
  it('an interrupting signal event subprocess terminates the rest of its scope, once', async () => {
    const name = processId('stop-all');
    const id = processId('sig-esp');
    await deploy(id, withEventSubprocess(id, name, true));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect((await stateOf(processInstanceKey)).at).toEqual(['espStart', 'work']);
    await engine().broadcastSignal({ signalName: name, variables: { stoppedBy: 'chair' } });
    await engine().broadcastSignal({ signalName: name, variables: { stoppedBy: 'twice' } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['handle'], variables: { stoppedBy: 'chair' } });
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'handle'));
    expect((await stateOf(processInstanceKey)).state).toBe('COMPLETED');
    expect(await pathOf(engine(), processInstanceKey)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated work',
      'terminated work', 'activated esp', 'activated espStart', 'completed espStart', 'activated handle',
      'completed handle', 'activated espEnd', 'completed espEnd', 'completed esp', `completed ${id}`,
    ]);
  });

  // Event subprocesses: "A non-interrupting event subprocess can be triggered multiple times." and "If an event subprocess
  // is triggered, its containing scope is not completed until the triggered instance is completed."
  it('a non-interrupting signal event subprocess starts once per broadcast beside the rest of its scope', async () => {
    const name = processId('note-all');
    const id = processId('sig-esp-non');
    await deploy(id, withEventSubprocess(id, name, false));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await engine().broadcastSignal({ signalName: name, variables: { n: 1 } });
    await engine().broadcastSignal({ signalName: name, variables: { n: 2 } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['espStart', 'handle', 'handle', 'work'], variables: { n: 2 } });
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'work'));
    // The scope stays active until its event subprocess instances complete, and so does their subscription.
    expect((await stateOf(processInstanceKey)).at).toEqual(['espStart', 'handle', 'handle']);
    for (let n = 0; n < 2; n++) await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'handle'));
    expect((await stateOf(processInstanceKey)).state).toBe('COMPLETED');
    expect((await pathOf(engine(), processInstanceKey)).filter((step) => step.endsWith(' esp'))).toEqual(['activated esp', 'activated esp', 'completed esp', 'completed esp']);
  });

  // SIGNAL_EVENTS, "Signal throw events": "When a signal throw events is entered, it broadcasts a signal that can trigger
  // signal subscriptions." "Variable mappings": "When a signal throw event broadcasts a signal, all local variables are
  // passed along. You can use input mappings to define these local variables." The throwing instance's own subscriptions
  // open at that moment get it too; a catch event entered after the throw does not (not buffered).
  it('a signal intermediate throw event broadcasts with its local variables, to other processes and its own waiting branch', async () => {
    const name = processId('case-closed');
    const thrower = processId('sig-throw');
    const listener = processId('sig-listen');
    await deploy(listener, chain(listener, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    await deploy(
      thrower,
      bpmn(
        thrower,
        `<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>${catchSignal('own')}<bpmn:endEvent id="endA"/>
         ${userTask('go')}<bpmn:intermediateThrowEvent id="tell">${inputs({ reason: '=&quot;closed by &quot; + who' })}${signalDef('sig')}</bpmn:intermediateThrowEvent>
         ${catchSignal('after')}<bpmn:endEvent id="endB"/>
         ${flow('f0', 'start', 'fork')}${flow('f1', 'fork', 'own')}${flow('f2', 'own', 'endA')}${flow('f3', 'fork', 'go')}${flow('f4', 'go', 'tell')}${flow('f5', 'tell', 'after')}${flow('f6', 'after', 'endB')}`,
        signal('sig', name),
      ),
    );
    const listening = await engine().createInstance({ bpmnProcessId: listener, variables: { applicationNumber: 'L-1' } });
    const throwing = await engine().createInstance({ bpmnProcessId: thrower, variables: { applicationNumber: 'T-1' } });
    expect((await stateOf(throwing.processInstanceKey)).at).toEqual(['go', 'own']);
    await engine().completeUserTask(await openTaskKey(engine(), throwing.processInstanceKey, 'go'), { who: 'sara' });

    const [broadcast] = await eventsOf(engine(), throwing.processInstanceKey, 'SIGNAL_BROADCASTED');
    expect(broadcast).toMatchObject({ elementId: 'tell', payload: { signalName: name, signalKey: expect.stringMatching(/^\d+$/), variables: ['reason'] } });
    expect(await stateOf(throwing.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['after'], variables: { applicationNumber: 'T-1', who: 'sara', reason: 'closed by sara' } });
    expect(await pathOf(engine(), throwing.processInstanceKey)).toEqual([
      `activated ${thrower}`, 'activated start', 'completed start', 'activated fork', 'completed fork', 'activated own', 'activated go',
      'completed go', 'activated tell', 'completed tell', 'activated after', 'completed own', 'activated endA', 'completed endA',
    ]);
    // Only the throw event's locals (its input mappings) travel: not `who`, not the thrower's applicationNumber.
    expect(await stateOf(listening.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { applicationNumber: 'L-1', reason: 'closed by sara' } });
    expect((await eventsOf(engine(), listening.processInstanceKey, 'SIGNAL_TRIGGERED'))[0].payload).toEqual({ signalName: name, signalKey: broadcast.payload!.signalKey });
  });

  // SIGNAL_EVENTS, "Signal throw events": "A process can contain signal intermediate throw events or signal end events to
  // model the broadcasting of a signal." A thrown signal starts processes with a signal start event as a broadcast does.
  it('a signal end event broadcasts with its input mappings as variables, starting processes and triggering catch events, and ends its path', async () => {
    const name = processId('decision-made');
    const id = processId('sig-end');
    const waiting = processId('sig-end-wait');
    const started = processId('sig-end-start');
    await deploy(waiting, chain(waiting, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    await deploy(started, signalStarted(started, name));
    await deploy(
      id,
      bpmn(
        id,
        `<bpmn:startEvent id="start"/>${userTask('decide')}<bpmn:endEvent id="announce">${inputs({ outcome: '=decision', caseId: '=applicationNumber' })}${signalDef('sig')}</bpmn:endEvent>
         ${flow('f1', 'start', 'decide')}${flow('f2', 'decide', 'announce')}`,
        signal('sig', name),
      ),
    );
    const w = await engine().createInstance({ bpmnProcessId: waiting });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { applicationNumber: 'E-1' } });
    await engine().completeUserTask(await openTaskKey(engine(), processInstanceKey, 'decide'), { decision: 'approved' });

    expect(await stateOf(processInstanceKey)).toEqual({ state: 'COMPLETED', at: [], variables: { applicationNumber: 'E-1', decision: 'approved' } });
    expect((await pathOf(engine(), processInstanceKey)).slice(-3)).toEqual(['activated announce', 'completed announce', `completed ${id}`]);
    expect(await stateOf(w.processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['s2'], variables: { outcome: 'approved', caseId: 'E-1' } });
    const [newInstance, ...more] = await engine().findInstances(started, { name: 'caseId', value: 'E-1' });
    expect(more).toEqual([]);
    expect(await stateOf(newInstance)).toEqual({ state: 'ACTIVE', at: ['review'], variables: { outcome: 'approved', caseId: 'E-1' } });
  });

  // SIGNAL_EVENTS, "Signals": the name "can also be defined as an expression (e.g. = "order " + awaitingAction). [...]
  // Otherwise, it is evaluated on activating the signal event. The evaluation must result in a string."
  it('a signal name expression is evaluated when the subscription opens; one that gives no string is an incident at the event', async () => {
    const id = processId('sig-feel');
    await deploy(id, chain(id, [catchSignal('s1'), userTask('s2')], signal('sig', `=&quot;${id}-ready-&quot; + region`)));
    const north = await engine().createInstance({ bpmnProcessId: id, variables: { region: 'north' } });
    const south = await engine().createInstance({ bpmnProcessId: id, variables: { region: 'south' } });
    expect((await eventsOf(engine(), north.processInstanceKey, 'SIGNAL_SUBSCRIPTION_CREATED'))[0].payload).toEqual({ signalName: `${id}-ready-north`, key: expect.stringMatching(/^\d+$/) });

    await engine().broadcastSignal({ signalName: `${id}-ready-south` });
    expect((await stateOf(south.processInstanceKey)).at).toEqual(['s2']);
    expect((await stateOf(north.processInstanceKey)).at).toEqual(['s1']);
    // The name was fixed when the subscription opened: a later change of the variable does not move it.
    await engine().setVariables(north.processInstanceKey, { region: 'east' });
    await engine().broadcastSignal({ signalName: `${id}-ready-east` });
    expect((await stateOf(north.processInstanceKey)).at).toEqual(['s1']);
    await engine().broadcastSignal({ signalName: `${id}-ready-north` });
    expect((await stateOf(north.processInstanceKey)).at).toEqual(['s2']);

    const nameless = await engine().createInstance({ bpmnProcessId: id });
    const [incident] = (await engine().getInstance(nameless.processInstanceKey)).incidents;
    expect(incident).toMatchObject({
      elementId: 's1',
      errorType: 'EXTRACT_VALUE_ERROR',
      errorMessage:
        `Expected the signal name of s1, the expression '"${id}-ready-" + region', to be a string, but it was null. The evaluation reported the following warnings: ` +
        `[NO_VARIABLE_FOUND] Variable 'region' not found; [INVALID_TYPE] Can't add 'null' to '"${id}-ready-"'`,
    });
  });

  // Event-based gateways (https://docs.camunda.io/docs/components/modeler/bpmn/event-based-gateways/): each flow leads to
  // "an intermediate catch event of type timer, message, or signal"; "When the first event is triggered, the outgoing
  // sequence flow of this event is taken. No other events of the gateway can be triggered afterward."
  it('an event-based gateway waits for a signal beside a timer; the signal taken, the timer is gone', async () => {
    const name = processId('go-ahead');
    const id = processId('sig-gateway');
    await deploy(
      id,
      bpmn(
        id,
        `<bpmn:startEvent id="start"/><bpmn:eventBasedGateway id="gw"/>${catchSignal('goAhead')}
         <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
         ${userTask('proceed')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
         ${flow('f0', 'start', 'gw')}${flow('f1', 'gw', 'goAhead')}${flow('f2', 'gw', 'late')}${flow('f3', 'goAhead', 'proceed')}${flow('f4', 'proceed', 'end')}${flow('f5', 'late', 'end2')}`,
        signal('sig', name),
      ),
    );
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect((await stateOf(processInstanceKey)).at).toEqual(['goAhead', 'late']);
    await engine().broadcastSignal({ signalName: name, variables: { approved: true } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['proceed'], variables: { approved: true } });
    await suite.t.advanceClock('P2D');
    expect(await pathOf(engine(), processInstanceKey)).toEqual([
      `activated ${id}`, 'activated start', 'completed start', 'activated gw', 'completed gw', 'activated goAhead', 'completed goAhead', 'activated proceed',
    ]);
  });

  // SIGNALS, "Signal subscriptions": a subscription belongs to the element instance waiting; cancelling the instance
  // ends it (docs "Process instance creation" › cancel: "all active element instances are terminated").
  it('cancelling an instance closes its signal subscriptions', async () => {
    const name = processId('after-cancel');
    const id = processId('sig-cancel');
    await deploy(id, chain(id, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await engine().cancelInstance(processInstanceKey);
    await engine().broadcastSignal({ signalName: name, variables: { late: true } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'CANCELED', at: [], variables: {} });
    expect(await eventsOf(engine(), processInstanceKey, 'SIGNAL_TRIGGERED')).toEqual([]);
  });

  // SIGNALS, "Signal cardinality": "A broadcasted signal iterates over all available subscriptions. As a result, a single
  // broadcast triggers all the signal catch events that match the signal name". Two broadcasts at once are two broadcasts:
  // each triggers every subscription once, an interrupting one only by the first to reach it, and each starts its instance.
  it('two broadcasts at once: each reaches every open subscription exactly once; nothing is lost or fired twice', async () => {
    const name = processId('storm');
    const waiting = processId('sig-race-catch');
    const reminded = processId('sig-race-boundary');
    const started = processId('sig-race-start');
    await deploy(waiting, chain(waiting, [catchSignal('s1'), userTask('s2')], signal('sig', name)));
    await deploy(
      reminded,
      bpmn(
        reminded,
        `<bpmn:startEvent id="start"/>${userTask('decide')}<bpmn:boundaryEvent id="remind" attachedToRef="decide" cancelActivity="false">${signalDef('sig')}</bpmn:boundaryEvent>
         ${userTask('note')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>${flow('f1', 'start', 'decide')}${flow('f2', 'decide', 'end')}${flow('f3', 'remind', 'note')}${flow('f4', 'note', 'end2')}`,
        signal('sig', name),
      ),
    );
    await deploy(started, signalStarted(started, name));
    const catches = await Promise.all(Array.from({ length: 6 }, (_, n) => engine().createInstance({ bpmnProcessId: waiting, variables: { n } })));
    const boundaries = await Promise.all(Array.from({ length: 6 }, (_, n) => engine().createInstance({ bpmnProcessId: reminded, variables: { n } })));

    await Promise.all([engine().broadcastSignal({ signalName: name, variables: { wave: 'a' } }), engine().broadcastSignal({ signalName: name, variables: { wave: 'b' } })]);
    for (const c of catches) {
      expect((await stateOf(c.processInstanceKey)).at).toEqual(['s2']);
      expect(await eventsOf(engine(), c.processInstanceKey, 'SIGNAL_TRIGGERED')).toHaveLength(1);
    }
    for (const b of boundaries) {
      expect((await stateOf(b.processInstanceKey)).at).toEqual(['decide', 'note', 'note', 'remind']);
      const triggered = (await eventsOf(engine(), b.processInstanceKey, 'SIGNAL_TRIGGERED')).map((e) => e.payload!.signalKey);
      expect(triggered).toHaveLength(2);
      expect(new Set(triggered).size).toBe(2);
    }
    expect(await engine().findInstances(started, { name: 'wave', value: 'a' })).toHaveLength(1);
    expect(await engine().findInstances(started, { name: 'wave', value: 'b' })).toHaveLength(1);
  });

  // The port refuses what is not a signal, as POST /v2/signals/broadcast does (signalName is required).
  it('refuses a broadcast without a signal name or with variables that are not an object, changing nothing', async () => {
    await expect(engine().broadcastSignal({ signalName: '' })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_SIGNAL',
      message: 'signalName is required: the name of the signal to broadcast, as the diagram names it',
    });
    await expect(engine().broadcastSignal({ signalName: 'x'.repeat(256) })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_SIGNAL',
      message: 'signalName has 256 characters; the most a signal name may have is 255',
    });
    await expect(engine().broadcastSignal({ signalName: 'ok', variables: [1] as never })).rejects.toMatchObject({ status: 400, code: 'INVALID_VARIABLES' });
  });
});

// SIGNALS, "Signal subscriptions": "This process instance waits until a signal with a matching name is broadcasted." It
// waits across a restart: subscriptions are rows, as message subscriptions are. A broadcast a stop interrupted is finished
// at the next start, handing nothing twice (stood in for by writing, with SQL, the broadcast's row as a stop leaves it).
describe.skipIf(process.env.ZEEBE_ADDRESS)('signals across a restart', () => {
  it('a subscription survives a restart, and a broadcast a stop interrupted is finished at the next start, nothing twice', async () => {
    const db = await createTestDatabase();
    const name = processId('after-restart');
    const id = processId('sig-restart');
    const reminded = processId('sig-restart-boundary');
    let waiting = '';
    const boundaries: string[] = [];
    try {
      const first = await startEngine(db);
      try {
        await first.engine.deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [catchSignal('s1'), userTask('s2')], signal('sig', name)) });
        await first.engine.deploy({
          resourceName: `${reminded}.bpmn`,
          xml: bpmn(
            reminded,
            `<bpmn:startEvent id="start"/>${userTask('decide')}<bpmn:boundaryEvent id="remind" attachedToRef="decide" cancelActivity="false">${signalDef('sig')}</bpmn:boundaryEvent>
             ${userTask('note')}<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>${flow('f1', 'start', 'decide')}${flow('f2', 'decide', 'end')}${flow('f3', 'remind', 'note')}${flow('f4', 'note', 'end2')}`,
            signal('sig', `${name}-interrupted`),
          ),
        });
        waiting = (await first.engine.createInstance({ bpmnProcessId: id })).processInstanceKey;
        for (let n = 0; n < 2; n++) boundaries.push((await first.engine.createInstance({ bpmnProcessId: reminded })).processInstanceKey);
        // A broadcast that reached the first boundary's subscription and stopped: its row, as a stop leaves it.
        await first.engine.broadcastSignal({ signalName: `${name}-interrupted`, variables: { wave: 1 } });
        const [firstSub] = (await first.sql!(
          `SELECT key::text FROM wf_signal_subscription WHERE process_instance_key = $1 AND state = 'OPEN'`,
          [boundaries[0]],
        )) as Array<{ key: string }>;
        await first.sql!(
          `INSERT INTO wf_signal (key, name, variables, state, delivered_up_to, starts_done, created_at)
           VALUES (nextval('wf_key'), $1, '{"wave": 2}', 'BROADCASTING', $2, true, now())`,
          [`${name}-interrupted`, firstSub.key],
        );
      } finally {
        await first.close();
      }

      const next = await startEngine(db);
      try {
        const at = async (key: string) => (await next.engine.getInstance(key)).activeElements.map((e) => e.elementId).sort();
        // The interrupted broadcast (wave 2) reaches the second boundary only: the first had it before the stop.
        await eventually(async () => (await at(boundaries[1])).length === 4 || undefined, undefined, 'the interrupted broadcast to be finished');
        expect(await at(boundaries[1])).toEqual(['decide', 'note', 'note', 'remind']);
        expect((await next.engine.getInstance(boundaries[1])).variables).toEqual({ wave: 2 });
        expect(await at(boundaries[0])).toEqual(['decide', 'note', 'remind']);
        expect((await next.engine.getInstance(boundaries[0])).variables).toEqual({ wave: 1 });

        await next.engine.broadcastSignal({ signalName: name, variables: { restarted: true } });
        const after = await next.engine.getInstance(waiting);
        expect({ at: after.activeElements.map((e) => e.elementId), variables: after.variables }).toEqual({ at: ['s2'], variables: { restarted: true } });
      } finally {
        await next.close();
      }
    } finally {
      await db.drop();
    }
  });
});
