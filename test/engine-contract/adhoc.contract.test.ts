import { describe, expect, it } from 'vitest';
import type { EngineEvent, WorkflowEngine } from '@mustafid/workflow';
import { bpmn, openTaskKey, processId, useEngine } from './harness';

/**
 * Ad-hoc subprocesses (BPMN implementation) as the Camunda 8.8 docs state them; each test quotes
 * the sentence it checks from https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
 * (AD_HOC below). Zeebe runs each activated element in an inner instance of the subprocess
 * (`<id>#innerInstance`, AdHocSubProcessProcessor / BpmnAdHocSubProcessBehavior in camunda/camunda).
 */
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
const task = (id: string, name = id) => `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>`;

interface AdHocOptions {
  /** `zeebe:adHoc activeElementsCollection`. */
  active?: string;
  completion?: string;
  cancelRemaining?: boolean;
  /** Extra zeebe:adHoc attributes (outputCollection, outputElement). */
  adHocAttrs?: string;
  /** Extension elements beside zeebe:adHoc (io mappings). */
  ext?: string;
  inner: string;
}

/** start → work (ad-hoc subprocess) → done (user task) → end. */
function adHocProcess(id: string, o: AdHocOptions): string {
  const attrs = o.cancelRemaining === false ? ' cancelRemainingInstances="false"' : '';
  const active = o.active?.replaceAll('"', '&quot;');
  const adHoc = active || o.adHocAttrs ? `<zeebe:adHoc${active ? ` activeElementsCollection="${active}"` : ''} ${o.adHocAttrs ?? ''}/>` : '';
  const completion = o.completion ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${o.completion}</bpmn:completionCondition>` : '';
  return bpmn(
    id,
    `<bpmn:startEvent id="start"/>
     <bpmn:adHocSubProcess id="work" name="work"${attrs}><bpmn:extensionElements>${adHoc}${o.ext ?? ''}</bpmn:extensionElements>${o.inner}${completion}</bpmn:adHocSubProcess>
     ${task('done')}<bpmn:endEvent id="end"/>
     ${flow('f1', 'start', 'work')}${flow('f2', 'work', 'done')}${flow('f3', 'done', 'end')}`,
  ).replace('<bpmn:definitions ', '<bpmn:definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ');
}

const LIFECYCLE: Record<string, string> = { ELEMENT_ACTIVATED: 'activated', ELEMENT_COMPLETED: 'completed', ELEMENT_TERMINATED: 'terminated' };
async function pathOf(engine: WorkflowEngine, key: string): Promise<string[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => LIFECYCLE[e.intent]).map((e) => `${LIFECYCLE[e.intent]} ${e.elementId}`);
}
async function lifecycle(engine: WorkflowEngine, key: string): Promise<EngineEvent[]> {
  return (await engine.getInstanceEvents(key)).filter((e) => LIFECYCLE[e.intent]);
}

describe('engine contract: ad-hoc subprocesses (BPMN implementation)', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;
  const deploy = (id: string, xml: string) => engine().deploy({ resourceName: `${id}.bpmn`, xml });
  const stateOf = async (key: string) => {
    const instance = await engine().getInstance(key);
    return { state: instance.state, at: instance.activeElements.map((e) => e.elementId).sort(), variables: instance.variables };
  };
  const completeTask = async (key: string, elementId: string, variables: Record<string, unknown> = {}) =>
    engine().completeUserTask(await openTaskKey(engine(), key, elementId), variables);

  // AD_HOC, "Activate an element": "When a process instance reaches an ad-hoc sub-process, it evaluates the expression
  // activeElementsCollection and activates all elements whose element IDs are in the list." With the intro: "If elements
  // depend on each other, the elements can be connected by a sequence flow to build a structured sequence within the
  // ad-hoc sub-process."
  it('entering activates the listed elements, each in an inner instance of its own; flows inside are followed', async () => {
    const id = processId('adhoc-activate');
    await deploy(id, adHocProcess(id, { active: '=toActivate', inner: `${task('collect')}${task('verify')}${task('call')}${task('note')}${flow('g1', 'collect', 'note')}` }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { toActivate: ['collect', 'call'] } });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['call', 'collect'], variables: { toActivate: ['collect', 'call'] } });
    const events = await lifecycle(engine(), processInstanceKey);
    expect(events.map((e) => `${LIFECYCLE[e.intent]} ${e.elementId} ${e.elementType}`)).toEqual([
      `activated ${id} bpmn:Process`,
      'activated start bpmn:StartEvent',
      'completed start bpmn:StartEvent',
      'activated work bpmn:AdHocSubProcess',
      'activated work#innerInstance bpmn:AdHocSubProcessInnerInstance',
      'activated work#innerInstance bpmn:AdHocSubProcessInnerInstance',
      'activated collect bpmn:UserTask',
      'activated call bpmn:UserTask',
    ]);
    // Each element's flow scope is its own inner instance, whose flow scope is the subprocess.
    const [work, inner1, inner2, collect, call] = events.slice(3);
    expect([inner1.payload?.flowScopeKey, inner2.payload?.flowScopeKey]).toEqual([work.elementInstanceKey, work.elementInstanceKey]);
    expect([collect.payload?.flowScopeKey, call.payload?.flowScopeKey]).toEqual([inner1.elementInstanceKey, inner2.elementInstanceKey]);

    await completeTask(processInstanceKey, 'collect');
    expect(await stateOf(processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['call', 'note'] });
    await completeTask(processInstanceKey, 'note');
    await completeTask(processInstanceKey, 'call');
    expect((await pathOf(engine(), processInstanceKey)).slice(8)).toEqual([
      'completed collect',
      'activated note',
      'completed note',
      'completed work#innerInstance',
      'completed call',
      'completed work#innerInstance',
      'completed work',
      'activated done',
    ]);
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['done'], variables: { toActivate: ['collect', 'call'] } });
  });

  // AD_HOC, "Activate an element": "If the list is empty or the expression is not defined, no element is activated and
  // the ad-hoc sub-process remains active."
  it.each([
    ['an empty list', '=[]'],
    ['no expression', undefined],
  ])('with %s nothing is activated and the subprocess remains active', async (_, active) => {
    const id = processId('adhoc-none');
    await deploy(id, adHocProcess(id, { active, inner: task('collect') }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    expect(await pathOf(engine(), processInstanceKey)).toEqual([`activated ${id}`, 'activated start', 'completed start', 'activated work']);
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: [], variables: {} });
  });

  // AD_HOC, "Completion": "If no completionCondition is defined, the ad-hoc sub-process is completed after all activated
  // elements are completed."
  it('without a completion condition it completes once every activated element completed, and takes its outgoing flow', async () => {
    const id = processId('adhoc-all');
    await deploy(id, adHocProcess(id, { active: '=["collect", "verify"]', inner: `${task('collect')}${task('verify')}` }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(processInstanceKey, 'verify', { verified: true });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['collect'], variables: { verified: true } });
    await completeTask(processInstanceKey, 'collect', { documents: 3 });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['done'], variables: { verified: true, documents: 3 } });
    expect((await pathOf(engine(), processInstanceKey)).slice(8)).toEqual([
      'completed verify',
      'completed work#innerInstance',
      'completed collect',
      'completed work#innerInstance',
      'completed work',
      'activated done',
    ]);
  });

  // AD_HOC, "Completion": "An ad-hoc sub-process can define an optional completionCondition boolean expression that is
  // evaluated every time an inner element is completed." "If the expression evaluates to true after completing an inner
  // element, the ad-hoc sub-process is completed and the process instance takes the outgoing sequence flows." And for
  // cancelRemainingInstances: "If set to true (default value), all remaining active instances of inner elements are
  // terminated and the ad-hoc sub-process is directly completed."
  it('a completion condition that becomes true terminates what is still active and completes the subprocess', async () => {
    const id = processId('adhoc-cancel');
    await deploy(id, adHocProcess(id, { active: '=["collect", "verify", "call"]', completion: '=resolved = true', inner: `${task('collect')}${task('verify')}${task('call')}` }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { resolved: false } });
    await completeTask(processInstanceKey, 'collect');
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['call', 'verify'], variables: { resolved: false } });
    await completeTask(processInstanceKey, 'verify', { resolved: true });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['done'], variables: { resolved: true } });
    expect((await pathOf(engine(), processInstanceKey)).slice(10)).toEqual([
      'completed collect',
      'completed work#innerInstance',
      'completed verify',
      'completed work#innerInstance',
      'terminated call',
      'terminated work#innerInstance',
      'completed work',
      'activated done',
    ]);
  });

  // AD_HOC, "Completion", cancelRemainingInstances: "If set to false, the ad-hoc sub-process waits for the completion of
  // all active instances before completing."
  it('with cancelRemainingInstances="false" a fulfilled condition waits for the elements still active', async () => {
    const id = processId('adhoc-wait');
    await deploy(id, adHocProcess(id, { active: '=["collect", "call"]', completion: '=resolved', cancelRemaining: false, inner: `${task('collect')}${task('call')}` }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { resolved: false } });
    await completeTask(processInstanceKey, 'collect', { resolved: true });
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['call'], variables: { resolved: true } });
    await completeTask(processInstanceKey, 'call');
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['done'], variables: { resolved: true } });
    expect((await pathOf(engine(), processInstanceKey)).slice(8)).toEqual([
      'completed collect',
      'completed work#innerInstance',
      'completed call',
      'completed work#innerInstance',
      'completed work',
      'activated done',
    ]);
  });

  // AD_HOC, "Completion": the condition is what completes it: while it is false the subprocess stays active even when
  // nothing inside is ("If the expression evaluates to true after completing an inner element, the ad-hoc sub-process is
  // completed").
  it('a completion condition that stays false keeps the subprocess active after its last element completed', async () => {
    const id = processId('adhoc-false');
    await deploy(id, adHocProcess(id, { active: '=["collect"]', completion: '=resolved', inner: task('collect') }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { resolved: false } });
    await completeTask(processInstanceKey, 'collect');
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: [], variables: { resolved: false } });
    expect((await pathOf(engine(), processInstanceKey)).slice(6)).toEqual(['completed collect', 'completed work#innerInstance']);
  });

  // AD_HOC, "Variable mappings": "Input variable mappings are applied on activating the ad-hoc sub-process and before
  // evaluating the expression activeElementsCollection." "Output variable mappings are applied on completing the ad-hoc
  // sub-process. [...] By default, no local variables are propagated." And "Special ad-hoc sub-process variables": "When an
  // ad-hoc sub-process is activated, the adHocSubProcessElements variable is created in its scope." "Each element includes:
  // elementId [...] elementName [...] documentation [...] properties".
  it('input mappings come before activeElementsCollection; adHocSubProcessElements is a local; only output mappings propagate', async () => {
    const id = processId('adhoc-vars');
    const documented = `<bpmn:userTask id="call" name="Call the applicant"><bpmn:documentation>Phone when an address is missing</bpmn:documentation>
      <bpmn:extensionElements><zeebe:userTask/><zeebe:properties><zeebe:property name="channel" value="phone"/></zeebe:properties></bpmn:extensionElements></bpmn:userTask>`;
    await deploy(
      id,
      adHocProcess(id, {
        active: '=steps',
        ext: `<zeebe:ioMapping><zeebe:input source="=if urgent then [&quot;call&quot;] else [&quot;collect&quot;]" target="steps"/>
              <zeebe:output source="=adHocSubProcessElements" target="offered"/><zeebe:output source="=steps" target="taken"/></zeebe:ioMapping>`,
        inner: `${task('collect')}${documented}${task('note')}${flow('g1', 'collect', 'note')}`,
      }),
    );
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { urgent: true } });
    expect(await stateOf(processInstanceKey)).toMatchObject({ state: 'ACTIVE', at: ['call'] });
    const set = (await engine().getInstanceEvents(processInstanceKey)).filter((e) => e.intent === 'VARIABLE_SET' && e.elementId === 'work');
    expect(set.map((e) => e.payload)).toEqual([
      { names: ['adHocSubProcessElements'], local: true },
      { names: ['steps'], local: true },
    ]);
    await completeTask(processInstanceKey, 'call', { reached: true });
    expect(await stateOf(processInstanceKey)).toEqual({
      state: 'ACTIVE',
      at: ['done'],
      variables: {
        urgent: true,
        reached: true,
        taken: ['call'],
        // `note` has an incoming flow: only elements without one can be activated.
        offered: [
          { elementId: 'collect', elementName: 'collect' },
          { elementId: 'call', elementName: 'Call the applicant', documentation: 'Phone when an address is missing', properties: { channel: 'phone' } },
        ],
      },
    });
  });

  // AD_HOC, "Collect output": "outputCollection [...] is created as a local variable of the ad-hoc sub-process and updated
  // whenever an inner flow completes. When the ad-hoc sub-process completes, the outputCollection variable is propagated
  // to the parent scope." "When an inner flow completes, the outputElement expression is evaluated and the result is added
  // to the outputCollection."
  it('an output collection gathers outputElement per completed inner flow, in completion order, and propagates on completing', async () => {
    const id = processId('adhoc-output');
    await deploy(
      id,
      adHocProcess(id, { active: '=["collect", "call"]', adHocAttrs: 'outputCollection="results" outputElement="={step: step, ok: ok}"', inner: `${task('collect')}${task('call')}` }),
    );
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id });
    await completeTask(processInstanceKey, 'call', { step: 'call', ok: false });
    await completeTask(processInstanceKey, 'collect', { step: 'collect', ok: true });
    expect(await stateOf(processInstanceKey)).toEqual({
      state: 'ACTIVE',
      at: ['done'],
      variables: {
        step: 'collect',
        ok: true,
        results: [
          { step: 'call', ok: false },
          { step: 'collect', ok: true },
        ],
      },
    });
  });

  // AD_HOC, "Activate an element": "If the expression doesn't evaluate to a list of strings, or the list contains other
  // values than inner element IDs, the process instance creates an incident." Worded as Zeebe's
  // AdHocSubProcessProcessor and ExpressionProcessor word it; fixing the variable and resolving evaluates it again.
  it.each([
    ['not a list', 'collect', "Failed to activate ad-hoc elements. Expected result of the expression 'toActivate' to be 'ARRAY', but was 'STRING'."],
    ['a list with a number', ['collect', 7], "Failed to activate ad-hoc elements. Expected result of the expression 'toActivate' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item."],
    ['ids that are not inner elements that can be activated', ['collect', 'note', 'ghost'], "Failed to activate ad-hoc elements. No BPMN elements found with ids: 'note', 'ghost'."],
  ])('an activeElementsCollection that gives %s is an EXTRACT_VALUE_ERROR incident on the subprocess', async (_, toActivate, message) => {
    const id = processId('adhoc-bad');
    await deploy(id, adHocProcess(id, { active: '=toActivate', inner: `${task('collect')}${task('note')}${flow('g1', 'collect', 'note')}` }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { toActivate } });
    const view = await engine().getInstance(processInstanceKey);
    expect(view.state).toBe('ACTIVE');
    expect(view.incidents.map((i) => ({ elementId: i.elementId, errorType: i.errorType, errorMessage: i.errorMessage }))).toEqual([
      { elementId: 'work', errorType: 'EXTRACT_VALUE_ERROR', errorMessage: message },
    ]);
    // Nothing of the step that met the incident is kept (the engine's runs are all or nothing): resolving runs it again.
    expect(await pathOf(engine(), processInstanceKey)).toEqual([`activated ${id}`]);
    await engine().setVariables(processInstanceKey, { toActivate: ['collect'] });
    await engine().resolveIncident(view.incidents[0].key);
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['collect'], variables: { toActivate: ['collect'] } });
  });

  // AD_HOC, "Completion": the completionCondition is a "boolean expression"; Zeebe's AdHocSubProcessProcessor makes one
  // that gives no boolean an incident ("Failed to evaluate completion condition. ...").
  it('a completion condition that gives no boolean is an incident; fixing the variable and resolving completes the subprocess', async () => {
    const id = processId('adhoc-bad-condition');
    await deploy(id, adHocProcess(id, { active: '=["collect"]', completion: '=resolved', inner: task('collect') }));
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables: { resolved: 'yes' } });
    await completeTask(processInstanceKey, 'collect', { documents: 2 });
    const view = await engine().getInstance(processInstanceKey);
    expect(view.incidents.map((i) => ({ elementId: i.elementId, errorType: i.errorType, errorMessage: i.errorMessage }))).toEqual([
      { elementId: 'work', errorType: 'EXTRACT_VALUE_ERROR', errorMessage: "Failed to evaluate completion condition. Expected result of the expression 'resolved' to be 'BOOLEAN', but was 'STRING'." },
    ]);
    await engine().setVariables(processInstanceKey, { resolved: true });
    await engine().resolveIncident(view.incidents[0].key);
    expect(await stateOf(processInstanceKey)).toEqual({ state: 'ACTIVE', at: ['done'], variables: { resolved: true, documents: 2 } });
  });

  // AD_HOC, "Constraints": "Must have at least one activity" and "Must not have start events or end events", and "Collect
  // output": an outputCollection is filled by its outputElement (the lint's camunda-compat rule, in its words): each refused
  // at deploy, naming the element. The job worker implementation deploys (adhoc-jobs.contract.test.ts runs it).
  it('deploy refuses start and end events inside, an empty one, and an output collection without element', async () => {
    const id = processId('adhoc-refused');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/>
       <bpmn:adHocSubProcess id="withEvents"><bpmn:startEvent id="innerStart"/>${task('a')}<bpmn:endEvent id="innerEnd"/>${flow('g1', 'innerStart', 'a')}${flow('g2', 'a', 'innerEnd')}</bpmn:adHocSubProcess>
       <bpmn:adHocSubProcess id="empty"/>
       <bpmn:adHocSubProcess id="collecting"><bpmn:extensionElements><zeebe:adHoc outputCollection="results"/></bpmn:extensionElements>${task('c')}</bpmn:adHocSubProcess>
       <bpmn:adHocSubProcess id="agent"><bpmn:extensionElements><zeebe:taskDefinition type="agent"/></bpmn:extensionElements>${task('b')}</bpmn:adHocSubProcess>
       <bpmn:endEvent id="end"/>
       ${flow('f1', 'start', 'withEvents')}${flow('f2', 'withEvents', 'empty')}${flow('f3', 'empty', 'collecting')}${flow('f4', 'collecting', 'agent')}${flow('f5', 'agent', 'end')}`,
    );
    await expect(deploy(id, xml)).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_BPMN',
      problems: [
        { elementId: 'innerStart', rule: 'ad-hoc-sub-process', message: 'A <Start Event> is not allowed in <Ad Hoc Sub Process>' },
        { elementId: 'innerEnd', rule: 'ad-hoc-sub-process', message: 'An <End Event> is not allowed in <Ad Hoc Sub Process>' },
        { elementId: 'empty', rule: 'camunda-compat/ad-hoc-sub-process', message: 'Element of type <bpmn:AdHocSubProcess> must contain at least one activity' },
        { elementId: 'collecting', rule: 'camunda-compat/ad-hoc-sub-process', message: 'Element of type <zeebe:AdHoc> must have property <outputElement> if it has property <outputCollection>' },
      ],
    });
  });
});
