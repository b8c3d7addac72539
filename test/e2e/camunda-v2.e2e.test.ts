import { type CamundaClient, ElementId, ProcessDefinitionId, createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { bpmn, chain, serviceTask, userTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';

/**
 * Camunda 8.8's Orchestration Cluster REST API (/v2) served by the embedded engine, driven by
 * Camunda's own TypeScript client (@camunda8/orchestration-cluster-api 8.8) with request and
 * response validation strict: every answer must pass the client's schemas of the 8.8
 * specification. Each case cites the docs.camunda.io page it follows; the bad-input cases go
 * over plain HTTP, since the client refuses bad input before sending it.
 */

const KEY = /^\d{1,19}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An order: charged by a job, approved by a person, paid by a message, shipped by a job. */
const ORDER = chain(
  'v2-order',
  [
    serviceTask('s1', 'v2-charge'),
    userTask('s2', '<zeebe:assignmentDefinition candidateGroups="reception"/>').replace('name="s2"', 'name="Approve the order"'),
    '<bpmn:intermediateCatchEvent id="s3"><bpmn:messageEventDefinition messageRef="paid"/></bpmn:intermediateCatchEvent>',
    serviceTask('s4', 'v2-ship'),
  ],
  '<bpmn:message id="paid" name="v2-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>',
);
/** One job, activated by a long poll that was waiting before the instance started. */
const WAIT = chain('v2-wait', [serviceTask('s1', 'v2-wait-work')]);
/** One job, charged by the client's worker (beforeAll): an instance that completes on its own. */
const CHARGE_ONLY = chain('v2-charge-only', [serviceTask('s1', 'v2-charge')]);
/** One job no worker takes: an instance that waits until it is cancelled. */
const HOLD = chain('v2-hold', [serviceTask('s1', 'v2-hold-work')]);
/** One job that a worker fails for good. */
const FRAGILE = chain('v2-fragile', [serviceTask('s1', 'v2-fragile-work')]);
/** Started by a message (correlate-message starts it). */
const BY_MESSAGE = bpmn(
  'v2-by-message',
  `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="hello"/></bpmn:startEvent>${userTask('s1')}<bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="end"/>`,
  '<bpmn:message id="hello" name="v2-hello"/>',
);
/** Started by a signal (broadcast-signal starts it). */
const BY_SIGNAL = bpmn(
  'v2-by-signal',
  `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="go"/></bpmn:startEvent>${userTask('s1')}<bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="end"/>`,
  '<bpmn:signal id="go" name="v2-go"/>',
);
/** Waits one day at a timer, then ends. */
const A_DAY = chain('v2-a-day', [
  '<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
]);
const DAY_MS = 86_400_000;

const file = (name: string, xml: string) => new File([xml], name, { type: 'application/xml' });

/** An AI agent as Camunda models one: an ad-hoc subprocess with a job worker implementation, one tool inside. */
const AGENT = bpmn(
  'v2-agent',
  `<bpmn:startEvent id="start"/>
   <bpmn:adHocSubProcess id="agent"><bpmn:extensionElements><zeebe:taskDefinition type="v2-agent"/><zeebe:adHoc outputCollection="toolCallResults" outputElement="=toolCallResult"/></bpmn:extensionElements>
     <bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="v2-lookup"/>
       <zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.caseNumber, &quot;The case to look up&quot;)" target="caseNumber"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
   </bpmn:adHocSubProcess><bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="agent"/><bpmn:sequenceFlow id="f2" sourceRef="agent" targetRef="end"/>`,
);

describe('Camunda 8.8 REST API (/v2) with Camunda\'s own client', () => {
  let server: TestServer;
  let camunda: CamundaClient;
  let owner: CamundaClient;
  const none = { consistency: { waitUpToMs: 0 } };

  const client = (username: string, password = DEMO_PASSWORD) =>
    createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: username,
        CAMUNDA_BASIC_AUTH_PASSWORD: password,
        CAMUNDA_SDK_VALIDATION: 'strict',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  const v2 = () => ({
    post: (path: string, user = 'admin') => server.http().post(path).auth(user, DEMO_PASSWORD),
    put: (path: string, user = 'admin') => server.http().put(path).auth(user, DEMO_PASSWORD),
    get: (path: string, user = 'admin') => server.http().get(path).auth(user, DEMO_PASSWORD),
  });

  beforeAll(async () => {
    // The clock routes (/v2/clock) are served only with the test clock on.
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    camunda = client('admin');
    owner = client('process-owner');
    // The four processes the scenarios use, deployed once here so that each test also runs alone
    // (the deployment test deploys them again: unchanged, they keep version 1).
    const deployed = await camunda.createDeployment({ resources: [file('order.bpmn', ORDER), file('fragile.bpmn', FRAGILE), file('hello.bpmn', BY_MESSAGE), file('wait.bpmn', WAIT)] });
    order = { processDefinitionKey: deployed.deployments[0].processDefinition!.processDefinitionKey, waitDefinitionKey: deployed.deployments[3].processDefinition!.processDefinitionKey };
    // The client's own job worker charges every order, in whichever test it starts.
    camunda.createJobWorker({
      jobType: 'v2-charge',
      maxParallelJobs: 4,
      jobTimeoutMs: 30_000,
      pollTimeoutMs: 5_000,
      workerName: 'charger',
      jobHandler: (job) => job.complete({ charged: true }),
    });
  });
  afterAll(async () => {
    camunda?.stopAllWorkers();
    await server?.close();
  });

  let order: { processDefinitionKey: string; waitDefinitionKey: string };

  it('answers topology and who the caller is', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-topology/: "Obtains the current topology of the cluster the gateway is part of."
    const topology = await camunda.getTopology();
    expect(topology).toMatchObject({ clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0', lastCompletedChangeId: '-1' });
    expect(topology.brokers).toEqual([expect.objectContaining({ nodeId: 0, version: '8.8.0', partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] })]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-authentication/: "Retrieves the current authenticated user."
    expect(await owner.getAuthentication()).toEqual({
      username: 'process-owner',
      displayName: expect.any(String),
      email: null,
      authorizedComponents: [],
      tenants: [{ tenantId: '<default>', name: 'Default' }],
      groups: [],
      roles: ['process-owner'],
      salesPlanType: '',
      c8Links: {},
      canLogout: false,
    });
  });

  it('deploys BPMN resources; the same content again keeps its version under a new deployment key', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/: "Deploys one or more resources (e.g. processes, decision models, or forms). This is an atomic call, i.e. either all resources are deployed or none of them are."
    const first = await camunda.createDeployment({ resources: [file('order.bpmn', ORDER), file('fragile.bpmn', FRAGILE), file('hello.bpmn', BY_MESSAGE), file('wait.bpmn', WAIT)] });
    expect(first.deploymentKey).toMatch(KEY);
    expect(first.tenantId).toBe('<default>');
    expect(first.deployments).toEqual([
      { processDefinition: { processDefinitionId: 'v2-order', processDefinitionVersion: 1, resourceName: 'order.bpmn', tenantId: '<default>', processDefinitionKey: expect.stringMatching(KEY) } },
      { processDefinition: { processDefinitionId: 'v2-fragile', processDefinitionVersion: 1, resourceName: 'fragile.bpmn', tenantId: '<default>', processDefinitionKey: expect.stringMatching(KEY) } },
      { processDefinition: { processDefinitionId: 'v2-by-message', processDefinitionVersion: 1, resourceName: 'hello.bpmn', tenantId: '<default>', processDefinitionKey: expect.stringMatching(KEY) } },
      { processDefinition: { processDefinitionId: 'v2-wait', processDefinitionVersion: 1, resourceName: 'wait.bpmn', tenantId: '<default>', processDefinitionKey: expect.stringMatching(KEY) } },
    ]);
    const again = await owner.createDeployment({ resources: [file('order.bpmn', ORDER)] });
    expect(again.deployments).toEqual([first.deployments[0]]);
    expect(again.deploymentKey).not.toBe(first.deploymentKey);
    expect(order).toEqual({ processDefinitionKey: first.deployments[0].processDefinition!.processDefinitionKey, waitDefinitionKey: first.deployments[3].processDefinition!.processDefinitionKey });
  });

  it('refuses a deployment with one bad resource and deploys none of it', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/: "either all resources are deployed or none of them are"; "400 The provided data is not valid."
    const res = await v2()
      .post('/v2/deployments')
      .attach('resources', Buffer.from(chain('v2-never', [serviceTask('s1', 'never')])), 'good.bpmn')
      .attach('resources', Buffer.from('<bpmn:definitions'), 'broken.bpmn')
      .expect(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail: expect.stringMatching(/^broken\.bpmn: /), instance: '/v2/deployments' });
    const start = await v2().post('/v2/process-instances').send({ processDefinitionId: 'v2-never' }).expect(404);
    expect(start.body).toEqual({ type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: 'No process v2-never is deployed', instance: '/v2/process-instances' });
    const dmn = await v2().post('/v2/deployments').attach('resources', Buffer.from('<definitions/>'), 'rules.dmn').expect(400);
    expect(dmn.body).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400, detail: 'The file is not valid DMN XML: failed to parse document as <dmn:Definitions>' });
    const form = await v2().post('/v2/deployments').attach('resources', Buffer.from('{}'), 'task.form').expect(400);
    expect(form.body.detail).toBe('task.form: the form has no "id" (the formId a user task links with zeebe:formDefinition)');
  });

  it('deploys a BPMN diagram and the DMN decision it calls together; bindingType "deployment" evaluates that version', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/ (decisionDefinition,
    // decisionRequirements in the answer) and https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ :
    // "deployment: The version that was deployed together with the currently running version of the calling process."
    const decisionXml = (answer: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="v2_fees" name="Fees" namespace="http://mustafid.test">
  <decision id="v2_fee" name="Fee"><variable id="v2_fee_v" name="v2_fee"/><literalExpression id="v2_fee_e"><text>"${answer}"</text></literalExpression></decision>
</definitions>`;
    const rules = chain('v2-rules', [
      `<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="v2_fee" resultVariable="fee" bindingType="deployment"/></bpmn:extensionElements></bpmn:businessRuleTask>`,
      userTask('s2'),
    ]);
    const together = await camunda.createDeployment({ resources: [file('rules.bpmn', rules), file('fees.dmn', decisionXml('together'))] });
    expect(together.deployments).toEqual([
      { processDefinition: { processDefinitionId: 'v2-rules', processDefinitionVersion: 1, resourceName: 'rules.bpmn', tenantId: '<default>', processDefinitionKey: expect.stringMatching(KEY) } },
      {
        decisionRequirements: {
          decisionRequirementsId: 'v2_fees',
          version: 1,
          decisionRequirementsName: 'Fees',
          tenantId: '<default>',
          resourceName: 'fees.dmn',
          decisionRequirementsKey: expect.stringMatching(KEY),
        },
      },
      {
        decisionDefinition: {
          decisionDefinitionId: 'v2_fee',
          version: 1,
          name: 'Fee',
          tenantId: '<default>',
          decisionRequirementsId: 'v2_fees',
          decisionDefinitionKey: expect.stringMatching(KEY),
          decisionRequirementsKey: together.deployments[1].decisionRequirements!.decisionRequirementsKey,
        },
      },
    ]);
    // A later version of the decision alone: the latest, but not the one deployed with the process.
    const later = await camunda.createDeployment({ resources: [file('fees.dmn', decisionXml('later'))] });
    expect(later.deployments.map((d) => d.decisionDefinition?.version ?? d.decisionRequirements?.version)).toEqual([2, 2]);
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-rules') });
    // The instance waits at s2 with the decision's result (read from the engine's table: /v2 has no variable search yet).
    const [row] = await server.app.get(DataSource).query(`SELECT variables FROM wf_process_instance WHERE key = $1`, [processInstanceKey]);
    expect(row.variables).toEqual({ fee: 'together' });
  });

  it('creates instances by process id and by definition key, gets and searches them with paging', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/: "Creates and starts an instance of the specified process. The process definition to use to create the instance can be specified either using its unique key (as returned by Deploy resources), or using the BPMN process ID and a version."
    const byId = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-order'), variables: { orderId: 'A-1' } });
    expect(byId).toEqual({
      processDefinitionId: 'v2-order',
      processDefinitionVersion: 1,
      tenantId: '<default>',
      variables: {},
      processDefinitionKey: order.processDefinitionKey,
      processInstanceKey: expect.stringMatching(KEY),
    });
    const byKey = await camunda.createProcessInstance({ processDefinitionKey: order.processDefinitionKey as never, variables: { orderId: 'A-2' } });
    expect(byKey).toMatchObject({ processDefinitionId: 'v2-order', processDefinitionVersion: 1, processDefinitionKey: order.processDefinitionKey });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance/: "Get the process instance by the process instance key."
    const got = await camunda.getProcessInstance({ processInstanceKey: byId.processInstanceKey }, none);
    expect(got).toEqual({
      processDefinitionId: 'v2-order',
      processDefinitionName: 'v2-order',
      processDefinitionVersion: 1,
      startDate: expect.stringMatching(ISO),
      state: 'ACTIVE',
      hasIncident: false,
      tenantId: '<default>',
      processInstanceKey: byId.processInstanceKey,
      processDefinitionKey: order.processDefinitionKey,
    });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/: "Search for process instances based on given criteria."
    const firstPage = await camunda.searchProcessInstances(
      { filter: { processDefinitionId: 'v2-order', state: 'ACTIVE' }, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page: { limit: 1 } },
      none,
    );
    expect(firstPage.items.map((i) => i.processInstanceKey)).toEqual([byId.processInstanceKey]);
    expect(firstPage.page).toMatchObject({ totalItems: 2n, hasMoreTotalItems: false });
    const secondPage = await camunda.searchProcessInstances(
      { filter: { processDefinitionId: 'v2-order' }, sort: [{ field: 'processInstanceKey', order: 'ASC' }], page: { from: 1, limit: 1 } },
      none,
    );
    expect(secondPage.items.map((i) => i.processInstanceKey)).toEqual([byKey.processInstanceKey]);
    // The cursor form over plain HTTP: the client's strict request validation turns {after} into {from: 0} (its page union tries offset paging first).
    const search = (page: object) =>
      v2()
        .post('/v2/process-instances/search')
        .send({ filter: { processDefinitionId: 'v2-order' }, sort: [{ field: 'processInstanceKey', order: 'DESC' }], page })
        .expect(200);
    const newest = (await search({ limit: 1 })).body;
    expect(newest.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual([byKey.processInstanceKey]);
    expect(newest.page).toEqual({ totalItems: 2, hasMoreTotalItems: false, startCursor: expect.any(String), endCursor: expect.any(String) });
    const older = (await search({ after: newest.page.endCursor, limit: 5 })).body;
    expect(older.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual([byId.processInstanceKey]);
    const back = (await search({ before: older.page.startCursor, limit: 5 })).body;
    expect(back.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual([byKey.processInstanceKey]);
    const byKeyFilter = await camunda.searchProcessInstances({ filter: { processInstanceKey: { $in: [byKey.processInstanceKey] } } }, none);
    expect(byKeyFilter.items.map((i) => i.processInstanceKey)).toEqual([byKey.processInstanceKey]);
  });

  it('activates a job by long polling: the activation waits and answers when the job is created', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/: "requestTimeout: The request will be completed when at least one job is activated or after the requestTimeout (in ms)."
    const pending = camunda.activateJobs({ type: 'v2-wait-work', worker: 'poller', maxJobsToActivate: 5, timeout: 60_000, requestTimeout: 10_000, fetchVariable: ['orderId'] });
    // No job of this type exists yet: the activation is waiting when the instance that creates one starts.
    await camunda.getTopology();
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-wait'), variables: { orderId: 'A-3', secret: 'not fetched' } });
    const { jobs } = await pending;
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect({ ...job, log: undefined }).toMatchObject({
      type: 'v2-wait-work',
      processDefinitionId: 'v2-wait',
      processDefinitionVersion: 1,
      elementId: 's1',
      customHeaders: {},
      worker: 'poller',
      retries: 3,
      variables: { orderId: 'A-3' },
      tenantId: '<default>',
      jobKey: expect.stringMatching(KEY),
      processInstanceKey,
      processDefinitionKey: order.waitDefinitionKey,
      elementInstanceKey: expect.stringMatching(KEY),
      kind: 'BPMN_ELEMENT',
      listenerEventType: 'UNSPECIFIED',
    });
    expect(Number(job.deadline)).toBeGreaterThan(Date.now());
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/: "Complete a job with the given payload, which allows completing the associated service task."
    await camunda.completeJob({ jobKey: job.jobKey, variables: { done: true } });
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'COMPLETED' });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/: "404 The job with the given key was not found."
    const twice = await v2().post(`/v2/jobs/${job.jobKey}/completion`).send({}).expect(404);
    expect(twice.body).toEqual({
      type: 'about:blank',
      title: 'NOT_FOUND',
      status: 404,
      detail: `Job ${job.jobKey} cannot be completed: it is already completed`,
      instance: `/v2/jobs/${job.jobKey}/completion`,
    });
  });

  it("works jobs with the client's job worker, and user tasks through search, assignment and completion", async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/: the
    // client's createJobWorker started in beforeAll (README "Job Workers (Polling API)") charges the order.
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-order'), variables: { orderId: 'B-1' } });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/: "Search for user tasks based on given criteria."
    const found = await eventually(async () => {
      const page = await camunda.searchUserTasks({ filter: { processInstanceKey: processInstanceKey as never, state: 'CREATED' } }, none);
      return page.items.length === 1 ? page : undefined;
    }, 'the approval task of B-1');
    const [task] = found.items;
    expect(task).toEqual({
      name: 'Approve the order',
      state: 'CREATED',
      elementId: 's2',
      candidateGroups: ['reception'],
      candidateUsers: [],
      processDefinitionId: 'v2-order',
      creationDate: expect.stringMatching(ISO),
      tenantId: '<default>',
      processDefinitionVersion: 1,
      customHeaders: {},
      priority: 50,
      userTaskKey: expect.stringMatching(KEY),
      elementInstanceKey: expect.stringMatching(KEY),
      processDefinitionKey: order.processDefinitionKey,
      processInstanceKey,
    });
    expect(found.page).toMatchObject({ totalItems: 1n });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/: "Assigns a user task with the given key to the given assignee."; allowOverride false: "the assignment is refused if the task is already assigned" (409).
    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'reception', allowOverride: true });
    const taken = await v2().post(`/v2/user-tasks/${task.userTaskKey}/assignment`).send({ assignee: 'registrar', allowOverride: false }).expect(409);
    expect(taken.body).toMatchObject({ title: 'INVALID_STATE', status: 409, detail: `User task ${task.userTaskKey} is already assigned to reception; assign it with allowOverride to take it over` });
    expect(await camunda.getUserTask({ userTaskKey: task.userTaskKey }, none)).toMatchObject({ assignee: 'reception' });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/unassign-user-task/: "Removes the assignee of a task with the given key."
    await camunda.unassignUserTask({ userTaskKey: task.userTaskKey });
    expect(await camunda.getUserTask({ userTaskKey: task.userTaskKey }, none)).not.toHaveProperty('assignee');
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/: "Completes a user task with the given key."
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true }, action: 'approve' });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task/: "Get the user task by the user task key."
    const done = await camunda.getUserTask({ userTaskKey: task.userTaskKey }, none);
    expect(done).toMatchObject({ state: 'COMPLETED', completionDate: expect.stringMatching(ISO) });
    const events = await server.http().get(`/api/process-instances/${processInstanceKey}/events`).auth(await server.login('admin'), { type: 'bearer' }).expect(200);
    expect(events.body.find((e: { intent: string }) => e.intent === 'USER_TASK_COMPLETED')).toMatchObject({ actor: 'admin', payload: { key: task.userTaskKey, variables: ['approved'], action: 'approve' } });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/: "404 The user task with the given key was not found."
    const again = await v2().post(`/v2/user-tasks/${task.userTaskKey}/completion`).send({}).expect(404);
    expect(again.body).toMatchObject({ title: 'NOT_FOUND', detail: `User task ${task.userTaskKey} is already completed` });
  });

  it('publishes and correlates messages', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/correlate-message/: "Publishes a message and correlates it to a subscription. If correlation is successful it will return the first process instance key the message correlated with."
    const nothing = await v2().post('/v2/messages/correlation').send({ name: 'v2-paid', correlationKey: 'nobody' }).expect(404);
    expect(nothing.body).toEqual({
      type: 'about:blank',
      title: 'NOT_FOUND',
      status: 404,
      detail: 'Expected to find a subscription or a message start event for message "v2-paid" with correlation key "nobody", but none was found: nothing correlated',
      instance: '/v2/messages/correlation',
    });
    const started = await camunda.correlateMessage({ name: 'v2-hello', correlationKey: '', variables: { greeting: 'salam' } });
    expect(started).toEqual({ tenantId: '<default>', messageKey: expect.stringMatching(KEY), processInstanceKey: expect.stringMatching(KEY) });
    expect(await camunda.getProcessInstance({ processInstanceKey: started.processInstanceKey! }, none)).toMatchObject({ processDefinitionId: 'v2-by-message', state: 'ACTIVE' });

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/publish-message/: "Publishes a single message. Messages are published to specific partitions computed from their correlation keys. Messages can be buffered."
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-order'), variables: { orderId: 'C-1' } });
    const published = await camunda.publishMessage({ name: 'v2-paid', correlationKey: 'C-1', timeToLive: 60_000, messageId: 'pay-C-1', variables: { paidBy: 'card' } });
    expect(published).toEqual({ tenantId: '<default>', messageKey: expect.stringMatching(KEY) });
    // The charge worker runs, then the task is approved; the buffered message is then taken at the catch event.
    const [task] = (
      await eventually(async () => {
        const page = await camunda.searchUserTasks({ filter: { processInstanceKey: processInstanceKey as never } }, none);
        return page.items.length ? page : undefined;
      }, 'the approval task of C-1')
    ).items;
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey });
    const [ship] = (
      await eventually(async () => {
        const { jobs } = await camunda.activateJobs({ type: 'v2-ship', maxJobsToActivate: 5, timeout: 60_000, requestTimeout: -1, worker: 'shipper' });
        return jobs.length ? jobs : undefined;
      }, 'the ship job of C-1')
    );
    expect(ship).toMatchObject({ processInstanceKey, variables: { orderId: 'C-1', paidBy: 'card', charged: true } });
    await ship.complete();
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'COMPLETED', endDate: expect.stringMatching(ISO) });
  });

  it('fails a job into an incident, gives it retries and resolves it', async () => {
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-fragile') });
    const [job] = (await camunda.activateJobs({ type: 'v2-fragile-work', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000, worker: 'w' })).jobs;
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/fail-job/: "Mark the job as failed." With no retries left an incident is raised.
    await camunda.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'printer on fire', retryBackOff: 0 });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-incidents/: "Search for incidents based on given criteria."
    const { items = [] } = await camunda.searchIncidents({ filter: { processInstanceKey: processInstanceKey as never, state: 'ACTIVE' } }, none);
    expect(items).toEqual([
      {
        processDefinitionId: 'v2-fragile',
        errorType: 'JOB_NO_RETRIES',
        errorMessage: 'printer on fire',
        elementId: 's1',
        creationTime: expect.stringMatching(ISO),
        state: 'ACTIVE',
        tenantId: '<default>',
        incidentKey: expect.stringMatching(KEY),
        processDefinitionKey: expect.stringMatching(KEY),
        processInstanceKey,
        elementInstanceKey: job.elementInstanceKey,
        jobKey: job.jobKey,
      },
    ]);
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ hasIncident: true });
    const [incident] = items;
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/resolve-incident/: "Marks the incident as resolved; most likely a call to Update job will be necessary to reset the job's retries, followed by this call."
    const early = await v2().post(`/v2/incidents/${incident.incidentKey}/resolution`).send({}).expect(409);
    expect(early.body).toMatchObject({ title: 'INVALID_STATE', detail: expect.stringContaining(`Job ${job.jobKey} has no retries left`) });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-job/: "Update a job with the given key."
    await camunda.updateJob({ jobKey: job.jobKey, changeset: { retries: 1 } });
    await camunda.resolveIncident({ incidentKey: incident.incidentKey! });
    expect((await camunda.searchIncidents({ filter: { incidentKey: incident.incidentKey } }, none)).items).toMatchObject([{ state: 'RESOLVED' }]);
    const [again] = (await camunda.activateJobs({ type: 'v2-fragile-work', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000, worker: 'w' })).jobs;
    expect(again).toMatchObject({ jobKey: job.jobKey, retries: 1 });
    await again.complete();
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'COMPLETED', hasIncident: false });
  });

  it("runs an AI agent's tool loop: the ad-hoc sub-process's job completed with results that activate a tool, then end it", async () => {
    await camunda.createDeployment({ resources: [file('agent.bpmn', AGENT)] });
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-agent') });
    const activate = async (type: string) => (await camunda.activateJobs({ type, maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000, worker: 'agent' })).jobs[0];
    const first = await activate('v2-agent');
    // https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/#special-ad-hoc-sub-process-variables: "parameters:
    // Parameters defined using the fromAi FEEL function."
    expect(first).toMatchObject({ kind: 'AD_HOC_SUB_PROCESS', elementId: 'agent' });
    expect(first.variables.adHocSubProcessElements).toEqual([{ elementId: 'lookup', parameters: [{ name: 'toolCall.caseNumber', description: 'The case to look up' }] }]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/: `result` of type adHocSubProcess.
    await camunda.completeJob({
      jobKey: first.jobKey,
      result: { type: 'adHocSubProcess', activateElements: [{ elementId: ElementId.assumeExists('lookup'), variables: { toolCall: { caseNumber: 'C-17' } } }], isCompletionConditionFulfilled: false, isCancelRemainingInstances: false },
    });
    const lookup = await activate('v2-lookup');
    expect(lookup.variables).toMatchObject({ caseNumber: 'C-17' });
    await camunda.completeJob({ jobKey: lookup.jobKey, variables: { toolCallResult: 'open since May' } });
    const second = await activate('v2-agent');
    expect(second.variables.toolCallResults).toEqual(['open since May']);
    // A result that names an element the sub-process cannot activate: 404 in Zeebe's words, nothing happens.
    const missing = await v2().post(`/v2/jobs/${second.jobKey}/completion`).send({ result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'nope' }] } }).expect(404);
    expect(missing.body.detail).toMatch(/^Expected to activate activities for ad-hoc sub-process with key '\d+', but the given elements \[nope\] do not exist\.$/);
    const wrongType = await v2().post(`/v2/jobs/${second.jobKey}/completion`).send({ result: { type: 'userTask', denied: true } }).expect(400);
    expect(wrongType.body.detail).toBe('result of type "userTask" corrects a user task from a task listener, and Mustafid has no task listeners');
    await camunda.completeJob({ jobKey: second.jobKey, variables: { answer: 'C-17 is open' }, result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true, isCancelRemainingInstances: false } });
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'COMPLETED' });
  });

  it('creates an instance and awaits its completion: the result carries the variables asked for; a slow one answers 504, a cancelled one 409', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/:
    // awaitCompletion "Wait for the process instance to complete. If the process instance completion does not occur
    // within the requestTimeout, the request will be closed. This can lead to a 504 response status"; fetchVariables
    // "List of variables by name to be included in the response when awaitCompletion is set to true. If empty, all
    // visible variables in the root scope will be returned."
    await camunda.createDeployment({ resources: [file('charge-only.bpmn', CHARGE_ONLY), file('hold.bpmn', HOLD)] });
    const some = await camunda.createProcessInstance({
      processDefinitionId: ProcessDefinitionId.assumeExists('v2-charge-only'),
      variables: { orderId: 'D-1', note: 'left out' },
      awaitCompletion: true,
      fetchVariables: ['charged', 'orderId'],
      requestTimeout: 20_000,
    });
    expect(some.variables).toEqual({ charged: true, orderId: 'D-1' });
    expect((await camunda.getProcessInstance({ processInstanceKey: some.processInstanceKey }, none)).state).toBe('COMPLETED');
    const all = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-charge-only'), variables: { orderId: 'D-2' }, awaitCompletion: true });
    expect(all.variables).toEqual({ charged: true, orderId: 'D-2' });

    // No worker takes v2-hold-work: the wait ends at requestTimeout with 504, and the instance goes on.
    const slow = await v2().post('/v2/process-instances').send({ processDefinitionId: 'v2-hold', awaitCompletion: true, requestTimeout: 300 }).expect(504);
    expect(slow.body).toMatchObject({ title: 'DEADLINE_EXCEEDED', status: 504, detail: expect.stringMatching(/^Process instance \d+ did not complete within 300 ms \(requestTimeout\); it goes on running: follow it by its key$/) });
    const running = /Process instance (\d+)/.exec(slow.body.detail)![1];
    expect((await camunda.getProcessInstance({ processInstanceKey: running as never }, none)).state).toBe('ACTIVE');
    await camunda.cancelProcessInstance({ processInstanceKey: running as never });

    // Cancelled while the caller waits: there is no result to give.
    const waiting = v2().post('/v2/process-instances').send({ processDefinitionId: 'v2-hold', variables: { orderId: 'D-3' }, awaitCompletion: true, requestTimeout: 30_000 }).then((r) => r);
    const instance = await eventually(async () => {
      const page = await camunda.searchProcessInstances({ filter: { processDefinitionId: ProcessDefinitionId.assumeExists('v2-hold'), state: 'ACTIVE' } }, none);
      return page.items[0];
    }, 'the awaited v2-hold instance');
    await camunda.cancelProcessInstance({ processInstanceKey: instance.processInstanceKey });
    const canceled = await waiting;
    expect(canceled.status).toBe(409);
    expect(canceled.body).toMatchObject({ title: 'INVALID_STATE', detail: `Process instance ${instance.processInstanceKey} was cancelled before it completed: there is no result` });
  });

  it('cancels an instance; a second cancel finds nothing to cancel', async () => {
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-fragile') });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/: "Cancels a running process instance."
    await camunda.cancelProcessInstance({ processInstanceKey });
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'TERMINATED', endDate: expect.stringMatching(ISO) });
    const terminated = await camunda.searchProcessInstances({ filter: { processInstanceKey, state: 'TERMINATED' } }, none);
    expect(terminated.items.map((i) => i.processInstanceKey)).toEqual([processInstanceKey]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/: "404 The process instance is not found."
    const again = await v2().post(`/v2/process-instances/${processInstanceKey}/cancellation`).send({}).expect(404);
    expect(again.body).toMatchObject({ title: 'NOT_FOUND', status: 404, instance: `/v2/process-instances/${processInstanceKey}/cancellation` });
  });

  it('broadcasts a signal that starts a process with a signal start event', async () => {
    await camunda.createDeployment({ resources: [file('signal.bpmn', BY_SIGNAL)] });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/: "Broadcasts a signal."
    // https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/: "When a signal is broadcast, it triggers all signal start events of the latest process definition versions with the signal name."
    const broadcast = await owner.broadcastSignal({ signalName: 'v2-go', variables: { reason: 'drill' } });
    expect(broadcast).toEqual({ tenantId: '<default>', signalKey: expect.stringMatching(KEY) });
    const { items } = await camunda.searchProcessInstances({ filter: { processDefinitionId: 'v2-by-signal' } }, none);
    expect(items.map((i) => [i.processDefinitionId, i.state])).toEqual([['v2-by-signal', 'ACTIVE']]);
    const instance = await server.http().get(`/api/process-instances/${items[0].processInstanceKey}`).auth(await server.login('admin'), { type: 'bearer' }).expect(200);
    expect(instance.body).toMatchObject({ variables: { reason: 'drill' }, activeElements: [{ elementId: 's1' }] });
    // A signal is not buffered: broadcasting one that nothing waits for answers 200 and starts nothing.
    expect(await camunda.broadcastSignal({ signalName: 'v2-nobody-listens' })).toEqual({ tenantId: '<default>', signalKey: expect.stringMatching(KEY) });
  });

  it('fires a one-day timer when the clock is pinned a day ahead; reset lets time flow on from there', async () => {
    await camunda.createDeployment({ resources: [file('a-day.bpmn', A_DAY)] });
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-a-day') });
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'ACTIVE' });
    const { startDate } = await camunda.getProcessInstance({ processInstanceKey }, none);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/pin-clock/: "Set a precise, static time for the Zeebe engine's internal clock.
    // When the clock is pinned, it remains at the specified time and does not advance."
    const pinned = Date.parse(startDate) + DAY_MS + 60_000;
    await camunda.pinClock({ timestamp: pinned });
    // The answer comes once the timer due by then has fired: the instance ended at the pinned instant.
    expect(await camunda.getProcessInstance({ processInstanceKey }, none)).toMatchObject({ state: 'COMPLETED', endDate: new Date(pinned).toISOString() });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/reset-clock/: "Resets the Zeebe engine's internal clock to the current system time,
    // enabling it to tick in real-time." Mustafid's reset never moves time back: it flows on from the pinned instant.
    await camunda.resetClock();
    const { processInstanceKey: later } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('v2-a-day') });
    const again = await camunda.getProcessInstance({ processInstanceKey: later }, none);
    expect(Date.parse(again.startDate)).toBeGreaterThanOrEqual(pinned);
    await camunda.cancelProcessInstance({ processInstanceKey: later });
  });

  describe('bad input over plain HTTP: the specification\'s 4xx problem, nothing written', () => {
    const count = async () => (await v2().post('/v2/process-instances/search').send({ filter: { processDefinitionId: 'v2-fragile' } }).expect(200)).body.page.totalItems as number;

    it.each([
      ['an unknown field', { processDefinitionId: 'v2-fragile', color: 'red' }, 'property color should not exist'],
      ['variables that are not an object', { processDefinitionId: 'v2-fragile', variables: [1, 2] }, 'variables must be a JSON object'],
      ['both an id and a key', { processDefinitionId: 'v2-fragile', processDefinitionKey: '1' }, 'Give either processDefinitionId (with processDefinitionVersion, or the latest) or processDefinitionKey, not both and not neither'],
      ['a key that is not a number', { processDefinitionKey: 'abc' }, 'processDefinitionKey must be a key: a whole number written as a string, e.g. "2251799813685249"'],
      ['another tenant', { processDefinitionId: 'v2-fragile', tenantId: 'acme' }, 'tenantId is "acme", but Mustafid runs without multi-tenancy: the only tenant is <default> (or leave tenantId out)'],
      ['fetchVariables without awaitCompletion', { processDefinitionId: 'v2-fragile', fetchVariables: ['x'] }, 'fetchVariables names the variables of the result, so it goes with awaitCompletion: true'],
      ['a negative requestTimeout', { processDefinitionId: 'v2-fragile', awaitCompletion: true, requestTimeout: -1 }, 'requestTimeout must be 0 (the default wait) or a number of milliseconds to wait for the instance to complete'],
      ['a requestTimeout over an hour', { processDefinitionId: 'v2-fragile', awaitCompletion: true, requestTimeout: 3_600_001 }, 'requestTimeout must be at most 3600000 ms (an hour)'],
    ])('create-process-instance refuses %s with 400', async (_, body, detail) => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/: "400 The provided data is not valid."
      const before = await count();
      const res = await v2().post('/v2/process-instances').send(body).expect(400);
      expect(res.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail, instance: '/v2/process-instances' });
      expect(await count()).toBe(before);
    });

    it.each([
      ['not a number', 'abc', 'jobKey must be a key: a whole number from -9223372036854775808 to 9223372036854775807 (got "abc")'],
      ['past 64 bits', '9223372036854775808', 'jobKey must be a key: a whole number from -9223372036854775808 to 9223372036854775807 (got "9223372036854775808")'],
    ])('refuses a job key %s with 400, and an unknown one with 404', async (_, key, detail) => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/: "400 The provided data is not valid."; "404 The job with the given key was not found."
      const res = await v2().post(`/v2/jobs/${key}/completion`).send({}).expect(400);
      expect(res.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail, instance: `/v2/jobs/${key}/completion` });
      const unknown = await v2().post('/v2/jobs/9223372036854775807/completion').send({}).expect(404);
      expect(unknown.body).toEqual({
        type: 'about:blank',
        title: 'NOT_FOUND',
        status: 404,
        detail: 'Job 9223372036854775807 was not found',
        instance: '/v2/jobs/9223372036854775807/completion',
      });
    });

    it.each([
      ['a count that is not a number', { type: 'x', maxJobsToActivate: 'ten', timeout: 1000 }, 'maxJobsToActivate must be a whole number from 1 to 1,000'],
      ['a timeout that is not a long', { type: 'x', maxJobsToActivate: 1, timeout: 'soon' }, 'timeout must be a whole number from 1 to 2,592,000,000 (a JSON number or a decimal string)'],
      ['another tenant', { type: 'x', maxJobsToActivate: 1, timeout: 1000, tenantIds: ['acme'] }, 'tenantIds is "acme", but Mustafid runs without multi-tenancy: the only tenant is <default> (or leave tenantIds out)'],
    ])('activate-jobs refuses %s with 400', async (_, body, detail) => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/: "400 The provided data is not valid."
      const res = await v2().post('/v2/jobs/activation').send(body).expect(400);
      expect(res.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail, instance: '/v2/jobs/activation' });
    });

    it('refuses an empty signal name, a clock pinned in the past and a clock route without the admin role', async () => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/: "400 The provided data is not valid."
      const empty = await v2().post('/v2/signals/broadcast').send({ signalName: '' }).expect(400);
      expect(empty.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail: 'signalName is required: the signal name in the diagram', instance: '/v2/signals/broadcast' });
      const tenant = await v2().post('/v2/signals/broadcast').send({ signalName: 'v2-go', tenantId: 'acme' }).expect(400);
      expect(tenant.body.detail).toBe('tenantId is "acme", but Mustafid runs without multi-tenancy: the only tenant is <default> (or leave tenantId out)');
      const auditor = await v2().post('/v2/signals/broadcast', 'auditor').send({ signalName: 'v2-go' }).expect(403);
      expect(auditor.body).toMatchObject({ title: 'FORBIDDEN', status: 403, detail: 'This needs one of these roles: Process owner (process-owner), Administrator (admin)' });
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/pin-clock/: "400 The provided data is not valid."
      const past = await v2().put('/v2/clock').send({ timestamp: Date.parse('2020-01-01T00:00:00Z') }).expect(400);
      expect(past.body).toEqual({
        type: 'about:blank',
        title: 'INVALID_ARGUMENT',
        status: 400,
        detail: expect.stringMatching(/^The clock cannot be pinned at 2020-01-01T00:00:00\.000Z: it already shows \d{4}-\d{2}-\d{2}T[\d:.]+Z, and the engine's time only moves forward$/),
        instance: '/v2/clock',
      });
      const notANumber = await v2().put('/v2/clock').send({ timestamp: 'tomorrow' }).expect(400);
      expect(notANumber.body.detail).toBe('timestamp must be a whole number from 0 to 8,640,000,000,000,000 (a JSON number or a decimal string)');
      const owner = await v2().put('/v2/clock', 'process-owner').send({ timestamp: Date.now() + DAY_MS }).expect(403);
      expect(owner.body).toEqual({ type: 'about:blank', title: 'FORBIDDEN', status: 403, detail: 'This needs one of these roles: Administrator (admin)', instance: '/v2/clock' });
      const reset = await v2().post('/v2/clock/reset', 'process-owner').send().expect(403);
      expect(reset.body).toMatchObject({ title: 'FORBIDDEN', instance: '/v2/clock/reset' });
    });

    it('refuses unsupported search filters, operators and sorts by name', async () => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/: "400 The provided data is not valid."
      const cases: Array<[object, string]> = [
        [{ filter: { color: 'red' } }, 'filter.color is not a filter of the process instance search (its filters are '],
        [{ filter: { processDefinitionId: { $like: 'v2*' } } }, 'filter.processDefinitionId.$like is not supported by Mustafid yet: filter by a value, $eq or $in'],
        [{ filter: { state: 'SLEEPING' } }, 'filter.state must be one of ACTIVE, COMPLETED, TERMINATED'],
        [{ sort: [{ field: 'color' }] }, 'sort[0].field "color" cannot be sorted by: use one of processInstanceKey, '],
        [{ page: { limit: 0 } }, 'page.limit must be a whole number from 1 to 10,000'],
        [{ page: { after: 'bm90LWEtY3Vyc29y' } }, 'page.after must be a cursor this server answered (a page\'s startCursor or endCursor)'],
      ];
      for (const [body, detail] of cases) {
        const res = await v2().post('/v2/process-instances/search').send(body).expect(400);
        expect(res.body).toMatchObject({ title: 'INVALID_ARGUMENT', status: 400, instance: '/v2/process-instances/search' });
        expect(res.body.detail).toContain(detail);
      }
    });

    it('checks Basic credentials as a sign-in: failures are audited and count towards the same lockout', async () => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-authentication/: "Basic authentication";
      // Mustafid's sign-in limit (LOGIN_MAX_FAILURES, 5 by default, per account and address) applies to it alike.
      for (let i = 0; i < 5; i++) await server.http().get('/v2/topology').auth('researcher', `wrong-${i}`).expect(401);
      const locked = await server.http().get('/v2/topology').auth('researcher', DEMO_PASSWORD).expect(429);
      expect(locked.body).toMatchObject({ type: 'about:blank', title: 'TOO_MANY_REQUESTS', status: 429, detail: expect.stringMatching(/^Too many failed sign-in attempts\. Try again in \d+ minute\(s\)\.$/) });
      const signIn = await server.http().post('/api/auth/login').send({ username: 'researcher', password: DEMO_PASSWORD }).expect(429);
      expect(signIn.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      const audit = await server.http().get('/api/audit/events?action=auth.login-failed&actor=researcher').auth(await server.login('auditor'), { type: 'bearer' }).expect(200);
      expect(audit.body.items.map((e: { details: { via?: string } }) => e.details.via)).toEqual(['basic', 'basic', 'basic', 'basic', 'basic']);
      // A client's own parallel calls with the right password count as one sign-in, not as attempts past the limit.
      const parallel = await Promise.all(Array.from({ length: 12 }, () => server.http().get('/v2/topology').auth('registrar', DEMO_PASSWORD)));
      expect(parallel.map((r) => r.status)).toEqual(Array(12).fill(200));
    });

    it('answers 401 for wrong credentials, 403 for a missing role, 404 for routes not served, 400/413 for bodies it cannot read; Basic only under /v2', async () => {
      // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-authentication/: "Basic authentication"; "401 The request lacks valid authentication credentials."
      const wrong = await server.http().get('/v2/topology').auth('admin', 'not-the-password').expect(401);
      expect(wrong.body).toEqual({ type: 'about:blank', title: 'UNAUTHORIZED', status: 401, detail: 'The username or password is not correct', instance: '/v2/topology' });
      const forbidden = await v2().post('/v2/jobs/activation', 'process-owner').send({ type: 'x', maxJobsToActivate: 1, timeout: 1000 }).expect(403);
      expect(forbidden.body).toEqual({ type: 'about:blank', title: 'FORBIDDEN', status: 403, detail: 'This needs one of these roles: Job worker (worker), Administrator (admin)', instance: '/v2/jobs/activation' });
      const api = await server.http().get('/api/me').auth('admin', DEMO_PASSWORD).expect(401);
      expect(api.body.message).toBe("This route takes a session (sign in at /api/auth/login and send the token as Bearer); HTTP Basic is taken only by Camunda's API under /v2");
      const unknown = await v2().post('/v2/decision-instances/search').send({}).expect(404);
      expect(unknown.body).toEqual({
        type: 'about:blank',
        title: 'NOT_FOUND',
        status: 404,
        detail: "Mustafid does not serve POST /v2/decision-instances/search: it serves part of Camunda 8.8's Orchestration Cluster REST API (docs/camunda-compatibility.md lists which routes)",
        instance: '/v2/decision-instances/search',
      });
      const malformed = await v2().post('/v2/process-instances').set('Content-Type', 'application/json').send('{"processDefinitionId":').expect(400);
      expect(malformed.body).toEqual({ type: 'about:blank', title: 'INVALID_ARGUMENT', status: 400, detail: 'The request body is not valid JSON', instance: '/v2/process-instances' });
      // Oversized variables: over BODY_LIMIT (1 MB by default) the body is not read at all.
      const before = await count();
      const huge = await v2().post('/v2/process-instances').send({ processDefinitionId: 'v2-fragile', variables: { blob: 'x'.repeat(1_100_000) } }).expect(413);
      expect(huge.body).toEqual({ type: 'about:blank', title: 'PAYLOAD_TOO_LARGE', status: 413, detail: 'The request body is larger than the 1048576 bytes this server accepts', instance: '/v2/process-instances' });
      expect(await count()).toBe(before);
      await server.http().get('/api/health').expect(200);
    });
  });
});
