import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Camunda8 } from '@camunda8/sdk';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { SHUTDOWN_GRACE_MS } from '@mustafid/zeebe-gateway/zeebe-gateway';
import { bpmn, chain, serviceTask, userTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';
import { ZEEBE_PROTO } from '../support/fake-zeebe';

/**
 * The Zeebe gateway protocol (gRPC) served by the embedded engine on ZEEBE_GATEWAY_PORT, driven by
 * Camunda's own gRPC client (`@camunda8/sdk`'s ZeebeGrpcClient and its job workers) with HTTP
 * Basic credentials of Mustafid's demo accounts. Each case cites the page it follows: the RPCs and
 * their error codes are https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ (cited
 * with the RPC's section). Bad input the SDK refuses to send goes over a plain grpc-js
 * client built from the same zeebe.proto.
 */
const KEY = /^\d{1,19}$/;

/** An order: charged by a job, paid by a message, shipped by a job. */
const ORDER = chain(
  'grpc-order',
  [
    serviceTask('s1', 'grpc-charge'),
    '<bpmn:intermediateCatchEvent id="s2"><bpmn:messageEventDefinition messageRef="paid"/></bpmn:intermediateCatchEvent>',
    serviceTask('s3', 'grpc-ship'),
  ],
  '<bpmn:message id="paid" name="grpc-paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>',
);
/** One job that a worker fails for good. */
const FRAGILE = chain('grpc-fragile', [serviceTask('s1', 'grpc-fragile-work')]);
/** A job whose worker reports a business error, caught by a boundary event. */
const RISKY = bpmn(
  'grpc-risky',
  `<bpmn:startEvent id="start"/>${serviceTask('check', 'grpc-risky-check')}
   <bpmn:boundaryEvent id="rejected" attachedToRef="check"><bpmn:errorEventDefinition errorRef="no-stock"/></bpmn:boundaryEvent>
   <bpmn:endEvent id="done"/><bpmn:endEvent id="refused"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/><bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="done"/>
   <bpmn:sequenceFlow id="f3" sourceRef="rejected" targetRef="refused"/>`,
  '<bpmn:error id="no-stock" name="No stock" errorCode="NO_STOCK"/>',
);
/** Waits for a signal, then ends. */
const SIGNALLED = chain('grpc-signalled', ['<bpmn:intermediateCatchEvent id="s1"><bpmn:signalEventDefinition signalRef="go"/></bpmn:intermediateCatchEvent>'], '<bpmn:signal id="go" name="grpc-go"/>');
/** A person's step, with the form it shows. */
const APPROVAL = chain('grpc-approval', [userTask('s1', '<zeebe:formDefinition formId="grpc-approval-form"/>')]);
const APPROVAL_FORM = { id: 'grpc-approval-form', type: 'default', components: [{ key: 'approved', label: 'Approved', type: 'checkbox' }] };
/** A business rule task calling the decision deployed with it. */
const RULES = chain('grpc-rules', [
  '<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="grpc_fee" resultVariable="fee" bindingType="deployment"/></bpmn:extensionElements></bpmn:businessRuleTask>',
]);
const FEES = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="grpc_fees" name="Fees" namespace="http://mustafid.test">
  <decision id="grpc_fee" name="Fee"><variable id="grpc_fee_v" name="grpc_fee"/><literalExpression id="grpc_fee_e"><text>amount * 2</text></literalExpression></decision>
</definitions>`;
/** An AI agent as Camunda models one: an ad-hoc sub-process with a job worker implementation, one tool inside. */
const AGENT = bpmn(
  'grpc-agent',
  `<bpmn:startEvent id="start"/>
   <bpmn:adHocSubProcess id="agent"><bpmn:extensionElements><zeebe:taskDefinition type="grpc-agent"/><zeebe:adHoc outputCollection="toolCallResults" outputElement="=toolCallResult"/></bpmn:extensionElements>
     <bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="grpc-lookup"/>
       <zeebe:ioMapping><zeebe:input source="=fromAi(toolCall.caseNumber, &quot;The case to look up&quot;)" target="caseNumber"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>
   </bpmn:adHocSubProcess><bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="agent"/><bpmn:sequenceFlow id="f2" sourceRef="agent" targetRef="end"/>`,
);

/** zbctl, the Zeebe CLI, as the `zbctl` npm package ships it (a Go binary per platform). */
const ZBCTL = join(
  dirname(createRequire(join(process.cwd(), 'package.json')).resolve('zbctl/package.json')),
  'bin',
  ({ linux: 'zbctl-cli.linux', darwin: 'zbctl-cli.darwin', win32: 'zbctl-cli.exe' } as Record<string, string>)[process.platform] ?? 'zbctl-cli.linux',
);

/** A gRPC error as the client sees it: its status code and details. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await call;
  } catch (e) {
    const { code, details } = e as grpc.ServiceError;
    return { code, details };
  }
  throw new Error('expected the call to be refused');
}

describe('Zeebe gateway (gRPC) with Camunda\'s SDK', () => {
  let server: TestServer;
  let port: number;
  const sdks: Camunda8[] = [];

  /** Camunda's gRPC client for a Mustafid account, configured as its README says (no retries, so each refusal shows). */
  const zeebe = (username = 'admin', password = DEMO_PASSWORD) => {
    const sdk = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: username,
      CAMUNDA_BASIC_AUTH_PASSWORD: password,
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    });
    sdks.push(sdk);
    return sdk.getZeebeGrpcApiClient();
  };
  let admin: ReturnType<typeof zeebe>;
  /** The orders the charge worker charged, by orderId. */
  const charged: string[] = [];
  let owner: ReturnType<typeof zeebe>;

  /** A plain grpc-js client of the same zeebe.proto, for what the SDK will not send. */
  let raw: grpc.Client & Record<string, (request: object, metadata: grpc.Metadata, callback: (e: grpc.ServiceError | null, response: unknown) => void) => void>;
  const basic = (username = 'admin', password = DEMO_PASSWORD) => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`);
    return metadata;
  };
  const call = <T = Record<string, unknown>>(method: string, request: object, metadata = basic()) =>
    new Promise<T>((resolve, reject) => raw[method](request, metadata, (e, response) => (e ? reject(e) : resolve(response as T))));

  /** An instance as the engine port reads it (state, variables, where it waits). */
  const instance = (key: string) => server.app.get<WorkflowEngine>(WORKFLOW_ENGINE).getInstance(key);

  beforeAll(async () => {
    server = await startTestServer({ env: { ZEEBE_GATEWAY_PORT: '0' } });
    port = server.app.get(ZeebeGateway).port!;
    admin = zeebe('admin');
    owner = zeebe('process-owner');
    const Gateway = (grpc.loadPackageDefinition(protoLoader.loadSync(ZEEBE_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })) as never as {
      gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
    }).gateway_protocol.Gateway;
    raw = new Gateway(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as typeof raw;
    await owner.deployResources([
      { name: 'order.bpmn', process: Buffer.from(ORDER) },
      { name: 'fragile.bpmn', process: Buffer.from(FRAGILE) },
      { name: 'risky.bpmn', process: Buffer.from(RISKY) },
      { name: 'signalled.bpmn', process: Buffer.from(SIGNALLED) },
      { name: 'wait.bpmn', process: Buffer.from(chain('grpc-wait', [serviceTask('s1', 'grpc-wait-work')])) },
    ]);
    // The order's job workers, for every test that runs an order (each test also runs alone).
    admin.createWorker({
      taskType: 'grpc-charge',
      loglevel: 'NONE',
      taskHandler: (job) => {
        charged.push(String(job.variables.orderId));
        return job.complete({ charged: true });
      },
    });
    admin.createWorker({ taskType: 'grpc-ship', loglevel: 'NONE', taskHandler: (job) => job.complete({ shipped: job.variables.paidBy }) });
  });
  afterAll(async () => {
    raw?.close();
    for (const sdk of sdks) await sdk.getZeebeGrpcApiClient().close().catch(() => undefined);
    await server?.close();
  });

  it('answers topology: this server, one partition', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "Topology RPC": "Obtains the current topology of the cluster the gateway is part of."
    const topology = await admin.topology();
    expect(topology).toMatchObject({ clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0' });
    expect(topology.brokers).toEqual([expect.objectContaining({ nodeId: 0, version: '8.8.0', partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }] })]);
  });

  it('deploys a diagram, the decision it calls and the form it shows in one request; the same content again keeps the versions', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "DeployResource RPC": "Deploys one or more resources (e.g. processes, decision models or forms) to Zeebe. Note that
    // this is an atomic call, i.e. either all resources are deployed, or none of them are."
    const resources = [
      { name: 'rules.bpmn', process: Buffer.from(RULES) },
      { name: 'fees.dmn', decision: Buffer.from(FEES) },
      { name: 'approval.bpmn', process: Buffer.from(APPROVAL) },
      { name: 'approval.form', form: Buffer.from(JSON.stringify(APPROVAL_FORM)) },
    ];
    const first = await owner.deployResources(resources);
    expect(first).toMatchObject({ key: expect.stringMatching(KEY), tenantId: '<default>' });
    const [rules, approval, decision, graph, form] = first.deployments as Array<Record<string, Record<string, unknown>>>;
    expect(rules.process).toEqual({ bpmnProcessId: 'grpc-rules', version: 1, processDefinitionKey: expect.stringMatching(KEY), resourceName: 'rules.bpmn', tenantId: '<default>' });
    expect(approval.process).toMatchObject({ bpmnProcessId: 'grpc-approval', version: 1, resourceName: 'approval.bpmn' });
    expect(decision.decision).toEqual({
      dmnDecisionId: 'grpc_fee',
      dmnDecisionName: 'Fee',
      version: 1,
      decisionKey: expect.stringMatching(KEY),
      dmnDecisionRequirementsId: 'grpc_fees',
      decisionRequirementsKey: graph.decisionRequirements.decisionRequirementsKey,
      tenantId: '<default>',
    });
    expect(graph.decisionRequirements).toMatchObject({ dmnDecisionRequirementsId: 'grpc_fees', dmnDecisionRequirementsName: 'Fees', version: 1, resourceName: 'fees.dmn' });
    expect(form.form).toEqual({ formId: 'grpc-approval-form', version: 1, formKey: expect.stringMatching(KEY), resourceName: 'approval.form', tenantId: '<default>' });

    // The decision deployed with the diagram answers its business rule task; CreateProcessInstanceWithResult waits for the end.
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CreateProcessInstanceWithResult RPC": "the response is returned when the process is completed".
    const result = await owner.createProcessInstanceWithResult({ bpmnProcessId: 'grpc-rules', variables: { amount: 21, other: true }, fetchVariables: ['fee'] });
    expect(result).toMatchObject({ bpmnProcessId: 'grpc-rules', version: 1, processInstanceKey: expect.stringMatching(KEY), variables: { fee: 42 } });

    // The form is the one the new process version shows (the modeler's view of a version's forms).
    const token = await server.login('process-owner');
    const forms = await server.http().get(`/api/modeling/versions/${String(approval.process.processDefinitionKey)}/forms`).set('authorization', `Bearer ${token}`).expect(200);
    expect(forms.body).toEqual({ forms: { 'grpc-approval-form': APPROVAL_FORM } });

    const again = await owner.deployResources(resources);
    expect(again.key).not.toBe(first.key);
    expect((again.deployments as Array<Record<string, Record<string, unknown>>>).map((d) => Object.values(d).find((v) => v && typeof v === 'object')?.version)).toEqual([1, 1, 1, 1, 1]);
    expect((again.deployments[4] as Record<string, Record<string, unknown>>).form.formKey).toBe(form.form.formKey);
  });

  it('creates instances by process id, by version and by definition key; its job workers complete the service tasks and a published message moves it on', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CreateProcessInstance RPC": "The process definition to use to create the instance can be specified either using its
    // unique key (as returned by DeployProcess), or using the BPMN process ID and a version. Pass -1 as the version to use the latest".
    // https://docs.camunda.io/docs/components/concepts/job-workers/: a worker activates jobs of its type and completes them with variables.
    const first = await owner.createProcessInstance({ bpmnProcessId: 'grpc-order', variables: { orderId: 'A-1' } });
    expect(first).toMatchObject({ bpmnProcessId: 'grpc-order', version: 1, processInstanceKey: expect.stringMatching(KEY), tenantId: '<default>' });
    const byVersion = await owner.createProcessInstance({ bpmnProcessId: 'grpc-order', version: 1, variables: { orderId: 'A-2' } });
    const byKey = await call<{ processInstanceKey: string; bpmnProcessId: string }>(
      'CreateProcessInstance',
      { processDefinitionKey: first.processDefinitionKey, variables: JSON.stringify({ orderId: 'A-3' }) },
      basic('process-owner'),
    );
    expect(byKey).toMatchObject({ bpmnProcessId: 'grpc-order', processInstanceKey: expect.stringMatching(KEY) });

    const keys = [first.processInstanceKey, byVersion.processInstanceKey, byKey.processInstanceKey];
    // Charged, each waits for its payment at s2.
    await eventually(async () => (await Promise.all(keys.map(instance))).every((i) => i.activeElements.some((e) => e.elementId === 's2')), 'the orders waiting for payment');
    expect(charged.filter((id) => id.startsWith('A-')).sort()).toEqual(['A-1', 'A-2', 'A-3']);
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "PublishMessage RPC": "Publishes a single message." https://docs.camunda.io/docs/components/concepts/messages/: a message
    // is correlated to the subscription with its name and correlation key.
    const published = await owner.publishMessage({ name: 'grpc-paid', correlationKey: 'A-2', variables: { paidBy: 'card' }, timeToLive: 0 });
    expect(published).toEqual({ key: expect.stringMatching(KEY), tenantId: '<default>' });
    await eventually(async () => (await instance(byVersion.processInstanceKey)).state === 'COMPLETED', 'order A-2 to complete');
    expect((await instance(byVersion.processInstanceKey)).variables).toEqual({ orderId: 'A-2', charged: true, paidBy: 'card', shipped: 'card' });
    expect((await instance(first.processInstanceKey)).state).toBe('ACTIVE');
  });

  it('buffers a message with a time to live for an instance that subscribes later; a second message with its id is ALREADY_EXISTS', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "PublishMessage RPC": "timeToLive: how long the message should be buffered on the broker"; "GRPC_STATUS_ALREADY_EXISTS:
    // A message with the same ID was previously published (and is still alive)."
    const message = { name: 'grpc-paid', correlationKey: 'B-1', messageId: 'payment-B-1', variables: { paidBy: 'transfer' }, timeToLive: 60_000 };
    await owner.publishMessage(message);
    expect(await refusal(owner.publishMessage(message))).toEqual({ code: grpc.status.ALREADY_EXISTS, details: expect.stringContaining("messageId 'payment-B-1' was already published") });
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-order', variables: { orderId: 'B-1' } });
    await eventually(async () => (await instance(processInstanceKey)).state === 'COMPLETED', 'order B-1 to take the buffered payment and complete');
    expect((await instance(processInstanceKey)).variables).toMatchObject({ paidBy: 'transfer', shipped: 'transfer' });
  });

  it('fails a job with a back-off, then for good into an incident; new retries and the incident resolved, the worker completes it', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "FailJob RPC": "If the retry back off is positive the job becomes activatable once the back off timeout has passed.
    // If the retries argument is zero or negative, an incident is raised, tagged with the given errorMessage".
    const attempts: number[] = [];
    admin.createWorker({
      taskType: 'grpc-fragile-work',
      loglevel: 'NONE',
      pollInterval: 100,
      taskHandler: (job) => {
        attempts.push(Date.now());
        if (attempts.length === 1) return job.fail({ errorMessage: 'the bank is closed', retries: 1, retryBackOff: 500 });
        if (attempts.length === 2) return job.fail({ errorMessage: 'the bank is still closed', retries: 0 });
        return job.complete({ repaired: true });
      },
    });
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-fragile', variables: {} });
    const incidents = async () =>
      (await server.http().post('/v2/incidents/search').auth('admin', DEMO_PASSWORD).send({ filter: { processInstanceKey } }).expect(200)).body.items as Array<Record<string, string>>;
    const [incident] = await eventually(async () => {
      const found = await incidents();
      return found.length > 0 && found;
    }, 'an incident of the failed job');
    expect(attempts).toHaveLength(2);
    expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(500);
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'the bank is still closed', state: 'ACTIVE' });
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CompleteJob RPC": "GRPC_STATUS_FAILED_PRECONDITION: The job was marked as failed. In that case, the related incident
    // must be resolved before the job can be activated again and completed."
    expect((await refusal(admin.completeJob({ jobKey: incident.jobKey, variables: {} }))).code).toBe(grpc.status.FAILED_PRECONDITION);
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "UpdateJobRetries RPC" and "ResolveIncident RPC": "most likely a call to UpdateJobRetries or SetVariables will be
    // necessary to actually resolve the problem, followed by this call."
    expect((await refusal(owner.updateJobRetries({ jobKey: incident.jobKey, retries: 0 }))).code).toBe(grpc.status.INVALID_ARGUMENT);
    await owner.updateJobRetries({ jobKey: incident.jobKey, retries: 1 });
    await owner.resolveIncident({ incidentKey: incident.incidentKey });
    await eventually(async () => (await instance(processInstanceKey)).state === 'COMPLETED', 'the repaired job to complete');
    expect(attempts).toHaveLength(3);
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "ResolveIncident RPC": "GRPC_STATUS_NOT_FOUND: No incident with the given key exists."
    expect((await refusal(owner.resolveIncident({ incidentKey: incident.incidentKey }))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('throws a BPMN error from a job that the boundary event catches', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "ThrowError RPC": "The error is handled in the process by an error catch event."
    // https://docs.camunda.io/docs/components/modeler/bpmn/error-events/: an error boundary event catches the error code thrown by the job.
    admin.createWorker({ taskType: 'grpc-risky-check', loglevel: 'NONE', taskHandler: (job) => job.error({ errorCode: 'NO_STOCK', errorMessage: 'out of stock', variables: { shortBy: 3 } }) });
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-risky', variables: {} });
    await eventually(async () => (await instance(processInstanceKey)).state === 'COMPLETED', 'the refused order to end');
    const events = await server.app.get<WorkflowEngine>(WORKFLOW_ENGINE).getInstanceEvents(processInstanceKey);
    const completed = events.filter((e) => e.intent === 'ELEMENT_COMPLETED').map((e) => e.elementId);
    expect(completed).toContain('refused');
    expect(completed).not.toContain('done');
  });

  it('broadcasts a signal that a waiting instance catches', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "BroadcastSignal RPC": "Broadcasts a signal." https://docs.camunda.io/docs/components/modeler/bpmn/signal-events/:
    // a signal intermediate catch event is triggered by a broadcast of its signal name.
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-signalled', variables: {} });
    await eventually(async () => (await instance(processInstanceKey)).activeElements.some((e) => e.elementId === 's1'), 'the instance waiting for the signal');
    const broadcast = await owner.broadcastSignal({ signalName: 'grpc-go', variables: { why: 'drill' } });
    expect(broadcast).toEqual({ key: expect.stringMatching(KEY), tenantId: '<default>' });
    await eventually(async () => (await instance(processInstanceKey)).state === 'COMPLETED', 'the signalled instance to end');
    expect((await instance(processInstanceKey)).variables).toEqual({ why: 'drill' });
  });

  it('sets variables on an instance, then cancels it; both are NOT_FOUND once it is gone', async () => {
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-order', variables: { orderId: 'C-1' } });
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "SetVariables RPC": "elementInstanceKey: ... can be the process instance key".
    const set = await call<{ key: string }>('SetVariables', { elementInstanceKey: processInstanceKey, variables: JSON.stringify({ note: 'gift wrap', orderId: 'C-1b' }) }, basic('process-owner'));
    expect(set.key).toMatch(KEY);
    await owner.setVariables({ elementInstanceKey: processInstanceKey, variables: { priority: 'high' }, local: true });
    expect((await instance(processInstanceKey)).variables).toMatchObject({ orderId: 'C-1b', note: 'gift wrap', priority: 'high' });
    // An active element instance's own scope takes them too (local): not the root's (test/e2e/camunda-v2-elements.e2e.test.ts covers the scopes).
    const element = await eventually(async () => (await instance(processInstanceKey)).activeElements.find((e) => e.elementId === 's2'), 'the order waiting for payment');
    await owner.setVariables({ elementInstanceKey: element.elementInstanceKey, variables: { x: 1 }, local: true });
    expect((await instance(processInstanceKey)).variables).not.toHaveProperty('x');
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CancelProcessInstance RPC": "Cancels a running process instance." "GRPC_STATUS_NOT_FOUND: No process instance exists
    // with the given key. Note that since process instances are removed once they are finished, it could mean the instance did exist".
    await admin.cancelProcessInstance(processInstanceKey);
    expect((await instance(processInstanceKey)).state).toBe('CANCELED');
    expect((await refusal(admin.cancelProcessInstance(processInstanceKey))).code).toBe(grpc.status.NOT_FOUND);
    expect((await refusal(owner.setVariables({ elementInstanceKey: processInstanceKey, variables: { late: true }, local: false }))).code).toBe(grpc.status.NOT_FOUND);
    // Cancelling asks for an administrator, as POST /v2/process-instances/{key}/cancellation does.
    expect((await refusal(owner.cancelProcessInstance(processInstanceKey))).code).toBe(grpc.status.PERMISSION_DENIED);
  });

  it('long-polls: an activation waits for a job and answers as soon as one appears; requestTimeout bounds the wait', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "ActivateJobs RPC": "The request will be completed when at least one job is activated or after the requestTimeout (in
    // ms)." "If requestTimeout is set to a value less than 0, long polling is disabled and the request completes immediately".
    const asked = Date.now();
    const waiting = admin.activateJobs({ type: 'grpc-wait-work', worker: 'poller', maxJobsToActivate: 5, timeout: 60_000, requestTimeout: 20_000, fetchVariable: ['wanted'], tenantIds: [] });
    await new Promise((r) => setTimeout(r, 300));
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-wait', variables: { wanted: 'yes', other: 'no' } });
    const jobs = await waiting;
    const waited = Date.now() - asked;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: 'grpc-wait-work', processInstanceKey, bpmnProcessId: 'grpc-wait', elementId: 's1', worker: 'poller', retries: 3, variables: { wanted: 'yes' } });
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(10_000);
    await admin.completeJob({ jobKey: jobs[0].key, variables: {} });

    const none = Date.now();
    expect(await admin.activateJobs({ type: 'grpc-wait-work', worker: 'poller', maxJobsToActivate: 1, timeout: 1000, requestTimeout: -1, tenantIds: [] })).toEqual([]);
    expect(Date.now() - none).toBeLessThan(1000);
    const bounded = Date.now();
    expect(await admin.activateJobs({ type: 'grpc-wait-work', worker: 'poller', maxJobsToActivate: 1, timeout: 1000, requestTimeout: 400, tenantIds: [] })).toEqual([]);
    expect(Date.now() - bounded).toBeGreaterThanOrEqual(400);
  });

  it('streams activated jobs to a stream worker as they are created (StreamActivatedJobs)', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "StreamActivatedJobs RPC": "Opens a long living stream for the given job type, worker name, job timeout, and fetch
    // variables. This will cause available jobs in the engine to be activated and pushed down this stream."
    await owner.deployResource({ name: 'streamed.bpmn', process: Buffer.from(chain('grpc-streamed', [serviceTask('s1', 'grpc-streamed-work')])) });
    // At the wire: a job created after the stream opened is pushed down it.
    const wire = (raw as unknown as { StreamActivatedJobs: (r: object, m: grpc.Metadata) => grpc.ClientReadableStream<Record<string, string>> }).StreamActivatedJobs(
      { type: 'grpc-streamed-work', worker: 'wire', timeout: 60_000, fetchVariable: ['n'] },
      basic(),
    );
    const pushed = new Promise<Record<string, string>>((resolve) => wire.once('data', resolve));
    wire.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const early = await owner.createProcessInstance({ bpmnProcessId: 'grpc-streamed', variables: { n: 0, secret: 'x' } });
    const job = await pushed;
    expect(job).toMatchObject({ processInstanceKey: early.processInstanceKey, type: 'grpc-streamed-work', worker: 'wire', elementId: 's1', tenantId: '<default>' });
    expect(JSON.parse(job.variables)).toEqual({ n: 0 });
    expect(Number(job.deadline)).toBeGreaterThan(Date.now() + 50_000);
    wire.cancel();
    await admin.completeJob({ jobKey: job.key, variables: {} });

    // Camunda's stream worker (ZeebeGrpcClient.streamJobs) on top of it.
    const seen: string[] = [];
    const streamer = await admin.streamJobs({
      type: 'grpc-streamed-work',
      worker: 'streamer',
      timeout: 60_000,
      tenantIds: ['<default>'],
      taskHandler: (job) => {
        seen.push(String(job.variables.n));
        return job.complete({ streamed: true });
      },
    });
    const keys: string[] = [];
    for (const n of [1, 2, 3]) keys.push((await owner.createProcessInstance({ bpmnProcessId: 'grpc-streamed', variables: { n } })).processInstanceKey);
    await eventually(async () => (await Promise.all(keys.map(instance))).every((i) => i.state === 'COMPLETED'), 'the streamed jobs to complete');
    expect(seen.sort()).toEqual(['1', '2', '3']);
    streamer.close();
  });

  it('completes an ad-hoc sub-process\'s job with a result, as a client built on 8.8\'s gateway.proto sends it', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CompleteJob RPC": "JobResult ... activateElements: The list of elements that should be activated after the job is
    // completed. Only applicable for ad-hoc subprocesses." https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
    // ("Job worker implementation"). The SDK's zeebe.proto predates `result`, so this client is built from the 8.8 message.
    await owner.deployResource({ name: 'agent.bpmn', process: Buffer.from(AGENT) });
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-agent', variables: {} });
    const activate = async (type: string) => (await admin.activateJobs({ type, worker: 'agent', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000, tenantIds: [] }))[0];
    const agent = await activate('grpc-agent');
    const client88 = completeJob88(port);
    try {
      await client88.complete(
        { jobKey: agent.key, variables: '{}', result: { type: 'adHocSubProcess', activateElements: [{ elementId: 'lookup', variables: JSON.stringify({ toolCall: { caseNumber: 'C-17' } }) }] } },
        basic(),
      );
      const lookup = await activate('grpc-lookup');
      expect(lookup.variables).toMatchObject({ caseNumber: 'C-17' });
      await admin.completeJob({ jobKey: lookup.key, variables: { toolCallResult: 'open since May' } });
      const again = await activate('grpc-agent');
      expect(again.variables.toolCallResults).toEqual(['open since May']);
      // A user task listener's denial is refused: Mustafid runs no task listeners.
      const denied = await refusal(client88.complete({ jobKey: again.key, variables: '{}', result: { denied: true, deniedReason: 'no' } }, basic()));
      expect(denied).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('Mustafid runs no task listeners') });
      await client88.complete({ jobKey: again.key, variables: '{"answer": "C-17 is open"}', result: { type: 'adHocSubProcess', isCompletionConditionFulfilled: true } }, basic());
      await eventually(async () => (await instance(processInstanceKey)).state === 'COMPLETED', 'the agent to finish');
    } finally {
      client88.close();
    }
  });

  it('refuses bad input with Zeebe\'s status codes and a message a person understands, writing nothing', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CreateProcessInstance RPC" errors: "GRPC_STATUS_NOT_FOUND: No process with the given process ID exists".
    const unknown = await refusal(owner.createProcessInstance({ bpmnProcessId: 'grpc-no-such-process', variables: {} }));
    expect(unknown).toEqual({ code: grpc.status.NOT_FOUND, details: 'No process grpc-no-such-process is deployed' });
    // "GRPC_STATUS_INVALID_ARGUMENT: The given variables argument is not a valid JSON document; it is expected to be a valid JSON
    // document where the root node is an object." Nothing is started.
    const before = (await server.app.get<WorkflowEngine>(WORKFLOW_ENGINE).searchProcessInstances({ filter: { processDefinitionIds: ['grpc-fragile'] }, page: { from: 0, limit: 1 } })).total;
    for (const variables of ['[1, 2]', '{"unclosed": ', '"text"', '{"__proto__": {"polluted": true}}']) {
      const bad = await refusal(call('CreateProcessInstance', { bpmnProcessId: 'grpc-fragile', version: -1, variables }, basic('process-owner')));
      expect(bad.code, variables).toBe(grpc.status.INVALID_ARGUMENT);
      expect(bad.details, variables).toMatch(/^variables/);
    }
    const after = (await server.app.get<WorkflowEngine>(WORKFLOW_ENGINE).searchProcessInstances({ filter: { processDefinitionIds: ['grpc-fragile'] }, page: { from: 0, limit: 1 } })).total;
    expect(after).toBe(before);
    // "GRPC_STATUS_NOT_FOUND: No job exists with the given job key. Note that since jobs are removed once completed, it could be that
    // this job did exist at some point."
    const { processInstanceKey } = await owner.createProcessInstance({ bpmnProcessId: 'grpc-wait', variables: {} });
    const [job] = await admin.activateJobs({ type: 'grpc-wait-work', worker: 'once', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000, tenantIds: [] });
    expect(job.processInstanceKey).toBe(processInstanceKey);
    await admin.completeJob({ jobKey: job.key, variables: {} });
    expect((await refusal(admin.completeJob({ jobKey: job.key, variables: {} }))).code).toBe(grpc.status.NOT_FOUND);
    // Start instructions and other tenants are not offered.
    const instructions = await refusal(call('CreateProcessInstance', { bpmnProcessId: 'grpc-fragile', version: -1, startInstructions: [{ elementId: 's1' }] }, basic('process-owner')));
    expect(instructions).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('startInstructions are not supported by Mustafid') });
    const tenant = await refusal(owner.createProcessInstance({ bpmnProcessId: 'grpc-fragile', variables: {}, tenantId: 'acme' }));
    expect(tenant).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('Mustafid runs without multi-tenancy') });
    // A diagram that is not BPMN, and a file of no known kind.
    const broken = await refusal(owner.deployResource({ name: 'broken.bpmn', process: Buffer.from('<definitions/>') }));
    expect(broken.code).toBe(grpc.status.INVALID_ARGUMENT);
    const other = await refusal(call('DeployResource', { resources: [{ name: 'notes.txt', content: Buffer.from('hello') }] }, basic('process-owner')));
    expect(other).toEqual({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('notes.txt is neither a BPMN diagram') });
    // A message larger than the server takes (BODY_LIMIT or DEPLOYMENT_MAX_BYTES): refused before it is read.
    const huge = await refusal(call('DeployResource', { resources: [{ name: 'huge.bpmn', content: Buffer.alloc(7 * 1024 * 1024, 32) }] }, basic('process-owner')));
    expect(huge.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  it('authenticates every call as /v2 does: UNAUTHENTICATED without valid credentials, PERMISSION_DENIED without the role', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/zeebe-api-authentication/ : the client sends its credentials with each call;
    // gRPC's UNAUTHENTICATED and PERMISSION_DENIED (https://grpc.io/docs/guides/status-codes/) answer a missing or wrong one.
    const wrong = await refusal(zeebe('admin', 'not-the-password').topology());
    expect(wrong).toEqual({ code: grpc.status.UNAUTHENTICATED, details: 'The username or password is not correct' });
    const none = await refusal(call('Topology', {}, new grpc.Metadata()));
    expect(none).toEqual({ code: grpc.status.UNAUTHENTICATED, details: expect.stringContaining('Sign in first') });
    // A session token of the web UI is a Bearer token, as /v2 takes it.
    const bearer = new grpc.Metadata();
    bearer.set('authorization', `Bearer ${await server.login('auditor')}`);
    expect(await call('Topology', {}, bearer)).toMatchObject({ clusterSize: 1 });
    const stale = new grpc.Metadata();
    stale.set('authorization', 'Bearer not-a-session');
    expect((await refusal(call('Topology', {}, stale))).code).toBe(grpc.status.UNAUTHENTICATED);
    // A client's calls arrive in parallel (a worker polls while it completes jobs): its own calls never lock it out, also the
    // first ones, sent before any was checked (the sign-in limit counts failures: LOGIN_MAX_FAILURES, 5, per account and address).
    const burst = await Promise.allSettled(Array.from({ length: 20 }, () => call('Topology', {}, basic('manager'))));
    expect(burst.map((r) => r.status)).toEqual(Array(20).fill('fulfilled'));
    // Deploying asks for a process owner or an administrator, as POST /v2/deployments does.
    const officer = await refusal(zeebe('reception').deployResource({ name: 'x.bpmn', process: Buffer.from(FRAGILE) }));
    expect(officer).toEqual({ code: grpc.status.PERMISSION_DENIED, details: 'This needs one of these roles: Process owner (process-owner), Administrator (admin)' });
    // Working jobs asks for an administrator (as /v2/jobs/activation).
    expect((await refusal(owner.activateJobs({ type: 'grpc-wait-work', worker: 'w', maxJobsToActivate: 1, timeout: 1000, requestTimeout: -1, tenantIds: [] }))).code).toBe(
      grpc.status.PERMISSION_DENIED,
    );
  });

  it('answers UNIMPLEMENTED, saying so, for the RPCs Mustafid does not serve', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "ModifyProcessInstance RPC": not offered by the embedded engine's port
    // (EvaluateDecision, DeleteResource and UpdateJobTimeout are: camunda-v2-definitions and camunda-v2-elements e2e tests).
    const modify = await refusal(call('ModifyProcessInstance', { processInstanceKey: '2251799813685249' }));
    expect(modify).toEqual({ code: grpc.status.UNIMPLEMENTED, details: 'ModifyProcessInstance is not supported by Mustafid' });
    // Unauthenticated callers learn nothing, not even what is unsupported.
    expect((await refusal(call('ModifyProcessInstance', { processInstanceKey: '1' }, new grpc.Metadata()))).code).toBe(grpc.status.UNAUTHENTICATED);
  });
  it('serves zbctl, the Zeebe CLI (a Go client of the protocol): it deploys a diagram and starts an instance', async () => {
    // https://docs.camunda.io/docs/apis-tools/community-clients/cli-client/: zbctl is "designed for regular maintenance jobs such as:
    // deploying resources, creating jobs and process instances". zbctl signs in with OAuth client credentials only: here a
    // machine client an administrator created (POST /api/clients, role process-owner), at Mustafid's own token endpoint.
    const adminToken = await server.login('admin');
    const client = await server.http().post('/api/clients').auth(adminToken, { type: 'bearer' }).send({ name: 'zbctl', roles: ['process-owner'] }).expect(201);
    const dir = mkdtempSync(join(tmpdir(), 'mustafid-zbctl-'));
    try {
      writeFileSync(join(dir, 'cli.bpmn'), chain('grpc-cli', [serviceTask('s1', 'grpc-cli-work')]));
      const zbctl = async (...args: string[]) => {
        const connection = ['--address', `127.0.0.1:${port}`, '--insecure', '--clientId', client.body.clientId, '--clientSecret', client.body.clientSecret];
        const oauth = ['--authzUrl', `${server.url}/oauth/token`, '--audience', 'zeebe-api', '--clientCache', join(dir, 'credentials')];
        const { stdout } = await promisify(execFile)(ZBCTL, [...args, ...connection, ...oauth], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, timeout: 30_000 });
        return JSON.parse(stdout) as Record<string, unknown>;
      };
      const deployed = await zbctl('deploy', 'resource', 'cli.bpmn');
      expect(deployed).toMatchObject({ key: expect.stringMatching(KEY), deployments: [{ process: { bpmnProcessId: 'grpc-cli', version: 1, resourceName: 'cli.bpmn' } }] });
      const created = await zbctl('create', 'instance', 'grpc-cli', '--variables', '{"orderId": "Z-1"}');
      expect(created).toMatchObject({ bpmnProcessId: 'grpc-cli', version: 1, processInstanceKey: expect.stringMatching(KEY) });
      const started = await instance(String(created.processInstanceKey));
      expect(started).toMatchObject({ state: 'ACTIVE', variables: { orderId: 'Z-1' } });
      expect(started.activeElements.map((e) => e.elementId)).toEqual(['s1']);
      // The audit log names the machine client as the one who deployed.
      const audit = await server.http().get('/api/audit/events?action=process.deployed&actor=client:zbctl').auth(adminToken, { type: 'bearer' }).expect(200);
      expect(audit.body.items.map((e: { details: { bpmnProcessId?: string } }) => e.details.bpmnProcessId)).toContain('grpc-cli');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with the server: long polls and job streams end at once, and the gateway comes back with it', async () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "ActivateJobs RPC": a long poll lasts up to requestTimeout;
    // a stopping server ends it early (as a gateway shutting down does), so workers move on.
    const ended = (stream: grpc.ClientReadableStream<unknown>) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        stream.on('data', () => undefined);
        stream.on('error', () => resolve(Date.now() - started));
        stream.on('end', () => resolve(Date.now() - started));
      });
    const open = raw as unknown as Record<'ActivateJobs' | 'StreamActivatedJobs', (r: object, m: grpc.Metadata) => grpc.ClientReadableStream<unknown>>;
    const polling = ended(open.ActivateJobs({ type: 'grpc-never', worker: 'late', maxJobsToActivate: 1, timeout: 1000, requestTimeout: 60_000 }, basic()));
    const streaming = ended(open.StreamActivatedJobs({ type: 'grpc-never', worker: 'late', timeout: 1000 }, basic()));
    await new Promise((r) => setTimeout(r, 300));
    await server.restart();
    expect(await polling).toBeLessThan(SHUTDOWN_GRACE_MS);
    expect(await streaming).toBeLessThan(SHUTDOWN_GRACE_MS);
    port = server.app.get(ZeebeGateway).port!;
    expect(await zeebe('auditor').topology()).toMatchObject({ clusterSize: 1 });
  });
});

/** 8.8's CompleteJobRequest with its JobResult (docs "Zeebe API RPCs" › CompleteJob), as a Java or Go client of 8.8 encodes it. */
function completeJob88(port: number) {
  const definition = protoLoader.fromJSON(
    {
      nested: {
        gateway_protocol: {
          nested: {
            CompleteJobRequest: { fields: { jobKey: { type: 'int64', id: 1 }, variables: { type: 'string', id: 2 }, result: { type: 'JobResult', id: 3 } } },
            JobResult: {
              fields: {
                denied: { type: 'bool', id: 1 },
                corrections: { type: 'JobResultCorrections', id: 2 },
                deniedReason: { type: 'string', id: 3 },
                type: { type: 'string', id: 4 },
                activateElements: { rule: 'repeated', type: 'JobResultActivateElement', id: 5 },
                isCompletionConditionFulfilled: { type: 'bool', id: 6 },
                isCancelRemainingInstances: { type: 'bool', id: 7 },
              },
            },
            JobResultCorrections: { fields: { assignee: { type: 'string', id: 1 }, priority: { type: 'int32', id: 6 } } },
            JobResultActivateElement: { fields: { elementId: { type: 'string', id: 1 }, variables: { type: 'string', id: 2 } } },
            CompleteJobResponse: { fields: {} },
            Gateway: { methods: { CompleteJob: { requestType: 'CompleteJobRequest', responseType: 'CompleteJobResponse', comment: '' } } },
          },
        },
      },
    },
    { keepCase: true, longs: String, defaults: false },
  );
  const Gateway = (grpc.loadPackageDefinition(definition) as never as { gateway_protocol: { Gateway: grpc.ServiceClientConstructor } }).gateway_protocol.Gateway;
  const client = new Gateway(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
    CompleteJob: (request: object, metadata: grpc.Metadata, callback: (e: grpc.ServiceError | null) => void) => void;
  };
  return {
    complete: (request: object, metadata: grpc.Metadata) => new Promise<void>((resolve, reject) => client.CompleteJob(request, metadata, (e) => (e ? reject(e) : resolve()))),
    close: () => client.close(),
  };
}
