import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError, DomainError, NotFoundError, NotSupportedError, isKeyText } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { checksumOf, validateDiagram } from '../model/compile';
import { isDmnResource, validateDmn } from '../dmn/parse-dmn';
import type {
  IncidentCount,
  ActivateJobsCommand,
  ActivatedJob,
  AdHocJobResult,
  Actor,
  BroadcastSignalCommand,
  BroadcastedSignal,
  CreateInstanceCommand,
  DeployCommand,
  DeployResourcesCommand,
  DeployedProcess,
  DeployResult,
  ElementInstanceQuery,
  ElementInstanceView,
  EngineEvent,
  EngineTopology,
  IncidentQuery,
  IncidentView,
  JobOutcome,
  JobWorker,
  JobWorkerOptions,
  ProcessDefinitionSummary,
  ProcessDefinitionQuery,
  ProcessDefinitionView,
  DecisionDefinitionQuery,
  DecisionDefinitionView,
  DecisionEvaluation,
  DecisionRequirementsQuery,
  DecisionRequirementsView,
  EvaluateDecisionCommand,
  ProcessInstanceQuery,
  ProcessInstanceSummary,
  ProcessInstanceView,
  PublishedMessage,
  PublishMessageCommand,
  SearchResult,
  UserTaskChanges,
  UserTaskQuery,
  UserTaskView,
  VariableQuery,
  VariableView,
  Variables,
  WorkflowEngine,
} from '../port/workflow-engine';
import { ZeebeConnection } from './zeebe-connection';
import { type CommandPolicy, DEFAULT_RETRY, GrpcStatus, grpcCode, type RetrySettings, sendCommand } from './zeebe-commands';
import { userTaskUpdate } from '../port/user-task-changes';
import { appendEvents, mergeVariables, type MirrorEvent, toEvent, toIncident, toUserTask } from './zeebe-mirror';

function assertKey(key: string, what: string): void {
  if (!isKeyText(key)) throw new NotFoundError(what, key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

export { grpcCode };

/**
 * The process variable each creation carries (a random id), so a creation whose outcome is open can be
 * looked for in Zeebe before it is sent again (docs/decisions/0029).
 */
export const CREATION_ID_VARIABLE = 'mustafidCreationId';

/** Zeebe's time-to-live is milliseconds; the port also takes ISO-8601 durations. */
function ttlMs(ttl: string | number | undefined): number {
  if (ttl === undefined) return 0;
  if (typeof ttl === 'number') return ttl;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(ttl);
  if (!m || ttl === 'P' || ttl.endsWith('T')) throw new DomainError('INVALID_TTL', `timeToLive must be milliseconds or an ISO-8601 duration such as PT1H (got "${ttl}")`);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
}

/** The SDK types variables as JSON documents; the port's are plain records of the same JSON. */
type JsonDocument = { [key: string]: never };
const json = (variables: Variables | undefined) => (variables ?? {}) as JsonDocument;

const DEFAULT_JOB_TIMEOUT_MS = 5 * 60_000;

/** What the adapter answers for the port's searches and outside job activation: Zeebe serves those itself. */
function onZeebeItself(what: string): NotSupportedError {
  return new NotSupportedError(
    `${what} is not served through Mustafid when ENGINE=zeebe: Zeebe's own Orchestration Cluster API (ZEEBE_REST_ADDRESS) answers it; point Camunda's clients there`,
  );
}
/** How long a stopping worker lets its in-flight jobs finish before handing them back. */
export const SHUTDOWN_GRACE_MS = 20_000;

/** User-task states that end a task; every other 8.8/8.9 state is a task still open. */
const ENDED_TASK_STATES = new Set(['COMPLETED', 'CANCELED']);
/** Incident states a resolution applies to (8.8: ACTIVE, or PENDING until the exporter catches up). */
const OPEN_INCIDENT_STATES = new Set(['ACTIVE', 'PENDING']);
type CreatedInstance = { processInstanceKey: string; processDefinitionKey: string; bpmnProcessId: string; version: number };

/** The states of Zeebe's job search (JobStateEnum) each outcome leads to. */
const JOB_STATE_AFTER: Record<JobOutcome['outcome'], readonly string[]> = {
  complete: ['COMPLETED'],
  fail: ['FAILED', 'RETRIES_UPDATED'],
  error: ['ERROR_THROWN'],
};
/** Job states after which no outcome can be sent any more. */
const ENDED_JOB_STATES = new Set(['COMPLETED', 'CANCELED', 'ERROR_THROWN', 'MIGRATED']);
/** The mirror's job state for Zeebe's, where the mirror has one. */
const MIRROR_JOB_STATE: Record<string, string | undefined> = { COMPLETED: 'COMPLETED', CANCELED: 'CANCELED', ERROR_THROWN: 'ERROR_THROWN', FAILED: 'FAILED' };

/**
 * The WorkflowEngine port on a Camunda 8 Zeebe cluster through `@camunda8/sdk`: commands and job
 * workers over the gateway's gRPC API, user tasks (`zeebe:userTask`, i.e. Camunda user tasks)
 * over the Camunda REST API (docs/decisions/0011). Zeebe answers no queries over gRPC, so the
 * read side of the port is answered from a mirror in PostgreSQL (zb_* tables) of what this side
 * commanded and what its workers and the user-task follower observed (docs/decisions/0012).
 */
@Injectable()
export class ZeebeWorkflowEngine implements WorkflowEngine, OnApplicationShutdown {
  private readonly logger = new Logger('ZeebeEngine');
  private readonly workers = new Set<JobWorker>();
  private follower?: NodeJS.Timeout;
  /** Tests shorten it; see SHUTDOWN_GRACE_MS. */
  shutdownGraceMs = SHUTDOWN_GRACE_MS;
  /** How commands are tried again (zeebe-commands.ts); tests shorten the back-off. */
  commandRetry: RetrySettings = DEFAULT_RETRY;
  private syncing?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly zeebe: ZeebeConnection,
  ) {}

  // ── deployments ────────────────────────────────────────────────────────────

  async topology(): Promise<EngineTopology> {
    const t = await this.command('Topology', () => this.zeebe.grpc().topology(), { idempotent: true });
    // The gateway's enums arrive by name (LEADER) or by number (their order in gateway.proto).
    const lower = <T extends string>(v: unknown, allowed: readonly T[], otherwise: T): T => {
      const text = (typeof v === 'number' ? allowed[v] : String(v).toLowerCase()) as T;
      return allowed.includes(text) ? text : otherwise;
    };
    return {
      brokers: t.brokers.map((b) => ({
        nodeId: b.nodeId,
        host: b.host,
        port: b.port,
        version: (b as { version?: string }).version ?? t.gatewayVersion,
        partitions: b.partitions.map((p) => ({
          partitionId: p.partitionId,
          role: lower(p.role, ['leader', 'follower', 'inactive'] as const, 'inactive'),
          health: lower(p.health, ['healthy', 'unhealthy', 'dead'] as const, 'unhealthy'),
        })),
      })),
      clusterSize: t.clusterSize,
      partitionsCount: t.partitionsCount,
      replicationFactor: t.replicationFactor,
      gatewayVersion: t.gatewayVersion,
    };
  }

  deploy(command: DeployCommand): Promise<DeployResult> {
    return this.deployAll([{ resourceName: command.resourceName, xml: command.xml }], command.deployedBy, command.forms);
  }

  deployResources(command: DeployResourcesCommand): Promise<DeployResult> {
    return this.deployAll(command.resources, command.deployedBy);
  }

  private async deployAll(resources: DeployResourcesCommand['resources'], deployedBy: Actor | undefined, forms: DeployCommand['forms'] = []): Promise<DeployResult> {
    if (resources.length === 0) throw new DomainError('NO_RESOURCES', 'A deployment needs at least one resource (BPMN or DMN)', 400);
    // The same checks as the embedded engine, so a diagram or DMN file one refuses the other refuses too.
    const parsed = [];
    const decisionFiles: Array<{ resourceName: string; xml: string; checksum: string }> = [];
    for (const resource of resources) {
      if (isDmnResource(resource.resourceName, resource.xml)) {
        await validateDmn(resource.xml);
        decisionFiles.push({ ...resource, checksum: checksumOf(resource.xml) });
      } else {
        parsed.push({ ...resource, diagram: await validateDiagram(resource.xml), checksum: checksumOf(resource.xml) });
      }
    }
    // One request, so Zeebe deploys the diagrams, the decisions and the forms all or nothing.
    // Idempotent: Zeebe makes no new version of a resource deployed again unchanged (duplicate detection by checksum).
    const resourcesToDeploy = [
      ...parsed.map((r) => ({ name: r.resourceName, process: Buffer.from(r.xml, 'utf8') })),
      ...decisionFiles.map((r) => ({ name: r.resourceName, decision: Buffer.from(r.xml, 'utf8') })),
      ...forms.map((form) => ({ name: `${form.id}.form`, form: Buffer.from(JSON.stringify(form), 'utf8') })),
    ];
    const response = await this.command('DeployResource', () => this.zeebe.grpc().deployResources(resourcesToDeploy), { idempotent: true });
    const deployed: DeployedProcess[] = [];
    for (const { process } of response.deployments as Array<{ process?: { bpmnProcessId: string; version: number; processDefinitionKey: string; resourceName: string } }>) {
      if (!process) continue;
      const source = parsed.find((p) => p.diagram.processes.some((m) => m.bpmnProcessId === process.bpmnProcessId)) ?? parsed[0];
      const name = source.diagram.processes.find((p) => p.bpmnProcessId === process.bpmnProcessId)?.name;
      const { checksum } = source;
      const command = { xml: source.xml, deployedBy };
      const [row] = await this.db.query(
        `INSERT INTO zb_process (key, bpmn_process_id, version, resource_name, name, checksum, xml, deployed_at, deployed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
         ON CONFLICT (key) DO UPDATE SET key = zb_process.key
         RETURNING deployed_at, deployed_by, (xmax = 0) AS inserted`,
        [process.processDefinitionKey, process.bpmnProcessId, process.version, process.resourceName, name ?? null, checksum, command.xml, command.deployedBy?.username ?? null],
      );
      deployed.push({
        key: String(process.processDefinitionKey),
        bpmnProcessId: process.bpmnProcessId,
        version: process.version,
        resourceName: process.resourceName,
        name,
        checksum,
        deployedAt: new Date(row.deployed_at),
        deployedBy: row.deployed_by ?? undefined,
        isNewVersion: row.inserted === true,
      });
    }
    const result: DeployResult = { deploymentKey: String(response.key), processes: deployed, decisionRequirements: [], decisions: [], warnings: parsed.flatMap((p) => p.diagram.warnings) };
    // DMN files: Zeebe versions them; it does not say whether a version is new, so `isNewVersion` is left out.
    type Deployed = {
      decision?: { dmnDecisionId: string; dmnDecisionName: string; version: number; decisionKey: string; dmnDecisionRequirementsId: string; decisionRequirementsKey: string };
      decisionRequirements?: { dmnDecisionRequirementsId: string; dmnDecisionRequirementsName: string; version: number; decisionRequirementsKey: string; resourceName: string };
    };
    for (const { decision, decisionRequirements: drg } of response.deployments as Deployed[]) {
      if (drg) {
        result.decisionRequirements.push({
          key: String(drg.decisionRequirementsKey),
          decisionRequirementsId: drg.dmnDecisionRequirementsId,
          name: drg.dmnDecisionRequirementsName || undefined,
          version: drg.version,
          resourceName: drg.resourceName,
          checksum: decisionFiles.find((f) => f.resourceName === drg.resourceName)?.checksum ?? '',
          deployedAt: new Date(),
          deployedBy: deployedBy?.username,
        });
      }
      if (decision) {
        result.decisions.push({
          key: String(decision.decisionKey),
          decisionId: decision.dmnDecisionId,
          name: decision.dmnDecisionName || undefined,
          version: decision.version,
          decisionRequirementsId: decision.dmnDecisionRequirementsId,
          decisionRequirementsKey: String(decision.decisionRequirementsKey),
        });
      }
    }
    return result;
  }

  /**
   * Deploys form-js forms as Zeebe resources, so user tasks that link a form by
   * `zeebe:formDefinition formId` find it (the embedded engine reads them from bpmn/forms).
   * Zeebe keeps one version per changed content, so redeploying unchanged forms is harmless.
   */
  async deployForms(forms: Array<{ resourceName: string; json: string }>): Promise<void> {
    for (const form of forms) await this.command('DeployResource', () => this.zeebe.grpc().deployResource({ name: form.resourceName, form: Buffer.from(form.json, 'utf8') }), { idempotent: true });
  }

  async listProcessDefinitions(): Promise<ProcessDefinitionSummary[]> {
    const rows = await this.db.query(
      'SELECT key, bpmn_process_id, version, resource_name, name, checksum, deployed_at, deployed_by FROM zb_process ORDER BY bpmn_process_id, version DESC',
    );
    const byId = new Map<string, ProcessDefinitionSummary>();
    for (const r of rows) {
      const summary: ProcessDefinitionSummary = byId.get(r.bpmn_process_id) ?? { bpmnProcessId: r.bpmn_process_id, name: r.name ?? undefined, versions: [] };
      summary.versions.push({
        key: r.key,
        version: r.version,
        resourceName: r.resource_name,
        name: r.name ?? undefined,
        checksum: r.checksum,
        deployedAt: new Date(r.deployed_at),
        deployedBy: r.deployed_by ?? undefined,
      });
      byId.set(r.bpmn_process_id, summary);
    }
    return [...byId.values()];
  }

  async getProcessDefinition(key: string): Promise<ProcessDefinitionView> {
    assertKey(key, 'Process definition');
    const [row] = await this.db.query('SELECT key, bpmn_process_id, version, name, resource_name FROM zb_process WHERE key = $1', [key]);
    if (!row) throw new NotFoundError('Process definition', key);
    return { key: String(row.key), bpmnProcessId: row.bpmn_process_id, version: row.version, name: row.name ?? undefined, resourceName: row.resource_name };
  }

  async getProcessDefinitionXml(key: string): Promise<string> {
    assertKey(key, 'Process definition');
    const [row] = await this.db.query('SELECT xml FROM zb_process WHERE key = $1', [key]);
    if (!row) throw new NotFoundError('Process definition', key);
    return row.xml;
  }

  searchProcessDefinitions(_query: ProcessDefinitionQuery): Promise<SearchResult<ProcessDefinitionView>> {
    return Promise.reject(onZeebeItself('Searching process definitions'));
  }

  searchDecisionDefinitions(_query: DecisionDefinitionQuery): Promise<SearchResult<DecisionDefinitionView>> {
    return Promise.reject(onZeebeItself('Searching decision definitions'));
  }

  searchDecisionRequirements(_query: DecisionRequirementsQuery): Promise<SearchResult<DecisionRequirementsView>> {
    return Promise.reject(onZeebeItself('Searching decision requirements'));
  }

  getDecisionRequirementsXml(_key: string): Promise<string> {
    return Promise.reject(onZeebeItself('Reading a decision requirements graph\'s XML'));
  }

  /** Zeebe evaluates it (gRPC EvaluateDecision); its answer in the port's terms, JSON documents parsed. */
  async evaluateDecision(command: EvaluateDecisionCommand): Promise<DecisionEvaluation> {
    const variables = json(command.variables);
    const r = await this.zeebe
      .grpc()
      .evaluateDecision(command.decisionKey !== undefined ? { decisionKey: command.decisionKey, variables } : { decisionId: command.decisionId ?? '', variables });
    const parse = (text: string): unknown => (text ? JSON.parse(text) : null);
    return {
      key: String((r as { decisionInstanceKey?: string }).decisionInstanceKey ?? ''),
      decision: {
        key: String(r.decisionKey),
        decisionId: r.decisionId,
        ...(r.decisionName ? { name: r.decisionName } : {}),
        version: r.decisionVersion,
        decisionRequirementsId: r.decisionRequirementsId,
        decisionRequirementsKey: String(r.decisionRequirementsKey),
      },
      output: parse(r.decisionOutput),
      ...(r.failedDecisionId ? { failedDecisionId: r.failedDecisionId, failureMessage: r.failureMessage } : {}),
      evaluatedDecisions: r.evaluatedDecisions.map((e) => ({
        decision: { key: String(e.decisionKey), decisionId: e.decisionId, ...(e.decisionName ? { name: e.decisionName } : {}), version: e.decisionVersion },
        decisionType: e.decisionType === 'LITERAL_EXPRESSION' ? 'LITERAL_EXPRESSION' : 'DECISION_TABLE',
        output: parse(e.decisionOutput),
        evaluatedInputs: e.evaluatedInputs.map((i) => ({ inputId: i.inputId, ...(i.inputName ? { inputName: i.inputName } : {}), inputValue: parse(i.inputValue) })),
        matchedRules: e.matchedRules.map((m) => ({
          ruleId: m.ruleId,
          ruleIndex: m.ruleIndex,
          evaluatedOutputs: m.evaluatedOutputs.map((o) => ({ outputId: o.outputId, ...(o.outputName ? { outputName: o.outputName } : {}), outputValue: parse(o.outputValue) })),
        })),
      })),
    };
  }

  /** Zeebe deletes it (gRPC DeleteResource); a deleted process definition leaves the mirror's list too. */
  async deleteResource(key: string, _actor?: Actor): Promise<void> {
    assertKey(key, 'Resource');
    await this.command('DeleteResource', () => this.zeebe.grpc().deleteResource({ resourceKey: key }), {
      idempotent: true,
      // Refused as unknown after an unanswered attempt: that attempt deleted it.
      afterOpenOutcome: async (e) => {
        if (grpcCode(e) !== GrpcStatus.NOT_FOUND) throw e;
        return {} as never;
      },
    });
    await this.db.query('DELETE FROM zb_process WHERE key = $1', [key]);
  }

  // ── instances ──────────────────────────────────────────────────────────────

  async createInstance(command: CreateInstanceCommand): Promise<{ processInstanceKey: string; processDefinitionKey: string; version: number }> {
    // Our own idempotency guard: each creation carries a creation id of its own, so an attempt whose outcome is
    // open (a timeout, UNAVAILABLE) is followed by a search for an instance with that id before anything is sent
    // again; backpressure (RESOURCE_EXHAUSTED) means the broker refused it, and it is sent again as it is.
    const creationId = randomUUID();
    const created = await this.command<CreatedInstance>(
      'CreateProcessInstance',
      async () => {
        const r = await this.zeebe.grpc().createProcessInstance({
          bpmnProcessId: command.bpmnProcessId,
          ...(command.version !== undefined ? { version: command.version } : {}),
          variables: json({ ...command.variables, [CREATION_ID_VARIABLE]: creationId }),
          ...(command.startElementId ? { startInstructions: [{ elementId: command.startElementId }] } : {}),
        });
        // The SDK answers nothing when its client is closing under the call.
        if (!r) throw new DomainError('ZEEBE_CLOSING', 'The Zeebe client is shutting down', 503);
        return { processInstanceKey: String(r.processInstanceKey), processDefinitionKey: String(r.processDefinitionKey), bpmnProcessId: r.bpmnProcessId, version: r.version };
      },
      {
        beforeRetry: async () => {
          const found = await this.instanceCreatedAs(command.bpmnProcessId, creationId);
          return found ? { done: true, value: found } : { done: false };
        },
      },
    );
    const processInstanceKey = String(created.processInstanceKey);
    await this.db.transaction(async (em) => {
      const at = new Date();
      await em.query(
        `INSERT INTO zb_instance (key, process_definition_key, bpmn_process_id, version, state, variables, started_at)
         VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6) ON CONFLICT (key) DO NOTHING`,
        [processInstanceKey, String(created.processDefinitionKey), created.bpmnProcessId, created.version, JSON.stringify(command.variables ?? {}), at],
      );
      await appendEvents(em, at, [
        { processInstanceKey, intent: 'ELEMENT_ACTIVATED', elementId: created.bpmnProcessId, elementType: 'bpmn:Process', elementInstanceKey: processInstanceKey, actor: command.actor?.username },
      ]);
    });
    return { processInstanceKey, processDefinitionKey: String(created.processDefinitionKey), version: created.version };
  }

  /**
   * The instance a creation with this creation id made, if Zeebe has one: `POST /v2/process-instances/search`
   * filtered by the process and the creation-id variable (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/).
   * The search reads secondary storage, which trails the broker by the exporter's delay; the first look comes
   * after the retry's back-off, and an instance not yet exported is looked for again before each later attempt.
   */
  private async instanceCreatedAs(bpmnProcessId: string, creationId: string): Promise<CreatedInstance | undefined> {
    const found = (await this.zeebe.rest().callApiEndpoint({
      method: 'POST',
      urlPath: 'process-instances/search',
      body: { filter: { processDefinitionId: bpmnProcessId, variables: [{ name: CREATION_ID_VARIABLE, value: JSON.stringify(creationId) }] }, page: { from: 0, limit: 2 } },
    })) as { items: Array<{ processInstanceKey: string; processDefinitionKey: string; processDefinitionId: string; processDefinitionVersion: number }> };
    const [instance] = found.items;
    if (!instance) return undefined;
    if (found.items.length > 1) this.logger.error(`Zeebe has ${found.items.length} instances of ${bpmnProcessId} with creation id ${creationId}`);
    return { processInstanceKey: String(instance.processInstanceKey), processDefinitionKey: String(instance.processDefinitionKey), bpmnProcessId: instance.processDefinitionId, version: Number(instance.processDefinitionVersion) };
  }

  /** A gRPC command under the adapter's retry policy (zeebe-commands.ts); `commandRetry` is what tests shorten. */
  private command<T>(name: string, send: () => Promise<T>, policy: CommandPolicy<T> = {}): Promise<T> {
    return sendCommand(name, send, policy, this.commandRetry);
  }

  searchProcessInstances(_query: ProcessInstanceQuery): Promise<SearchResult<ProcessInstanceSummary>> {
    return Promise.reject(onZeebeItself('Searching process instances'));
  }

  /**
   * Zeebe knows the instance even when the mirror does not (a crash between CreateProcessInstance
   * and the mirror's row): its variable search (REST `POST /v2/variables/search`), process scope
   * only, joined with the mirror's own rows. The search reads Camunda's secondary storage, which
   * lags the broker by the exporter's delay (seconds): recovery at start is far later than that.
   */
  async findInstances(bpmnProcessId: string, variable: { name: string; value: string }): Promise<string[]> {
    const found = await this.zeebe.rest().searchVariables({ filter: { name: variable.name, value: JSON.stringify(variable.value) }, page: { from: 0, limit: 100 } });
    const keys = new Set(found.items.filter((v) => v.scopeKey === v.processInstanceKey).map((v) => String(v.processInstanceKey)));
    const mirrored: Array<{ key: string; bpmn_process_id: string }> = await this.db.query(
      'SELECT key::text, bpmn_process_id FROM zb_instance WHERE bpmn_process_id = $1 AND variables ->> $2 = $3',
      [bpmnProcessId, variable.name, variable.value],
    );
    for (const row of mirrored) keys.add(row.key);
    // Keys from the search may belong to another process that has a variable of that name and value.
    const others: Array<{ key: string }> = keys.size
      ? await this.db.query('SELECT key FROM zb_instance WHERE key = ANY($1::text[]) AND bpmn_process_id <> $2', [[...keys], bpmnProcessId])
      : [];
    for (const row of others) keys.delete(row.key);
    return [...keys].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  }

  async getInstance(key: string): Promise<ProcessInstanceView> {
    assertKey(key, 'Process instance');
    const [row] = await this.db.query('SELECT * FROM zb_instance WHERE key = $1', [key]);
    if (!row) throw new NotFoundError('Process instance', key);
    const [jobs, tasks, incidents] = await Promise.all([
      this.db.query(`SELECT key, element_id, element_instance_key FROM zb_job WHERE process_instance_key = $1 AND state IN ('ACTIVATED','FAILED','INCIDENT') ORDER BY updated_at`, [key]),
      this.db.query(`SELECT element_id, element_instance_key FROM zb_user_task WHERE process_instance_key = $1 AND state = 'CREATED' ORDER BY created_at`, [key]),
      this.listIncidents({ processInstanceKey: key, state: 'ACTIVE' }),
    ]);
    const active = row.state === 'ACTIVE';
    return {
      key,
      processDefinitionKey: row.process_definition_key,
      bpmnProcessId: row.bpmn_process_id,
      version: row.version,
      state: row.state,
      variables: row.variables,
      activeElements: active
        ? [
            ...jobs.map((j: Record<string, string>) => ({ elementId: j.element_id, elementType: 'bpmn:ServiceTask', elementInstanceKey: j.element_instance_key })),
            ...tasks.map((t: Record<string, string>) => ({ elementId: t.element_id, elementType: 'bpmn:UserTask', elementInstanceKey: t.element_instance_key })),
          ]
        : [],
      incidents,
      startedAt: new Date(row.started_at),
      endedAt: row.ended_at ? new Date(row.ended_at) : undefined,
    };
  }

  async cancelInstance(key: string, actor?: Actor): Promise<void> {
    assertKey(key, 'Process instance');
    const [row] = await this.db.query('SELECT state FROM zb_instance WHERE key = $1', [key]);
    if (row && row.state !== 'ACTIVE') throw new ConflictError('INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${String(row.state).toLowerCase()}`);
    try {
      await this.command('CancelProcessInstance', () => this.zeebe.grpc().cancelProcessInstance(key), {
        idempotent: true,
        // NOT_FOUND after an unanswered attempt: that attempt cancelled it (Zeebe forgets an ended instance).
        afterOpenOutcome: async (e) => {
          if (grpcCode(e) !== GrpcStatus.NOT_FOUND) throw e;
          return undefined as never;
        },
      });
    } catch (e) {
      if (grpcCode(e) !== 5) throw e;
      if (!row) throw new NotFoundError('Process instance', key);
      throw new ConflictError('INSTANCE_NOT_ACTIVE', `Process instance ${key} is no longer active in Zeebe`);
    }
    await this.db.transaction(async (em) => {
      const at = new Date();
      await em.query(`UPDATE zb_instance SET state = 'CANCELED', ended_at = $2 WHERE key = $1 AND state = 'ACTIVE'`, [key, at]);
      await em.query(`UPDATE zb_user_task SET state = 'CANCELED' WHERE process_instance_key = $1 AND state = 'CREATED'`, [key]);
      await em.query(`UPDATE zb_job SET state = 'COMPLETED', updated_at = $2 WHERE process_instance_key = $1 AND state IN ('ACTIVATED','FAILED','INCIDENT')`, [key, at]);
      await em.query(`UPDATE zb_incident SET state = 'RESOLVED', resolved_at = $2 WHERE process_instance_key = $1 AND state = 'ACTIVE'`, [key, at]);
      await appendEvents(em, at, [{ processInstanceKey: key, intent: 'ELEMENT_TERMINATED', elementType: 'bpmn:Process', elementInstanceKey: key, actor: actor?.username }]);
    });
  }

  /**
   * Zeebe's SetVariables on any scope. The mirror keeps each instance's root variables: a change
   * there (the process instance's own scope) is mirrored; a local scope's is Zeebe's alone.
   */
  async setVariables(scopeKey: string, variables: Variables, actor?: Actor, options: { local?: boolean } = {}): Promise<{ key: string }> {
    assertKey(scopeKey, 'Element instance');
    // Idempotent: the same values set again leave the scope as the first time did.
    const response = await this.command('SetVariables', () => this.zeebe.grpc().setVariables({ elementInstanceKey: scopeKey, variables: json(variables), local: options.local === true }), { idempotent: true });
    await this.db.transaction(async (em) => {
      const at = new Date();
      const updated = await em.query('UPDATE zb_instance SET variables = variables || $2 WHERE key = $1 RETURNING key', [scopeKey, JSON.stringify(variables)]);
      if ((Array.isArray(updated[0]) ? updated[0] : updated).length === 0) return;
      await appendEvents(em, at, [{ processInstanceKey: scopeKey, intent: 'VARIABLE_SET', payload: { names: Object.keys(variables) }, actor: actor?.username }]);
    });
    return { key: String((response as { key?: unknown } | void)?.key ?? '') };
  }

  searchElementInstances(_query: ElementInstanceQuery): Promise<SearchResult<ElementInstanceView>> {
    return Promise.reject(onZeebeItself('Searching element instances'));
  }

  searchVariables(_query: VariableQuery): Promise<SearchResult<VariableView>> {
    return Promise.reject(onZeebeItself('Searching variables'));
  }

  /**
   * Zeebe's PublishMessage answers only the message key: which instance it correlated to (if
   * any) is known to Operate, not to the publisher. A message with a time to live is buffered.
   */
  async publishMessage(command: PublishMessageCommand): Promise<PublishedMessage> {
    const timeToLive = ttlMs(command.timeToLive);
    const send = () =>
      this.zeebe.grpc().publishMessage({
        name: command.name,
        correlationKey: command.correlationKey,
        variables: json(command.variables),
        timeToLive,
        ...(command.messageId ? { messageId: command.messageId } : {}),
      });
    // With a messageId and a time to live Zeebe itself refuses the same message again while it is buffered (ALREADY_EXISTS), so
    // it may be sent again after an unanswered attempt, and ALREADY_EXISTS then means that attempt published it (its key is
    // not told again). Without them a second publication is a second message: sent again only after backpressure.
    const guarded = Boolean(command.messageId) && timeToLive > 0;
    const published = await this.command<{ key: string | number }>('PublishMessage', send, guarded ? { idempotent: true, afterOpenOutcome: async (e) => {
      if (grpcCode(e) !== GrpcStatus.ALREADY_EXISTS) throw e;
      return { key: '' };
    } } : {}).catch((e: unknown) => {
        // "GRPC_STATUS_ALREADY_EXISTS: A message with the same ID was previously published (and is still alive)" (PublishMessage RPC):
        // the 409 the embedded engine and Camunda's REST API answer, not a server error.
        if (grpcCode(e) === GrpcStatus.ALREADY_EXISTS) {
          throw new ConflictError(
            'MESSAGE_ALREADY_PUBLISHED',
            `A message '${command.name}' with correlation key '${command.correlationKey}' and messageId '${command.messageId}' was already published and is still buffered in Zeebe; the same messageId can be published again once it has left the buffer`,
          );
        }
        throw e;
      });
    return { key: String(published.key), buffered: timeToLive > 0 };
  }

  /** Zeebe's BroadcastSignal: the broker triggers the subscriptions and signal start events; it answers the signal's key. */
  async broadcastSignal(command: BroadcastSignalCommand): Promise<BroadcastedSignal> {
    if (typeof command.signalName !== 'string' || command.signalName.trim() === '') {
      throw new DomainError('INVALID_SIGNAL', 'signalName is required: the name of the signal to broadcast, as the diagram names it', 400);
    }
    // Not idempotent (a second broadcast triggers the subscriptions again): sent again only after backpressure.
    const broadcast = await this.command('BroadcastSignal', () => this.zeebe.grpc().broadcastSignal({ signalName: command.signalName, variables: json(command.variables) }));
    return { signalKey: String(broadcast.key) };
  }

  // ── jobs ───────────────────────────────────────────────────────────────────

  createWorker<V extends Variables>(options: JobWorkerOptions<V>): JobWorker {
    const grpc = this.zeebe.grpc();
    const name = options.worker ?? options.type;
    const inFlight = new Map<string, number>();
    const sdkWorker = grpc.createWorker({
      taskType: options.type,
      loglevel: 'NONE',
      id: `${name}@${this.zeebe.workerPrefix}`,
      maxJobsToActivate: options.maxJobsActive ?? 32,
      timeout: options.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
      ...(options.fetchVariables ? { fetchVariable: options.fetchVariables } : {}),
      taskHandler: async (job) => {
        const activated: ActivatedJob<V> = {
          key: String(job.key),
          type: job.type,
          processInstanceKey: String(job.processInstanceKey),
          processDefinitionKey: String((job as { processDefinitionKey?: string }).processDefinitionKey ?? '0'),
          bpmnProcessId: job.bpmnProcessId,
          processDefinitionVersion: Number(job.processDefinitionVersion),
          elementId: job.elementId,
          elementInstanceKey: String(job.elementInstanceKey),
          customHeaders: (job.customHeaders ?? {}) as Record<string, string>,
          variables: (job.variables ?? {}) as V,
          retries: Number(job.retries),
          deadline: new Date(Number(job.deadline)),
          worker: job.worker,
          // Zeebe 8.8 says which kind of job it is (JobKind); a gateway before 8.8 sends none.
          kind: (job as { kind?: string }).kind === 'AD_HOC_SUB_PROCESS' ? 'AD_HOC_SUB_PROCESS' : 'BPMN_ELEMENT',
        };
        inFlight.set(activated.key, activated.retries);
        await this.observeActivated(activated, activated.processDefinitionKey).catch((e: unknown) => this.logger.warn(`Mirroring job ${activated.key}: ${String(e)}`));
        let outcome: JobOutcome;
        try {
          outcome = await options.handler(activated);
        } catch (e) {
          outcome = { outcome: 'fail', retries: Math.max(0, activated.retries - 1), errorMessage: e instanceof Error ? e.message : String(e) };
        }
        inFlight.delete(activated.key);
        // The command first, then the mirror: the mirror never claims what Zeebe did not accept. The adapter sends
        // it under its own retry policy (not the SDK worker's job.complete), so an answer lost to a timeout is
        // reconciled with Zeebe's job search instead of retried blind or dropped; the SDK is told the job is handled.
        try {
          await this.sendJobOutcome(activated.key, outcome);
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          this.logger.error(`Job ${activated.key} (${activated.type}): Zeebe did not take its ${outcome.outcome}: ${reason}`);
          await this.recordJobAsZeebeHasIt(activated, outcome.outcome, reason).catch((m: unknown) => this.logger.warn(`Mirroring job ${activated.key}: ${String(m)}`));
          return job.forward();
        }
        await this.observeOutcome(activated, outcome).catch((e: unknown) => this.logger.warn(`Mirroring job ${activated.key}: ${String(e)}`));
        return job.forward();
      },
    });
    let closing: Promise<void> | undefined;
    const worker: JobWorker = {
      // Stops asking for jobs and lets the ones in hand finish; any still running after the
      // grace period are handed back (failed with their retries unchanged and no back-off), so
      // another copy takes them at once instead of after the job timeout.
      close: () =>
        (closing ??= (async () => {
          this.workers.delete(worker);
          const drained = sdkWorker.close().then(() => true);
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<false>((r) => (timer = setTimeout(() => r(false), this.shutdownGraceMs)));
          const finished = await Promise.race([drained, grace]);
          clearTimeout(timer);
          if (finished) return;
          await Promise.all(
            [...inFlight].map(([jobKey, retries]) =>
              this.sendJobOutcome(jobKey, { outcome: 'fail', retries, errorMessage: `Handed back: worker ${name} is shutting down`, retryBackOffMs: 0 })
                .then(() => this.logger.warn(`Handed job ${jobKey} back to Zeebe: ${name} is shutting down`))
                .catch((e: unknown) => this.logger.warn(`Handing job ${jobKey} back failed: ${String(e)}`)),
            ),
          );
        })()),
    };
    this.workers.add(worker);
    return worker;
  }

  private async observeActivated(job: ActivatedJob, processDefinitionKey: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const at = new Date();
      const [inserted] = await em.query(
        `INSERT INTO zb_job (key, type, process_instance_key, element_id, element_instance_key, state, retries, worker, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'ACTIVATED', $6, $7, $8)
         ON CONFLICT (key) DO UPDATE SET state = 'ACTIVATED', retries = EXCLUDED.retries, worker = EXCLUDED.worker, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS first`,
        [job.key, job.type, job.processInstanceKey, job.elementId, job.elementInstanceKey, job.retries, job.worker, at],
      );
      await mergeVariables(em, { ...job, version: job.processDefinitionVersion, processDefinitionKey }, {}, at);
      const events: MirrorEvent[] = [];
      if (inserted.first) {
        events.push({ processInstanceKey: job.processInstanceKey, intent: 'ELEMENT_ACTIVATED', elementId: job.elementId, elementType: 'bpmn:ServiceTask', elementInstanceKey: job.elementInstanceKey });
        events.push({ processInstanceKey: job.processInstanceKey, intent: 'JOB_CREATED', elementId: job.elementId, elementInstanceKey: job.elementInstanceKey, payload: { jobKey: job.key, type: job.type } });
      }
      events.push({ processInstanceKey: job.processInstanceKey, intent: 'JOB_ACTIVATED', elementId: job.elementId, elementInstanceKey: job.elementInstanceKey, payload: { jobKey: job.key, worker: job.worker, retries: job.retries } });
      await appendEvents(em, at, events);
    });
  }

  private async observeOutcome(job: ActivatedJob, outcome: JobOutcome): Promise<void> {
    await this.db.transaction(async (em) => {
      const at = new Date();
      const base = { processInstanceKey: job.processInstanceKey, elementInstanceKey: job.elementInstanceKey };
      const known = { ...job, version: job.processDefinitionVersion };
      switch (outcome.outcome) {
        case 'complete':
          await em.query(`UPDATE zb_job SET state = 'COMPLETED', updated_at = $2 WHERE key = $1`, [job.key, at]);
          await mergeVariables(em, known, outcome.variables, at);
          await appendEvents(em, at, [
            { ...base, intent: 'JOB_COMPLETED', payload: { jobKey: job.key } },
            { ...base, intent: 'ELEMENT_COMPLETED', elementId: job.elementId, elementType: 'bpmn:ServiceTask' },
          ]);
          break;
        case 'fail':
          await this.recordFailure(em, job, outcome.retries, outcome.errorMessage, at);
          break;
        case 'error':
          await em.query(`UPDATE zb_job SET state = 'ERROR_THROWN', updated_at = $2 WHERE key = $1`, [job.key, at]);
          await mergeVariables(em, known, outcome.variables, at);
          await appendEvents(em, at, [
            { ...base, intent: 'JOB_ERROR_THROWN', elementId: job.elementId, payload: { jobKey: job.key, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage } },
          ]);
          break;
      }
    });
  }

  /** A failed job; out of retries, Zeebe raises an incident, which the mirror records under the job's key. */
  private async recordFailure(
    em: Pick<DataSource, 'query'>,
    job: Pick<ActivatedJob, 'key' | 'processInstanceKey' | 'elementId' | 'elementInstanceKey' | 'bpmnProcessId'>,
    retries: number,
    errorMessage: string,
    at: Date,
  ): Promise<void> {
    await em.query(`UPDATE zb_job SET state = $2, retries = $3, error_message = $4, updated_at = $5 WHERE key = $1`, [job.key, retries > 0 ? 'FAILED' : 'INCIDENT', retries, errorMessage, at]);
    const events: MirrorEvent[] = [
      { processInstanceKey: job.processInstanceKey, intent: 'JOB_FAILED', elementId: job.elementId, elementInstanceKey: job.elementInstanceKey, payload: { jobKey: job.key, retries, errorMessage } },
    ];
    if (retries <= 0) {
      await em.query(
        `INSERT INTO zb_incident (key, process_instance_key, bpmn_process_id, element_id, error_type, error_message, job_key, state, created_at)
         VALUES ($1, $2, $3, $4, 'JOB_NO_RETRIES', $5, $1, 'ACTIVE', $6)
         ON CONFLICT (key) DO UPDATE SET state = 'ACTIVE', error_message = EXCLUDED.error_message, created_at = EXCLUDED.created_at, resolved_at = NULL`,
        [job.key, job.processInstanceKey, job.bpmnProcessId, job.elementId, errorMessage, at],
      );
      events.push({ processInstanceKey: job.processInstanceKey, intent: 'INCIDENT_CREATED', elementId: job.elementId, payload: { errorType: 'JOB_NO_RETRIES', errorMessage, jobKey: job.key } });
    }
    await appendEvents(em, at, events);
  }

  activateJobs(_command: ActivateJobsCommand): Promise<ActivatedJob[]> {
    return Promise.reject(onZeebeItself('Activating jobs for outside workers'));
  }

  async completeJob(jobKey: string, variables?: Variables, result?: AdHocJobResult): Promise<void> {
    assertKey(jobKey, 'Job');
    await this.sendJobOutcome(jobKey, { outcome: 'complete', variables, ...(result ? { result } : {}) });
    const job = await this.mirroredJob(jobKey);
    if (!job) return;
    await this.observeOutcome(job, { outcome: 'complete', variables });
  }

  async failJob(jobKey: string, retries: number, errorMessage: string, retryBackOffMs?: number): Promise<void> {
    assertKey(jobKey, 'Job');
    await this.sendJobOutcome(jobKey, { outcome: 'fail', retries, errorMessage, retryBackOffMs });
    const job = await this.mirroredJob(jobKey);
    if (job) await this.observeOutcome(job, { outcome: 'fail', retries, errorMessage });
  }

  async throwJobError(jobKey: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void> {
    assertKey(jobKey, 'Job');
    await this.sendJobOutcome(jobKey, { outcome: 'error', errorCode, errorMessage, variables });
    const job = await this.mirroredJob(jobKey);
    if (job) await this.observeOutcome(job, { outcome: 'error', errorCode, errorMessage, variables });
  }

  /**
   * CompleteJob, FailJob or ThrowError under the adapter's retry policy. Zeebe takes each of them only from a
   * job that is ACTIVATABLE or ACTIVATED (camunda/camunda zeebe/engine …/job/DefaultJobCommandPreconditionGuard.java),
   * so sending one again is harmless: if the first attempt took, the second is refused with NOT_FOUND (the job is
   * gone) or FAILED_PRECONDITION (INVALID_STATE: it failed or threw). Such a refusal after an unanswered attempt
   * is reconciled with Zeebe's job search: the state the outcome leads to means the first attempt took; anything
   * else is raised (JOB_OUTCOME_NOT_TAKEN), never dropped.
   */
  private async sendJobOutcome(jobKey: string, outcome: JobOutcome): Promise<void> {
    const send = (): Promise<unknown> => {
      switch (outcome.outcome) {
        case 'complete':
          return outcome.result ? this.completeWithResult(jobKey, outcome.variables, outcome.result) : this.zeebe.grpc().completeJob({ jobKey, variables: json(outcome.variables) });
        case 'fail':
          return this.zeebe.grpc().failJob({ jobKey, retries: outcome.retries, errorMessage: outcome.errorMessage, retryBackOff: outcome.retryBackOffMs ?? 0 });
        case 'error':
          return this.zeebe.grpc().throwError({ jobKey, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage ?? '', variables: json(outcome.variables) });
      }
    };
    const took = JOB_STATE_AFTER[outcome.outcome];
    await this.command(`the ${outcome.outcome} of job ${jobKey}`, send, {
      idempotent: true,
      afterOpenOutcome: async (e) => {
        const code = grpcCode(e);
        if (code !== GrpcStatus.NOT_FOUND && code !== GrpcStatus.FAILED_PRECONDITION) throw e;
        const state = await this.settledJobState(jobKey, took);
        if (state && took.includes(state)) return undefined;
        throw new ConflictError(
          'JOB_OUTCOME_NOT_TAKEN',
          `Zeebe did not take the ${outcome.outcome} of job ${jobKey}: a first attempt went unanswered, the next was refused (${e instanceof Error ? e.message.split('\n')[0] : String(e)}), and Zeebe's job search shows the job ${state ?? 'nowhere'}`,
          { jobKey, zeebeState: state ?? null },
        );
      },
    }).catch((e: unknown) => {
      // Zeebe's refusals in the port's terms, as the embedded engine answers them: an unknown or finished job is
      // 404; one that failed (waiting out its back-off, or out of retries) or threw is 409 JOB_NOT_ACTIVE.
      const code = grpcCode(e);
      const why = e instanceof Error ? e.message.replace(/^\d+ [A-Z_]+: /, '') : String(e);
      if (code === GrpcStatus.NOT_FOUND) throw new NotFoundError('Job', jobKey);
      if (code === GrpcStatus.FAILED_PRECONDITION) throw new ConflictError('JOB_NOT_ACTIVE', `Job ${jobKey} cannot ${outcome.outcome === 'error' ? 'throw an error' : outcome.outcome}: Zeebe answered "${why}"`);
      throw e;
    });
  }

  /**
   * The job's state in Zeebe's own records: REST `POST /v2/jobs/search` by key
   * (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-jobs/). The search
   * reads secondary storage, which trails the broker by the exporter's delay, so it is read again a few times until
   * it shows one of `expected` or a state that ends the job.
   */
  private async settledJobState(jobKey: string, expected: readonly string[]): Promise<string | undefined> {
    let state: string | undefined;
    for (let look = 0; look < 5; look++) {
      if (look > 0) await new Promise((r) => setTimeout(r, Math.min(this.commandRetry.maxDelayMs, this.commandRetry.firstDelayMs * 2 ** look)));
      const found = (await this.zeebe.rest().callApiEndpoint({
        method: 'POST',
        urlPath: 'jobs/search',
        body: { filter: { jobKey }, page: { from: 0, limit: 1 } },
      })) as { items: Array<{ jobKey: string; state: string }> };
      state = found.items[0]?.state;
      if (state && (expected.includes(state) || ENDED_JOB_STATES.has(state))) return state;
    }
    return state;
  }

  /**
   * A job outcome Zeebe did not take: the mirror follows what Zeebe's job search says of the job (completed,
   * cancelled with its instance, failed, thrown), with an event saying which outcome was refused and why.
   */
  private async recordJobAsZeebeHasIt(job: ActivatedJob, outcome: JobOutcome['outcome'], reason: string): Promise<void> {
    const state = await this.settledJobState(job.key, JOB_STATE_AFTER[outcome]).catch(() => undefined);
    const mirrored = state ? MIRROR_JOB_STATE[state] : undefined;
    await this.db.transaction(async (em) => {
      const at = new Date();
      if (mirrored) await em.query('UPDATE zb_job SET state = $2, updated_at = $3 WHERE key = $1', [job.key, mirrored, at]);
      await appendEvents(em, at, [
        {
          processInstanceKey: job.processInstanceKey,
          intent: 'JOB_OUTCOME_REFUSED',
          elementId: job.elementId,
          elementInstanceKey: job.elementInstanceKey,
          payload: { jobKey: job.key, outcome, reason: reason.slice(0, 500), zeebeState: state ?? null },
        },
      ]);
    });
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    assertKey(jobKey, 'Job');
    await this.command('UpdateJobRetries', () => this.zeebe.grpc().updateJobRetries({ jobKey, retries }), { idempotent: true });
    await this.db.query('UPDATE zb_job SET retries = $2, updated_at = now() WHERE key = $1', [jobKey, retries]);
  }

  /** The cluster's PATCH /v2/jobs/{jobKey} with changeset.timeout (docs: "Update a job"). */
  async updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void> {
    assertKey(jobKey, 'Job');
    await this.zeebe.rest().callApiEndpoint({ method: 'PATCH', urlPath: `jobs/${jobKey}`, body: { changeset: { timeout: timeoutMs } }, json: false });
  }

  /**
   * A job result (an ad-hoc subprocess's job: what to activate, whether it is done) goes over REST:
   * the SDK's gRPC CompleteJob carries variables only (docs: "Complete job", `result`).
   */
  private async completeWithResult(jobKey: string, variables: Variables | undefined, result: AdHocJobResult): Promise<void> {
    await this.zeebe.rest().callApiEndpoint({ method: 'POST', urlPath: `jobs/${jobKey}/completion`, body: { variables: variables ?? {}, result }, json: false });
  }

  private async mirroredJob(jobKey: string): Promise<ActivatedJob | undefined> {
    const [row] = await this.db.query(
      `SELECT j.key, j.type, j.process_instance_key, j.element_id, j.element_instance_key, j.retries, j.worker, i.bpmn_process_id, i.version, i.process_definition_key
         FROM zb_job j JOIN zb_instance i ON i.key = j.process_instance_key WHERE j.key = $1`,
      [jobKey],
    );
    if (!row) return undefined;
    return {
      key: row.key,
      type: row.type,
      processInstanceKey: row.process_instance_key,
      processDefinitionKey: String(row.process_definition_key),
      bpmnProcessId: row.bpmn_process_id,
      processDefinitionVersion: row.version,
      elementId: row.element_id,
      elementInstanceKey: row.element_instance_key,
      customHeaders: {},
      variables: {},
      retries: row.retries,
      deadline: new Date(),
      worker: row.worker,
      kind: 'BPMN_ELEMENT',
    };
  }

  // ── user tasks (Camunda REST API) ──────────────────────────────────────────

  /**
   * Follows Zeebe's user tasks into the mirror: every `intervalMs` the open tasks are searched
   * (REST `POST /v2/user-tasks/search`); new ones are recorded, and mirrored open tasks that are
   * no longer open are read once to learn whether they completed or were cancelled.
   */
  followUserTasks(intervalMs = 2000): void {
    this.follower ??= setInterval(() => {
      this.syncUserTasks().catch((e: unknown) => this.logger.warn(`Following user tasks failed: ${e instanceof Error ? e.message : String(e)}`));
    }, intervalMs).unref();
  }

  /** One pass of the follower; concurrent callers share it. */
  syncUserTasks(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const rest = this.zeebe.rest();
    const open: Awaited<ReturnType<typeof rest.searchUserTasks>>['items'] = [];
    for (let from = 0; ; from += 100) {
      const page = await rest.searchUserTasks({ filter: { state: 'CREATED' }, page: { from, limit: 100 }, sort: [{ field: 'creationDate', order: 'ASC' }] });
      open.push(...page.items);
      if (page.items.length < 100) break;
    }
    const openKeys = new Set(open.map((t) => String(t.userTaskKey)));
    for (const task of open) {
      await this.db.transaction(async (em) => {
        const at = new Date();
        const [row] = await em.query(
          `INSERT INTO zb_user_task (key, process_instance_key, bpmn_process_id, process_definition_version, element_id, element_instance_key, name, assignee,
                                     candidate_groups, candidate_users, form_key, due_date, follow_up_date, priority, state, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'CREATED', $15)
           ON CONFLICT (key) DO NOTHING RETURNING key`,
          [
            String(task.userTaskKey), String(task.processInstanceKey), task.processDefinitionId, task.processDefinitionVersion, task.elementId, String(task.elementInstanceKey),
            task.name ?? null, task.assignee ?? null, task.candidateGroups ?? [], task.candidateUsers ?? [], task.formKey ?? task.externalFormReference ?? null,
            task.dueDate ?? null, task.followUpDate ?? null, task.priority ?? 50, new Date(task.creationDate),
          ],
        );
        if (!row) return;
        const processInstanceKey = String(task.processInstanceKey);
        await mergeVariables(em, { processInstanceKey, bpmnProcessId: task.processDefinitionId, version: task.processDefinitionVersion, processDefinitionKey: String(task.processDefinitionKey) }, {}, at);
        await appendEvents(em, at, [
          { processInstanceKey, intent: 'ELEMENT_ACTIVATED', elementId: task.elementId, elementType: 'bpmn:UserTask', elementInstanceKey: String(task.elementInstanceKey) },
          { processInstanceKey, intent: 'USER_TASK_CREATED', elementId: task.elementId, elementInstanceKey: String(task.elementInstanceKey), payload: { userTaskKey: String(task.userTaskKey) } },
        ]);
      });
    }
    const mirrored: Array<{ key: string }> = await this.db.query(`SELECT key FROM zb_user_task WHERE state = 'CREATED'`);
    for (const { key } of mirrored.filter((t) => !openKeys.has(t.key))) {
      const task = await rest.getUserTask(key).catch(() => undefined);
      // Only COMPLETED and CANCELED end a task. The 8.8 states between (CREATING, ASSIGNING, UPDATING,
      // COMPLETING, CANCELING, FAILED) are a command or a task listener at work: the task is still open
      // (https://docs.camunda.io/docs/components/concepts/user-task-lifecycle/ ; camunda/camunda UserTaskState).
      if (!task || !ENDED_TASK_STATES.has(String(task.state))) continue;
      await this.closeTask(key, task.state === 'COMPLETED' ? 'COMPLETED' : 'CANCELED', undefined, undefined, task.completionDate ? new Date(task.completionDate) : new Date());
    }
  }

  private async closeTask(key: string, state: 'COMPLETED' | 'CANCELED', variables: Variables | undefined, actor: Actor | undefined, at: Date): Promise<void> {
    await this.db.transaction(async (em) => {
      const [[task]] = await em.query(
        `UPDATE zb_user_task SET state = $2, completed_at = $3, completed_by = $4 WHERE key = $1 AND state = 'CREATED'
         RETURNING process_instance_key, element_id, element_instance_key, bpmn_process_id, process_definition_version`,
        [key, state, state === 'COMPLETED' ? at : null, actor?.username ?? null],
      );
      if (!task) return;
      const base = { processInstanceKey: task.process_instance_key, elementId: task.element_id, elementInstanceKey: task.element_instance_key };
      if (variables) await mergeVariables(em, { processInstanceKey: task.process_instance_key, bpmnProcessId: task.bpmn_process_id, version: task.process_definition_version }, variables, at);
      await appendEvents(
        em,
        at,
        state === 'COMPLETED'
          ? [
              { ...base, intent: 'USER_TASK_COMPLETED', payload: { userTaskKey: key }, actor: actor?.username },
              { ...base, intent: 'ELEMENT_COMPLETED', elementType: 'bpmn:UserTask' },
            ]
          : [{ ...base, intent: 'USER_TASK_CANCELED', payload: { userTaskKey: key } }],
      );
    });
  }

  async getUserTask(key: string): Promise<UserTaskView> {
    assertKey(key, 'User task');
    const [row] = await this.db.query('SELECT * FROM zb_user_task WHERE key = $1', [key]);
    if (!row) throw new NotFoundError('User task', key);
    return toUserTask(row);
  }

  async listUserTasks(processInstanceKey: string, state?: UserTaskView['state']): Promise<UserTaskView[]> {
    assertKey(processInstanceKey, 'Process instance');
    const rows = await this.db.query(
      'SELECT * FROM zb_user_task WHERE process_instance_key = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at, key',
      [processInstanceKey, state ?? null],
    );
    return rows.map(toUserTask);
  }

  searchUserTasks(_query: UserTaskQuery): Promise<SearchResult<UserTaskView>> {
    return Promise.reject(onZeebeItself('Searching user tasks'));
  }

  async completeUserTask(key: string, variables?: Variables, actor?: Actor, action?: string): Promise<void> {
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_OPEN', `User task ${key} is ${task.state.toLowerCase()}`);
    await this.zeebe
      .rest()
      .completeUserTask({ userTaskKey: key, variables: json(variables), ...(action !== undefined ? { action } : {}) })
      .catch(async (e: unknown) => {
        // Zeebe forgets a task that ended: completing it is 404 (the mirror had not yet seen it end). The next pass
        // of the follower records how it ended; the caller hears that it is no longer open.
        if ((e as { statusCode?: number }).statusCode === 404) {
          throw new ConflictError('TASK_NOT_OPEN', `User task ${key} is no longer open in Zeebe (completed or cancelled there)`);
        }
        throw e;
      });
    await this.closeTask(key, 'COMPLETED', variables ?? {}, actor, new Date());
  }

  async assignUserTask(key: string, assignee: string | null, actor?: Actor, options: { allowOverride?: boolean; action?: string } = {}): Promise<void> {
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_OPEN', `User task ${key} is ${task.state.toLowerCase()}`);
    if (assignee === null) await this.zeebe.rest().unassignUserTask({ userTaskKey: key });
    else await this.zeebe.rest().assignUserTask({ userTaskKey: key, assignee, allowOverride: options.allowOverride ?? true, ...(options.action !== undefined ? { action: options.action } : {}) });
    await this.db.transaction(async (em) => {
      await em.query('UPDATE zb_user_task SET assignee = $2 WHERE key = $1', [key, assignee]);
      await appendEvents(em, new Date(), [
        { processInstanceKey: task.processInstanceKey, elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, intent: 'USER_TASK_ASSIGNED', payload: { userTaskKey: key, assignee }, actor: actor?.username },
      ]);
    });
  }

  async updateUserTask(key: string, changes: UserTaskChanges, actor?: Actor, action?: string): Promise<void> {
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_OPEN', `User task ${key} is ${task.state.toLowerCase()}`);
    const changeset: { dueDate?: string; followUpDate?: string; candidateUsers?: string[]; candidateGroups?: string[]; priority?: number } = {};
    // Zeebe clears a date given as an empty string.
    if (changes.dueDate !== undefined) changeset.dueDate = changes.dueDate ? changes.dueDate.toISOString() : '';
    if (changes.followUpDate !== undefined) changeset.followUpDate = changes.followUpDate ? changes.followUpDate.toISOString() : '';
    if (changes.candidateUsers !== undefined) changeset.candidateUsers = changes.candidateUsers;
    if (changes.candidateGroups !== undefined) changeset.candidateGroups = changes.candidateGroups;
    if (changes.priority !== undefined) changeset.priority = changes.priority;
    // PATCH /v2/user-tasks/{key} {changeset}, as the REST API documents it (the SDK's own
    // updateUserTask in 8.8 sends the changeset bare to …/update).
    await this.zeebe.rest().callApiEndpoint({ urlPath: `user-tasks/${key}`, method: 'PATCH', body: { changeset, ...(action !== undefined ? { action } : {}) }, json: false });
    await this.db.transaction(async (em) => {
      await em.query(...userTaskUpdate('zb_user_task', key, changes));
      await appendEvents(em, new Date(), [
        { processInstanceKey: task.processInstanceKey, elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, intent: 'USER_TASK_UPDATED', payload: { userTaskKey: key, ...changeset }, actor: actor?.username },
      ]);
    });
  }

  // ── events and incidents ───────────────────────────────────────────────────

  async getInstanceEvents(processInstanceKey: string): Promise<EngineEvent[]> {
    assertKey(processInstanceKey, 'Process instance');
    const rows = await this.db.query('SELECT * FROM zb_event WHERE process_instance_key = $1 ORDER BY position', [processInstanceKey]);
    return rows.map(toEvent);
  }

  async listEvents(afterPosition: string, limit: number): Promise<EngineEvent[]> {
    if (!isKeyText(afterPosition)) throw new DomainError('INVALID_POSITION', `The event position must be a whole number from 0 to 9223372036854775807 (got "${afterPosition.slice(0, 40)}")`);
    const rows = await this.db.query('SELECT * FROM zb_event WHERE position > $1 ORDER BY position LIMIT $2', [afterPosition, Math.max(1, Math.min(10_000, Math.floor(limit)))]);
    return rows.map(toEvent);
  }

  async countIncidents(range: { from: Date; to: Date }): Promise<IncidentCount[]> {
    const rows = await this.db.query(
      `SELECT p.bpmn_process_id AS "bpmnProcessId", i.element_id AS "elementId", i.error_type AS "errorType", max(p.process_definition_key::bigint)::text AS "processDefinitionKey",
              count(*) FILTER (WHERE i.state = 'ACTIVE')::int AS open, count(*) FILTER (WHERE i.state <> 'ACTIVE')::int AS resolved
         FROM zb_incident i JOIN zb_instance p ON p.key = i.process_instance_key
        WHERE i.created_at >= $1 AND i.created_at < $2
        GROUP BY 1, 2, 3 ORDER BY 5 DESC, 1, 2, 3`,
      [range.from, range.to],
    );
    return rows as IncidentCount[];
  }

  async listIncidents(filter: { state?: 'ACTIVE' | 'RESOLVED'; processInstanceKey?: string } = {}): Promise<IncidentView[]> {
    const rows = await this.db.query(
      `SELECT * FROM zb_incident WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR process_instance_key = $2) ORDER BY created_at, key`,
      [filter.state ?? null, filter.processInstanceKey ?? null],
    );
    return rows.map(toIncident);
  }

  searchIncidents(_query: IncidentQuery): Promise<SearchResult<IncidentView>> {
    return Promise.reject(onZeebeItself('Searching incidents'));
  }

  /**
   * Resolves a job incident: the mirror knows it by its job, Zeebe by an incident key that only
   * its search API tells (REST `POST /v2/incidents/search` by job key).
   */
  async resolveIncident(key: string, actor?: Actor): Promise<void> {
    const [row] = await this.db.query(
      `SELECT i.*, j.retries FROM zb_incident i LEFT JOIN zb_job j ON j.key = i.job_key WHERE i.key = $1`,
      [key],
    );
    if (!row) throw new NotFoundError('Incident', key);
    if (row.state !== 'ACTIVE') throw new ConflictError('INCIDENT_NOT_ACTIVE', `Incident ${key} is already resolved`);
    if (row.job_key && !(row.retries > 0)) {
      throw new ConflictError('NO_RETRIES', `Job ${row.job_key} has no retries left: give it retries first (POST /api/jobs/${row.job_key}/retries)`);
    }
    // An 8.8 incident can sit in PENDING for a minute or more before the search shows it ACTIVE (camunda/camunda#39962,
    // #44267); the broker has it all the same, so a PENDING one is resolved as an ACTIVE one is.
    const found = await this.zeebe.rest().searchIncidents({ filter: { jobKey: row.job_key }, sort: [{ field: 'creationTime', order: 'DESC' }] });
    const incident = found.items.find((i) => OPEN_INCIDENT_STATES.has(String(i.state)));
    if (!incident) throw new ConflictError('INCIDENT_NOT_FOUND_IN_ZEEBE', `Zeebe reports no active incident for job ${row.job_key}; it may have been resolved in Operate`);
    await this.command('ResolveIncident', () => this.zeebe.grpc().resolveIncident({ incidentKey: String(incident.incidentKey) }), {
      idempotent: true,
      // NOT_FOUND after an unanswered attempt: that attempt resolved it.
      afterOpenOutcome: async (e) => {
        if (grpcCode(e) !== GrpcStatus.NOT_FOUND) throw e;
        return undefined as never;
      },
    }).catch((e: unknown) => {
      // IncidentResolveProcessor refuses a job incident whose job has no retries left (INVALID_STATE, gRPC FAILED_PRECONDITION),
      // e.g. when the retries were set elsewhere and the mirror did not see them.
      if (grpcCode(e) === GrpcStatus.FAILED_PRECONDITION) {
        throw new ConflictError('NO_RETRIES', `Zeebe refuses to resolve the incident of job ${row.job_key}: the job has no retries left there. Give it retries first (POST /api/jobs/${row.job_key}/retries)`);
      }
      throw e;
    });
    await this.db.transaction(async (em) => {
      const at = new Date();
      await em.query(`UPDATE zb_incident SET state = 'RESOLVED', resolved_at = $2 WHERE key = $1`, [key, at]);
      await em.query(`UPDATE zb_job SET state = 'FAILED', updated_at = $2 WHERE key = $1 AND state = 'INCIDENT'`, [row.job_key, at]);
      await appendEvents(em, at, [{ processInstanceKey: row.process_instance_key, elementId: row.element_id, intent: 'INCIDENT_RESOLVED', payload: { incidentKey: key }, actor: actor?.username }]);
    });
  }

  /** Closes the workers (each finishes its in-flight jobs first) and stops following user tasks. */
  async onApplicationShutdown(): Promise<void> {
    if (this.follower) clearInterval(this.follower);
    this.follower = undefined;
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.zeebe.close();
  }
}
