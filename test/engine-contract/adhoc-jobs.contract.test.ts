import { describe, expect, it } from 'vitest';
import type { ActivatedJob, AdHocJobResult, EngineEvent, WorkflowEngine } from '@mustafid/workflow';
import { bpmn, processId, useEngine } from './harness';

/**
 * Ad-hoc subprocesses with a job worker implementation, as the Camunda 8.8 docs state them: each
 * test quotes the sentence it checks from
 * https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#job-worker-implementation
 * (JOB_WORKER below) or the complete-job API
 * (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/,
 * `result` of type `adHocSubProcess`). Where the docs are silent, Zeebe's own behaviour is the
 * reference: camunda/camunda, JobCompleteProcessor.handleAdHocSubProcessJob,
 * AdHocSubProcessProcessor.JobWorkerBehavior, BpmnAdHocSubProcessBehavior and its test
 * JobBasedAdHocSubProcessTest.
 */
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;
const service = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/></bpmn:extensionElements></bpmn:serviceTask>`;

/** start → agent (ad-hoc subprocess, job worker) → after (service task) → end; inside: a → a2, b, c (service tasks of type `<id>-tool`). */
function agentProcess(id: string, adHocAttrs = ''): string {
  const tool = `${id}-tool`;
  return bpmn(
    id,
    `<bpmn:startEvent id="start"/>
     <bpmn:adHocSubProcess id="agent" name="Agent"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-agent" retries="2"/>${adHocAttrs}</bpmn:extensionElements>
       ${service('a', tool)}${service('a2', tool)}${service('b', tool)}${service('c', tool)}${flow('g1', 'a', 'a2')}
     </bpmn:adHocSubProcess>
     ${service('after', `${id}-after`)}<bpmn:endEvent id="end"/>
     ${flow('f1', 'start', 'agent')}${flow('f2', 'agent', 'after')}${flow('f3', 'after', 'end')}`,
  );
}

const LIFECYCLE: Record<string, string> = { ELEMENT_ACTIVATED: 'activated', ELEMENT_COMPLETED: 'completed', ELEMENT_TERMINATED: 'terminated' };
const pathOf = (events: EngineEvent[]) => events.filter((e) => LIFECYCLE[e.intent]).map((e) => `${LIFECYCLE[e.intent]} ${e.elementId}`);

describe('engine contract: ad-hoc subprocesses (job worker implementation)', () => {
  const suite = useEngine();
  const engine = (): WorkflowEngine => suite.t.engine;

  async function started(name: string, adHocAttrs = '', variables: Record<string, unknown> = {}) {
    const id = processId(name);
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: agentProcess(id, adHocAttrs) });
    const { processInstanceKey } = await engine().createInstance({ bpmnProcessId: id, variables });
    return { id, processInstanceKey };
  }
  const jobsOf = async (type: string, max = 10): Promise<ActivatedJob[]> => engine().activateJobs({ type, worker: 'contract', maxJobsToActivate: max, timeoutMs: 60_000 });
  const oneJob = async (type: string): Promise<ActivatedJob> => {
    const jobs = await jobsOf(type, 1);
    expect(jobs).toHaveLength(1);
    return jobs[0];
  };
  const decide = (job: ActivatedJob, result: Omit<AdHocJobResult, 'type'>, variables: Record<string, unknown> = {}) =>
    engine().completeJob(job.key, variables, { type: 'adHocSubProcess', ...result });
  const activeAt = async (key: string) => (await engine().getInstance(key)).activeElements.map((e) => e.elementId).sort();
  /** Tool jobs activated and not completed yet, by job key: activation locks every tool job of a type at once. */
  const heldTools = new Map<string, ActivatedJob>();
  const completeTools = async (id: string, elementIds: string[], variables: (job: ActivatedJob) => Record<string, unknown> = () => ({})) => {
    for (const job of await jobsOf(`${id}-tool`)) heldTools.set(job.key, job);
    const jobs = elementIds.map((elementId) => [...heldTools.values()].find((j) => j.type === `${id}-tool` && j.elementId === elementId));
    expect(jobs.map((j) => j?.elementId)).toEqual(elementIds);
    for (const job of jobs) {
      await engine().completeJob(job!.key, variables(job!));
      heldTools.delete(job!.key);
    }
    return jobs as ActivatedJob[];
  };

  // JOB_WORKER: "When an ad-hoc sub-process is defined as a job worker, it creates a job upon activation. The worker must decide
  // what the next step is. It can use the adHocSubProcessElements variable [...] to determine available elements." And
  // "Zeebe creates a corresponding job and waits for its completion": nothing inside is active yet.
  it('entering creates one job for the subprocess, with adHocSubProcessElements, and activates nothing inside', async () => {
    const { id, processInstanceKey } = await started('agent-enter', '', { question: 'Which documents?' });
    expect(await activeAt(processInstanceKey)).toEqual(['agent']);
    const job = await oneJob(`${id}-agent`);
    expect(job).toMatchObject({ kind: 'AD_HOC_SUB_PROCESS', elementId: 'agent', retries: 2, processInstanceKey });
    const agent = (await engine().getInstanceEvents(processInstanceKey)).find((e) => e.intent === 'ELEMENT_ACTIVATED' && e.elementId === 'agent')!;
    expect(job.elementInstanceKey).toBe(agent.elementInstanceKey);
    expect(job.variables).toEqual({
      question: 'Which documents?',
      adHocSubProcessElements: [{ elementId: 'a' }, { elementId: 'b' }, { elementId: 'c' }],
    });
  });

  // JOB_WORKER, steps 2–4: "The job worker decides which elements to activate and completes the job with an adHocSubProcess job
  // result. Zeebe activates the elements from the job result. When any of the flows inside the ad-hoc sub-process completes,
  // Zeebe creates a new job for the ad-hoc sub-process." Each element runs in an inner instance of its own, whose locals are the
  // variables the result gave it (BpmnAdHocSubProcessBehavior.activateElement: "set local variable in the scope of the inner
  // instance"; JobBasedAdHocSubProcessTest.shouldCreateVariablesOnActivatedElementScope).
  it('the result activates elements, each in its own inner instance with its own variables; a finished flow brings a new job', async () => {
    const { id, processInstanceKey } = await started('agent-activate');
    const first = await oneJob(`${id}-agent`);
    await decide(first, { activateElements: [{ elementId: 'a', variables: { query: 'salary' } }, { elementId: 'b' }] });
    // The subprocess is active around them (its job comes back later), as any container: only what waits is listed.
    expect(await activeAt(processInstanceKey)).toEqual(['a', 'b']);
    // No job for the subprocess while both flows run: it comes when one of them completes.
    expect(await jobsOf(`${id}-agent`)).toEqual([]);
    const tools = await jobsOf(`${id}-tool`);
    expect(Object.fromEntries(tools.map((j) => [j.elementId, j.variables.query ?? null]))).toEqual({ a: 'salary', b: null });
    // a → a2 is one flow: completing a does not end it.
    await engine().completeJob(tools.find((j) => j.elementId === 'a')!.key, { found: 3 });
    expect(await jobsOf(`${id}-agent`)).toEqual([]);
    await engine().completeJob(tools.find((j) => j.elementId === 'b')!.key);
    const second = await oneJob(`${id}-agent`);
    expect(second.key).not.toBe(first.key);
    expect(second.elementInstanceKey).toBe(first.elementInstanceKey);
    const events = await engine().getInstanceEvents(processInstanceKey);
    expect(pathOf(events).filter((p) => p.includes('#innerInstance'))).toEqual([
      'activated agent#innerInstance',
      'activated agent#innerInstance',
      'completed agent#innerInstance',
    ]);
    // The variable given to a stays in a's inner instance: the subprocess's job does not see it; the job of a2 does.
    expect(second.variables).not.toHaveProperty('query');
    const [a2] = await completeTools(id, ['a2']);
    expect(a2.variables).toMatchObject({ query: 'salary', found: 3 });
  });

  // JOB_WORKER: "There is only one active job for the ad-hoc sub-process at a time. The job worker should expect that: A job may
  // be recreated while it is still processing. Job completion may result in a NOT_FOUND rejection." (Zeebe cancels the job
  // before creating the next: JobBasedAdHocSubProcessTest.shouldCancelExistingJobsBeforeRecreatingOnInnerInstanceCompletion.)
  it('a second flow finishing replaces the job a worker still holds; completing the replaced job is refused', async () => {
    const { id, processInstanceKey } = await started('agent-replace');
    await decide(await oneJob(`${id}-agent`), { activateElements: [{ elementId: 'b' }, { elementId: 'c' }] });
    await completeTools(id, ['b']);
    const held = await oneJob(`${id}-agent`);
    await completeTools(id, ['c']);
    const fresh = await oneJob(`${id}-agent`);
    expect(fresh.key).not.toBe(held.key);
    await expect(decide(held, { isCompletionConditionFulfilled: true })).rejects.toMatchObject({ status: 409, code: 'JOB_NOT_ACTIVE' });
    const jobEvents = (await engine().getInstanceEvents(processInstanceKey)).filter((e) => e.elementId === 'agent' && ['JOB_CREATED', 'JOB_CANCELED'].includes(e.intent));
    expect(jobEvents.map((e) => e.intent)).toEqual(['JOB_CREATED', 'JOB_CREATED', 'JOB_CANCELED', 'JOB_CREATED']);
    expect(await activeAt(processInstanceKey)).toEqual(['agent']);
  });

  // JOB_WORKER, step 5: "It can activate more elements or fulfill the completion condition." With nothing active, a fulfilled
  // condition completes the subprocess and the instance takes its outgoing flow (docs: "Completion").
  it('a fulfilled completion condition with nothing active completes the subprocess and takes its outgoing flow', async () => {
    const { id, processInstanceKey } = await started('agent-done');
    await decide(await oneJob(`${id}-agent`), { activateElements: [{ elementId: 'b' }] });
    await completeTools(id, ['b']);
    await decide(await oneJob(`${id}-agent`), { isCompletionConditionFulfilled: true }, { answer: 'two documents' });
    expect(await activeAt(processInstanceKey)).toEqual(['after']);
    expect((await engine().getInstance(processInstanceKey)).variables).toMatchObject({ answer: 'two documents' });
    expect(await jobsOf(`${id}-agent`)).toEqual([]);
    expect(pathOf(await engine().getInstanceEvents(processInstanceKey)).slice(-2)).toEqual(['completed agent', 'activated after']);
  });

  // JOB_WORKER, step 5: "If the condition is fulfilled, the job worker can specify whether to cancel active elements."
  // isCancelRemainingInstances true: what is still active is terminated and the subprocess completes
  // (JobBasedAdHocSubProcessTest.shouldTerminateChildrenAndCompleteAhspIfCompletionConditionFulfilledAndCancelInstancesIsSetToTrue).
  it('fulfilled with isCancelRemainingInstances, the flows still active are terminated and the subprocess completes', async () => {
    const { id, processInstanceKey } = await started('agent-cancel');
    await decide(await oneJob(`${id}-agent`), { activateElements: [{ elementId: 'a' }, { elementId: 'b' }, { elementId: 'c' }] });
    await completeTools(id, ['c']);
    await decide(await oneJob(`${id}-agent`), { isCompletionConditionFulfilled: true, isCancelRemainingInstances: true });
    expect(await activeAt(processInstanceKey)).toEqual(['after']);
    const path = pathOf(await engine().getInstanceEvents(processInstanceKey));
    expect(path.filter((p) => p.startsWith('terminated')).sort()).toEqual(['terminated a', 'terminated agent#innerInstance', 'terminated agent#innerInstance', 'terminated b']);
    expect(path.indexOf('completed agent')).toBeGreaterThan(path.lastIndexOf('terminated b'));
    // The terminated tools' jobs are gone with them.
    expect(await jobsOf(`${id}-tool`)).toEqual([]);
  });

  // The same without isCancelRemainingInstances: "the ad-hoc sub-process waits for the completion of all active instances before
  // completing" (docs: "Completion"), and no new job comes meanwhile (JobWorkerBehavior.afterExecutionPathCompleted: "If the
  // completion is fulfilled we should not create a new job"; JobBasedAdHocSubProcessTest
  // .shouldCompleteAdHocSubProcessWhenCompletionConditionFulfilledAfterInnerInstanceCompletes).
  it('fulfilled without cancelling, the subprocess waits for the flows still active, with no new job, then completes', async () => {
    const { id, processInstanceKey } = await started('agent-wait');
    await decide(await oneJob(`${id}-agent`), { activateElements: [{ elementId: 'b' }, { elementId: 'c' }] });
    await completeTools(id, ['b']);
    await decide(await oneJob(`${id}-agent`), { isCompletionConditionFulfilled: true });
    expect(await activeAt(processInstanceKey)).toEqual(['c']);
    await completeTools(id, ['c']);
    expect(await jobsOf(`${id}-agent`)).toEqual([]);
    expect(await activeAt(processInstanceKey)).toEqual(['after']);
  });

  // A job's variables are merged into the subprocess's scope as any completion's: the nearest scope that has each, else the
  // process (JobCompleteProcessor.propagateJobVariablesToAdHocSubProcess → VariableBehavior.mergeDocument; docs: "Variables",
  // "Variable propagation"). A local of the subprocess (an input mapping) is updated where it is.
  it("the job's variables go up from the subprocess: a local of the subprocess stays there, a new one reaches the process", async () => {
    const { id, processInstanceKey } = await started('agent-variables', '<zeebe:ioMapping><zeebe:input source="=0" target="turns"/></zeebe:ioMapping>');
    const first = await oneJob(`${id}-agent`);
    expect(first.variables.turns).toBe(0);
    await decide(first, { activateElements: [{ elementId: 'b' }] }, { turns: 1, agentContext: { memory: ['asked b'] } });
    expect((await engine().getInstance(processInstanceKey)).variables).toEqual({ agentContext: { memory: ['asked b'] } });
    await completeTools(id, ['b']);
    expect((await oneJob(`${id}-agent`)).variables).toMatchObject({ turns: 1, agentContext: { memory: ['asked b'] } });
  });

  // "Collect output" applies to both implementations: each completed inner flow adds its outputElement to the outputCollection,
  // which reaches the parent scope when the subprocess completes (AdHocSubProcessProcessor.beforeExecutionPathCompleted).
  it('an output collection gathers each finished flow, and reaches the process when the subprocess completes', async () => {
    const { id, processInstanceKey } = await started('agent-collect', '<zeebe:adHoc outputCollection="results" outputElement="=toolResult"/>');
    await decide(await oneJob(`${id}-agent`), { activateElements: [{ elementId: 'b' }, { elementId: 'c' }] });
    await completeTools(id, ['b', 'c'], (job) => ({ toolResult: `from ${job.elementId}` }));
    const job = await oneJob(`${id}-agent`);
    expect([...(job.variables.results as string[])].sort()).toEqual(['from b', 'from c']);
    await decide(job, { isCompletionConditionFulfilled: true });
    expect(((await engine().getInstance(processInstanceKey)).variables.results as string[]).sort()).toEqual(['from b', 'from c']);
  });

  // Refusals, in Zeebe's words where it has them (AdHocSubProcessUtils, AdHocSubProcessInstructionActivateProcessor), and the
  // docs' "It cannot fulfill both the completion condition and activate new elements at the same time": the job stays the
  // worker's and nothing of the result happens.
  it('refuses elements it cannot activate, duplicates, and activating while fulfilling; a result on a plain job', async () => {
    const { id, processInstanceKey } = await started('agent-refuse');
    const job = await oneJob(`${id}-agent`);
    const agentKey = job.elementInstanceKey;
    await expect(decide(job, { activateElements: [{ elementId: 'a2' }, { elementId: 'nope' }] })).rejects.toMatchObject({
      status: 404,
      message: `Expected to activate activities for ad-hoc sub-process with key '${agentKey}', but the given elements [a2, nope] do not exist.`,
    });
    await expect(decide(job, { activateElements: [{ elementId: 'b' }, { elementId: 'b' }] })).rejects.toMatchObject({
      status: 400,
      message: `Expected to activate activities for ad-hoc sub-process with key '${agentKey}', but duplicate activities were given.`,
    });
    await expect(decide(job, { activateElements: [{ elementId: 'b' }], isCompletionConditionFulfilled: true })).rejects.toMatchObject({ status: 400 });
    expect(await activeAt(processInstanceKey)).toEqual(['agent']);
    await decide(job, { activateElements: [{ elementId: 'b' }] });
    const [b] = await jobsOf(`${id}-tool`);
    await expect(engine().completeJob(b.key, {}, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true })).rejects.toMatchObject({
      status: 400,
      code: 'NOT_AN_AD_HOC_JOB',
    });
    expect(await activeAt(processInstanceKey)).toEqual(['b']);
  });

  // A failed job with no retries left is an incident of type AD_HOC_SUB_PROCESS_NO_RETRIES on the subprocess
  // (JobBasedAdHocSubProcessTest.shouldCreateIncidentOnJobFail); as any job's, new retries and resolving it make the job
  // activatable again (docs: "Incidents").
  it('a job failed with no retries is an AD_HOC_SUB_PROCESS_NO_RETRIES incident; retries and resolving bring it back', async () => {
    const { id, processInstanceKey } = await started('agent-fail');
    const job = await oneJob(`${id}-agent`);
    await engine().failJob(job.key, 0, 'the language model is unreachable');
    const [incident] = (await engine().getInstance(processInstanceKey)).incidents;
    expect(incident).toMatchObject({ errorType: 'AD_HOC_SUB_PROCESS_NO_RETRIES', elementId: 'agent', errorMessage: 'the language model is unreachable', jobKey: job.key });
    await engine().updateJobRetries(job.key, 1);
    await engine().resolveIncident(incident.key);
    const again = await oneJob(`${id}-agent`);
    expect(again.key).toBe(job.key);
    await decide(again, { isCompletionConditionFulfilled: true });
    expect(await activeAt(processInstanceKey)).toEqual(['after']);
  });

  // docs "Special ad-hoc sub-process variables": each element's "parameters: Parameters defined using the fromAi FEEL function"
  // (AdHocSubProcessElementsVariableTest); at run time fromAi "Returns the unmodified value parameter" (docs: "AI agent
  // functions"), so the tool reads what the agent put in toolCall.
  it('adHocSubProcessElements lists the tools\' fromAi parameters; at run time fromAi gives the value the agent chose', async () => {
    const id = processId('agent-fromai');
    const tool = `<bpmn:serviceTask id="lookup" name="Look up a beneficiary"><bpmn:documentation>Finds a beneficiary by national id</bpmn:documentation>
      <bpmn:extensionElements><zeebe:taskDefinition type="${id}-lookup"/><zeebe:properties><zeebe:property name="category" value="records"/><zeebe:property name="note" value=""/></zeebe:properties>
      <zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.nationalId, &quot;The national id&quot;, &quot;string&quot;, {pattern: &quot;^[12][0-9]{9}$&quot;})" target="nationalId"/>
      <zeebe:input source="=fromAi(value: toolCall.limit, type: &quot;number&quot;, options: {required: false})" target="limit"/></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`;
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/><bpmn:adHocSubProcess id="agent"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-agent"/></bpmn:extensionElements>${tool}</bpmn:adHocSubProcess>
       <bpmn:endEvent id="end"/>${flow('f1', 'start', 'agent')}${flow('f2', 'agent', 'end')}`,
    );
    await engine().deploy({ resourceName: `${id}.bpmn`, xml });
    await engine().createInstance({ bpmnProcessId: id });
    const job = await oneJob(`${id}-agent`);
    expect(job.variables.adHocSubProcessElements).toEqual([
      {
        elementId: 'lookup',
        elementName: 'Look up a beneficiary',
        documentation: 'Finds a beneficiary by national id',
        properties: { category: 'records', note: null },
        parameters: [
          { name: 'toolCall.nationalId', description: 'The national id', type: 'string', schema: { pattern: '^[12][0-9]{9}$' } },
          { name: 'toolCall.limit', type: 'number', options: { required: false } },
        ],
      },
    ]);
    await decide(job, { activateElements: [{ elementId: 'lookup', variables: { toolCall: { nationalId: '1012345678', limit: 3 } } }] });
    const [lookup] = await jobsOf(`${id}-lookup`);
    expect(lookup.variables).toMatchObject({ nationalId: '1012345678', limit: 3 });
  });

  it('deploy refuses a fromAi call it cannot read, naming the element', async () => {
    const id = processId('agent-fromai-refused');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/><bpmn:adHocSubProcess id="agent"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-agent"/></bpmn:extensionElements>
       <bpmn:serviceTask id="tool"><bpmn:extensionElements><zeebe:taskDefinition type="t"/><zeebe:ioMapping><zeebe:input source="=fromAi(&quot;id&quot;)" target="id"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
       </bpmn:adHocSubProcess><bpmn:endEvent id="end"/>${flow('f1', 'start', 'agent')}${flow('f2', 'agent', 'end')}`,
    );
    await expect(engine().deploy({ resourceName: `${id}.bpmn`, xml })).rejects.toMatchObject({
      status: 400,
      problems: [
        {
          elementId: 'tool',
          rule: 'from-ai',
          message: "The input mapping to id: Expected fromAi() parameter 'value' to be a reference (e.g. 'toolCall.customParameter'), but received string 'id'.",
        },
      ],
    });
  });

  // Cancelling the instance cancels the subprocess's job with it (JobBasedAdHocSubProcessTest.shouldCancelJobOnTermination).
  it("cancelling the instance cancels the subprocess's job", async () => {
    const { id, processInstanceKey } = await started('agent-cancelled');
    const job = await oneJob(`${id}-agent`);
    await engine().cancelInstance(processInstanceKey);
    await expect(decide(job, { isCompletionConditionFulfilled: true })).rejects.toMatchObject({ status: 409 });
    expect(await jobsOf(`${id}-agent`)).toEqual([]);
  });
});
