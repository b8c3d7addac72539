import { describe, expect, it } from 'vitest';
import { chain, eventually, processId, serviceTask, useEngine, userTask } from './harness';

/**
 * What Camunda's /v2 API (libs/camunda-api) asks of the engine port beyond running diagrams:
 * deployments of several resources, job activation with long polling, searches with filters,
 * sorting and paging, and assignment that may refuse an override. Each case cites the Camunda
 * 8.8 page whose behaviour the port carries.
 */
describe('engine contract: deployments, long polling, searches and assignment for the /v2 API', () => {
  const suite = useEngine();
  const engine = () => suite.t.engine;
  const page = { from: 0, limit: 100 };

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/:
  // "This is an atomic call, i.e. either all resources are deployed or none of them are."
  it('deploys several resources at once with one deployment key, or none of them when one is bad', async () => {
    const a = processId('multi-a');
    const b = processId('multi-b');
    const result = await engine().deployResources({
      resources: [
        { resourceName: 'a.bpmn', xml: chain(a, [userTask('s1')]) },
        { resourceName: 'b.bpmn', xml: chain(b, [userTask('s1')]) },
      ],
    });
    expect(result.deploymentKey).toMatch(/^\d+$/);
    expect(result.processes.map((p) => [p.bpmnProcessId, p.version, p.resourceName, p.isNewVersion])).toEqual([
      [a, 1, 'a.bpmn', true],
      [b, 1, 'b.bpmn', true],
    ]);
    expect(await engine().getProcessDefinition(result.processes[1].key)).toEqual({ key: result.processes[1].key, bpmnProcessId: b, version: 1, name: b, resourceName: 'b.bpmn' });

    const c = processId('multi-c');
    await expect(
      engine().deployResources({
        resources: [
          { resourceName: 'c.bpmn', xml: chain(c, [userTask('s1')]) },
          { resourceName: 'broken.bpmn', xml: '<bpmn:definitions' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_BPMN', status: 400, message: expect.stringMatching(/^broken\.bpmn: /) });
    await expect(engine().createInstance({ bpmnProcessId: c })).rejects.toMatchObject({ code: 'PROCESS_NOT_FOUND', status: 404 });
    // Zeebe: "Duplicated process id in resources".
    await expect(
      engine().deployResources({
        resources: [
          { resourceName: 'one.bpmn', xml: chain(c, [userTask('s1')]) },
          { resourceName: 'two.bpmn', xml: chain(c, [serviceTask('s1', 'other')]) },
        ],
      }),
    ).rejects.toMatchObject({ code: 'DUPLICATE_PROCESS_ID', message: `The process id ${c} is declared in both one.bpmn and two.bpmn: deploy each process once` });
    await expect(engine().getProcessDefinition('9223372036854775807')).rejects.toMatchObject({ status: 404 });
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/:
  // "The request will be completed when at least one job is activated or after the requestTimeout (in ms)."
  it('activates with long polling: a waiting activation gets the job created after it, and answers empty when its time is up or its caller leaves', async () => {
    const id = processId('poll');
    const type = `${id}-work`;
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', type)]) });
    const waiting = engine().activateJobs({ type, worker: 'poller', maxJobsToActivate: 5, timeoutMs: 60_000, requestTimeoutMs: 60_000, fetchVariables: ['wanted'] });
    const { processInstanceKey, processDefinitionKey } = await engine().createInstance({ bpmnProcessId: id, variables: { wanted: 1, other: 2 } });
    const jobs = await waiting;
    expect(jobs).toEqual([
      {
        key: expect.stringMatching(/^\d+$/),
        type,
        processInstanceKey,
        processDefinitionKey,
        bpmnProcessId: id,
        processDefinitionVersion: 1,
        elementId: 's1',
        elementInstanceKey: expect.stringMatching(/^\d+$/),
        customHeaders: {},
        variables: { wanted: 1 },
        retries: 3,
        deadline: expect.any(Date),
        worker: 'poller',
        kind: 'BPMN_ELEMENT',
      },
    ]);
    // Locked to the poller: nothing left for the next activation, which answers empty when its time is up.
    expect(await engine().activateJobs({ type, worker: 'other', maxJobsToActivate: 5, timeoutMs: 60_000, requestTimeoutMs: 50 })).toEqual([]);
    const gone = new AbortController();
    const abandoned = engine().activateJobs({ type, worker: 'other', maxJobsToActivate: 5, timeoutMs: 60_000, requestTimeoutMs: 3_600_000 }, gone.signal);
    gone.abort();
    expect(await abandoned).toEqual([]);
    await engine().completeJob(jobs[0].key, {});
    expect((await engine().getInstance(processInstanceKey)).state).toBe('COMPLETED');
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/:
  // "Search for process instances based on given criteria."; paging and sorting as
  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/
  it('searches instances by key, process, state and incident, sorted and paged, with the total', async () => {
    const id = processId('search');
    const type = `${id}-work`;
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [serviceTask('s1', type)]) });
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await engine().createInstance({ bpmnProcessId: id })).processInstanceKey);
    await engine().cancelInstance(keys[2]);
    const [job] = await engine().activateJobs({ type, worker: 'w', maxJobsToActivate: 1, timeoutMs: 60_000 });
    await engine().failJob(job.key, 0, 'no luck');

    const all = await engine().searchProcessInstances({ filter: { processDefinitionIds: [id] }, page, sort: [{ field: 'key', order: 'DESC' }] });
    expect(all.total).toBe(3);
    expect(all.items.map((i) => [i.key, i.state, i.hasIncident])).toEqual([
      [keys[2], 'CANCELED', false],
      [keys[1], 'ACTIVE', job.processInstanceKey === keys[1]],
      [keys[0], 'ACTIVE', job.processInstanceKey === keys[0]],
    ]);
    expect(all.items[0]).toMatchObject({ bpmnProcessId: id, processName: id, version: 1, startedAt: expect.any(Date), endedAt: expect.any(Date) });
    const second = await engine().searchProcessInstances({ filter: { processDefinitionIds: [id] }, page: { from: 1, limit: 1 }, sort: [{ field: 'key', order: 'ASC' }] });
    expect([second.total, second.items.map((i) => i.key)]).toEqual([3, [keys[1]]]);
    const active = await engine().searchProcessInstances({ filter: { processDefinitionIds: [id], states: ['ACTIVE'], hasIncident: true }, page });
    expect(active.items.map((i) => i.key)).toEqual([job.processInstanceKey]);
    const byKey = await engine().searchProcessInstances({ filter: { processInstanceKeys: [keys[0], 'not-a-key'] }, page });
    expect(byKey.items.map((i) => i.key)).toEqual([keys[0]]);
    expect(await engine().searchProcessInstances({ filter: { processInstanceKeys: [] }, page })).toEqual({ items: [], total: 0 });

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-incidents/
    const incidents = await engine().searchIncidents({ filter: { processDefinitionIds: [id], states: ['ACTIVE'] }, page });
    expect(incidents.total).toBe(1);
    expect(incidents.items[0]).toMatchObject({
      processInstanceKey: job.processInstanceKey,
      bpmnProcessId: id,
      processDefinitionKey: all.items[0].processDefinitionKey,
      elementId: 's1',
      elementInstanceKey: job.elementInstanceKey,
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'no luck',
      jobKey: job.key,
      state: 'ACTIVE',
    });
    expect((await engine().searchIncidents({ filter: { jobKeys: [job.key], errorTypes: ['CONDITION_ERROR'] }, page })).total).toBe(0);
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/ and
  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/:
  // allowOverride "By default, the task is reassigned if it was already assigned. Set this to false to return an error in such cases."
  it('searches user tasks by instance, state, assignee and candidate group; an assignment may refuse to take a task over', async () => {
    const id = processId('tasks');
    await engine().deploy({ resourceName: `${id}.bpmn`, xml: chain(id, [userTask('s1', '<zeebe:assignmentDefinition candidateGroups="reception, registrar"/>')]) });
    const { processInstanceKey, processDefinitionKey } = await engine().createInstance({ bpmnProcessId: id });
    const found = await engine().searchUserTasks({ filter: { processInstanceKeys: [processInstanceKey], states: ['CREATED'], candidateGroups: ['registrar'] }, page });
    expect(found.total).toBe(1);
    const [task] = found.items;
    expect(task).toMatchObject({ processInstanceKey, processDefinitionKey, bpmnProcessId: id, elementId: 's1', candidateGroups: ['reception', 'registrar'], state: 'CREATED' });
    await engine().assignUserTask(task.key, 'reception', undefined, { allowOverride: false });
    await expect(engine().assignUserTask(task.key, 'registrar', undefined, { allowOverride: false })).rejects.toMatchObject({
      code: 'TASK_ALREADY_ASSIGNED',
      status: 409,
      message: `User task ${task.key} is already assigned to reception; assign it with allowOverride to take it over`,
    });
    await engine().assignUserTask(task.key, 'reception', undefined, { allowOverride: false });
    await engine().assignUserTask(task.key, 'registrar');
    expect((await engine().searchUserTasks({ filter: { assignees: ['registrar'], processInstanceKeys: [processInstanceKey] }, page })).items.map((t) => t.key)).toEqual([task.key]);
    await engine().completeUserTask(task.key, { ok: true }, { id: 'u1', username: 'registrar' }, 'approve');
    const events = await eventually(async () => {
      const all = await engine().getInstanceEvents(processInstanceKey);
      return all.some((e) => e.intent === 'USER_TASK_COMPLETED') ? all : undefined;
    });
    expect(events.filter((e) => e.intent === 'USER_TASK_ASSIGNED').map((e) => e.payload?.assignee)).toEqual(['reception', 'reception', 'registrar']);
    expect(events.find((e) => e.intent === 'USER_TASK_COMPLETED')?.payload).toEqual({ key: task.key, variables: ['ok'], action: 'approve' });
    expect((await engine().searchUserTasks({ filter: { processInstanceKeys: [processInstanceKey], states: ['CREATED'] }, page })).total).toBe(0);
  });
});
