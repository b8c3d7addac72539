import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The gateway protocol exactly as the SDK in use ships it. */
export const ZEEBE_PROTO = join(dirname(createRequire(join(process.cwd(), 'package.json')).resolve('@camunda8/sdk/package.json')), 'dist', 'proto', 'zeebe.proto');

type Req = Record<string, unknown>;
export interface RecordedCall {
  method: string;
  request: Req;
}

export interface FakeJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  variables: Record<string, unknown>;
  retries: number;
  /**
   * Zeebe's job states (camunda/camunda zeebe/engine …/state/immutable/JobState.java State): a failed job waits out
   * its back-off as FAILED, and stays FAILED with 0 retries (its incident); a completed job is gone from the state.
   */
  state: 'ACTIVATABLE' | 'ACTIVATED' | 'COMPLETED' | 'FAILED' | 'ERROR_THROWN' | 'INCIDENT' | 'CANCELED';
  /** When a failed job may be activated again (its back-off). */
  activatableAt: number;
  /** When an activated job times out and is activatable again (its activation's `timeout`). */
  deadline: number;
}

/** A fault the fake answers a command with once, as the real gateway would (see `FakeZeebe.failNext`). */
export interface Fault {
  code: grpc.status;
  /** The command takes effect first, then the answer is lost: "processed, then timed out". */
  afterProcessing: boolean;
  /** Only a request this accepts meets the fault (e.g. one job type's ActivateJobs); any when unset. */
  when?: (request: Req) => boolean;
}

export interface FakeUserTask {
  userTaskKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  name: string;
  /** Camunda 8.8's user task states (the REST API's UserTaskStateEnum): the ones between are a command or a listener at work. */
  state: 'CREATING' | 'CREATED' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED';
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  formKey?: string;
  dueDate?: string;
  followUpDate?: string;
  priority: number;
  creationDate: string;
  completionDate?: string;
  tenantId: string;
  customHeaders: Record<string, string>;
}

const Status = grpc.status;
const fail = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
/**
 * A broker rejection as the gateway answers it (camunda/camunda zeebe/gateway-grpc …/grpc/GrpcErrorMapper.java
 * mapRejectionToStatus): "Command '<intent>' rejected with code '<type>': <reason>"; NOT_FOUND is NOT_FOUND,
 * INVALID_STATE is FAILED_PRECONDITION, ALREADY_EXISTS is ALREADY_EXISTS.
 */
const rejected = (intent: string, type: 'NOT_FOUND' | 'INVALID_STATE' | 'ALREADY_EXISTS', reason: string) =>
  fail({ NOT_FOUND: Status.NOT_FOUND, INVALID_STATE: Status.FAILED_PRECONDITION, ALREADY_EXISTS: Status.ALREADY_EXISTS }[type], `Command '${intent}' rejected with code '${type}': ${reason}`);
/** The gateway's own answers when the broker did not answer or refused the load (GrpcErrorMapper). */
const faultError = (code: grpc.status) =>
  fail(
    code,
    code === Status.RESOURCE_EXHAUSTED
      ? 'Expected to execute the command on one of the partitions, but all failed; there are no more partitions available to retry. Please try again. If the error persists contact your zeebe operator'
      : code === Status.DEADLINE_EXCEEDED
        ? 'Time out between gateway and broker: Request timed out after PT15S'
        : `Fault injected by the test (${Status[code]})`,
  );

/**
 * A Zeebe gateway for tests: a real gRPC server built from the SDK's `zeebe.proto`, answering
 * Topology, DeployResource, CreateProcessInstance, ActivateJobs (streaming), CompleteJob, FailJob,
 * ThrowError, PublishMessage, BroadcastSignal, CancelProcessInstance, SetVariables, UpdateJobRetries and
 * ResolveIncident, plus the Camunda REST user-task and incident endpoints on a plain HTTP server.
 * It executes no BPMN: tests put jobs and user tasks where the broker would, and read what the
 * adapter sent from `calls`.
 */
export class FakeZeebe {
  readonly calls: RecordedCall[] = [];
  readonly jobs = new Map<string, FakeJob>();
  readonly userTasks = new Map<string, FakeUserTask>();
  readonly instances = new Map<string, { bpmnProcessId: string; version: number; state: 'ACTIVE' | 'CANCELED'; variables: Record<string, unknown> }>();
  /**
   * Incidents by job. 8.8's search shows a new incident PENDING until the exporter has written it (camunda/camunda#39962);
   * the broker resolves it all the same. A test sets `state` to see the adapter through it.
   */
  readonly incidents: Array<{ incidentKey: string; jobKey: string; state: 'ACTIVE' | 'PENDING' | 'RESOLVED' }> = [];
  /** Faults to answer the next commands of a method with, in order (see `failNext`). */
  private readonly faults = new Map<string, Fault[]>();
  /** Buffered messages' ids (name, correlation key, id) and until when they live. */
  private readonly bufferedMessageIds = new Map<string, number>();
  private readonly processes: Array<{ bpmnProcessId: string; version: number; key: string; checksum: string }> = [];
  private readonly drgs: Array<{ id: string; version: number; key: string; checksum: string; resourceName: string; decisions: Array<{ id: string; name: string; version: number; key: string }> }> = [];
  private nextKey = 2251799813685249n;
  private grpcServer?: grpc.Server;
  private restServer?: Server;
  private waiting = new Set<() => void>();
  /** ActivateJobs requests held open now: their job type, when they arrived and until when they are held. */
  readonly heldPolls = new Set<{ type: string; since: number; until: number }>();
  grpcPort = 0;
  restPort = 0;

  static async start(): Promise<FakeZeebe> {
    const fake = new FakeZeebe();
    await fake.startGrpc();
    await fake.startRest();
    return fake;
  }

  get address(): string {
    return `127.0.0.1:${this.grpcPort}`;
  }

  get restAddress(): string {
    return `http://127.0.0.1:${this.restPort}`;
  }

  key(): string {
    return String(this.nextKey++);
  }

  callsOf(method: string): Req[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  /** Puts a job where the broker would when an instance reaches a service task. */
  addJob(job: Partial<FakeJob> & Pick<FakeJob, 'type' | 'processInstanceKey' | 'elementId'>): FakeJob {
    const instance = this.instances.get(job.processInstanceKey);
    const full: FakeJob = {
      key: this.key(),
      bpmnProcessId: instance?.bpmnProcessId ?? 'process',
      processDefinitionVersion: instance?.version ?? 1,
      processDefinitionKey: '2251799813685001',
      elementInstanceKey: this.key(),
      customHeaders: {},
      variables: {},
      retries: 3,
      state: 'ACTIVATABLE',
      activatableAt: 0,
      deadline: 0,
      ...job,
    };
    this.jobs.set(full.key, full);
    this.wake();
    return full;
  }

  /** Puts a Camunda user task where the broker would. */
  addUserTask(task: Partial<FakeUserTask> & Pick<FakeUserTask, 'processInstanceKey' | 'elementId'>): FakeUserTask {
    const instance = this.instances.get(task.processInstanceKey);
    const full: FakeUserTask = {
      userTaskKey: this.key(),
      processDefinitionKey: '2251799813685001',
      processDefinitionId: instance?.bpmnProcessId ?? 'process',
      processDefinitionVersion: instance?.version ?? 1,
      elementInstanceKey: this.key(),
      name: task.elementId,
      state: 'CREATED',
      candidateGroups: [],
      candidateUsers: [],
      priority: 50,
      creationDate: new Date().toISOString(),
      tenantId: '<default>',
      customHeaders: {},
      ...task,
    };
    this.userTasks.set(full.userTaskKey, full);
    return full;
  }

  /**
   * The next `method` command is answered with `code` (default DEADLINE_EXCEEDED, as the gateway answers "Time out between
   * gateway and broker": camunda/camunda zeebe/gateway-grpc …/grpc/GrpcErrorMapper.java). With `afterProcessing` the command
   * takes effect first: the broker processed it and the answer was lost. RESOURCE_EXHAUSTED is the gateway's backpressure
   * answer (GrpcErrorMapper: RESOURCE_EXHAUSTED, RequestRetriesExhaustedException); the broker did not process the command
   * (https://docs.camunda.io/docs/apis-tools/zeebe-api/technical-error-handling/).
   */
  failNext(method: string, options: { code?: grpc.status; afterProcessing?: boolean; times?: number; when?: (request: Req) => boolean } = {}): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < (options.times ?? 1); i++) {
      queue.push({ code: options.code ?? Status.DEADLINE_EXCEEDED, afterProcessing: options.afterProcessing ?? false, when: options.when });
    }
    this.faults.set(method, queue);
  }

  /** Faults queued for `method` that no request has met yet. */
  pendingFaults(method: string): number {
    return this.faults.get(method)?.length ?? 0;
  }

  /** The first queued fault of `method` this request meets, taken off the queue. */
  private takeFault(method: string, request: Req): Fault | undefined {
    const queue = this.faults.get(method);
    const index = queue?.findIndex((f) => !f.when || f.when(request)) ?? -1;
    return index >= 0 ? queue!.splice(index, 1)[0] : undefined;
  }

  /** A job's activation times out now (as JobTimeoutChecker would once its deadline passed): it is activatable again. */
  timeOut(jobKey: string): void {
    const job = this.jobs.get(jobKey);
    if (job?.state === 'ACTIVATED') job.deadline = Date.now() - 1;
    this.wake();
  }

  /** Stops answering gRPC (a gateway restart); `resumeGrpc` brings it back on the same port. */
  async stopGrpc(): Promise<void> {
    const server = this.grpcServer;
    this.grpcServer = undefined;
    this.wake();
    if (server) await new Promise<void>((r) => server.tryShutdown(() => r()));
  }

  /** Answers gRPC again on the same port; a no-op when it already does. */
  async resumeGrpc(): Promise<void> {
    if (this.grpcServer) return;
    await this.startGrpc(this.grpcPort);
  }

  async close(): Promise<void> {
    await this.stopGrpc();
    await new Promise<void>((r) => (this.restServer ? this.restServer.close(() => r()) : r()));
  }

  private record(method: string, request: Req): void {
    this.calls.push({ method, request });
  }

  private wake(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const w of waiting) w();
  }

  private async startGrpc(port = 0): Promise<void> {
    const definition = protoLoader.loadSync(ZEEBE_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
    const proto = grpc.loadPackageDefinition(definition) as unknown as { gateway_protocol: { Gateway: { service: grpc.ServiceDefinition } } };
    const server = new grpc.Server();
    const unary =
      (method: string, answer: (request: Req) => unknown) =>
      (call: grpc.ServerUnaryCall<Req, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        this.record(method, call.request);
        const fault = this.takeFault(method, call.request);
        if (fault && !fault.afterProcessing) return callback(faultError(fault.code));
        try {
          const answered = answer(call.request);
          callback(fault ? faultError(fault.code) : null, fault ? undefined : answered);
        } catch (e) {
          callback(e as grpc.ServiceError);
        }
      };
    server.addService(proto.gateway_protocol.Gateway.service, {
      Topology: unary('Topology', () => ({
        brokers: [{ nodeId: 0, host: 'fake-broker', port: 26501, version: '8.8.0', partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }] }],
        clusterSize: 1,
        partitionsCount: 1,
        replicationFactor: 1,
        gatewayVersion: '8.8.0',
      })),
      DeployResource: unary('DeployResource', (request) => this.deploy(request)),
      CreateProcessInstance: unary('CreateProcessInstance', (request) => {
        const id = request.bpmnProcessId as string;
        const versions = this.processes.filter((p) => p.bpmnProcessId === id);
        const wanted = Number(request.version);
        const process = wanted > 0 ? versions.find((p) => p.version === wanted) : versions.at(-1);
        if (!process) throw fail(Status.NOT_FOUND, `Expected to find process definition with process ID '${id}', but none found`);
        const processInstanceKey = this.key();
        this.instances.set(processInstanceKey, { bpmnProcessId: id, version: process.version, state: 'ACTIVE', variables: JSON.parse((request.variables as string) || '{}') });
        return { processDefinitionKey: process.key, bpmnProcessId: id, version: process.version, processInstanceKey, tenantId: '<default>' };
      }),
      ActivateJobs: (call: grpc.ServerWritableStream<Req, unknown>) => this.activate(call),
      CompleteJob: unary('CompleteJob', (request) => {
        this.jobCommand('COMPLETE', request.jobKey as string).state = 'COMPLETED';
        return {};
      }),
      FailJob: unary('FailJob', (request) => {
        const job = this.jobCommand('FAIL', request.jobKey as string);
        job.retries = Number(request.retries);
        // JobFailProcessor: with retries left the job waits out its back-off (FAILED), then is activatable; without, an incident.
        job.state = job.retries > 0 ? (Number(request.retryBackOff) > 0 ? 'FAILED' : 'ACTIVATABLE') : 'INCIDENT';
        job.activatableAt = Date.now() + Number(request.retryBackOff);
        if (job.state === 'INCIDENT') this.incidents.push({ incidentKey: this.key(), jobKey: job.key, state: 'ACTIVE' });
        else this.wake();
        return {};
      }),
      ThrowError: unary('ThrowError', (request) => {
        this.jobCommand('THROW_ERROR', request.jobKey as string).state = 'ERROR_THROWN';
        return {};
      }),
      UpdateJobRetries: unary('UpdateJobRetries', (request) => {
        const job = this.jobs.get(request.jobKey as string);
        if (!job) throw fail(Status.NOT_FOUND, `Expected to update retries for job with key '${String(request.jobKey)}', but no such job was found`);
        job.retries = Number(request.retries);
        return {};
      }),
      // IncidentResolveProcessor (camunda/camunda zeebe/engine …/processing/incident/IncidentResolveProcessor.java): an unknown
      // incident is NOT_FOUND; a job incident whose job has no retries left is INVALID_STATE (gRPC FAILED_PRECONDITION).
      ResolveIncident: unary('ResolveIncident', (request) => {
        const incident = this.incidents.find((i) => i.incidentKey === request.incidentKey && i.state !== 'RESOLVED');
        if (!incident) throw rejected('RESOLVE', 'NOT_FOUND', `Expected to resolve incident with key '${String(request.incidentKey)}', but no such incident was found`);
        const job = this.jobs.get(incident.jobKey);
        if (job && job.retries <= 0) {
          throw rejected(
            'RESOLVE',
            'INVALID_STATE',
            `Expected to resolve incident with key '${incident.incidentKey}', but job with key '${job.key}' has no retries left. Please update the job retries and retry resolving the incident`,
          );
        }
        incident.state = 'RESOLVED';
        if (job) job.state = 'ACTIVATABLE';
        this.wake();
        return {};
      }),
      // A messageId is unique among the buffered messages of its name and correlation key: "GRPC_STATUS_ALREADY_EXISTS: A message with
      // the same ID was previously published (and is still alive)" (https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/#publishmessage-rpc).
      PublishMessage: unary('PublishMessage', (request) => {
        if (request.messageId) {
          const id = `${String(request.name)}\u0000${String(request.correlationKey)}\u0000${String(request.messageId)}`;
          const alive = this.bufferedMessageIds.get(id);
          if (alive !== undefined && alive > Date.now()) {
            throw fail(Status.ALREADY_EXISTS, `Expected to publish a new message with id '${String(request.messageId)}', but a message with that id was already published`);
          }
          if (Number(request.timeToLive) > 0) this.bufferedMessageIds.set(id, Date.now() + Number(request.timeToLive));
        }
        return { key: this.key(), tenantId: '<default>' };
      }),
      // The gateway answers a broadcast with the signal's key (gateway.proto BroadcastSignalResponse).
      BroadcastSignal: unary('BroadcastSignal', () => ({ key: this.key(), tenantId: '<default>' })),
      CancelProcessInstance: unary('CancelProcessInstance', (request) => {
        const instance = this.instances.get(request.processInstanceKey as string);
        if (!instance || instance.state !== 'ACTIVE') {
          throw fail(Status.NOT_FOUND, `Expected to cancel a process instance with key '${String(request.processInstanceKey)}', but no such process was found`);
        }
        instance.state = 'CANCELED';
        for (const task of this.userTasks.values()) if (task.processInstanceKey === request.processInstanceKey && task.state === 'CREATED') task.state = 'CANCELED';
        for (const job of this.jobs.values()) if (job.processInstanceKey === request.processInstanceKey && job.state !== 'COMPLETED') job.state = 'CANCELED';
        return {};
      }),
      SetVariables: unary('SetVariables', () => ({ key: this.key() })),
    });
    this.grpcPort = await bindOutsideEphemeralRange(server, port);
    this.grpcServer = server;
  }

  private deploy(request: Req) {
    const deployments = (request.resources as Array<{ name: string; content: Buffer }>).flatMap((resource): object | object[] => {
      if (resource.name.endsWith('.dmn')) return this.deployDmn(resource);
      if (resource.name.endsWith('.form')) {
        const formId = (JSON.parse(resource.content.toString('utf8')) as { id: string }).id;
        return { form: { formId, version: 1, formKey: this.key(), resourceName: resource.name, tenantId: '<default>' } };
      }
      const xml = resource.content.toString('utf8');
      const bpmnProcessId = /<(?:bpmn:)?process\b[^>]*\bid="([^"]+)"/.exec(xml)?.[1];
      if (!bpmnProcessId) throw fail(Status.INVALID_ARGUMENT, `Command 'CREATE' rejected: '${resource.name}' has no process`);
      const checksum = createHash('sha256').update(resource.content).digest('hex');
      const versions = this.processes.filter((p) => p.bpmnProcessId === bpmnProcessId);
      let process = versions.at(-1);
      // Like Zeebe: the same content again is the same version; anything else the next one.
      if (!process || process.checksum !== checksum) {
        process = { bpmnProcessId, version: versions.length + 1, key: this.key(), checksum };
        this.processes.push(process);
      }
      return { process: { bpmnProcessId, version: process.version, processDefinitionKey: process.key, resourceName: resource.name, tenantId: '<default>' } };
    });
    return { key: this.key(), deployments, tenantId: '<default>' };
  }

  /**
   * A DMN resource as Zeebe answers it: its decisions, then its decision requirements graph
   * (camunda/camunda zeebe/gateway ResponseMapper.toDeployResourceResponse adds decisionsMetadata
   * before decisionRequirementsMetadata); the same resource name and content again is the same
   * version (DmnResourceTransformer), anything else the next one.
   */
  private deployDmn(resource: { name: string; content: Buffer }) {
    const xml = resource.content.toString('utf8');
    const definitions = /<(?:\w+:)?definitions\b([^>]*)>/.exec(xml)?.[1] ?? '';
    const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
    const drgId = attr(definitions, 'id');
    const checksum = createHash('sha256').update(resource.content).digest('hex');
    const versions = this.drgs.filter((d) => d.id === drgId);
    let drg = versions.at(-1);
    if (!drg || drg.checksum !== checksum || drg.resourceName !== resource.name) {
      drg = { id: drgId, version: versions.length + 1, key: this.key(), checksum, resourceName: resource.name, decisions: [] };
      for (const [, attrs] of xml.matchAll(/<(?:\w+:)?decision\b([^>]*)>/g)) {
        const decisionId = attr(attrs, 'id');
        const version = this.drgs.flatMap((d) => d.decisions).filter((d) => d.id === decisionId).length + 1;
        drg.decisions.push({ id: decisionId, name: attr(attrs, 'name'), version, key: this.key() });
      }
      this.drgs.push(drg);
    }
    const { id, version, key, resourceName } = drg;
    return [
      ...drg.decisions.map((d) => ({
        decision: { dmnDecisionId: d.id, dmnDecisionName: d.name, version: d.version, decisionKey: d.key, dmnDecisionRequirementsId: id, decisionRequirementsKey: key, tenantId: '<default>' },
      })),
      { decisionRequirements: { dmnDecisionRequirementsId: id, dmnDecisionRequirementsName: attr(definitions, 'name'), version, decisionRequirementsKey: key, resourceName, tenantId: '<default>' } },
    ];
  }

  /** Zeebe's state of a job now: an activation past its deadline has timed out, a back-off that passed made it activatable. */
  private settle(job: FakeJob, now = Date.now()): FakeJob {
    if (job.state === 'ACTIVATED' && job.deadline > 0 && job.deadline <= now) job.state = 'ACTIVATABLE';
    if (job.state === 'FAILED' && job.activatableAt <= now) job.state = 'ACTIVATABLE';
    return job;
  }

  /**
   * The job a CompleteJob, FailJob or ThrowError names, as DefaultJobCommandPreconditionGuard and JobCommandPreconditionChecker
   * (camunda/camunda zeebe/engine …/processing/job/) check it: taken from a job that is ACTIVATABLE (a timed-out job included)
   * or ACTIVATED; a job that is gone (completed, cancelled) is NOT_FOUND, one that failed or threw INVALID_STATE.
   */
  private jobCommand(intent: 'COMPLETE' | 'FAIL' | 'THROW_ERROR', key: string): FakeJob {
    const verb = { COMPLETE: 'complete', FAIL: 'fail', THROW_ERROR: 'throw an error for' }[intent];
    const job = this.jobs.get(key);
    if (!job || job.state === 'COMPLETED' || job.state === 'CANCELED') {
      throw rejected(intent, 'NOT_FOUND', `Expected to ${verb} job with key '${key}', but no such job was found`);
    }
    this.settle(job);
    if (job.state !== 'ACTIVATABLE' && job.state !== 'ACTIVATED') {
      throw rejected(intent, 'INVALID_STATE', `Expected to ${verb} job with key '${key}', but it is in state '${job.state === 'INCIDENT' ? 'FAILED' : job.state}'`);
    }
    return job;
  }

  /**
   * Long-polling ActivateJobs as the gateway's LongPollingActivateJobsHandler (camunda/camunda zeebe/gateway
   * …/impl/job/LongPollingActivateJobsHandler.java) does it: answers with what is activatable, or holds the request until a
   * job arrives or the request's own `requestTimeout` passes (the SDK asks for 50 s, ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS);
   * with none given the fake holds it 10 s, the gateway's own long-polling default.
   * A fault queued with `failNext('ActivateJobs', …)` answers the next request with it (backpressure: RESOURCE_EXHAUSTED).
   */
  private activate(call: grpc.ServerWritableStream<Req, unknown>): void {
    const request = call.request;
    this.record('ActivateJobs', request);
    const fault = this.takeFault('ActivateJobs', request);
    if (fault) {
      call.emit('error', faultError(fault.code));
      return;
    }
    const since = Date.now();
    const until = since + (Number(request.requestTimeout) > 0 ? Number(request.requestTimeout) : 10_000);
    const held = { type: request.type as string, since, until };
    this.heldPolls.add(held);
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.heldPolls.delete(held);
      clearTimeout(timer);
      this.waiting.delete(wake);
      call.end();
    };
    const wake = () => {
      clearTimeout(timer);
      this.waiting.delete(wake);
      attempt();
    };
    // A client that gives up (a worker closing its channel) ends the poll at once.
    call.on('cancelled', finish);
    const attempt = () => {
      if (finished) return;
      if (call.cancelled || !this.grpcServer) return finish();
      const now = Date.now();
      const ready = [...this.jobs.values()]
        .filter((j) => j.type === request.type && this.settle(j, now).state === 'ACTIVATABLE')
        .slice(0, Number(request.maxJobsToActivate));
      if (ready.length) {
        const fetch = request.fetchVariable as string[];
        for (const job of ready) {
          job.state = 'ACTIVATED';
          job.deadline = now + Number(request.timeout);
        }
        call.write({
          jobs: ready.map((job) => ({
            key: job.key,
            type: job.type,
            processInstanceKey: job.processInstanceKey,
            bpmnProcessId: job.bpmnProcessId,
            processDefinitionVersion: job.processDefinitionVersion,
            processDefinitionKey: job.processDefinitionKey,
            elementId: job.elementId,
            elementInstanceKey: job.elementInstanceKey,
            customHeaders: JSON.stringify(job.customHeaders),
            worker: request.worker,
            retries: job.retries,
            deadline: String(now + Number(request.timeout)),
            variables: JSON.stringify(fetch.length ? Object.fromEntries(Object.entries(job.variables).filter(([k]) => fetch.includes(k))) : job.variables),
            tenantId: '<default>',
          })),
        });
        return finish();
      }
      if (Date.now() >= until) return finish();
      // Wait for a job to arrive (or a back-off or an activation's deadline to pass), then look again.
      const next = [...this.jobs.values()]
        .filter((j) => j.type === request.type && (j.state === 'FAILED' || (j.state === 'ACTIVATED' && j.deadline > 0)))
        .map((j) => (j.state === 'FAILED' ? j.activatableAt : j.deadline));
      const delay = Math.max(5, Math.min(until, ...next) - Date.now());
      timer = setTimeout(wake, delay);
      this.waiting.add(wake);
    };
    attempt();
  }

  private async startRest(): Promise<void> {
    const server = createServer((req, res) => {
      this.rest(req)
        .then(([status, body]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body === undefined ? '' : JSON.stringify(body));
        })
        .catch((e: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ title: 'fake error', detail: String(e) }));
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    this.restServer = server;
    this.restPort = (server.address() as AddressInfo).port;
  }

  private async rest(req: IncomingMessage): Promise<[number, unknown]> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Req) : {};
    const path = (req.url ?? '').split('?')[0];
    this.record(`REST ${req.method} ${path.replace(/\/\d+(?=\/|$)/g, '/:key')}`, { path, ...body });
    const notFound: [number, unknown] = [404, { type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: `${path} not found`, instance: path }];
    if (req.method === 'POST' && path === '/v2/user-tasks/search') {
      const filter = (body.filter ?? {}) as { state?: string };
      const page = (body.page ?? { from: 0, limit: 100 }) as { from: number; limit: number };
      const all = [...this.userTasks.values()].filter((t) => !filter.state || t.state === filter.state);
      const items = all.slice(page.from, page.from + page.limit);
      return [200, { items, page: { totalItems: all.length, startCursor: '', endCursor: '' } }];
    }
    if (req.method === 'POST' && path === '/v2/variables/search') {
      // Process-scope variables of the instances the gateway created; `value` is JSON, as the
      // Orchestration Cluster API returns and filters it (variable search, Camunda 8.8 REST API).
      const filter = (body.filter ?? {}) as { name?: string; value?: string };
      const items = [...this.instances.entries()].flatMap(([processInstanceKey, instance]) =>
        Object.entries(instance.variables)
          .map(([name, value]) => ({ variableKey: `${processInstanceKey}-${name}`, name, value: JSON.stringify(value), isTruncated: false, scopeKey: processInstanceKey, processInstanceKey, tenantId: '<default>' }))
          .filter((v) => (!filter.name || v.name === filter.name) && (!filter.value || v.value === filter.value)),
      );
      return [200, { items, page: { totalItems: items.length, startCursor: '', endCursor: '' } }];
    }
    // Process instances by process and process variables (filter.variables: name and JSON value), as the Orchestration Cluster
    // API searches them (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/).
    if (req.method === 'POST' && path === '/v2/process-instances/search') {
      const filter = (body.filter ?? {}) as { processDefinitionId?: string; variables?: Array<{ name: string; value: string }> };
      const items = [...this.instances.entries()]
        .filter(([, i]) => (!filter.processDefinitionId || i.bpmnProcessId === filter.processDefinitionId) && (filter.variables ?? []).every((v) => JSON.stringify(i.variables[v.name]) === v.value))
        .map(([processInstanceKey, i]) => ({
          processInstanceKey,
          processDefinitionId: i.bpmnProcessId,
          processDefinitionVersion: i.version,
          processDefinitionKey: this.processes.find((p) => p.bpmnProcessId === i.bpmnProcessId && p.version === i.version)?.key,
          state: i.state,
          tenantId: '<default>',
        }));
      return [200, { items, page: { totalItems: items.length, startCursor: '', endCursor: '' } }];
    }
    // Jobs by key with their state (JobStateEnum), as the job search answers (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-jobs/).
    if (req.method === 'POST' && path === '/v2/jobs/search') {
      const filter = (body.filter ?? {}) as { jobKey?: string };
      const stateOf: Record<FakeJob['state'], string> = { ACTIVATABLE: 'CREATED', ACTIVATED: 'CREATED', COMPLETED: 'COMPLETED', FAILED: 'FAILED', INCIDENT: 'FAILED', ERROR_THROWN: 'ERROR_THROWN', CANCELED: 'CANCELED' };
      const items = [...this.jobs.values()]
        .filter((j) => !filter.jobKey || j.key === filter.jobKey)
        .map((j) => ({ jobKey: j.key, type: j.type, state: stateOf[j.state], retries: j.retries, processInstanceKey: j.processInstanceKey, elementId: j.elementId }));
      return [200, { items, page: { totalItems: items.length, startCursor: '', endCursor: '' } }];
    }
    if (req.method === 'POST' && path === '/v2/incidents/search') {
      const filter = (body.filter ?? {}) as { jobKey?: string; state?: string };
      const items = this.incidents
        .filter((i) => (!filter.jobKey || i.jobKey === filter.jobKey) && (!filter.state || i.state === filter.state))
        .map((i) => ({ ...i, processInstanceKey: this.jobs.get(i.jobKey)?.processInstanceKey, errorType: 'JOB_NO_RETRIES' }));
      return [200, { items, page: { totalItems: items.length, startCursor: '', endCursor: '' } }];
    }
    // Completing a job with a result (an ad-hoc sub-process's job) goes over REST: POST /v2/jobs/{jobKey}/completion
    // (docs: "Complete job"); an unknown or finished job is 404, as the gateway answers NOT_FOUND.
    const completion = /^\/v2\/jobs\/(\d+)\/completion$/.exec(path);
    if (req.method === 'POST' && completion) {
      const job = this.jobs.get(completion[1]);
      if (!job || job.state !== 'ACTIVATED') return [404, { type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: `Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete job with key '${completion[1]}', but no such job was found`, instance: path }];
      job.state = 'COMPLETED';
      return [204, undefined];
    }
    const match = /^\/v2\/user-tasks\/(\d+)(\/[a-z]+)?$/.exec(path);
    const task = match ? this.userTasks.get(match[1]) : undefined;
    if (!match || !task) return notFound;
    const open = task.state === 'CREATED';
    // A task that ended is gone from the broker's state: a command on it is NOT_FOUND, 404 over REST; one between states
    // (a command or a listener at work) is INVALID_STATE, 409 (camunda/camunda zeebe/engine …/processing/usertask/processors/
    // UserTaskCommandPreconditionChecker.java; https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/ 404/409).
    const conflict: [number, unknown] =
      task.state === 'COMPLETED' || task.state === 'CANCELED'
        ? [404, { type: 'about:blank', title: 'NOT_FOUND', status: 404, detail: `Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete user task with key '${task.userTaskKey}', but no such user task was found`, instance: path }]
        : [409, { type: 'about:blank', title: 'INVALID_STATE', status: 409, detail: `Command rejected with code 'INVALID_STATE': user task ${task.userTaskKey} is in state '${task.state}'`, instance: path }];
    switch (`${req.method} ${match[2] ?? ''}`) {
      case 'GET ':
        return [200, task];
      case 'POST /completion':
        if (!open) return conflict;
        task.state = 'COMPLETED';
        task.completionDate = new Date().toISOString();
        return [204, undefined];
      case 'POST /assignment':
        if (!open) return conflict;
        task.assignee = body.assignee as string;
        return [204, undefined];
      case 'DELETE /assignee':
        if (!open) return conflict;
        task.assignee = undefined;
        return [204, undefined];
      case 'PATCH ': {
        if (!open) return conflict;
        const changeset = (body.changeset ?? {}) as { dueDate?: string; followUpDate?: string };
        if (changeset.dueDate !== undefined) task.dueDate = changeset.dueDate || undefined;
        if (changeset.followUpDate !== undefined) task.followUpDate = changeset.followUpDate || undefined;
        return [204, undefined];
      }
      default:
        return notFound;
    }
  }
}

/**
 * Binds the fake gateway to `port`, or when none is given to a free port below Linux's ephemeral range
 * (32768–60999). A gateway "restart" (`stopGrpc`, then `resumeGrpc`) frees its port for a while; a port
 * the kernel hands out for outgoing connections or `listen(0)` elsewhere in the suite could take it in
 * that gap (seen in CI: EADDRINUSE on resume), one outside that range is not handed out by anyone else.
 */
async function bindOutsideEphemeralRange(server: grpc.Server, port: number): Promise<number> {
  const bind = (p: number) =>
    new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${p}`, grpc.ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound))));
  if (port) return bind(port);
  for (let attempt = 0; ; attempt++) {
    try {
      return await bind(20000 + Math.floor(Math.random() * 12000));
    } catch (e) {
      if (attempt >= 50) throw e;
    }
  }
}
