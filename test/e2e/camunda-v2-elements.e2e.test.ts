import { Camunda8 } from '@camunda8/sdk';
import { type CamundaClient, ProcessDefinitionId, createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { bpmn, chain, serviceTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';

/**
 * Camunda 8.8's element instances, variables, user task update, job timeout and call hierarchy
 * (/v2, and the gateway's SetVariables and UpdateJobTimeout) on the embedded engine, driven by
 * Camunda's own clients: @camunda8/orchestration-cluster-api with strict response validation, and
 * @camunda8/sdk's ZeebeGrpcClient. The diagram has a sub-process with a local variable, a
 * multi-instance body inside it and a call activity, so the scopes are real. Each case cites the
 * docs.camunda.io page it follows; bad input goes over plain HTTP (the client refuses to send it).
 */

const KEY = /^\d{1,19}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An order: its parts are checked one job each (multi-instance) and approved inside a sub-process, then a called process ships it. */
const PARENT = bpmn(
  'el-parent',
  `<bpmn:startEvent id="start" name="Order received"/>
   <bpmn:subProcess id="parts" name="Prepare parts">
     <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;in parts&quot;" target="note"/></zeebe:ioMapping></bpmn:extensionElements>
     <bpmn:startEvent id="parts-start"/>
     <bpmn:serviceTask id="check" name="Check part">
       <bpmn:extensionElements><zeebe:taskDefinition type="el-check"/></bpmn:extensionElements>
       <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=parts" inputElement="part"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
     </bpmn:serviceTask>
     <bpmn:userTask id="approve" name="Approve parts"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
     <bpmn:endEvent id="parts-end"/>
     <bpmn:sequenceFlow id="p1" sourceRef="parts-start" targetRef="check"/><bpmn:sequenceFlow id="p2" sourceRef="check" targetRef="approve"/>
     <bpmn:sequenceFlow id="p3" sourceRef="approve" targetRef="parts-end"/>
   </bpmn:subProcess>
   <bpmn:callActivity id="ship" name="Ship"><bpmn:extensionElements><zeebe:calledElement processId="el-child" propagateAllChildVariables="false"/></bpmn:extensionElements></bpmn:callActivity>
   <bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="parts"/><bpmn:sequenceFlow id="f2" sourceRef="parts" targetRef="ship"/>
   <bpmn:sequenceFlow id="f3" sourceRef="ship" targetRef="end"/>`,
).replace('name="el-parent"', 'name="Order with parts"');
/** What the call activity calls: one job. */
const CHILD = chain('el-child', [serviceTask('s1', 'el-ship')]);
/** Calls el-child at once. */
const CALLER = bpmn(
  'el-caller',
  `<bpmn:startEvent id="start"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="el-child"/></bpmn:extensionElements></bpmn:callActivity>
   <bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call"/><bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end"/>`,
).replace('name="el-caller"', 'name="Caller"');
/** One job no worker takes unless asked. */
const HOLD = chain('el-hold', [serviceTask('s1', 'el-hold-work')]);

const file = (name: string, xml: string) => new File([xml], name, { type: 'application/xml' });

/** A gRPC error as the client sees it: its status code and details. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (e) {
    const { code, details } = e as { code: number; details: string };
    return { code, details };
  }
  throw new Error('expected the call to be refused');
}

describe('Camunda 8.8 element instances, variables, user task update, job timeout and call hierarchy', () => {
  let server: TestServer;
  let camunda: CamundaClient;
  const none = { consistency: { waitUpToMs: 0 } };
  const sdks: Camunda8[] = [];

  const client = (username: string) =>
    createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: username,
        CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
        CAMUNDA_SDK_VALIDATION: 'strict',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  /** Camunda's gRPC client for a Mustafid account (no retries, so each refusal shows). */
  const zeebe = (username = 'admin') => {
    const sdk = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${server.app.get(ZeebeGateway).port!}`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: username,
      CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    });
    sdks.push(sdk);
    return sdk.getZeebeGrpcApiClient();
  };
  const http = () => ({
    post: (path: string, user = 'admin') => server.http().post(path).auth(user, DEMO_PASSWORD),
    put: (path: string, user = 'admin') => server.http().put(path).auth(user, DEMO_PASSWORD),
    patch: (path: string, user = 'admin') => server.http().patch(path).auth(user, DEMO_PASSWORD),
    get: (path: string, user = 'admin') => server.http().get(path).auth(user, DEMO_PASSWORD),
  });

  const start = async (processId: string, variables: Record<string, unknown>) =>
    (await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists(processId), variables })).processInstanceKey as string;
  const elements = async (filter: Record<string, unknown>) =>
    (await camunda.searchElementInstances({ filter: filter as never, sort: [{ field: 'elementInstanceKey', order: 'ASC' }] }, none)).items ?? [];
  const variables = async (filter: Record<string, unknown>, truncateValues?: boolean) =>
    (await camunda.searchVariables({ filter: filter as never, sort: [{ field: 'name', order: 'ASC' }], ...(truncateValues === undefined ? {} : { truncateValues }) }, none)).items;
  /** An order waiting at its checks: the instance, its sub-process and its multi-instance body and inner instances. */
  const orderAtChecks = async (orderId: string, parts: string[]) => {
    const processInstanceKey = await start('el-parent', { orderId, parts });
    const inner = await eventually(async () => {
      const found = await elements({ processInstanceKey, type: 'SERVICE_TASK', state: 'ACTIVE' });
      return found.length === parts.length && found;
    }, `${orderId} waiting at its checks`);
    const [sub] = await elements({ processInstanceKey, elementId: 'parts' });
    const [body] = await elements({ processInstanceKey, type: 'MULTI_INSTANCE_BODY' });
    return { processInstanceKey, sub, body, inner };
  };

  /**
   * The job of `type` of this instance, activated for a worker: jobs of other instances (other
   * tests') that came with it are handed back at once (their deadline moved to now + 1 ms).
   */
  const jobOf = (processInstanceKey: string, type: string, timeout = 60_000) =>
    eventually(async () => {
      const { jobs } = await camunda.activateJobs({ type, worker: 'tester', timeout, maxJobsToActivate: 50, requestTimeout: -1 });
      for (const other of jobs.filter((j) => j.processInstanceKey !== processInstanceKey)) await camunda.updateJob({ jobKey: other.jobKey, changeset: { timeout: 1 } });
      const mine = jobs.filter((j) => j.processInstanceKey === processInstanceKey);
      return mine.length > 0 && mine;
    }, `the ${type} jobs of ${processInstanceKey}`);

  beforeAll(async () => {
    server = await startTestServer({ env: { ZEEBE_GATEWAY_PORT: '0' } });
    camunda = client('admin');
    await camunda.createDeployment({ resources: [file('child.bpmn', CHILD), file('parent.bpmn', PARENT), file('caller.bpmn', CALLER), file('hold.bpmn', HOLD)] });
  });
  afterAll(async () => {
    for (const sdk of sdks) await sdk.getZeebeGrpcApiClient().close().catch(() => undefined);
    await server?.close();
  });

  it('lists element instances with Camunda\'s types and states, by scope, and gets one by its key', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-element-instances/ and
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-element-instance/
    const { processInstanceKey, sub, body, inner } = await orderAtChecks('E-1', ['bolt', 'nut']);
    const all = await elements({ processInstanceKey });
    expect(all.map((e) => [e.elementId, e.type, e.state])).toEqual([
      ['start', 'START_EVENT', 'COMPLETED'],
      ['parts', 'SUB_PROCESS', 'ACTIVE'],
      ['parts-start', 'START_EVENT', 'COMPLETED'],
      ['check', 'MULTI_INSTANCE_BODY', 'ACTIVE'],
      ['check', 'SERVICE_TASK', 'ACTIVE'],
      ['check', 'SERVICE_TASK', 'ACTIVE'],
    ]);
    const definitionKey = all[0].processDefinitionKey;
    expect(await camunda.getElementInstance({ elementInstanceKey: sub.elementInstanceKey }, none)).toEqual({
      processDefinitionId: 'el-parent',
      startDate: expect.stringMatching(ISO),
      elementId: 'parts',
      elementName: 'Prepare parts',
      type: 'SUB_PROCESS',
      state: 'ACTIVE',
      hasIncident: false,
      tenantId: '<default>',
      elementInstanceKey: sub.elementInstanceKey,
      processInstanceKey,
      processDefinitionKey: definitionKey,
    });
    // A completed one has its end date; an element without a name is named by its id (as Camunda answers it).
    const partsStart = all[2];
    expect(partsStart).toMatchObject({ elementName: 'parts-start', endDate: expect.stringMatching(ISO) });
    expect(all[0].elementName).toBe('Order received');
    // elementInstanceScopeKey: the immediate children of an element instance, or of the process instance.
    expect((await elements({ elementInstanceScopeKey: body.elementInstanceKey })).map((e) => e.elementInstanceKey)).toEqual(inner.map((e) => e.elementInstanceKey));
    expect((await elements({ elementInstanceScopeKey: processInstanceKey })).map((e) => e.elementId)).toEqual(['start', 'parts']);
    expect((await elements({ processInstanceKey, state: 'COMPLETED' })).map((e) => e.elementId)).toEqual(['start', 'parts-start']);
    expect(await elements({ processInstanceKey, hasIncident: true })).toEqual([]);
    // Paging as the other searches: totalItems counts all matches.
    const page = await camunda.searchElementInstances({ filter: { processInstanceKey: processInstanceKey as never }, page: { from: 1, limit: 2 }, sort: [{ field: 'elementInstanceKey' }] }, none);
    expect(page.page.totalItems).toBe(6n);
    expect(page.items?.map((e) => e.elementId)).toEqual(['parts', 'parts-start']);
    // Not found, and bad input, as problem details.
    const missing = await http().get('/v2/element-instances/2251799813685248');
    expect([missing.status, missing.body.title]).toEqual([404, 'NOT_FOUND']);
    for (const [filter, detail] of [
      [{ type: 'SERVICETASK' }, 'filter.type must be one of UNSPECIFIED'],
      [{ state: 'DONE' }, 'filter.state must be one of ACTIVE, COMPLETED, TERMINATED'],
      [{ elementInstanceKey: 'abc' }, 'filter.elementInstanceKey must be a key'],
      [{ elementName: 'Check part' }, 'filter.elementName is not supported by Mustafid yet'],
      [{ flowNodeId: 'check' }, 'filter.flowNodeId is not a filter of the element instance search'],
    ] as const) {
      const res = await http().post('/v2/element-instances/search').send({ filter });
      expect([res.status, res.body.detail]).toEqual([400, expect.stringContaining(detail)]);
    }
    const badSort = await http().post('/v2/element-instances/search').send({ sort: [{ field: 'elementName' }] });
    expect([badSort.status, badSort.body.detail]).toEqual([400, expect.stringContaining('cannot be sorted by')]);
  });

  it('sets variables on an element instance: local in its scope, else in the nearest scope that has each, else the root', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-element-instance-variables/: "If set to true, the variables are
    // merged strictly into the local scope... Otherwise, the variables are propagated to upper scopes"; https://docs.camunda.io/docs/components/concepts/variables/#variable-propagation
    const { processInstanceKey, sub, body, inner } = await orderAtChecks('V-1', ['bolt']);
    const [check] = inner;
    const shown = async () => (await variables({ processInstanceKey })).map((v) => [v.scopeKey, v.name, v.value]);
    expect(await shown()).toEqual([
      [check.elementInstanceKey, 'loopCounter', '1'],
      [sub.elementInstanceKey, 'note', '"in parts"'],
      [processInstanceKey, 'orderId', '"V-1"'],
      [check.elementInstanceKey, 'part', '"bolt"'],
      [processInstanceKey, 'parts', '["bolt"]'],
    ]);
    // Not local, from the inner instance: note exists in the sub-process's scope (set there), fresh nowhere (set at the root).
    await camunda.createElementInstanceVariables({ elementInstanceKey: check.elementInstanceKey, variables: { note: 'checked', fresh: { n: 1 } } });
    // Local: in the sub-process's own scope.
    await camunda.createElementInstanceVariables({ elementInstanceKey: sub.elementInstanceKey, variables: { partsOnly: true }, local: true });
    // The gateway's SetVariables takes any scope too: https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/#setvariables-rpc
    // (The SDK types its answer as void; the gateway answers SetVariablesResponse with the command's key.)
    const set = (await zeebe('process-owner').setVariables({ elementInstanceKey: body.elementInstanceKey, variables: { batch: 7 }, local: true })) as unknown as { key: string };
    expect(set.key).toMatch(KEY);
    expect(await shown()).toEqual([
      [body.elementInstanceKey, 'batch', '7'],
      [processInstanceKey, 'fresh', '{"n":1}'],
      [check.elementInstanceKey, 'loopCounter', '1'],
      [sub.elementInstanceKey, 'note', '"checked"'],
      [processInstanceKey, 'orderId', '"V-1"'],
      [check.elementInstanceKey, 'part', '"bolt"'],
      [processInstanceKey, 'parts', '["bolt"]'],
      [sub.elementInstanceKey, 'partsOnly', 'true'],
    ]);
    // The open job sees its scopes as they are now (https://docs.camunda.io/docs/components/concepts/variables/#variable-scopes).
    const [job] = await jobOf(processInstanceKey, 'el-check');
    expect(job.variables).toEqual({ orderId: 'V-1', parts: ['bolt'], fresh: { n: 1 }, note: 'checked', partsOnly: true, batch: 7, part: 'bolt', loopCounter: 1 });
    // A completed element instance is not found (Zeebe: "no such element was found"); a process instance's key is its root scope.
    const [startEvent] = await elements({ processInstanceKey, elementId: 'start' });
    const gone = await http().put(`/v2/element-instances/${startEvent.elementInstanceKey}/variables`).send({ variables: { late: 1 } });
    expect([gone.status, gone.body.title]).toEqual([404, 'NOT_FOUND']);
    expect(await refusal(zeebe().setVariables({ elementInstanceKey: startEvent.elementInstanceKey, variables: { late: 1 }, local: true }))).toEqual({
      code: 5,
      details: `Expected to update variables for element with key '${startEvent.elementInstanceKey}', but no such element was found`,
    });
    await camunda.createElementInstanceVariables({ elementInstanceKey: processInstanceKey as never, variables: { rooted: 'yes' }, local: true });
    expect((await variables({ processInstanceKey, name: 'rooted' })).map((v) => v.scopeKey)).toEqual([processInstanceKey]);
    // Bad input: a clear 400, nothing set.
    for (const [send, detail] of [
      [{}, 'variables is required'],
      [{ variables: [1] }, 'variables is required'],
      [{ variables: {}, local: 'yes' }, 'local must be true or false'],
      [{ variables: {}, scope: 'x' }, 'property scope should not exist'],
    ] as const) {
      const res = await http().put(`/v2/element-instances/${sub.elementInstanceKey}/variables`).send(send);
      expect([res.status, res.body.detail]).toEqual([400, expect.stringContaining(detail)]);
    }
    const auditor = await http().put(`/v2/element-instances/${sub.elementInstanceKey}/variables`, 'auditor').send({ variables: { x: 1 } });
    expect(auditor.status).toBe(403);
    // Mustafid's own route sets an instance's variables only: an element instance's key is not an instance (404), nothing set.
    const own = await server.http().post(`/api/process-instances/${sub.elementInstanceKey}/variables`).auth(await server.login('admin'), { type: 'bearer' }).send({ variables: { viaApi: 1 } });
    expect([own.status, own.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(await variables({ processInstanceKey, name: 'viaApi' })).toEqual([]);
  });

  it('searches variables with stable keys, JSON values and Camunda\'s truncation, and gets one by its key', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-variables/ ("By default, long variable values in the response are
    // truncated") and https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-variable/
    const long = 'x'.repeat(9000);
    const processInstanceKey = await start('el-hold', { orderId: 'K-1', long, amount: 12.5, tags: ['a', 'b'], nothing: null });
    const first = await variables({ processInstanceKey });
    expect(first.map((v) => [v.name, v.value, v.isTruncated])).toEqual([
      ['amount', '12.5', false],
      ['long', `"${'x'.repeat(8190)}`, true],
      ['nothing', 'null', false],
      ['orderId', '"K-1"', false],
      ['tags', '["a","b"]', false],
    ]);
    for (const v of first) expect(v).toEqual({ name: v.name, value: v.value, isTruncated: v.isTruncated, tenantId: '<default>', variableKey: expect.stringMatching(KEY), scopeKey: processInstanceKey, processInstanceKey });
    // Keys stay: the same variables answer the same keys, also after a change of value.
    await camunda.createElementInstanceVariables({ elementInstanceKey: processInstanceKey as never, variables: { amount: 13 } });
    const again = await variables({ processInstanceKey });
    expect(again.map((v) => v.variableKey)).toEqual(first.map((v) => v.variableKey));
    expect(new Set(again.map((v) => v.variableKey)).size).toBe(5);
    // Untruncated on request; the GET answers the full value.
    expect((await variables({ processInstanceKey, name: 'long' }, false)).map((v) => [v.value.length, v.isTruncated])).toEqual([[9002, false]]);
    const byKey = await camunda.getVariable({ variableKey: first[1].variableKey }, none);
    expect(byKey).toEqual({ name: 'long', value: JSON.stringify(long), tenantId: '<default>', variableKey: first[1].variableKey, scopeKey: processInstanceKey, processInstanceKey });
    // Filters: by value (JSON text), by key, by truncation.
    expect((await variables({ processInstanceKey, value: '13' })).map((v) => v.name)).toEqual(['amount']);
    expect((await variables({ value: '"K-1"' })).map((v) => v.processInstanceKey)).toEqual([processInstanceKey]);
    expect((await variables({ variableKey: first[3].variableKey })).map((v) => v.name)).toEqual(['orderId']);
    expect((await variables({ processInstanceKey, isTruncated: true })).map((v) => v.name)).toEqual(['long']);
    expect((await variables({ processInstanceKey, name: { $in: ['tags', 'orderId'] } })).map((v) => v.name)).toEqual(['orderId', 'tags']);
    expect(await variables({ processInstanceKey, tenantId: 'other' })).toEqual([]);
    const sorted = await camunda.searchVariables({ filter: { processInstanceKey: processInstanceKey as never }, sort: [{ field: 'value', order: 'DESC' }], page: { limit: 2 } }, none);
    // Values sort as their JSON text: null, then the list, then the strings.
    expect([sorted.page.totalItems, sorted.items.map((v) => v.name)]).toEqual([5n, ['nothing', 'tags']]);
    // Not found, bad input.
    expect((await http().get('/v2/variables/2251799813685248')).status).toBe(404);
    for (const [path, send, detail] of [
      ['/v2/variables/search', { filter: { scopeKey: 'k' } }, 'filter.scopeKey must be a key'],
      ['/v2/variables/search', { filter: { isTruncated: 'yes' } }, 'filter.isTruncated must be true or false'],
      ['/v2/variables/search', { filter: { scope: '1' } }, 'filter.scope is not a filter of the variable search'],
      ['/v2/variables/search?truncateValues=maybe', {}, 'truncateValues must be true or false'],
      ['/v2/variables/search', { sort: [{ field: 'type' }] }, 'cannot be sorted by'],
    ] as const) {
      const res = await http().post(path).send(send);
      expect([res.status, res.body.detail]).toEqual([400, expect.stringContaining(detail)]);
    }
    expect((await http().get('/v2/variables/not-a-key')).status).toBe(400);
  });

  it('updates a user task\'s dates, candidates and priority, and lists the variables it sees', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/ and
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-task-variables/
    const { processInstanceKey, sub } = await orderAtChecks('U-1', ['bolt']);
    for (const job of await jobOf(processInstanceKey, 'el-check')) await camunda.completeJob({ jobKey: job.jobKey, variables: { checked: true } });
    const task = await eventually(async () => (await camunda.searchUserTasks({ filter: { processInstanceKey: processInstanceKey as never, state: 'CREATED' } }, none)).items[0], 'the approval');
    await camunda.updateUserTask({
      userTaskKey: task.userTaskKey,
      changeset: { dueDate: '2031-02-03T04:05:06.000Z', followUpDate: '2031-02-01T00:00:00.000Z', candidateGroups: ['reception'], candidateUsers: ['chair'], priority: 80 },
      action: 'reschedule',
    });
    expect(await camunda.getUserTask({ userTaskKey: task.userTaskKey }, none)).toMatchObject({
      dueDate: '2031-02-03T04:05:06.000Z',
      followUpDate: '2031-02-01T00:00:00.000Z',
      candidateGroups: ['reception'],
      candidateUsers: ['chair'],
      priority: 80,
    });
    // "" clears a date, [] the candidates; null or left out keeps the value (plain HTTP: the client's schema takes no "" for a date).
    const cleared = await http().patch(`/v2/user-tasks/${task.userTaskKey}`).send({ changeset: { dueDate: '', candidateUsers: [], priority: null } });
    expect(cleared.status).toBe(204);
    const updated = await camunda.getUserTask({ userTaskKey: task.userTaskKey }, none);
    expect([updated.dueDate, updated.followUpDate, updated.candidateUsers, updated.candidateGroups, updated.priority]).toEqual([undefined, '2031-02-01T00:00:00.000Z', [], ['reception'], 80]);
    // The task sees its own scope chain: the root and the sub-process (the inner instances of the checks are gone).
    const seen = await camunda.searchUserTaskVariables({ userTaskKey: task.userTaskKey, sort: [{ field: 'name' }] }, none);
    expect(seen.items.map((v) => [v.name, v.value, v.scopeKey])).toEqual([
      ['checked', 'true', processInstanceKey],
      ['note', '"in parts"', sub.elementInstanceKey],
      ['orderId', '"U-1"', processInstanceKey],
      ['parts', '["bolt"]', processInstanceKey],
    ]);
    const named = await camunda.searchUserTaskVariables({ userTaskKey: task.userTaskKey, filter: { name: 'note' } }, none);
    expect(named.items.map((v) => v.name)).toEqual(['note']);
    // Bad input: a clear 400.
    for (const [changeset, detail] of [
      [{ priority: 101 }, 'changeset.priority must be a whole number from 0 to 100'],
      [{ dueDate: 'tomorrow' }, 'changeset.dueDate must be an ISO 8601 date-time'],
      [{ candidateGroups: 'reception' }, 'changeset.candidateGroups must be a list'],
      [{ assignee: 'chair' }, 'changeset.assignee cannot be changed here'],
      [{ name: 'x' }, 'changeset.name cannot be changed'],
    ] as const) {
      const res = await http().patch(`/v2/user-tasks/${task.userTaskKey}`).send({ changeset });
      expect([res.status, res.body.detail]).toEqual([400, expect.stringContaining(detail)]);
    }
    // A completed task is not found, as Zeebe rejects it.
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey });
    const late = await http().patch(`/v2/user-tasks/${task.userTaskKey}`).send({ changeset: { priority: 10 } });
    expect([late.status, late.body.title]).toEqual([404, 'NOT_FOUND']);
    expect((await http().patch('/v2/user-tasks/2251799813685248').send({ changeset: { priority: 10 } })).status).toBe(404);
    expect((await http().post('/v2/user-tasks/2251799813685248/variables/search').send({})).status).toBe(404);
  });

  it('moves an activated job\'s deadline (PATCH /v2/jobs and the gateway\'s UpdateJobTimeout); a job no worker holds is refused', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-job/ ("timeout: The duration of the new timeout in ms, starting
    // from the current moment") and https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/#updatejobtimeout-rpc
    // ("NOT_FOUND: no job exists with the given key", "INVALID_STATE: no deadline exists for the given job key").
    const processInstanceKey = await start('el-hold', { orderId: 'T-1' });
    const [waiting] = await eventually(async () => {
      const found = await elements({ processInstanceKey, type: 'SERVICE_TASK', state: 'ACTIVE' });
      return found.length === 1 && found;
    }, 'the job');
    expect(waiting.elementId).toBe('s1');
    const activate = async (timeout: number) =>
      (await camunda.activateJobs({ type: 'el-hold-work', worker: 'holder', timeout, maxJobsToActivate: 10, requestTimeout: -1 })).jobs.filter((j) => j.processInstanceKey === processInstanceKey);
    const [job] = await activate(1_000);
    await camunda.updateJob({ jobKey: job.jobKey, changeset: { timeout: 600_000 } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await activate(1_000)).toEqual([]);
    // The gateway's UpdateJobTimeout shortens it again: the job is free once the new deadline passes.
    await zeebe('process-owner').updateJobTimeout({ jobKey: job.jobKey, timeout: 200 });
    const [again] = await eventually(async () => {
      const found = await activate(60_000);
      return found.length === 1 && found;
    }, 'the job free again');
    expect(again.jobKey).toBe(job.jobKey);
    // Retries and timeout together.
    await camunda.updateJob({ jobKey: job.jobKey, changeset: { retries: 5, timeout: 120_000 } });
    // A job no worker holds has no deadline: 409; an unknown one 404 (REST) and NOT_FOUND (gRPC).
    await camunda.failJob({ jobKey: job.jobKey, retries: 2, errorMessage: 'try again' });
    const unheld = await http().patch(`/v2/jobs/${job.jobKey}`).send({ changeset: { timeout: 1000 } });
    expect([unheld.status, unheld.body.detail]).toEqual([409, expect.stringContaining('not activated by a worker')]);
    // gRPC 9: FAILED_PRECONDITION (Zeebe's INVALID_STATE), 5: NOT_FOUND.
    expect((await refusal(zeebe().updateJobTimeout({ jobKey: job.jobKey, timeout: 1000 }))).code).toBe(9);
    expect((await http().patch('/v2/jobs/2251799813685248').send({ changeset: { timeout: 1000 } })).status).toBe(404);
    expect((await refusal(zeebe().updateJobTimeout({ jobKey: '2251799813685248', timeout: 1000 }))).code).toBe(5);
    for (const [send, detail] of [
      [{ changeset: {} }, 'changeset must give retries, timeout or both'],
      [{ changeset: { timeout: 0 } }, 'timeout must be a whole number from 1'],
      [{ changeset: { timeout: 'soon' } }, 'timeout must be a whole number'],
    ] as const) {
      const res = await http().patch(`/v2/jobs/${job.jobKey}`).send(send);
      expect([res.status, res.body.detail]).toEqual([400, expect.stringContaining(detail)]);
    }
  });

  it('answers the call hierarchy of a called instance, root first; an instance no call activity created has none', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance-call-hierarchy/: "Returns the call hierarchy for a given
    // process instance, showing its ancestry up to the root instance."
    const callerKey = await start('el-caller', {});
    const child = await eventually(
      async () => (await camunda.searchProcessInstances({ filter: { parentProcessInstanceKey: callerKey as never } }, none)).items[0],
      'the called instance',
    );
    const [call] = await elements({ processInstanceKey: callerKey, elementId: 'call' });
    expect([call.type, call.state, call.elementName]).toEqual(['CALL_ACTIVITY', 'ACTIVE', 'call']);
    expect(await camunda.getProcessInstanceCallHierarchy({ processInstanceKey: callerKey as never }, none)).toEqual([]);
    const callerDefinition = (await camunda.getProcessInstance({ processInstanceKey: callerKey as never }, none)).processDefinitionKey;
    expect(await camunda.getProcessInstanceCallHierarchy({ processInstanceKey: child.processInstanceKey }, none)).toEqual([
      { processInstanceKey: callerKey, processDefinitionKey: callerDefinition, processDefinitionName: 'Caller' },
      { processInstanceKey: child.processInstanceKey, processDefinitionKey: child.processDefinitionKey, processDefinitionName: 'el-child' },
    ]);
    expect((await http().get('/v2/process-instances/2251799813685248/call-hierarchy')).status).toBe(404);
    expect((await http().get('/v2/process-instances/nope/call-hierarchy')).status).toBe(400);
  });
});
