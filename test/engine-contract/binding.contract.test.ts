import { describe, expect, it } from 'vitest';
import { chain, eventually, processId, useEngine, userTask } from './harness';

// Version binding of call activities and business rule tasks, as the Camunda 8.8 docs state it:
// https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/
// https://docs.camunda.io/docs/components/modeler/bpmn/call-activities/ : "The bindingType attribute determines which
// version of the called process is instantiated: latest: The latest deployed version at the moment the call activity is
// activated. deployment: The version that was deployed together with the currently running version of the calling
// process. versionTag: The latest deployed version that is annotated with the version tag specified in the versionTag attribute."
// https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ : the same three bindings for the called decision.
// Incident messages are Zeebe's (CallActivityProcessor, DecisionBehavior in camunda/camunda).
// A deployment is one file through POST /api/deployments (a BPMN file with several processes is
// one deployment), or several resources, BPMN and DMN, sent together (deployResources, /v2/deployments).

/** A BPMN file with several processes: one deployment. */
const definitions = (id: string, processes: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs-${id}" targetNamespace="http://mustafid.test"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">${processes.join('')}</bpmn:definitions>`;

/** start → steps → end as a bare <bpmn:process>, optionally with a zeebe:versionTag; ids other than the steps' carry the process id (unique within a file). */
const processXml = (id: string, steps: string[], versionTag?: string) => {
  const stepIds = steps.map((step) => /id="([^"]+)"/.exec(step)![1]);
  const ids = [`${id}_start`, ...stepIds, `${id}_end`];
  const flows = ids.slice(1).map((to, i) => `<bpmn:sequenceFlow id="${id}_f${i}" sourceRef="${ids[i]}" targetRef="${to}"/>`);
  const tag = versionTag ? `<bpmn:extensionElements><zeebe:versionTag value="${versionTag}"/></bpmn:extensionElements>` : '';
  return `<bpmn:process id="${id}" name="${id}" isExecutable="true">${tag}<bpmn:startEvent id="${id}_start"/>${steps.join('')}<bpmn:endEvent id="${id}_end"/>${flows.join('')}</bpmn:process>`;
};

const callActivity = (processIdValue: string, attrs: string) =>
  `<bpmn:callActivity id="s1" name="call"><bpmn:extensionElements><zeebe:calledElement processId="${processIdValue}" ${attrs}/></bpmn:extensionElements></bpmn:callActivity>`;

const ruleTask = (decisionIdValue: string, attrs: string) =>
  `<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionIdValue}" resultVariable="result" ${attrs}/></bpmn:extensionElements></bpmn:businessRuleTask>`;

/** A DMN file with one literal-expression decision answering `answer`, optionally with a zeebe:versionTag. */
const dmn = (drgId: string, decisionId: string, answer: string, versionTag?: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${drgId}" name="${drgId}" namespace="http://mustafid.test">
  <decision id="${decisionId}" name="${decisionId}">${versionTag ? `<extensionElements><zeebe:versionTag value="${versionTag}"/></extensionElements>` : ''}
    <variable id="${decisionId}_v" name="${decisionId}"/><literalExpression id="${decisionId}_e"><text>"${answer}"</text></literalExpression>
  </decision>
</definitions>`;

describe('engine contract: resource binding of call activities and business rule tasks', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;
  const deploymentKeyOf = async (processDefinitionKey: string) =>
    ((await suite.t.sql!(`SELECT deployment_key::text AS d FROM wf_process_definition WHERE key = $1`, [processDefinitionKey])) as Array<{ d: string }>)[0].d;
  const childOf = (bpmnProcessId: string, caseId: string) =>
    eventually(async () => (await engine().findInstances(bpmnProcessId, { name: 'caseId', value: caseId }))[0], undefined, `the ${bpmnProcessId} instance of ${caseId}`);

  describe('call activities', () => {
    it('bindingType "deployment" calls the version deployed together with the calling version, not a later one', async () => {
      const parent = processId('parent');
      const child = processId('child');
      const together = await engine().deploy({
        resourceName: `${parent}.bpmn`,
        xml: definitions(parent, [processXml(parent, [callActivity(child, 'bindingType="deployment"')]), processXml(child, [userTask('v1')])]),
      });
      expect(together.processes.map((p) => [p.bpmnProcessId, p.version, p.isNewVersion])).toEqual([
        [parent, 1, true],
        [child, 1, true],
      ]);
      // A later version of the child, deployed on its own: the latest, but not in the parent's deployment.
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: chain(child, [userTask('s1'), userTask('s2')]) });
      await engine().createInstance({ bpmnProcessId: parent, variables: { caseId: 'B-1' } });
      const called = await engine().getInstance(await childOf(child, 'B-1'));
      expect([called.version, called.processDefinitionKey, called.activeElements.map((e) => e.elementId)]).toEqual([1, together.processes[1].key, ['v1']]);
    });

    it('bindingType "deployment" with no such process in the deployment is a CALLED_ELEMENT_ERROR incident in Zeebe\'s words', async () => {
      const parent = processId('parent');
      const child = processId('elsewhere');
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: chain(child, [userTask('s1')]) });
      const deployed = await engine().deploy({ resourceName: `${parent}.bpmn`, xml: chain(parent, [callActivity(child, 'bindingType="deployment"')]) });
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: parent, variables: { caseId: 'B-2' } });
      const deploymentKey = await deploymentKeyOf(deployed.processes[0].key);
      expect((await engine().listIncidents({ processInstanceKey, state: 'ACTIVE' })).map((i) => [i.elementId, i.errorType, i.errorMessage])).toEqual([
        [
          's1',
          'CALLED_ELEMENT_ERROR',
          `Expected to call process with BPMN process id '${child}' with binding type 'deployment', but no such process found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended process definition to call.`,
        ],
      ]);
    });

    it('bindingType "versionTag" calls the latest version carrying the tag; no such version is an incident', async () => {
      const child = processId('tagged');
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: definitions(child, [processXml(child, [userTask('first')], 'v1.0')]) });
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: definitions(child, [processXml(child, [userTask('second')], 'v1.0')]) });
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: definitions(child, [processXml(child, [userTask('third')], 'v2.0')]) });
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: definitions(child, [processXml(child, [userTask('untagged')])]) });
      const parent = processId('parent');
      await engine().deploy({
        resourceName: `${parent}.bpmn`,
        xml: chain(parent, [callActivity(child, 'bindingType="versionTag" versionTag="v1.0"')]),
      });
      await engine().createInstance({ bpmnProcessId: parent, variables: { caseId: 'B-3' } });
      const called = await engine().getInstance(await childOf(child, 'B-3'));
      expect([called.version, called.activeElements.map((e) => e.elementId)]).toEqual([2, ['second']]);

      const missing = processId('parent');
      await engine().deploy({ resourceName: `${missing}.bpmn`, xml: chain(missing, [callActivity(child, 'bindingType="versionTag" versionTag="v9"')]) });
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: missing, variables: { caseId: 'B-4' } });
      expect((await engine().listIncidents({ processInstanceKey, state: 'ACTIVE' })).map((i) => [i.elementId, i.errorType, i.errorMessage])).toEqual([
        [
          's1',
          'CALLED_ELEMENT_ERROR',
          `Expected to call process with BPMN process id '${child}' and version tag 'v9', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.`,
        ],
      ]);
    });

    // Zeebe's DeploymentTransformer: a deployment with at least one changed resource versions all its resources
    // together ("all resources in a deployment should be versioned together"), so a deployment binding always finds its partner.
    it('redeploying a file whose processes are all unchanged stores nothing; one changed elsewhere makes every process of the file a new version', async () => {
      const parent = processId('parent');
      const child = processId('child');
      const file = definitions(parent, [processXml(parent, [callActivity(child, 'bindingType="deployment"')]), processXml(child, [userTask('v1')])]);
      const first = await engine().deploy({ resourceName: `${parent}.bpmn`, xml: file });
      const again = await engine().deploy({ resourceName: `${parent}.bpmn`, xml: file });
      expect(again.processes.map((p) => [p.key, p.version, p.isNewVersion])).toEqual(first.processes.map((p) => [p.key, 1, false]));
      await engine().deploy({ resourceName: `${child}.bpmn`, xml: chain(child, [userTask('s1'), userTask('s2')]) });
      const third = await engine().deploy({ resourceName: `${parent}.bpmn`, xml: file });
      expect(third.processes.map((p) => [p.bpmnProcessId, p.version, p.isNewVersion])).toEqual([
        [parent, 2, true],
        [child, 3, true],
      ]);
      expect(await deploymentKeyOf(third.processes[0].key)).toBe(await deploymentKeyOf(third.processes[1].key));
      await engine().createInstance({ bpmnProcessId: parent, variables: { caseId: 'B-5' } });
      const called = await engine().getInstance(await childOf(child, 'B-5'));
      expect([called.version, called.activeElements.map((e) => e.elementId)]).toEqual([3, ['v1']]);
    });
  });

  describe('business rule tasks', () => {
    const decide = async (bpmnProcessId: string) => {
      const { processInstanceKey } = await engine().createInstance({ bpmnProcessId });
      return engine().getInstance(processInstanceKey);
    };

    it('bindingType "versionTag" evaluates the latest decision version carrying the tag, not the latest version', async () => {
      const decision = processId('fee').replace(/-/g, '_');
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'first', 'v1') });
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'second', 'v1') });
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'third', 'v2') });
      const id = processId('rules');
      await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [ruleTask(decision, 'bindingType="versionTag" versionTag="v1"'), userTask('s2')]) });
      const view = await decide(id);
      expect([view.variables, view.activeElements.map((e) => e.elementId)]).toEqual([{ result: 'second' }, ['s2']]);
      const latest = processId('rules');
      await engine().deploy({ resourceName: `${latest}.bpmn`, xml: chain(latest, [ruleTask(decision, 'bindingType="latest"'), userTask('s2')]) });
      expect((await decide(latest)).variables).toEqual({ result: 'third' });
    });

    it('bindingType "versionTag" with no decision carrying the tag is a CALLED_DECISION_ERROR incident', async () => {
      const decision = processId('fee').replace(/-/g, '_');
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'first', 'v1') });
      const id = processId('rules');
      await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [ruleTask(decision, 'bindingType="versionTag" versionTag="v3"')]) });
      expect((await decide(id)).incidents.map((i) => [i.elementId, i.errorType, i.errorMessage])).toEqual([
        [
          's1',
          'CALLED_DECISION_ERROR',
          `Expected to evaluate decision with id '${decision}' and version tag 'v3', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`,
        ],
      ]);
    });

    it('bindingType "deployment": a decision deployed on its own is not in the BPMN file\'s deployment, so it is a CALLED_DECISION_ERROR incident', async () => {
      const decision = processId('fee').replace(/-/g, '_');
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'first') });
      const id = processId('rules');
      const deployed = await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [ruleTask(decision, 'bindingType="deployment"')]) });
      const deploymentKey = await deploymentKeyOf(deployed.processes[0].key);
      expect((await decide(id)).incidents.map((i) => [i.elementId, i.errorType, i.errorMessage])).toEqual([
        [
          's1',
          'CALLED_DECISION_ERROR',
          `Expected to evaluate decision '${decision}' with binding type 'deployment', but no such decision found in the deployment with key ${deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`,
        ],
      ]);
    });

    it('bindingType "deployment": the decision deployed together with the process (one deployment of a BPMN and a DMN resource) is evaluated, not a later version', async () => {
      const decision = processId('rate').replace(/-/g, '_');
      const id = processId('together');
      const together = await engine().deployResources({
        resources: [
          { resourceName: `${id}.bpmn`, xml: chain(id, [ruleTask(decision, 'bindingType="deployment"')]) },
          { resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'deployed together') },
        ],
      });
      expect([together.processes.map((p) => p.version), together.decisions.map((d) => [d.decisionId, d.version])]).toEqual([[1], [[decision, 1]]]);
      expect(await deploymentKeyOf(together.processes[0].key)).toBe(together.deploymentKey);
      await engine().deploy({ resourceName: `${decision}.dmn`, xml: dmn(`${decision}_drg`, decision, 'later') });
      const done = await decide(id);
      expect([done.incidents, done.variables.result]).toEqual([[], 'deployed together']);
    });
  });
});
