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

  it('refuses elements the engine does not run instead of skipping them: a decision bound to its deployment', async () => {
    const { problems } = await problemsOf(ruleTask('<zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="deployment"/>'));
    expect(problems).toContainEqual({
      elementId: 'rule',
      rule: 'supported-elements',
      message: 'A business rule task with bindingType "deployment" is not supported by the embedded engine yet; it evaluates the latest version of the decision (bindingType "latest")',
    });
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
