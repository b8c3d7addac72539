import { describe, expect, it } from 'vitest';
import { type ActivatedJob, complete } from '@mustafid/workflow';
import { bpmn, eventually, processId, serviceTask, useEngine, userTask } from './harness';

// FEEL as Camunda 8.8 evaluates it (decision 0021):
// https://docs.camunda.io/docs/components/modeler/feel/language-guide/feel-variables/ ("If no
// variable exists with the given name, the expression returns null"),
// https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-boolean/
// (`is defined`, `get or else`), and
// https://docs.camunda.io/docs/components/modeler/bpmn/exclusive-gateways/ (the first flow
// whose condition is true, else the default flow; no true condition and no default is an incident).

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const inputs = (pairs: Array<[string, string]>) =>
  `<zeebe:ioMapping>${pairs.map(([s, t]) => `<zeebe:input source="${attr(s)}" target="${t}"/>`).join('')}</zeebe:ioMapping>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${
    condition ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${attr(condition)}</bpmn:conditionExpression>` : ''
  }</bpmn:sequenceFlow>`;

describe('engine contract: FEEL as Camunda 8.8 evaluates it', () => {
  const suite = useEngine();

  /** start → triage (input mappings over optional variables) → gateway → urgent | call | letter (default). */
  function routing(id: string): string {
    return bpmn(
      id,
      `<bpmn:startEvent id="start"/>
       ${serviceTask('triage', `${id}-triage`, inputs([
         ['=get or else(request.priority, "normal")', 'priority'],
         ['=is defined(applicant.phone)', 'reachable'],
         ['=applicant.phone', 'phone'],
       ]))}
       <bpmn:exclusiveGateway id="route" default="toLetter"/>
       ${userTask('urgent')}${userTask('call')}${userTask('letter')}
       ${flow('f0', 'start', 'triage')}${flow('f1', 'triage', 'route')}
       ${flow('toUrgent', 'route', 'urgent', '=get or else(request.priority, "normal") = "high"')}
       ${flow('toCall', 'route', 'call', '=is defined(applicant.phone) and applicant.phone != ""')}
       ${flow('toLetter', 'route', 'letter')}
       <bpmn:endEvent id="end"/>${flow('e1', 'urgent', 'end')}${flow('e2', 'call', 'end')}${flow('e3', 'letter', 'end')}`,
    );
  }

  const activeAfterRoute = (key: string) =>
    eventually(async () => {
      const instance = await suite.t.engine.getInstance(key);
      const ids = instance.activeElements.map((e) => e.elementId);
      return ids.some((e) => ['urgent', 'call', 'letter'].includes(e)) ? instance : undefined;
    }, undefined, `instance ${key} to pass the gateway`);

  it('missing variables are null: the input mappings give the default and false, and the gateway takes the default flow without an incident', async () => {
    const id = processId('feel-missing');
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml: routing(id) });
    const seen: ActivatedJob[] = [];
    suite.workers.push(suite.t.engine.createWorker({ type: `${id}-triage`, handler: async (job) => (seen.push(job), complete()) }));

    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicant: { name: 'Sara' } } });
    const instance = await activeAfterRoute(processInstanceKey);
    // feel-variables: `applicant.phone` and `request.priority` do not exist, so they are null.
    expect(seen[0].variables).toMatchObject({ priority: 'normal', reachable: false, phone: null });
    expect(instance.incidents).toEqual([]);
    expect(instance.activeElements.map((e) => e.elementId)).toEqual(['letter']);
    // the locals of the triage task never reach the process scope (variables#input-mappings)
    expect(instance.variables).toEqual({ applicant: { name: 'Sara' } });
  });

  it('with the variables present the same conditions choose the first true flow', async () => {
    const id = processId('feel-present');
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml: routing(id) });
    const seen: ActivatedJob[] = [];
    suite.workers.push(suite.t.engine.createWorker({ type: `${id}-triage`, handler: async (job) => (seen.push(job), complete()) }));

    const high = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicant: { phone: '0500000000' }, request: { priority: 'high' } } });
    expect((await activeAfterRoute(high.processInstanceKey)).activeElements.map((e) => e.elementId)).toEqual(['urgent']);
    const phone = await suite.t.engine.createInstance({ bpmnProcessId: id, variables: { applicant: { phone: '0500000000' } } });
    expect((await activeAfterRoute(phone.processInstanceKey)).activeElements.map((e) => e.elementId)).toEqual(['call']);
    expect(seen.map((j) => j.variables.reachable)).toEqual([true, true]);
  });

  it('a condition that is null because its variable is missing is an incident, not false (no default flow)', async () => {
    const id = processId('feel-null-condition');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="gw"/>${userTask('big')}${userTask('small')}
       ${flow('f0', 'start', 'gw')}${flow('f1', 'gw', 'big', '=amount > 1000')}${flow('f2', 'gw', 'small', '=amount <= 1000')}
       <bpmn:endEvent id="end"/>${flow('e1', 'big', 'end')}${flow('e2', 'small', 'end')}`,
    );
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const [incident] = await eventually(async () => {
      const found = await suite.t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' });
      return found.length > 0 ? found : undefined;
    }, undefined, 'the incident');
    expect(incident).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'gw' });
    expect(incident.errorMessage).toContain('amount > 1000');
  });

  it('a job type expression that evaluates to null is an incident naming the element and the expression', async () => {
    const id = processId('feel-null-type');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/>${serviceTask('work', '=workerKind')}<bpmn:endEvent id="end"/>${flow('f0', 'start', 'work')}${flow('f1', 'work', 'end')}`,
    );
    await suite.t.engine.deploy({ resourceName: `${id}.bpmn`, xml });
    const { processInstanceKey } = await suite.t.engine.createInstance({ bpmnProcessId: id });
    const [incident] = await eventually(async () => {
      const found = await suite.t.engine.listIncidents({ processInstanceKey, state: 'ACTIVE' });
      return found.length > 0 ? found : undefined;
    }, undefined, 'the incident');
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'work' });
    expect(incident.errorMessage).toContain('workerKind');
  });
});
