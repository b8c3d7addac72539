import { describe, expect, it } from 'vitest';
import { InvalidBpmnError } from './safe-xml';
import { validateDiagram } from './compile';

const head = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d" targetNamespace="http://mustafid.test" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">`;
const diagram = (body: string, extra = '') => `${head}<bpmn:process id="p" isExecutable="true">${body}</bpmn:process>${extra}</bpmn:definitions>`;

async function problemsOf(xml: string) {
  try {
    await validateDiagram(xml);
  } catch (e) {
    if (e instanceof InvalidBpmnError) return { message: e.message, problems: e.problems };
    throw e;
  }
  throw new Error('expected the diagram to be refused');
}

describe('validateDiagram', () => {
  it('accepts a small valid diagram and reads its zeebe extensions', async () => {
    const parsed = await validateDiagram(
      diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="svc"/>
      <bpmn:serviceTask id="svc" name="تحقق"><bpmn:extensionElements><zeebe:taskDefinition type="verify-data" retries="5"/>
      <zeebe:taskHeaders><zeebe:header key="channel" value="C1"/></zeebe:taskHeaders>
      <zeebe:ioMapping><zeebe:input source="=applicant.id" target="applicantId"/><zeebe:output source="=valid" target="dataValid"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f2" sourceRef="svc" targetRef="end"/><bpmn:endEvent id="end"/>`),
    );
    expect(parsed.processes).toHaveLength(1);
    const svc = parsed.processes[0].elements.get('svc')!;
    expect(svc).toMatchObject({
      type: 'bpmn:ServiceTask',
      name: 'تحقق',
      jobType: 'verify-data',
      retries: '5',
      headers: { channel: 'C1' },
      inputs: [{ source: '=applicant.id', target: 'applicantId' }],
      outputs: [{ source: '=valid', target: 'dataValid' }],
    });
  });

  it('names the element of a camunda-compat error (a service task without a job type)', async () => {
    const { problems } = await problemsOf(
      diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="svc"/>
      <bpmn:serviceTask id="svc"/><bpmn:sequenceFlow id="f2" sourceRef="svc" targetRef="end"/><bpmn:endEvent id="end"/>`),
    );
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'svc', rule: expect.stringContaining('camunda-compat') }));
  });

  const ruleTask = (decision: string) =>
    diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="rule"/>
      <bpmn:businessRuleTask id="rule"><bpmn:extensionElements>${decision}</bpmn:extensionElements></bpmn:businessRuleTask>
      <bpmn:sequenceFlow id="f2" sourceRef="rule" targetRef="end"/><bpmn:endEvent id="end"/>`);

  // https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ : "A called decision links the business rule task to a DMN decision"
  it('accepts a business rule task that calls a DMN decision, by id or by expression', async () => {
    await expect(validateDiagram(ruleTask('<zeebe:calledDecision decisionId="d" resultVariable="r"/>'))).resolves.toMatchObject({ processes: [{ bpmnProcessId: 'p' }] });
    await expect(validateDiagram(ruleTask('<zeebe:calledDecision decisionId="=&quot;d_&quot; + country" resultVariable="r"/>'))).resolves.toMatchObject({ processes: [{ bpmnProcessId: 'p' }] });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ : "The bindingType attribute determines
  // which version of the called decision is evaluated: latest … deployment … versionTag"; no longer refused.
  it('accepts a decision bound to the latest version, its deployment or a version tag', async () => {
    for (const binding of ['bindingType="latest"', 'bindingType="deployment"', 'bindingType="versionTag" versionTag="v1.0"']) {
      await expect(validateDiagram(ruleTask(`<zeebe:calledDecision decisionId="d" resultVariable="r" ${binding}/>`))).resolves.toMatchObject({ processes: [{ bpmnProcessId: 'p' }] });
    }
  });

  // Zeebe's deploy-time checks of a binding (ZeebeCalledDecisionValidator / ZeebeCalledElementValidator).
  it('refuses a binding Zeebe refuses: an unknown type, a versionTag binding without a tag, a tag without that binding', async () => {
    const bindingOf = async (attrs: string) => (await problemsOf(ruleTask(`<zeebe:calledDecision decisionId="d" resultVariable="r" ${attrs}/>`))).problems.filter((p) => p.rule === 'binding-type');
    expect(await bindingOf('bindingType="foo"')).toEqual([
      { elementId: 'rule', rule: 'binding-type', message: "zeebe:calledDecision: Attribute 'bindingType' must be one of: deployment, latest, versionTag" },
    ]);
    expect(await bindingOf('bindingType="versionTag" versionTag=" "')).toEqual([
      { elementId: 'rule', rule: 'binding-type', message: "zeebe:calledDecision: Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'" },
    ]);
    expect(await bindingOf('bindingType="deployment" versionTag="v1.0"')).toEqual([
      { elementId: 'rule', rule: 'binding-type', message: "zeebe:calledDecision: Attribute 'versionTag' may only be used if 'bindingType' is 'versionTag'" },
    ]);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/ : "deployment: The version that was deployed
  // together with the currently running version of the calling process."; no longer refused.
  it('accepts a call activity bound to its deployment or a version tag, and a process carrying zeebe:versionTag', async () => {
    const call = (attrs: string) =>
      `${head}<bpmn:process id="p" isExecutable="true"><bpmn:extensionElements><zeebe:versionTag value="v2"/></bpmn:extensionElements>
      <bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call"/>
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="child" ${attrs}/></bpmn:extensionElements></bpmn:callActivity>
      <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end"/><bpmn:endEvent id="end"/></bpmn:process></bpmn:definitions>`;
    for (const binding of ['bindingType="deployment"', 'bindingType="versionTag" versionTag="v1.0"']) {
      await expect(validateDiagram(call(binding))).resolves.toMatchObject({ processes: [{ bpmnProcessId: 'p', versionTag: 'v2' }] });
    }
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/#time-cycle : "Additionally, you can specify a time
  // cycle using cron expressions." — no longer refused; one firing more often than ENGINE_MIN_TIMER_CYCLE is.
  it('accepts a cron timer cycle and refuses one shorter than the minimum cycle', async () => {
    const cron = (cycle: string) =>
      diagram(`<bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/><bpmn:endEvent id="end"/>`);
    await expect(validateDiagram(cron('0 0 9-17 * * MON-FRI'), undefined, { minTimerCycleMs: 60_000 })).resolves.toMatchObject({ processes: [{ bpmnProcessId: 'p' }] });
    await expect(validateDiagram(cron('*/30 * * * * *'), undefined, { minTimerCycleMs: 60_000 })).rejects.toMatchObject({
      problems: [{ elementId: 'start', rule: 'timer-cycle-minimum', message: 'The timer cycle */30 * * * * * repeats more often than every 60 s, the shortest this server allows (ENGINE_MIN_TIMER_CYCLE)' }],
    });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/ : signal start, intermediate catch,
  // boundary (interrupting or not), intermediate throw and end events, and event subprocesses with a signal start.
  it('accepts signal events and reads their signal names, no longer refusing them', async () => {
    const parsed = await validateDiagram(
      diagram(
        `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="go"/></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
        <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="ready"/></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="work"/>
        <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:boundaryEvent id="stop" attachedToRef="work"><bpmn:signalEventDefinition signalRef="stopped"/></bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="note" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="noted"/></bpmn:boundaryEvent>
        <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="tell"/>
        <bpmn:intermediateThrowEvent id="tell"><bpmn:signalEventDefinition signalRef="done"/></bpmn:intermediateThrowEvent>
        <bpmn:sequenceFlow id="f4" sourceRef="tell" targetRef="end"/>
        <bpmn:endEvent id="end"><bpmn:signalEventDefinition signalRef="done"/></bpmn:endEvent>
        <bpmn:sequenceFlow id="f5" sourceRef="stop" targetRef="end2"/><bpmn:endEvent id="end2"/>
        <bpmn:sequenceFlow id="f6" sourceRef="note" targetRef="end3"/><bpmn:endEvent id="end3"/>
        <bpmn:subProcess id="esp" triggeredByEvent="true">
          <bpmn:startEvent id="espStart" isInterrupting="false"><bpmn:signalEventDefinition signalRef="noted"/></bpmn:startEvent>
          <bpmn:sequenceFlow id="f7" sourceRef="espStart" targetRef="espEnd"/><bpmn:endEvent id="espEnd"/>
        </bpmn:subProcess>`,
        `<bpmn:signal id="go" name="go"/><bpmn:signal id="ready" name="=&quot;ready-&quot; + region"/><bpmn:signal id="stopped" name="stopped"/>
        <bpmn:signal id="noted" name="noted"/><bpmn:signal id="done" name="done"/>`,
      ),
    );
    const model = parsed.processes[0];
    expect(model.signalStarts).toEqual([{ elementId: 'start', signalName: 'go' }]);
    expect(model.hasNoneStart).toBe(false);
    expect(['wait', 'stop', 'note', 'tell', 'end', 'espStart'].map((id) => [id, model.elements.get(id)!.eventDefinition, model.elements.get(id)!.signalName])).toEqual([
      ['wait', 'signal', '="ready-" + region'],
      ['stop', 'signal', 'stopped'],
      ['note', 'signal', 'noted'],
      ['tell', 'signal', 'done'],
      ['end', 'signal', 'done'],
      ['espStart', 'signal', 'noted'],
    ]);
  });

  it('still refuses, by element id, a signal start event that begins an embedded subprocess and a signal name that is not FEEL', async () => {
    const { problems } = await problemsOf(
      diagram(
        `<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub"/>
        <bpmn:subProcess id="sub"><bpmn:startEvent id="inner"><bpmn:signalEventDefinition signalRef="go"/></bpmn:startEvent>
          <bpmn:sequenceFlow id="f2" sourceRef="inner" targetRef="innerEnd"/><bpmn:endEvent id="innerEnd"/></bpmn:subProcess>
        <bpmn:sequenceFlow id="f3" sourceRef="sub" targetRef="wait"/>
        <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="bad"/></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="f4" sourceRef="wait" targetRef="end"/><bpmn:endEvent id="end"/>`,
        `<bpmn:signal id="go" name="go"/><bpmn:signal id="bad" name="=&quot;a&quot; +"/>`,
      ),
    );
    expect(problems).toContainEqual({
      elementId: 'inner',
      rule: 'supported-elements',
      message: 'A StartEvent with SignalEventDefinition inside an embedded subprocess (not an event subprocess) is not supported by the embedded engine',
    });
    expect(problems).toContainEqual({ elementId: 'bad', rule: 'feel-syntax', message: expect.stringContaining(`The signal name '"a" +' is not valid FEEL`) });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/ : "To revert the effects of an activity, a
  // compensation boundary event is attached to the activity. [...] The compensation boundary event is associated with the
  // compensation handler"; a throw or end event may name the activity with activityRef.
  const compensation = (extra = '', handler = '<bpmn:serviceTask id="undo" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="undo"/></bpmn:extensionElements></bpmn:serviceTask>') =>
    diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="pay"/>
      <bpmn:serviceTask id="pay"><bpmn:extensionElements><zeebe:taskDefinition type="pay"/></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:boundaryEvent id="payComp" attachedToRef="pay"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>${handler}
      <bpmn:association id="a1" associationDirection="One" sourceRef="payComp" targetRef="undo"/>
      <bpmn:sequenceFlow id="f2" sourceRef="pay" targetRef="undoPay"/><bpmn:intermediateThrowEvent id="undoPay"><bpmn:compensateEventDefinition activityRef="pay"/></bpmn:intermediateThrowEvent>
      <bpmn:sequenceFlow id="f3" sourceRef="undoPay" targetRef="end"/><bpmn:endEvent id="end"><bpmn:compensateEventDefinition/></bpmn:endEvent>${extra}`);

  it('accepts compensation boundary, throw and end events with an associated handler, and reads them into the graph', async () => {
    const parsed = await validateDiagram(compensation());
    expect(parsed.processes[0].elements.get('undo')).toMatchObject({ type: 'bpmn:ServiceTask', jobType: 'undo' });
  });

  it.each([
    [
      'a handler entered by a sequence flow',
      compensation('<bpmn:sequenceFlow id="f4" sourceRef="start" targetRef="undo"/>'),
      { elementId: 'undo', rule: 'compensation', message: 'A compensation handler (isForCompensation) has no incoming or outgoing sequence flow: only a compensation throw event invokes it' },
    ],
    [
      'a compensation boundary event without a handler',
      compensation('', '<bpmn:serviceTask id="undo"><bpmn:extensionElements><zeebe:taskDefinition type="undo"/></bpmn:extensionElements></bpmn:serviceTask>'),
      { elementId: 'payComp', rule: 'compensation', message: 'A compensation boundary event needs an association to exactly one compensation handler (an activity marked isForCompensation); payComp has 0' },
    ],
    [
      'an activityRef to an activity in another scope',
      compensation(`<bpmn:sequenceFlow id="f5" sourceRef="start" targetRef="sub"/><bpmn:subProcess id="sub"><bpmn:startEvent id="subStart"/>
        <bpmn:sequenceFlow id="f6" sourceRef="subStart" targetRef="undoOuter"/><bpmn:intermediateThrowEvent id="undoOuter"><bpmn:compensateEventDefinition activityRef="pay"/></bpmn:intermediateThrowEvent>
        <bpmn:sequenceFlow id="f7" sourceRef="undoOuter" targetRef="subEnd"/><bpmn:endEvent id="subEnd"/></bpmn:subProcess>
        <bpmn:sequenceFlow id="f8" sourceRef="sub" targetRef="end2"/><bpmn:endEvent id="end2"/>`),
      { elementId: 'undoOuter', rule: 'compensation', message: "The activityRef of a compensation event must name an activity in the event's own scope; pay is not one" },
    ],
  ])('refuses %s, naming the element', async (_, xml, problem) => {
    expect((await problemsOf(xml)).problems).toContainEqual(problem);
  });

  it('refuses a decision id that is not valid FEEL', async () => {
    const { problems } = await problemsOf(ruleTask('<zeebe:calledDecision decisionId="=d +" resultVariable="r"/>'));
    expect(problems).toContainEqual({ elementId: 'rule', rule: 'feel-syntax', message: "The CalledDecision decisionId 'd +' is not valid FEEL: it does not parse at character 4" });
  });

  it('refuses FEEL that does not parse, naming the element and the expression', async () => {
    const { problems } = await problemsOf(
      diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="gw"/>
      <bpmn:exclusiveGateway id="gw" default="f3"/><bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
      <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="end"><bpmn:conditionExpression>=amount &gt;</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f3" sourceRef="gw" targetRef="end2"/>`),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ elementId: 'f2', rule: 'feel-syntax', message: expect.stringContaining("The condition 'amount >' is not valid FEEL") }),
    );
  });

  it.each([
    ['broken XML', `${head}<bpmn:process id="p"`, /not valid BPMN XML/],
    ['XML that is not BPMN', '<?xml version="1.0"?><note><to>x</to></note>', /not a BPMN diagram|not valid BPMN XML/],
    ['a DOCTYPE (XXE)', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${head}</bpmn:definitions>`, /DOCTYPE or entities/],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${head}</bpmn:definitions>`,
      /DOCTYPE or entities/,
    ],
    ['an empty file', '   ', /empty/],
    ['no executable process', `${head}<bpmn:process id="p" isExecutable="false"/></bpmn:definitions>`, /no executable process/],
  ])('refuses %s with a clear message', async (_, xml, message) => {
    expect((await problemsOf(xml)).message).toMatch(message);
  });
});

// Deploy refuses only what Zeebe refuses or the engine does not run (issue 14 point 4); each case
// is a real diagram's shape from test/conformance (customer-onboarding, TasklistTestProcess,
// connector-test, Client-BrokenBpmn).
describe('validateDiagram: what Zeebe deploys, and what it refuses', () => {
  const loop = `<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="svc"/>
    <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="svc" targetRef="wait"/>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="wait" targetRef="svc"/>`;

  // docs.camunda.io/docs/components/modeler/bpmn/none-events/ : an end event is optional; a
  // path that reaches an element without outgoing flows ends there.
  it('a process without an end event deploys, with a warning', async () => {
    const parsed = await validateDiagram(diagram(loop));
    expect(parsed.processes).toHaveLength(1);
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ elementId: 'p', rule: 'end-event-required' }));
  });

  // docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation : the job
  // type of a job worker user task is io.camunda.zeebe:userTask; Zeebe ignores a task definition there.
  it('a job worker user task that also carries a zeebe:taskDefinition deploys, with a warning', async () => {
    const parsed = await validateDiagram(
      diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve"/>
      <bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:taskDefinition type="approve"/></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end"/><bpmn:endEvent id="end"/>`),
    );
    expect(parsed.processes[0].elements.get('approve')).toMatchObject({ type: 'bpmn:UserTask' });
    expect(parsed.warnings).toContainEqual(
      expect.objectContaining({ elementId: 'approve', rule: 'camunda-compat/implementation', message: expect.stringContaining('<zeebe:TaskDefinition> not allowed') }),
    );
  });

  // Zeebe does not read the diagram interchange: a drawing of a missing process is not a deploy error.
  it('a diagram whose drawing points at a missing process deploys', async () => {
    const drawing = `<bpmndi:BPMNDiagram id="dia" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"><bpmndi:BPMNPlane id="plane" bpmnElement="Process_gone"/></bpmndi:BPMNDiagram>`;
    const parsed = await validateDiagram(diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end"/><bpmn:endEvent id="end"/>`, drawing));
    expect(parsed.processes.map((p) => p.bpmnProcessId)).toEqual(['p']);
  });

  it('a broken reference inside the process is still refused', async () => {
    const { problems } = await problemsOf(diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="nowhere"/>`));
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'xml', message: 'unresolved reference <nowhere>' }));
  });

  // docs.camunda.io/docs/components/modeler/bpmn/message-events/#messages : "the correlation key
  // is specified as an expression"; Zeebe's deploy refuses a static one (ZeebeRuntimeValidators).
  it.each([
    ['a static correlation key', 'm1', `<bpmn:message id="m1" name="docs"><bpmn:extensionElements><zeebe:subscription correlationKey="none"/></bpmn:extensionElements></bpmn:message>`, "The correlation key of message docs must be an expression: expected expression but found static value 'none'. An expression must start with '=' (e.g. '=none')"],
    ['an empty correlation key', 'm1', `<bpmn:message id="m1" name="docs"><bpmn:extensionElements><zeebe:subscription correlationKey=""/></bpmn:extensionElements></bpmn:message>`, 'The correlation key of message docs must be an expression: expected expression but not found'],
  ])('refuses %s, naming the message', async (_, elementId, message, text) => {
    const { problems } = await problemsOf(
      diagram(
        `<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="c"/>
         <bpmn:intermediateCatchEvent id="c"><bpmn:messageEventDefinition messageRef="m1"/></bpmn:intermediateCatchEvent>
         <bpmn:sequenceFlow id="f2" sourceRef="c" targetRef="end"/><bpmn:endEvent id="end"/>`,
        message,
      ),
    );
    expect(problems).toContainEqual({ elementId, rule: 'expression-required', message: text });
  });

  it('refuses a static output mapping source and a static multi-instance input collection, as Zeebe', async () => {
    const { problems } = await problemsOf(
      diagram(`<bpmn:startEvent id="start"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="svc"/>
      <bpmn:serviceTask id="svc"><bpmn:extensionElements><zeebe:taskDefinition type="work"/>
        <zeebe:ioMapping><zeebe:output source="result" target="r"/></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="items" inputElement="item"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f2" sourceRef="svc" targetRef="end"/><bpmn:endEvent id="end"/>`),
    );
    expect(problems.filter((p) => p.rule === 'expression-required').map((p) => p.message)).toEqual([
      "The source of the output mapping to r must be an expression: expected expression but found static value 'result'. An expression must start with '=' (e.g. '=result')",
      "The multi-instance inputCollection must be an expression: expected expression but found static value 'items'. An expression must start with '=' (e.g. '=items')",
    ]);
  });
});
