import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig, ConflictError, DomainError, NotFoundError, isKeyText } from '@mustafid/platform';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { type CompiledProcess, type DiagramLimits, checksumOf, compileProcess, validateDiagram } from '../model/compile';
import type { ProcessModel } from '../model/process-model';
import { InvalidBpmnError, InvalidDmnError } from '../model/safe-xml';
import type { DecisionRequirementsGraph } from '../dmn/decision-model';
import { compileDmn, isDmnResource, validateDmn } from '../dmn/parse-dmn';
import { evaluateDecision } from '../dmn/evaluate-decision';
import type {
  IncidentCount,
  UserTaskChanges,
  ActivateJobsCommand,
  AdHocJobResult,
  ActivatedJob,
  Actor,
  BroadcastSignalCommand,
  BroadcastedSignal,
  CreateInstanceCommand,
  DecisionDefinitionQuery,
  DecisionDefinitionView,
  DecisionEvaluation,
  DecisionRequirementsQuery,
  DecisionRequirementsView,
  DeployCommand,
  DeployResourcesCommand,
  DeployResult,
  DeployedDecision,
  DeployedDecisionRequirements,
  DeployedProcess,
  ElementInstanceQuery,
  ElementInstanceView,
  ElementRef,
  EngineEvent,
  EvaluateDecisionCommand,
  EngineTopology,
  IncidentErrorType,
  IncidentQuery,
  IncidentView,
  JobOutcome,
  JobWorker,
  JobWorkerOptions,
  ProcessDefinitionQuery,
  ProcessDefinitionSummary,
  ProcessDefinitionView,
  ProcessInstanceQuery,
  ProcessInstanceSummary,
  ProcessInstanceView,
  PublishMessageCommand,
  PublishedMessage,
  SearchResult,
  UserTaskQuery,
  UserTaskView,
  VariableQuery,
  VariableView,
  Variables,
  WorkflowEngine,
} from '../port/workflow-engine';
import { CAMUNDA_API_VERSION, VARIABLE_VALUE_LIMIT } from '../port/workflow-engine';
import { ELEMENT_INSTANCES_SQL, VARIABLES_SQL, isJsonText } from './element-reads';
import { chainLocals, scopeChain, setScopeVariables } from '../core/set-variables';
import { JobWaiters } from './job-waiters';
import { userTaskUpdate } from '../port/user-task-changes';
import { SearchSql } from './search-sql';
import { CLOCK, type Clock } from './clock';
import { durationMs } from './duration';
import { EngineCache } from './engine-cache';
import { EngineMetrics } from './engine-metrics';
import { Admitted, CommandAdmission } from './admission';
import { CommandLanes, Refused } from './command-lanes';
import {
  type EventContext,
  type InstanceRow,
  JOB_WITH_INCIDENT,
  bumpStateVersion,
  insertEvents,
  loadOpenWaits,
  lockInstance,
  nextKeys,
  persistRun,
  type StepWrites,
  takePrefetchedJob,
} from './engine-store';
import { CoreRun, MAX_SIGNAL_NAME } from '../core/run';
import { type CalledDecisionVersion, DecisionNotLoaded, LoadedDecisions, decisionRefOf } from '../core/decisions';
import { KeyBlock, OutOfKeys } from '../core/keys';
import { isCoreState } from '../core/state';
import { terminatedOnCancel } from '../core/cancel';
import { type Command, type Delivery, InstanceRun, type LiveEngine, type NewCall, type NewSubscription, RunIncident, type RunEvent, type RunResult } from './instance-run';
import { JobWorkerLoop } from './job-worker-loop';
import { type StartOccurrence, firstOccurrence, nextOccurrence } from './start-timers';
import { CLAIM_BATCH, type DueTimer, TimerScheduler } from './timer-scheduler';
import { Feel, FeelError, isExpression } from './feel';

/** The states a job takes a worker's complete, fail or throw-error in (Zeebe: ACTIVATABLE, ACTIVATED). */
const WORKABLE_JOB = ['ACTIVATABLE', 'ACTIVATED'];

/**
 * Why a job refuses a worker's command (Zeebe rejects it with INVALID_STATE): a job with an
 * incident (FAILED: out of retries; ERROR_THROWN: a BPMN error nothing caught) waits for the
 * incident to be resolved; a finished one takes nothing more.
 */
function jobNotWorkable(jobKey: string, state: string | undefined, action: string): ConflictError {
  const why =
    state === 'FAILED'
      ? `it failed with no retries left and has an incident: give it retries (POST /api/jobs/${jobKey}/retries) and resolve the incident, then a worker can take it again`
      : state === 'ERROR_THROWN'
        ? 'it threw a BPMN error that no event caught and has an incident: resolve the incident, then a worker can take it again'
        : `it is already ${String(state ?? 'gone').toLowerCase()}`;
  return new ConflictError('JOB_NOT_ACTIVE', `Job ${jobKey} cannot ${action}: ${why}`, { state: state ?? null });
}

/** How deep call activities may nest (Zeebe bounds it too: maxProcessDepth, 1000 by default). */
export const MAX_CALL_DEPTH = 100;

/** What follows a committed step that involved call activities (see followCalls). */
interface CallFollowUps {
  start: Array<{ key: string; names: string[] }>;
  cancel: string[];
  completeParent?: { parentKey: string; elementInstanceKey: string; variables: Variables };
}

/** A key that cannot exist (not digits, or above 2^63 − 1) is simply not found; it never reaches SQL. */
function assertKey(key: string, what: string): void {
  if (!isKeyText(key)) throw new NotFoundError(what, key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function assertVariables(variables: unknown): asserts variables is Variables | undefined {
  if (variables === undefined) return;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new DomainError('INVALID_VARIABLES', 'variables must be a JSON object, e.g. {"applicationNumber": "A-1"}', 400);
  }
}

function isRetryable(e: unknown): boolean {
  const code = e instanceof QueryFailedError ? (e.driverError as { code?: string }).code : undefined;
  return code === '40001' || code === '40P01';
}

/**
 * The embedded engine: bpmn-engine in-process with Zeebe semantics, durable in SQL. Every
 * change to an instance is one transaction that locks its row, recovers its slim state,
 * applies one command, persists the new waits and events, and drops the engine.
 */
@Injectable()
export class EmbeddedWorkflowEngine implements WorkflowEngine, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('WorkflowEngine');
  private readonly compiled = new Map<string, Promise<CompiledProcess>>();
  /** Deployed DMN files, parsed once, by decision requirements key (a version never changes). */
  private readonly decisionGraphs = new Map<string, Promise<DecisionRequirementsGraph>>();
  /** The version each child a step creates runs, found by checkCalls and stored by storeCalls in the same transaction. */
  private readonly calledVersions = new Map<string, { processDefinitionKey: string; version: number }>();
  private readonly workers = new Set<JobWorkerLoop>();
  /** What a job handed to an in-process worker needs to be completed without reading it again. */
  private readonly activated = new WeakMap<ActivatedJob, { local: Variables; elementInstanceKey: string }>();
  readonly timers: TimerScheduler;
  /** Live engines between steps (ENGINE_CACHE_SIZE). */
  readonly engines: EngineCache;
  /** What the configuration allows beyond BPMN (ENGINE_MIN_TIMER_CYCLE). */
  private readonly limits: DiagramLimits;
  /** The core new instances start on (ENGINE_CORE). */
  private readonly core: 'mustafid' | 'bpmn-engine';
  /** Callers of activateJobs waiting for a job of their type (long polling). */
  private readonly jobWaiters = new JobWaiters();
  private readonly httpPort: number;
  /** Backpressure on the clients' commands (ENGINE_MAX_PENDING_COMMANDS). */
  readonly admission: CommandAdmission;
  private readonly lanes: CommandLanes;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) readonly clock: Clock,
    readonly metrics: EngineMetrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.engines = new EngineCache(config.engine.cacheSize);
    this.admission = new CommandAdmission(config.engine.maxPendingCommands, () => metrics.commandsRefused.inc());
    // The embedded database has one connection: one lane.
    this.lanes = new CommandLanes(db, config.database.kind === 'embedded' ? 1 : config.engine.lanes, {
      batch: (size) => metrics.batchSize.observe(size),
      queued: (depth) => metrics.laneDepth.observe(depth),
      fellBack: () => metrics.batchFallbacks.inc(),
    });
    this.core = config.engine.core;
    this.httpPort = config.http.port;
    this.limits = { minTimerCycleMs: config.engine.minTimerCycleMs, core: this.core };
    // A claim's firings are handed to the lanes at once: the lanes run them in a few transactions
    // (group commit) and hold a connection each; a timer start event's firing takes one of its own.
    this.timers = new TimerScheduler(
      db,
      clock,
      (timer) => (timer.processInstanceKey ? this.fireTimer(timer as DueTimer & { processInstanceKey: string }) : this.fireStartTimer(timer)),
      (lagMs) => metrics.timerLag.observe(lagMs / 1000),
      CLAIM_BATCH,
    );
  }

  /** Starts instances a crash left unstarted, then fires durable timers from now on. */
  start(): void {
    this.startUnstarted()
      .then(() => this.resumeCalls())
      .then(() => this.resumeSignals())
      .catch((e: unknown) => this.logger.error(`Starting left-over instances failed: ${(e as Error).message}`))
      .finally(() => this.timers.start());
  }

  /** Long polls answer (empty) before the HTTP server closes, which waits for open requests. */
  beforeApplicationShutdown(): void {
    this.jobWaiters.close();
  }

  async onApplicationShutdown(): Promise<void> {
    this.jobWaiters.close();
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.timers.stop();
  }

  // ── deployments ────────────────────────────────────────────────────────────

  topology(): Promise<EngineTopology> {
    // One node, one partition: this server process, whose database holds every instance.
    return Promise.resolve({
      brokers: [{ nodeId: 0, host: hostname(), port: this.httpPort, version: CAMUNDA_API_VERSION, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: CAMUNDA_API_VERSION,
    });
  }

  /** The latest versions of a DMN file's graph and decisions, when deploying it again would change nothing (the same file under the same name, its decisions still the latest). */
  private async unchangedDmn(em: EntityManager, graph: DecisionRequirementsGraph, resource: { resourceName: string }, checksum: string): Promise<Pick<DeployResult, 'decisionRequirements' | 'decisions'> | undefined> {
    const ids = [...graph.decisions.keys()];
    const [latest] = await em.query(
      `SELECT key::text, version, checksum, resource_name, name, deployed_at, deployed_by, deleted_at IS NOT NULL AS deleted FROM wf_decision_requirements
        WHERE decision_requirements_id = $1 ORDER BY version DESC LIMIT 1`,
      [graph.id],
    );
    const before = await this.latestDecisionRows(em, ids);
    if (!latest || latest.deleted || latest.checksum !== checksum || latest.resource_name !== resource.resourceName || !ids.every((id) => before.get(id)?.drk === latest.key)) return undefined;
    return {
      decisionRequirements: [
        {
          key: latest.key,
          decisionRequirementsId: graph.id,
          name: latest.name ?? undefined,
          version: latest.version,
          resourceName: latest.resource_name,
          checksum,
          deployedAt: latest.deployed_at,
          deployedBy: latest.deployed_by ?? undefined,
          isNewVersion: false,
        },
      ],
      decisions: ids.map((id) => {
        const row = before.get(id)!;
        return { key: row.key, decisionId: id, name: row.name ?? undefined, version: row.version, decisionRequirementsId: graph.id, decisionRequirementsKey: latest.key, isNewVersion: false };
      }),
    };
  }

  private async latestDecisionRows(em: EntityManager, ids: string[]): Promise<Map<string, { decision_id: string; key: string; version: number; name: string | null; drk: string }>> {
    const rows: Array<{ decision_id: string; key: string; version: number; name: string | null; drk: string }> = await em.query(
      `SELECT DISTINCT ON (decision_id) decision_id, key::text, version, name, decision_requirements_key::text AS drk
         FROM wf_decision WHERE decision_id = ANY($1) ORDER BY decision_id, version DESC`,
      [ids],
    );
    return new Map(rows.map((r) => [r.decision_id, r]));
  }

  /** A DMN file as new versions: its graph by its id, each decision by its decision id (Zeebe's DmnResourceTransformer), under this deployment key. */
  private async insertDmn(
    em: EntityManager,
    graph: DecisionRequirementsGraph,
    command: { resourceName: string; xml: string; deployedBy?: Actor },
    checksum: string,
    deploymentKey: string,
  ): Promise<Pick<DeployResult, 'decisionRequirements' | 'decisions'>> {
    const [latest] = await em.query(`SELECT version FROM wf_decision_requirements WHERE decision_requirements_id = $1 ORDER BY version DESC LIMIT 1`, [graph.id]);
    const before = await this.latestDecisionRows(em, [...graph.decisions.keys()]);
    const now = this.clock.now();
    const version = (latest?.version ?? 0) + 1;
    const [row] = await em.query(
      `INSERT INTO wf_decision_requirements (decision_requirements_id, version, name, namespace, resource_name, checksum, xml, deployed_at, deployed_by, deployment_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING key::text`,
      [graph.id, version, graph.name ?? null, graph.namespace ?? null, command.resourceName, checksum, command.xml, now, command.deployedBy?.username ?? null, deploymentKey],
    );
    const drg: DeployedDecisionRequirements = {
      key: row.key,
      decisionRequirementsId: graph.id,
      name: graph.name,
      version,
      resourceName: command.resourceName,
      checksum,
      deployedAt: now,
      deployedBy: command.deployedBy?.username,
      isNewVersion: true,
    };
    const decisions: DeployedDecision[] = [];
    for (const decision of graph.decisions.values()) {
      const next = (before.get(decision.id)?.version ?? 0) + 1;
      const [d] = await em.query(
        `INSERT INTO wf_decision (decision_id, version, name, decision_requirements_key, decision_requirements_id, deployed_at, deployment_key, version_tag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING key::text`,
        [decision.id, next, decision.name ?? null, drg.key, graph.id, now, deploymentKey, decision.versionTag ?? null],
      );
      decisions.push({ key: d.key, decisionId: decision.id, name: decision.name, version: next, decisionRequirementsId: graph.id, decisionRequirementsKey: drg.key, isNewVersion: true });
    }
    return { decisionRequirements: [drg], decisions };
  }

  /** A deployed DMN file's graph, parsed once and cached. */
  private decisionGraph(decisionRequirementsKey: string, em: EntityManager): Promise<DecisionRequirementsGraph> {
    let graph = this.decisionGraphs.get(decisionRequirementsKey);
    if (!graph) {
      graph = (async () => {
        const [row] = await em.query(`SELECT xml FROM wf_decision_requirements WHERE key = $1`, [decisionRequirementsKey]);
        return compileDmn(row.xml);
      })();
      graph.catch(() => this.decisionGraphs.delete(decisionRequirementsKey));
      this.decisionGraphs.set(decisionRequirementsKey, graph);
    }
    return graph;
  }

  /**
   * The version of each decision a step's business rule tasks may call (by decisionRefKey; null:
   * none matches), with its graph: the latest by id, the one in the deployment of the calling
   * process's version (`deployment`), or the latest carrying a version tag (`versionTag`).
   */
  private async loadDecisions(em: EntityManager, refKeys: Set<string>, processDefinitionKey: string): Promise<LoadedDecisions> {
    const loaded = new Map<string, CalledDecisionVersion | null>([...refKeys].map((k) => [k, null]));
    if (refKeys.size === 0) return new LoadedDecisions(loaded);
    const refs = [...refKeys].map((k) => ({ k, ref: decisionRefOf(k) }));
    const needsDeployment = refs.some(({ ref }) => ref.bindingType === 'deployment');
    const deploymentKey: string | undefined = needsDeployment
      ? (await em.query(`SELECT deployment_key::text AS d FROM wf_process_definition WHERE key = $1`, [processDefinitionKey]))[0]?.d
      : undefined;
    const columns = `key::text, decision_id, version, name, decision_requirements_key::text AS drk, decision_requirements_id AS drid`;
    for (const { k, ref } of refs) {
      const [r]: Array<{ decision_id: string; key: string; version: number; name: string | null; drk: string; drid: string }> =
        ref.bindingType === 'deployment'
          ? await em.query(`SELECT ${columns} FROM wf_decision WHERE decision_id = $1 AND deployment_key = $2 AND deleted_at IS NULL`, [ref.decisionId, deploymentKey ?? null])
          : ref.bindingType === 'versionTag'
            ? await em.query(`SELECT ${columns} FROM wf_decision WHERE decision_id = $1 AND version_tag = $2 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [ref.decisionId, ref.versionTag ?? ''])
            : await em.query(`SELECT ${columns} FROM wf_decision WHERE decision_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [ref.decisionId]);
      if (!r) continue;
      loaded.set(k, {
        key: r.key,
        decisionId: r.decision_id,
        name: r.name ?? undefined,
        version: r.version,
        decisionRequirementsId: r.drid,
        decisionRequirementsKey: r.drk,
        graph: await this.decisionGraph(r.drk, em),
      });
    }
    return new LoadedDecisions(loaded, deploymentKey);
  }

  deploy(command: DeployCommand): Promise<DeployResult> {
    return this.deployResources({ resources: [{ resourceName: command.resourceName, xml: command.xml }], deployedBy: command.deployedBy });
  }

  /**
   * Checks every resource first, BPMN and DMN (nothing is stored if one fails), then stores them
   * all in one transaction under one deployment key. A DMN file is versioned as Zeebe's
   * DmnResourceTransformer versions it: the decision requirements graph by its id (the same file
   * under the same name again, while its decisions are the latest, is no new version), each
   * decision by its decision id.
   */
  async deployResources(command: DeployResourcesCommand): Promise<DeployResult> {
    if (command.resources.length === 0) throw new DomainError('NO_RESOURCES', 'A deployment needs at least one resource (BPMN or DMN)', 400);
    const several = command.resources.length > 1;
    const named = (resourceName: string) => (e: unknown): never => {
      if (several && e instanceof InvalidBpmnError) throw new InvalidBpmnError(`${resourceName}: ${e.message}`, e.problems);
      if (several && e instanceof InvalidDmnError) throw new InvalidDmnError(`${resourceName}: ${e.message}`, e.problems);
      throw e;
    };
    const checked: Array<{ resourceName: string; xml: string; checksum: string; processes: ProcessModel[]; warnings: DeployResult['warnings'] }> = [];
    const decisionFiles: Array<{ resourceName: string; xml: string; checksum: string; graph: DecisionRequirementsGraph }> = [];
    const declaredIn = new Map<string, string>();
    for (const resource of command.resources) {
      if (isDmnResource(resource.resourceName, resource.xml)) {
        const graph = await validateDmn(resource.xml).catch(named(resource.resourceName));
        decisionFiles.push({ ...resource, checksum: checksumOf(resource.xml), graph });
        continue;
      }
      const parsed = await validateDiagram(resource.xml, undefined, this.limits).catch(named(resource.resourceName));
      // A signal start event's name expression is evaluated on deploying (docs: "Signal events" › "Signals").
      const problems = parsed.processes.flatMap((process) => process.signalStarts.flatMap((start) => this.signalStartProblem(start)));
      if (problems.length > 0) {
        named(resource.resourceName)(new InvalidBpmnError(`The diagram has ${problems.length} problem(s) that block deployment: ${problems.map((p) => `${p.elementId}: ${p.message}`).join('; ')}`, problems));
      }
      for (const process of parsed.processes) {
        const other = declaredIn.get(process.bpmnProcessId);
        if (other !== undefined) {
          // As Zeebe: "Duplicated process id in resources".
          throw new DomainError('DUPLICATE_PROCESS_ID', `The process id ${process.bpmnProcessId} is declared in both ${other} and ${resource.resourceName}: deploy each process once`, 400);
        }
        declaredIn.set(process.bpmnProcessId, resource.resourceName);
      }
      checked.push({ ...resource, checksum: checksumOf(resource.xml), processes: parsed.processes, warnings: parsed.warnings });
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.db.transaction(async (em): Promise<DeployResult> => {
          const [deploymentKey] = await nextKeys(em, 1);
          const deployed: DeployResult = { deploymentKey, processes: [], decisionRequirements: [], decisions: [], warnings: checked.flatMap((r) => r.warnings) };
          // As Zeebe's DeploymentTransformer: when every resource is unchanged from its latest
          // version nothing new is stored; otherwise every resource of the deployment becomes a
          // new version under this deployment key (what bindingType="deployment" resolves by).
          const latest = new Map<string, LatestProcess>();
          for (const resource of checked) for (const model of resource.processes) {
            const row = await this.latestProcess(em, model.bpmnProcessId);
            if (row) latest.set(model.bpmnProcessId, row);
          }
          const unchangedDmn = [];
          for (const file of decisionFiles) unchangedDmn.push(await this.unchangedDmn(em, file.graph, file, file.checksum));
          const unchanged =
            checked.every((r) => r.processes.every((m) => !latest.get(m.bpmnProcessId)?.deleted && latest.get(m.bpmnProcessId)?.checksum === r.checksum)) && unchangedDmn.every((u) => u !== undefined);
          if (unchanged) {
            for (const resource of checked) for (const model of resource.processes) deployed.processes.push(existingProcess(model.bpmnProcessId, latest.get(model.bpmnProcessId)!, resource.checksum));
            for (const u of unchangedDmn) {
              deployed.decisionRequirements.push(...u!.decisionRequirements);
              deployed.decisions.push(...u!.decisions);
            }
            return deployed;
          }
          for (const file of decisionFiles) {
            const stored = await this.insertDmn(em, file.graph, { ...file, deployedBy: command.deployedBy }, file.checksum, deploymentKey);
            deployed.decisionRequirements.push(...stored.decisionRequirements);
            deployed.decisions.push(...stored.decisions);
          }
          for (const resource of checked) {
            for (const model of resource.processes) {
              const version = (latest.get(model.bpmnProcessId)?.version ?? 0) + 1;
              deployed.processes.push(await this.storeProcess(em, model, { ...resource, deployedBy: command.deployedBy }, resource.checksum, deploymentKey, version));
            }
          }
          return deployed;
        });
        this.timers.wake();
        return result;
      } catch (e) {
        // Two deployments of one process, graph or decision at once: the loser of the version race tries again.
        const unique = e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505';
        if (!unique || attempt > 3) throw e;
      }
    }
  }

  private async latestProcess(em: EntityManager, bpmnProcessId: string): Promise<LatestProcess | undefined> {
    const [row] = await em.query(
      `SELECT key::text, version, checksum, resource_name, name, deployed_at, deployed_by, deleted_at IS NOT NULL AS deleted FROM wf_process_definition
        WHERE bpmn_process_id = $1 ORDER BY version DESC LIMIT 1`,
      [bpmnProcessId],
    );
    return row;
  }

  private async storeProcess(em: EntityManager, model: ProcessModel, command: { resourceName: string; xml: string; deployedBy?: Actor }, checksum: string, deploymentKey: string, version: number): Promise<DeployedProcess> {
    const { bpmnProcessId, name } = model;
    const now = this.clock.now();
    const starts = model.timerStarts.map((t) => firstOccurrence(t, now, new Feel(this.clock), this.limits.minTimerCycleMs));
    const [row] = await em.query(
      `INSERT INTO wf_process_definition (bpmn_process_id, version, name, resource_name, checksum, xml, deployed_by, deployment_key, version_tag)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING key::text, deployed_at`,
      [bpmnProcessId, version, name ?? null, command.resourceName, checksum, command.xml, command.deployedBy?.username ?? null, deploymentKey, model.versionTag ?? null],
    );
    // A new version's timer start events replace the previous versions' (as in Zeebe).
    await em.query(
      `UPDATE wf_timer SET state = 'CANCELED' WHERE state = 'CREATED' AND process_definition_key IN
         (SELECT key FROM wf_process_definition WHERE bpmn_process_id = $1 AND key <> $2)`,
      [bpmnProcessId, row.key],
    );
    for (const start of starts) await this.insertStartTimer(em, row.key, start);
    await insertEvents(em, { processInstanceKey: null, processDefinitionKey: row.key, actor: command.deployedBy?.username, at: this.clock.now() }, [
      { intent: 'PROCESS_DEPLOYED', elementId: bpmnProcessId, elementType: 'bpmn:Process', payload: { version, resourceName: command.resourceName } },
    ]);
    return {
      key: row.key,
      bpmnProcessId,
      version,
      resourceName: command.resourceName,
      name,
      checksum,
      deployedAt: row.deployed_at,
      deployedBy: command.deployedBy?.username,
      isNewVersion: true,
    };
  }

  private async insertStartTimer(em: EntityManager, definitionKey: string, start: StartOccurrence): Promise<void> {
    await em.query(
      `INSERT INTO wf_timer (process_definition_key, element_id, element_instance_key, due_at, repetitions, cycle, state, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'CREATED', $7)`,
      [definitionKey, start.elementId, `start:${start.elementId}:${start.dueAt.getTime()}`, start.dueAt, start.repetitions, start.cycle ?? null, this.clock.now()],
    );
  }

  /** A timer start event fired: a new instance at that start event, and the cycle's next occurrence. */
  private async fireStartTimer(timer: DueTimer): Promise<boolean> {
    const started = await this.db.transaction(async (em) => {
      const [row] = await em.query(
        `SELECT t.process_definition_key::text AS pdk, t.element_id, t.due_at, t.repetitions, t.cycle, d.bpmn_process_id, d.version
           FROM wf_timer t JOIN wf_process_definition d ON d.key = t.process_definition_key
          WHERE t.key = $1 AND t.state = 'CREATED' FOR UPDATE OF t SKIP LOCKED`,
        [timer.key],
      );
      if (!row) return undefined;
      const now = this.clock.now();
      await em.query(`UPDATE wf_timer SET state = 'TRIGGERED', triggered_at = $2 WHERE key = $1`, [timer.key, now]);
      const next = nextOccurrence({ elementId: row.element_id, dueAt: new Date(row.due_at), repetitions: row.repetitions, cycle: row.cycle ?? undefined }, now);
      if (next) await this.insertStartTimer(em, row.pdk, next);
      const [key] = await nextKeys(em, 1);
      await em.query(
        `INSERT INTO wf_process_instance (key, process_definition_key, bpmn_process_id, version, state, variables, start_element_id, started_at, updated_at)
         VALUES ($1, $2, $3, $4, 'ACTIVE', '{}'::jsonb, $5, $6, $6)`,
        [key, row.pdk, row.bpmn_process_id, row.version, row.element_id, now],
      );
      return { key, elementId: row.element_id as string };
    });
    if (started) await this.startInstance(started.key, started.elementId);
    return started !== undefined;
  }

  async listProcessDefinitions(): Promise<ProcessDefinitionSummary[]> {
    const rows = await this.db.query(
      `SELECT d.key::text, d.bpmn_process_id, d.version, d.name, d.resource_name, d.checksum, d.deployed_at, d.deployed_by,
              COALESCE(i.active, 0) AS active, COALESCE(i.completed, 0) AS completed, COALESCE(i.canceled, 0) AS canceled
         FROM wf_process_definition d
         LEFT JOIN (SELECT process_definition_key,
                           count(*) FILTER (WHERE state = 'ACTIVE')::int AS active,
                           count(*) FILTER (WHERE state = 'COMPLETED')::int AS completed,
                           count(*) FILTER (WHERE state = 'CANCELED')::int AS canceled
                      FROM wf_process_instance GROUP BY process_definition_key) i ON i.process_definition_key = d.key
        WHERE d.deleted_at IS NULL
        ORDER BY d.bpmn_process_id, d.version DESC`,
    );
    const byId = new Map<string, ProcessDefinitionSummary>();
    for (const r of rows) {
      const summary: ProcessDefinitionSummary = byId.get(r.bpmn_process_id) ?? { bpmnProcessId: r.bpmn_process_id, name: r.name ?? undefined, versions: [] };
      summary.versions.push({
        key: r.key,
        version: r.version,
        name: r.name ?? undefined,
        resourceName: r.resource_name,
        checksum: r.checksum,
        deployedAt: r.deployed_at,
        deployedBy: r.deployed_by ?? undefined,
        instances: { active: Number(r.active), completed: Number(r.completed), canceled: Number(r.canceled) },
      });
      byId.set(r.bpmn_process_id, summary);
    }
    return [...byId.values()];
  }

  async getProcessDefinition(key: string): Promise<ProcessDefinitionView> {
    assertKey(key, 'Process definition');
    const [row] = await this.db.query(
      `SELECT key::text, bpmn_process_id, version, name, resource_name, version_tag FROM wf_process_definition WHERE key = $1 AND deleted_at IS NULL`,
      [key],
    );
    if (!row) throw new NotFoundError('Process definition', key);
    return processDefinitionView(row);
  }

  async getProcessDefinitionXml(key: string): Promise<string> {
    assertKey(key, 'Process definition');
    const [row] = await this.db.query(`SELECT xml FROM wf_process_definition WHERE key = $1 AND deleted_at IS NULL`, [key]);
    if (!row) throw new NotFoundError('Process definition', key);
    return row.xml;
  }

  async searchProcessDefinitions(query: ProcessDefinitionQuery): Promise<SearchResult<ProcessDefinitionView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .is('d.deleted_at IS NULL', true)
      .anyOf('d.key', f.keys, 'bigint')
      .anyOf('d.bpmn_process_id', f.bpmnProcessIds, 'text')
      .anyOf('d.name', f.names, 'text')
      .anyOf('d.version', f.versions, 'int')
      .anyOf('d.version_tag', f.versionTags, 'text')
      .anyOf('d.resource_name', f.resourceNames, 'text')
      .is(
        `d.version = (SELECT max(l.version) FROM wf_process_definition l WHERE l.bpmn_process_id = d.bpmn_process_id AND l.deleted_at IS NULL)`,
        f.isLatestVersion === true ? true : undefined,
      );
    const rows = await this.searchRows(
      q,
      'd.key::text, d.bpmn_process_id, d.version, d.name, d.resource_name, d.version_tag',
      'wf_process_definition d',
      q.pageOf(
        query.sort,
        { key: 'd.key', name: 'd.name', resourceName: 'd.resource_name', version: 'd.version', versionTag: 'd.version_tag', bpmnProcessId: 'd.bpmn_process_id' },
        'd.key',
        query.page,
      ),
    );
    return { total: rows.total, items: rows.items.map(processDefinitionView) };
  }

  // ── decisions ──────────────────────────────────────────────────────────────

  async searchDecisionDefinitions(query: DecisionDefinitionQuery): Promise<SearchResult<DecisionDefinitionView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .is('d.deleted_at IS NULL', true)
      .anyOf('d.key', f.keys, 'bigint')
      .anyOf('d.decision_id', f.decisionIds, 'text')
      .anyOf('d.name', f.names, 'text')
      .anyOf('d.version', f.versions, 'int')
      .anyOf('d.decision_requirements_id', f.decisionRequirementsIds, 'text')
      .anyOf('d.decision_requirements_key', f.decisionRequirementsKeys, 'bigint');
    const rows = await this.searchRows(
      q,
      'd.key::text, d.decision_id, d.name, d.version, d.decision_requirements_id, d.decision_requirements_key::text AS drk',
      'wf_decision d',
      q.pageOf(
        query.sort,
        {
          key: 'd.key',
          decisionId: 'd.decision_id',
          name: 'd.name',
          version: 'd.version',
          decisionRequirementsId: 'd.decision_requirements_id',
          decisionRequirementsKey: 'd.decision_requirements_key',
        },
        'd.key',
        query.page,
      ),
    );
    return { total: rows.total, items: rows.items.map(decisionView) };
  }

  async searchDecisionRequirements(query: DecisionRequirementsQuery): Promise<SearchResult<DecisionRequirementsView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .is('r.deleted_at IS NULL', true)
      .anyOf('r.key', f.keys, 'bigint')
      .anyOf('r.decision_requirements_id', f.decisionRequirementsIds, 'text')
      .anyOf('r.name', f.names, 'text')
      .anyOf('r.version', f.versions, 'int')
      .anyOf('r.resource_name', f.resourceNames, 'text');
    const rows = await this.searchRows(
      q,
      'r.key::text, r.decision_requirements_id, r.name, r.version, r.resource_name',
      'wf_decision_requirements r',
      q.pageOf(query.sort, { key: 'r.key', name: 'r.name', version: 'r.version', decisionRequirementsId: 'r.decision_requirements_id' }, 'r.key', query.page),
    );
    return {
      total: rows.total,
      items: rows.items.map((r) => ({
        key: r.key,
        decisionRequirementsId: r.decision_requirements_id,
        ...(r.name ? { name: r.name } : {}),
        version: r.version,
        resourceName: r.resource_name,
      })),
    };
  }

  async getDecisionRequirementsXml(key: string): Promise<string> {
    assertKey(key, 'Decision requirements');
    const [row] = await this.db.query(`SELECT xml FROM wf_decision_requirements WHERE key = $1 AND deleted_at IS NULL`, [key]);
    if (!row) throw new NotFoundError('Decision requirements', key);
    return row.xml;
  }

  /**
   * Evaluates a decision on its own with the evaluator business rule tasks use (dmn/evaluate-decision),
   * its required decisions first; a failure is answered (failedDecisionId, failureMessage), as Zeebe does.
   */
  async evaluateDecision(command: EvaluateDecisionCommand): Promise<DecisionEvaluation> {
    assertVariables(command.variables);
    const columns = 'key::text, decision_id, name, version, decision_requirements_id, decision_requirements_key::text AS drk';
    const [row] =
      command.decisionKey !== undefined
        ? isKeyText(command.decisionKey)
          ? await this.db.query(`SELECT ${columns} FROM wf_decision WHERE key = $1 AND deleted_at IS NULL`, [command.decisionKey])
          : []
        : await this.db.query(`SELECT ${columns} FROM wf_decision WHERE decision_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [command.decisionId ?? '']);
    if (!row) {
      throw command.decisionKey !== undefined
        ? new NotFoundError('Decision definition', command.decisionKey)
        : new DomainError('NOT_FOUND', `No decision with the id ${command.decisionId} is deployed`, 404);
    }
    const decision = decisionView(row);
    const graph = await this.decisionGraph(decision.decisionRequirementsKey, this.db.manager);
    const result = evaluateDecision(graph, decision.decisionId, command.variables ?? {}, new Feel(this.clock).functions);
    // The decisions of the same file, for the keys and versions of the required decisions evaluated on the way.
    const siblings: Array<{ key: string; decision_id: string; name: string | null; version: number }> = await this.db.query(
      `SELECT key::text, decision_id, name, version FROM wf_decision WHERE decision_requirements_key = $1`,
      [decision.decisionRequirementsKey],
    );
    const byId = new Map(siblings.map((d) => [d.decision_id, d]));
    const [key] = await nextKeys(this.db.manager, 1);
    return {
      key,
      decision,
      output: result.ok ? result.output : null,
      ...(result.ok ? {} : { failedDecisionId: result.failedDecisionId, failureMessage: result.failure }),
      evaluatedDecisions: result.evaluatedDecisions.map((e) => {
        const sibling = byId.get(e.decisionId);
        return {
          decision: {
            key: sibling?.key ?? decision.key,
            decisionId: e.decisionId,
            ...(e.decisionName ?? sibling?.name ? { name: e.decisionName ?? sibling?.name ?? undefined } : {}),
            version: sibling?.version ?? decision.version,
          },
          decisionType: e.decisionType,
          output: e.decisionOutput,
          evaluatedInputs: e.evaluatedInputs,
          matchedRules: e.matchedRules,
        };
      }),
    };
  }

  // ── resource deletion ──────────────────────────────────────────────────────

  /**
   * Zeebe's DeleteResource (docs.camunda.io/docs/components/concepts/resource-deletion/): a process
   * definition (refused while it has running instances: "Limitations"), a decision requirements
   * graph with its decisions, or a form. When the latest version of a process goes, the previous
   * one becomes the latest and its timer start events are scheduled again.
   */
  async deleteResource(key: string, actor?: Actor): Promise<void> {
    assertKey(key, 'Resource');
    const now = this.clock.now();
    const deleted = await this.db.transaction(async (em) => {
      const [process] = await em.query(
        `SELECT key::text, bpmn_process_id, version FROM wf_process_definition WHERE key = $1 AND deleted_at IS NULL FOR UPDATE`,
        [key],
      );
      if (process) {
        const [running] = await em.query(`SELECT count(*)::int AS n FROM wf_process_instance WHERE process_definition_key = $1 AND state = 'ACTIVE'`, [key]);
        if (running.n > 0) {
          throw new ConflictError(
            'PROCESS_HAS_RUNNING_INSTANCES',
            `Expected to delete process definition with key '${key}' but there are still ${running.n} running instance(s) of it: cancel them or let them complete first`,
          );
        }
        const [latest] = await em.query(
          `SELECT key::text FROM wf_process_definition WHERE bpmn_process_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`,
          [process.bpmn_process_id],
        );
        await em.query(`UPDATE wf_process_definition SET deleted_at = $2 WHERE key = $1`, [key, now]);
        await em.query(`UPDATE wf_timer SET state = 'CANCELED' WHERE state = 'CREATED' AND process_definition_key = $1 AND process_instance_key IS NULL`, [key]);
        await insertEvents(em, { processInstanceKey: null, processDefinitionKey: key, actor: actor?.username, at: now }, [
          { intent: 'PROCESS_DELETED', elementId: process.bpmn_process_id, elementType: 'bpmn:Process', payload: { version: process.version } },
        ]);
        if (latest?.key === key) {
          // The previous version is the latest again: its timer start events run again (docs: "Deleting the latest version").
          const [previous] = await em.query(
            `SELECT key::text, xml FROM wf_process_definition WHERE bpmn_process_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`,
            [process.bpmn_process_id],
          );
          if (previous) {
            const model = (await validateDiagram(previous.xml, undefined, this.limits)).processes.find((m) => m.bpmnProcessId === process.bpmn_process_id);
            for (const t of model?.timerStarts ?? []) {
              await this.insertStartTimer(em, previous.key, firstOccurrence(t, now, new Feel(this.clock), this.limits.minTimerCycleMs));
            }
          }
        }
        return true;
      }
      // (SELECT first: an UPDATE's answer differs between the PostgreSQL and PGlite drivers.)
      const [graph] = await em.query(`SELECT key FROM wf_decision_requirements WHERE key = $1 AND deleted_at IS NULL FOR UPDATE`, [key]);
      if (graph) {
        await em.query(`UPDATE wf_decision_requirements SET deleted_at = $2 WHERE key = $1`, [key, now]);
        await em.query(`UPDATE wf_decision SET deleted_at = $2 WHERE decision_requirements_key = $1`, [key, now]);
        return true;
      }
      const [form] = await em.query(`SELECT key FROM wf_form WHERE key = $1 AND deleted_at IS NULL FOR UPDATE`, [key]);
      if (!form) return false;
      await em.query(`UPDATE wf_form SET deleted_at = $2 WHERE key = $1`, [key, now]);
      return true;
    });
    if (!deleted) throw new NotFoundError('Resource', key);
    this.timers.wake();
  }

  /** The compiled model of a deployed version, built once and cached. */
  private compiledProcess(definitionKey: string, bpmnProcessId: string, em: EntityManager = this.db.manager): Promise<CompiledProcess> {
    let compiled = this.compiled.get(definitionKey);
    if (!compiled) {
      compiled = (async () => {
        const [row] = await em.query(`SELECT xml FROM wf_process_definition WHERE key = $1`, [definitionKey]);
        return compileProcess(row.xml, bpmnProcessId);
      })();
      compiled.catch(() => this.compiled.delete(definitionKey));
      this.compiled.set(definitionKey, compiled);
    }
    return compiled;
  }

  // ── instances ──────────────────────────────────────────────────────────────

  @Admitted()
  async createInstance(command: CreateInstanceCommand): Promise<{ processInstanceKey: string; processDefinitionKey: string; version: number }> {
    assertVariables(command.variables);
    if (typeof command.bpmnProcessId !== 'string' || command.bpmnProcessId === '') {
      throw new DomainError('INVALID_PROCESS_ID', 'bpmnProcessId is required', 400);
    }
    const params: unknown[] = [command.bpmnProcessId];
    let where = 'bpmn_process_id = $1 AND deleted_at IS NULL';
    if (command.version !== undefined) {
      params.push(command.version);
      where += ' AND version = $2';
    }
    const [definition] = await this.db.query(
      `SELECT key::text, version FROM wf_process_definition WHERE ${where} ORDER BY version DESC LIMIT 1`,
      params,
    );
    if (!definition) {
      const which = command.version === undefined ? '' : ` version ${command.version}`;
      throw new DomainError('PROCESS_NOT_FOUND', `No process ${command.bpmnProcessId}${which} is deployed`, 404);
    }
    // Compile outside the transaction (a first use of a version parses its XML).
    const compiled = await this.compiledProcess(definition.key, command.bpmnProcessId);
    if (!command.startElementId && !compiled.model.hasNoneStart) {
      const names = compiled.model.messageStarts.map((m) => m.messageName).join(', ');
      const signals = compiled.model.signalStarts.map((m) => m.signalName).join(', ');
      const how = names ? `by a message (${names}): publish it instead` : signals ? `by a signal (${signals}): broadcast it instead` : 'by its timer';
      throw new DomainError('NO_NONE_START_EVENT', `Process ${command.bpmnProcessId} starts only ${how}`, 400);
    }
    const [key] = await nextKeys(this.db.manager, 1);
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO wf_process_instance (key, process_definition_key, bpmn_process_id, version, state, variables, start_element_id, started_at, updated_at)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5::jsonb, $6, $7, $7)`,
      [key, definition.key, command.bpmnProcessId, definition.version, JSON.stringify(command.variables ?? {}), command.startElementId ?? null, now],
    );
    await this.startInstance(key, command.startElementId, command.actor, Object.keys(command.variables ?? {}));
    return { processInstanceKey: key, processDefinitionKey: definition.key, version: definition.version };
  }

  /** Runs the first step of a stored instance (also what start-up recovery runs for one a crash left unstarted). */
  private async startInstance(key: string, startElementId: string | undefined, actor?: Actor, variableNames: string[] = []): Promise<void> {
    await this.apply(key, { kind: 'start', startElementId }, actor, {
      consumes: 'none',
      before: async (em, instance, events) => {
        if (instance.engineState) throw new AlreadyStarted();
        const payload: Record<string, unknown> = { variables: variableNames, startElementId };
        if (instance.parentKey) Object.assign(payload, { parentProcessInstanceKey: instance.parentKey, parentElementInstanceKey: instance.parentElementInstanceKey });
        const event: RunEvent = { intent: 'ELEMENT_ACTIVATED', elementId: instance.bpmnProcessId, elementType: 'bpmn:Process', payload };
        if (events) events.push(event);
        else await insertEvents(em, this.eventContext(instance, actor), [event]);
      },
    }).catch((e) => {
      if (!(e instanceof AlreadyStarted)) throw e;
    });
  }

  /** Instances stored but never started (a crash between the two): start them now. */
  private async startUnstarted(): Promise<void> {
    const rows: Array<{ key: string; start_element_id: string | null }> = await this.db.query(
      `SELECT i.key::text, i.start_element_id FROM wf_process_instance i
        WHERE i.state = 'ACTIVE' AND i.engine_state IS NULL
          AND NOT EXISTS (SELECT 1 FROM wf_incident n WHERE n.process_instance_key = i.key)
          AND NOT EXISTS (SELECT 1 FROM wf_event e WHERE e.process_instance_key = i.key)`,
    );
    for (const row of rows) await this.startInstance(row.key, row.start_element_id ?? undefined);
  }

  async findInstances(bpmnProcessId: string, variable: { name: string; value: string }): Promise<string[]> {
    const rows: Array<{ key: string }> = await this.db.query(
      'SELECT key::text FROM wf_process_instance WHERE bpmn_process_id = $1 AND variables ->> $2 = $3 ORDER BY key',
      [bpmnProcessId, variable.name, variable.value],
    );
    return rows.map((r) => r.key);
  }

  async getInstance(key: string): Promise<ProcessInstanceView> {
    assertKey(key, 'Process instance');
    // One statement, so the variables and the waits come from the same moment (a step between two reads would mix them).
    const [row] = await this.db.query(
      `SELECT i.key::text, i.process_definition_key::text AS pdk, i.bpmn_process_id, i.version, i.state, i.variables, i.started_at, i.ended_at,
              i.parent_process_instance_key::text AS parent,
              (SELECT coalesce(json_agg(a), '[]'::json) FROM (
                 SELECT element_id, element_instance_key::text, 'bpmn:ServiceTask' AS element_type FROM wf_job
                  WHERE process_instance_key = i.key AND (state IN ('ACTIVATABLE','ACTIVATED','FAILED') OR (state = 'ERROR_THROWN' AND ${JOB_WITH_INCIDENT}))
                 UNION ALL SELECT element_id, element_instance_key::text, 'bpmn:UserTask' FROM wf_user_task WHERE process_instance_key = i.key AND state = 'CREATED'
                 UNION ALL SELECT element_id, element_instance_key::text, 'timer' FROM wf_timer WHERE process_instance_key = i.key AND state = 'CREATED'
                 UNION ALL SELECT element_id, element_instance_key::text, 'message' FROM wf_message_subscription WHERE process_instance_key = i.key AND state = 'OPEN'
                 UNION ALL SELECT element_id, element_instance_key::text, 'signal' FROM wf_signal_subscription WHERE process_instance_key = i.key AND state = 'OPEN'
                 UNION ALL SELECT s.value->>'e', s.key, CASE WHEN s.value->>'w' = 'call' THEN 'bpmn:CallActivity' ELSE 'bpmn:IntermediateThrowEvent' END
                   FROM jsonb_each(CASE WHEN jsonb_typeof(i.engine_state->'i') = 'object' THEN i.engine_state->'i' ELSE '{}'::jsonb END) s
                  WHERE s.value->>'w' IN ('call', 'compensation')
              ) a) AS active
         FROM wf_process_instance i WHERE i.key = $1`,
      [key],
    );
    if (!row) throw new NotFoundError('Process instance', key);
    const active: Array<{ element_id: string; element_instance_key: string; element_type: string }> = row.active;
    const compiled = await this.compiledProcess(row.pdk, row.bpmn_process_id);
    const activeElements: ElementRef[] = active.map((a) => ({
      elementId: a.element_id,
      elementType: compiled.model.elements.get(a.element_id)?.type ?? a.element_type,
      elementInstanceKey: a.element_instance_key,
    }));
    return {
      key: row.key,
      processDefinitionKey: row.pdk,
      bpmnProcessId: row.bpmn_process_id,
      version: row.version,
      state: row.state,
      variables: row.variables,
      activeElements,
      incidents: await this.listIncidents({ processInstanceKey: key, state: 'ACTIVE' }),
      ...(row.parent ? { parentProcessInstanceKey: row.parent } : {}),
      startedAt: row.started_at,
      endedAt: row.ended_at ?? undefined,
    };
  }

  async searchProcessInstances(query: ProcessInstanceQuery): Promise<SearchResult<ProcessInstanceSummary>> {
    const f = query.filter ?? {};
    const incident = `EXISTS (SELECT 1 FROM wf_incident n WHERE n.process_instance_key = i.key AND n.state = 'ACTIVE')`;
    const q = new SearchSql()
      .anyOf('i.key', f.processInstanceKeys, 'bigint')
      .anyOf('i.bpmn_process_id', f.processDefinitionIds, 'text')
      .anyOf('i.process_definition_key', f.processDefinitionKeys, 'bigint')
      .anyOf('i.version', f.processDefinitionVersions, 'int')
      .anyOf('i.state', f.states, 'text')
      .anyOf('i.parent_process_instance_key', f.parentProcessInstanceKeys, 'bigint')
      .is(incident, f.hasIncident);
    const rows = await this.searchRows(
      q,
      `i.key::text, i.process_definition_key::text AS pdk, i.bpmn_process_id, d.name, i.version, i.state, ${incident} AS has_incident,
       i.parent_process_instance_key::text AS parent, i.parent_element_instance_key::text AS parent_element, i.started_at, i.ended_at`,
      'wf_process_instance i JOIN wf_process_definition d ON d.key = i.process_definition_key',
      q.pageOf(
        query.sort,
        {
          key: 'i.key',
          bpmnProcessId: 'i.bpmn_process_id',
          processDefinitionKey: 'i.process_definition_key',
          version: 'i.version',
          state: 'i.state',
          startedAt: 'i.started_at',
          endedAt: 'i.ended_at',
          parentProcessInstanceKey: 'i.parent_process_instance_key',
        },
        'i.key',
        query.page,
      ),
    );
    return {
      total: rows.total,
      items: rows.items.map((r) => ({
        key: r.key,
        processDefinitionKey: r.pdk,
        bpmnProcessId: r.bpmn_process_id,
        ...(r.name ? { processName: r.name } : {}),
        version: r.version,
        state: r.state,
        hasIncident: r.has_incident,
        ...(r.parent ? { parentProcessInstanceKey: r.parent } : {}),
        ...(r.parent_element ? { parentElementInstanceKey: r.parent_element } : {}),
        startedAt: r.started_at,
        ...(r.ended_at ? { endedAt: r.ended_at } : {}),
      })),
    };
  }

  /** How many rows match (WHERE of `q`) and one page of them (`page`, built on `q`'s parameters). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async searchRows(q: SearchSql, columns: string, from: string, page: string): Promise<{ total: number; items: any[] }> {
    const where = q.where();
    const countParams = q.params.slice(0, q.params.length - 2);
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM ${from} ${where}`, countParams);
    const items = total > 0 ? await this.db.query(`SELECT ${columns} FROM ${from} ${where} ${page}`, q.params) : [];
    return { total, items };
  }

  async getInstanceEvents(processInstanceKey: string): Promise<EngineEvent[]> {
    assertKey(processInstanceKey, 'Process instance');
    const [exists] = await this.db.query(`SELECT 1 FROM wf_process_instance WHERE key = $1`, [processInstanceKey]);
    if (!exists) throw new NotFoundError('Process instance', processInstanceKey);
    const rows = await this.db.query(
      `SELECT position::text, process_instance_key::text, element_id, element_type, element_instance_key, intent, payload, actor, created_at
         FROM wf_event WHERE process_instance_key = $1 ORDER BY wf_event.position`,
      [processInstanceKey],
    );
    return rows.map(toEngineEvent);
  }

  async listEvents(afterPosition: string, limit: number): Promise<EngineEvent[]> {
    if (!isKeyText(afterPosition)) throw new DomainError('INVALID_POSITION', `The event position must be a whole number from 0 to 9223372036854775807 (got "${afterPosition.slice(0, 40)}")`);
    const rows = await this.db.query(
      `SELECT position::text, process_instance_key::text, element_id, element_type, element_instance_key, intent, payload, actor, created_at
         FROM wf_event WHERE position > $1 AND process_instance_key IS NOT NULL ORDER BY wf_event.position LIMIT $2`,
      [afterPosition, Math.max(1, Math.min(10_000, Math.floor(limit)))],
    );
    return rows.map(toEngineEvent);
  }

  @Admitted()
  async cancelInstance(key: string, actor?: Actor): Promise<void> {
    assertKey(key, 'Process instance');
    const [row] = await this.db.query(`SELECT parent_process_instance_key::text AS parent FROM wf_process_instance WHERE key = $1`, [key]);
    if (row?.parent) {
      // As Zeebe (ProcessInstanceCancelProcessor): a called instance goes with its caller.
      throw new ConflictError(
        'CHILD_INSTANCE',
        `Process instance ${key} was created by a call activity of process instance ${row.parent}: cancel that instance instead`,
      );
    }
    await this.cancelTree(key, actor);
  }

  /** Cancels an instance and then the instances its call activities created, depth first. */
  private async cancelTree(key: string, actor?: Actor): Promise<void> {
    const canceled = await this.db.transaction(async (em) => {
      const instance = await lockInstance(em, key);
      if (!instance) throw new NotFoundError('Process instance', key);
      // A called instance that ended on its own meanwhile: nothing to cancel.
      if (instance.state !== 'ACTIVE' && instance.parentKey) return false;
      if (instance.state !== 'ACTIVE') throw new ConflictError('INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${instance.state.toLowerCase()}`);
      const at = this.clock.now();
      await em.query(
        `UPDATE wf_job SET state = 'CANCELED', updated_at = $2 WHERE process_instance_key = $1
            AND (state IN ('ACTIVATABLE','ACTIVATED','FAILED') OR (state = 'ERROR_THROWN' AND ${JOB_WITH_INCIDENT}))`,
        [key, at],
      );
      await em.query(`UPDATE wf_timer SET state = 'CANCELED' WHERE process_instance_key = $1 AND state = 'CREATED'`, [key]);
      await em.query(`UPDATE wf_message_subscription SET state = 'CLOSED' WHERE process_instance_key = $1 AND state = 'OPEN'`, [key]);
      await em.query(`UPDATE wf_signal_subscription SET state = 'CLOSED' WHERE process_instance_key = $1 AND state = 'OPEN'`, [key]);
      await em.query(`UPDATE wf_user_task SET state = 'CANCELED', completed_at = $2 WHERE process_instance_key = $1 AND state = 'CREATED'`, [key, at]);
      await em.query(`UPDATE wf_incident SET state = 'RESOLVED', resolved_at = $2, resolved_by = $3 WHERE process_instance_key = $1 AND state = 'ACTIVE'`, [key, at, actor?.username ?? null]);
      await em.query(`UPDATE wf_process_instance SET state = 'CANCELED', engine_state = NULL, ended_at = $2, updated_at = $2, state_version = state_version + 1 WHERE key = $1`, [key, at]);
      // On our core, every live element instance is terminated first, innermost first, as Zeebe records a cancel.
      const inner = isCoreState(instance.engineState)
        ? terminatedOnCancel((await this.compiledProcess(instance.processDefinitionKey, instance.bpmnProcessId, em)).graph, instance.engineState, key)
        : [];
      await insertEvents(em, this.eventContext(instance, actor), [...inner, { intent: 'ELEMENT_TERMINATED', elementId: instance.bpmnProcessId, elementType: 'bpmn:Process' }]);
      return instance;
    });
    this.engines.drop(key);
    if (!canceled) return;
    await this.afterEnd(canceled);
    const children: Array<{ key: string }> = await this.db.query(
      `SELECT key::text FROM wf_process_instance WHERE parent_process_instance_key = $1 AND state = 'ACTIVE'`,
      [key],
    );
    for (const child of children) await this.cancelTree(child.key, actor);
  }

  @Admitted()
  async setVariables(scopeKey: string, variables: Variables, actor?: Actor, options: { local?: boolean } = {}): Promise<{ key: string }> {
    assertKey(scopeKey, 'Element instance');
    assertVariables(variables);
    // The process instance whose scope it is: itself, or the one whose element instance it is.
    const [owner] = await this.db.query(
      `SELECT key::text AS pik FROM wf_process_instance WHERE key = $1
       UNION ALL
       SELECT process_instance_key::text FROM wf_event WHERE element_instance_key = $1::text AND intent = 'ELEMENT_ACTIVATED'
       LIMIT 1`,
      [scopeKey],
    );
    if (!owner) throw new NotFoundError('Element instance', scopeKey);
    return this.db.transaction(async (em) => {
      const at = this.clock.now();
      // The command's own key, as Zeebe answers a SetVariables with one.
      const [key] = await nextKeys(em, 1);
      const names = Object.keys(variables);
      if (owner.pik === scopeKey) {
        const instance = await this.lockActive(em, scopeKey);
        await em.query(`UPDATE wf_process_instance SET variables = variables || $2::jsonb, updated_at = $3 WHERE key = $1`, [scopeKey, JSON.stringify(variables), at]);
        await insertEvents(em, this.eventContext(instance, actor), [{ intent: 'VARIABLE_SET', payload: { names, key } }]);
        return { key };
      }
      // An element instance's scope: only while it is active (Zeebe rejects another as not found).
      const instance = await lockInstance(em, owner.pik);
      const state = instance?.state === 'ACTIVE' && isCoreState(instance.engineState) ? instance.engineState : undefined;
      const element = state?.i[scopeKey];
      if (!instance || !state || !element) {
        throw new DomainError('NOT_FOUND', `No active element instance has the key ${scopeKey}: variables are set on an active element instance or process instance`, 404, { what: 'Element instance', id: scopeKey });
      }
      const update = setScopeVariables(state, instance.variables, instance.key, scopeKey, variables, options.local === true);
      await em.query(
        `UPDATE wf_process_instance SET variables = $2::jsonb, engine_state = $3::jsonb, updated_at = $4, state_version = state_version + 1 WHERE key = $1`,
        [instance.key, JSON.stringify(update.root), JSON.stringify(update.state), at],
      );
      // Open jobs and user tasks carry their scope chain's locals: those below a changed scope get them anew.
      if (update.changed.size > 0) {
        const open: Array<{ table: string; eik: string }> = await em.query(
          `SELECT 'wf_job' AS table, element_instance_key AS eik FROM wf_job WHERE process_instance_key = $1 AND state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED', 'ERROR_THROWN')
           UNION ALL SELECT 'wf_user_task', element_instance_key FROM wf_user_task WHERE process_instance_key = $1 AND state = 'CREATED'`,
          [instance.key],
        );
        for (const wait of open) {
          if (!scopeChain(update.state, wait.eik).some((k) => update.changed.has(k))) continue;
          const table = wait.table === 'wf_job' ? 'wf_job' : 'wf_user_task';
          await em.query(`UPDATE ${table} SET local_variables = $3::jsonb WHERE process_instance_key = $1 AND element_instance_key = $2`, [
            instance.key,
            wait.eik,
            JSON.stringify(chainLocals(update.state, wait.eik)),
          ]);
        }
      }
      await insertEvents(em, this.eventContext(instance, actor), [
        { intent: 'VARIABLE_SET', elementId: element.e, elementInstanceKey: scopeKey, payload: { names, key, local: options.local === true } },
      ]);
      return { key };
    });
  }

  /**
   * Element instances from the engine's event log: each ELEMENT_ACTIVATED with its end
   * (ELEMENT_COMPLETED or _TERMINATED, found by the element lifecycle index), its active incident,
   * and Camunda's element type. The process instance's own records are not element instances here.
   */
  async searchElementInstances(query: ElementInstanceQuery): Promise<SearchResult<ElementInstanceView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      // By the text key: the element lifecycle index finds it.
      .anyOf('x.eik', f.elementInstanceKeys?.filter(isKeyText), 'text')
      .anyOf('x.pik', f.processInstanceKeys, 'bigint')
      .anyOf('x.pdk', f.processDefinitionKeys, 'bigint')
      .anyOf('x.bpmn_process_id', f.processDefinitionIds, 'text')
      .anyOf('x.element_id', f.elementIds, 'text')
      .anyOf('x.type', f.types, 'text')
      .anyOf('x.state', f.states, 'text')
      .anyOf('x.incident_key', f.incidentKeys, 'bigint')
      .anyOf('x.scope_key', f.flowScopeKeys, 'bigint')
      .is('x.incident_key IS NOT NULL', f.hasIncident);
    const rows = await this.searchRows(
      q,
      `x.key::text, x.pik::text, x.pdk::text, x.bpmn_process_id, x.element_id, x.type, x.state, x.scope_key::text, x.incident_key::text, x.start_date, x.end_date`,
      `(${ELEMENT_INSTANCES_SQL}) x`,
      q.pageOf(
        query.sort,
        {
          key: 'x.key',
          processInstanceKey: 'x.pik',
          processDefinitionKey: 'x.pdk',
          bpmnProcessId: 'x.bpmn_process_id',
          startDate: 'x.start_date',
          endDate: 'x.end_date',
          elementId: 'x.element_id',
          type: 'x.type',
          state: 'x.state',
          incidentKey: 'x.incident_key',
        },
        'x.key',
        query.page,
      ),
    );
    const items: ElementInstanceView[] = [];
    for (const r of rows.items) {
      const model = await this.compiledProcess(r.pdk, r.bpmn_process_id).then((c) => c.model, () => undefined);
      items.push({
        key: r.key,
        processInstanceKey: r.pik,
        processDefinitionKey: r.pdk,
        bpmnProcessId: r.bpmn_process_id,
        elementId: r.element_id,
        elementName: model?.elements.get(r.element_id)?.name || r.element_id,
        type: r.type,
        state: r.state,
        ...(r.scope_key ? { flowScopeKey: r.scope_key } : {}),
        ...(r.incident_key ? { incidentKey: r.incident_key } : {}),
        startDate: r.start_date,
        ...(r.end_date ? { endDate: r.end_date } : {}),
      });
    }
    return { total: rows.total, items };
  }

  /**
   * Variables of every live scope: a process instance's root variables (kept after it ends) and the
   * local variables of its active element instances (those of an element instance that ended went
   * with it: the engine keeps no history of them). Filtered by keys, names and values in SQL; the
   * JSON text, its truncation, the order and the page are computed here (Camunda answers values as
   * compact JSON, which jsonb's text is not).
   *
   * Variable keys: a variable (its scope key and name) is given a key from the wf_key sequence the
   * first time a search lists it, kept in wf_variable_key, so it answers the same key for ever
   * without a write per variable on the engine's step.
   */
  async searchVariables(query: VariableQuery): Promise<SearchResult<VariableView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .anyOf('v.pik', f.processInstanceKeys, 'bigint')
      .anyOf('v.scope', f.scopeKeys, 'bigint')
      .anyOf('v.name', f.names, 'text')
      .anyOf('v.value', f.values?.filter(isJsonText), 'jsonb');
    if (f.variableKeys) q.condition(`(v.scope, v.name) IN (SELECT scope_key, name FROM wf_variable_key WHERE key = ANY(${q.add(f.variableKeys.filter(isKeyText))}::bigint[]))`);
    const rows: Array<{ pik: string; scope: string; name: string; value: unknown }> = await this.db.query(
      `SELECT v.pik::text, v.scope::text, v.name, v.value FROM (${VARIABLES_SQL}) v ${q.where()}`,
      q.params,
    );
    let found = rows.map((r) => ({ ...r, json: JSON.stringify(r.value) }));
    if (f.isTruncated !== undefined) found = found.filter((r) => r.json.length > VARIABLE_VALUE_LIMIT === f.isTruncated);
    const keys = await this.variableKeys(found);
    const items = found.map((r) => ({ key: keys.get(`${r.scope}/${r.name}`)!, name: r.name, value: r.json, scopeKey: r.scope, processInstanceKey: r.pik }));
    const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const byKey = (a: string, b: string) => (a.length - b.length) || compare(a, b);
    const order: Record<string, (a: VariableView, b: VariableView) => number> = {
      key: (a, b) => byKey(a.key, b.key),
      name: (a, b) => compare(a.name, b.name),
      value: (a, b) => compare(a.value, b.value),
      scopeKey: (a, b) => byKey(a.scopeKey, b.scopeKey),
      processInstanceKey: (a, b) => byKey(a.processInstanceKey, b.processInstanceKey),
    };
    const sort = [...(query.sort ?? []), { field: 'key' as const, order: 'ASC' as const }];
    items.sort((a, b) => {
      for (const s of sort) {
        const c = order[s.field](a, b);
        if (c !== 0) return s.order === 'DESC' ? -c : c;
      }
      return 0;
    });
    const from = Math.max(0, Math.floor(query.page.from));
    return { total: items.length, items: items.slice(from, from + Math.max(0, Math.min(10_000, Math.floor(query.page.limit)))) };
  }

  /** The keys of these variables, given now to those that have none yet (see searchVariables). */
  private async variableKeys(rows: Array<{ pik: string; scope: string; name: string }>): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    if (rows.length === 0) return keys;
    const columns = [rows.map((r) => r.pik), rows.map((r) => r.scope), rows.map((r) => r.name)];
    await this.db.query(
      `INSERT INTO wf_variable_key (process_instance_key, scope_key, name)
       SELECT u.p, u.s, u.n FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(p, s, n)
        WHERE NOT EXISTS (SELECT 1 FROM wf_variable_key k WHERE k.scope_key = u.s AND k.name = u.n)
       ON CONFLICT (scope_key, name) DO NOTHING`,
      columns,
    );
    const found: Array<{ key: string; scope: string; name: string }> = await this.db.query(
      `SELECT k.key::text, k.scope_key::text AS scope, k.name FROM wf_variable_key k
         JOIN unnest($1::bigint[], $2::text[]) AS u(s, n) ON k.scope_key = u.s AND k.name = u.n`,
      [columns[1], columns[2]],
    );
    for (const r of found) keys.set(`${r.scope}/${r.name}`, r.key);
    return keys;
  }

  private async lockActive(em: EntityManager, key: string): Promise<InstanceRow> {
    const instance = await lockInstance(em, key);
    if (!instance) throw new NotFoundError('Process instance', key);
    if (instance.state !== 'ACTIVE') {
      throw new ConflictError('INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${instance.state.toLowerCase()}`);
    }
    return instance;
  }

  private eventContext(instance: InstanceRow, actor?: Actor): EventContext {
    return { processInstanceKey: instance.key, processDefinitionKey: instance.processDefinitionKey, actor: actor?.username, at: this.clock.now() };
  }

  /**
   * Runs one command on one instance in one transaction. `before` checks and marks the row
   * the command consumes (the job, the task, the timer). When the run cannot finish, nothing
   * of it is kept: `onIncident` records what it must (e.g. a completed job) and an incident
   * holds the command, to be run again when the incident is resolved.
   */
  private async apply(
    instanceKey: string,
    command: Command,
    actor: Actor | undefined,
    hooks: {
      /**
       * Checks and marks what the command consumes; events it pushes are stored with the step's (one INSERT).
       * It refuses (throws) only before it writes: in a batch, its refusal fails this command alone (CommandLanes).
       */
      before?: (em: EntityManager, instance: InstanceRow, events?: RunEvent[], writes?: StepWrites) => Promise<void>;
      onIncident?: (em: EntityManager, instance: InstanceRow) => Promise<void>;
      /** The one open wait `before` closes ('none': it closes none): a batch's read-ahead waits are then used, less that one. */
      consumes?: { kind: 'job' | 'timer' | 'subscription' | 'userTask'; key: string } | 'none';
      incidentCommand?: Command | null;
      jobKey?: string;
      /** Throw the incident to the caller instead of raising it (an error passed up from a called instance). */
      rethrowIncident?: boolean;
    } = {},
  ): Promise<void> {
    let incident: RunIncident | undefined;
    let parent: { key: string; elementInstanceKey: string } | undefined;
    const stopTimer = this.metrics.stepLatency.startTimer({ command: command.kind });
    /** Decisions (decisionRefKey) named by FEEL that an attempt asked for: the next attempt looks them up too. */
    const decisionIds = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      try {
        let live: LiveEngine | undefined;
        let ended = false;
        let calls: CallFollowUps | undefined;
        let signals: RunResult['signals'];
        let row: InstanceRow | undefined;
        const persisted = await this.lanes.run(instanceKey, async (em, writes) => {
          incident = undefined;
          const leading: RunEvent[] = [];
          // Locking and `before` only check until they write: what they refuse fails this command alone.
          let instance: InstanceRow;
          try {
            instance = await this.lockActive(em, instanceKey);
            await hooks.before?.(em, instance, leading, writes);
          } catch (e) {
            throw new Refused(e);
          }
          row = instance;
          parent = instance.parentKey && instance.parentElementInstanceKey ? { key: instance.parentKey, elementInstanceKey: instance.parentElementInstanceKey } : undefined;
          const compiled = await this.compiledProcess(instance.processDefinitionKey, instance.bpmnProcessId, em);
          const open = await loadOpenWaits(em, instanceKey, hooks.consumes);
          let result;
          try {
            if (this.onOwnCore(instance)) {
              result = await this.runOnCore(em, compiled, instance, command, decisionIds);
            } else {
              // Under the row lock: the cached engine is reused only if built from the stored version.
              const warm = this.engines.take(instanceKey, instance.stateVersion, (e) => e.usableFor(command));
              this.metrics.engineCache.inc({ result: warm ? 'hit' : 'miss' });
              const run = new InstanceRun(compiled, instance.engineState ?? undefined, instance.variables, open, command, this.clock, warm);
              result = await run.execute((r) => this.correlateBuffered(em, r, instance));
              live = run.live;
            }
          } catch (e) {
            if (e instanceof RunIncident) incident = e;
            throw e;
          }
          ended = result.state !== 'ACTIVE';
          result.events.unshift(...leading);
          const stored = await persistRun(em, instance, open, result, this.eventContext(instance, actor), writes);
          calls = await this.storeCalls(em, instance, result);
          signals = result.signals;
          return stored;
        });
        // Only a committed step's engine goes back: it is what the stored state says.
        if (live && !ended && live.worthKeeping()) this.engines.put(instanceKey, persisted.stateVersion, live);
        this.afterCommit(persisted.jobTypes, persisted.timersCreated);
        stopTimer();
        if (ended && row) await this.afterEnd(row);
        if (calls) await this.followCalls(calls, actor);
        for (const signal of signals ?? []) {
          await this.deliverSignal({ key: signal.key, name: signal.signalName, variables: signal.variables, source: instanceKey, deliveredUpTo: '0', startsDone: false }).catch((e: unknown) =>
            this.logger.error(`Broadcasting signal ${signal.key} (${signal.signalName}) failed (finished at the next start): ${(e as Error).message}`),
          );
        }
        return;
      } catch (e) {
        if (e instanceof RunIncident) break;
        // The step rolled back; run it again with that decision looked up (each id once).
        if (e instanceof DecisionNotLoaded && !decisionIds.has(e.refKey)) {
          decisionIds.add(e.refKey);
          continue;
        }
        if (isRetryable(e) && attempt < 5) continue;
        throw e;
      }
    }
    if (!incident) return;
    if (incident.thrown && parent && (await this.passErrorUp(parent, incident.thrown, actor))) return;
    if (hooks.rethrowIncident) throw incident;
    await this.raiseIncident(instanceKey, incident, hooks.incidentCommand === undefined ? command : hooks.incidentCommand, actor, hooks);
  }

  /**
   * An error a called instance did not catch is thrown again at its call activity, and so on up
   * the chain (Zeebe: "the error is propagated to the parent process instance"). Caught there,
   * the call activity ends and the called instance is cancelled with it: true. Caught nowhere:
   * false, and the incident stays where the error was thrown, as Zeebe places it.
   */
  private async passErrorUp(parent: { key: string; elementInstanceKey: string }, thrown: NonNullable<RunIncident['thrown']>, actor: Actor | undefined): Promise<boolean> {
    try {
      await this.apply(parent.key, { kind: 'throwCallError', elementInstanceKey: parent.elementInstanceKey, ...thrown }, actor, { rethrowIncident: true });
      return true;
    } catch (e) {
      if (e instanceof RunIncident || e instanceof ConflictError || e instanceof NotFoundError) return false;
      throw e;
    }
  }

  /**
   * Whether an instance runs on our own core: one it started, or a new one when ENGINE_CORE says
   * so. An instance started by bpmn-engine finishes there (docs/decisions/0020).
   */
  private onOwnCore(instance: InstanceRow): boolean {
    if (instance.engineState) return isCoreState(instance.engineState);
    return this.core === 'mustafid';
  }

  /**
   * One command on our own core, with keys drawn beforehand (a run that needs more is run again:
   * it is pure) and the versions of the decisions its business rule tasks name, by their bindings (those the
   * diagram names, and those FEEL named in an earlier attempt of this step).
   */
  private async runOnCore(em: EntityManager, compiled: CompiledProcess, instance: InstanceRow, command: Command, decisionIds: Set<string>): Promise<RunResult> {
    const decisions = await this.loadDecisions(em, new Set([...compiled.graph.decisionIds, ...decisionIds]), instance.processDefinitionKey);
    for (let count = 32; ; count *= 8) {
      const keys = new KeyBlock(await nextKeys(em, count));
      const run = new CoreRun(compiled.graph, instance.engineState ?? undefined, instance.variables, instance.key, command, this.clock, keys, decisions);
      try {
        const result = await run.execute((r) => this.correlateBuffered(em, r, instance));
        if (result.calls?.length) await this.checkCalls(em, instance, result);
        return result;
      } catch (e) {
        if (!(e instanceof OutOfKeys)) throw e;
      }
    }
  }

  // ── call activities ─────────────────────────────────────────────────────────

  /**
   * A step that creates process instances for call activities: each called process must be
   * deployed and have a none start event, and the chain of calls stays under MAX_CALL_DEPTH, or
   * the step is an incident at the call activity (Zeebe's CALLED_ELEMENT_ERROR). Also looks up
   * the version each child runs (by the call activity's bindingType: `calledVersion`).
   */
  private async checkCalls(em: EntityManager, instance: InstanceRow, result: RunResult): Promise<void> {
    const cancelled = new Set(result.cancelCalls ?? []);
    const calls = result.calls!.filter((c) => !cancelled.has(c.processInstanceKey));
    if (calls.length === 0) return;
    const [{ depth }] = await em.query(
      `WITH RECURSIVE chain(key, parent, depth) AS (
         SELECT key, parent_process_instance_key, 1 FROM wf_process_instance WHERE key = $1
         UNION ALL SELECT p.key, p.parent_process_instance_key, c.depth + 1 FROM wf_process_instance p JOIN chain c ON p.key = c.parent WHERE c.depth <= $2)
       SELECT max(depth)::int AS depth FROM chain`,
      [instance.key, MAX_CALL_DEPTH],
    );
    for (const call of calls) {
      if (depth >= MAX_CALL_DEPTH) {
        throw new RunIncident(
          'CALLED_ELEMENT_ERROR',
          `The call activity ${call.elementId} would start a process instance ${depth + 1} calls deep; the engine stops at ${MAX_CALL_DEPTH} (a process that calls itself without end?)`,
          call.elementId,
          call.elementInstanceKey,
        );
      }
      const definition = await this.calledVersion(em, instance, call);
      const compiled = await this.compiledProcess(definition.key, call.bpmnProcessId, em);
      if (!compiled.model.hasNoneStart) {
        throw new RunIncident(
          'CALLED_ELEMENT_ERROR',
          `Expected process with BPMN process id '${call.bpmnProcessId}' to have a none start event, but not found.`,
          call.elementId,
          call.elementInstanceKey,
        );
      }
      this.calledVersions.set(call.processInstanceKey, { processDefinitionKey: definition.key, version: definition.version });
    }
  }

  /**
   * The version a call activity calls, by its bindingType, as Zeebe's CallActivityProcessor finds
   * it (docs.camunda.io/docs/components/modeler/bpmn/call-activities/): `latest`, the latest
   * version; `deployment`, the version deployed together with the calling process's version;
   * `versionTag`, the latest version carrying that zeebe:versionTag. None is a CALLED_ELEMENT_ERROR
   * incident in Zeebe's words.
   */
  private async calledVersion(em: EntityManager, instance: InstanceRow, call: NewCall): Promise<{ key: string; version: number }> {
    const id = call.bpmnProcessId;
    const missing = (message: string) => new RunIncident('CALLED_ELEMENT_ERROR', message, call.elementId, call.elementInstanceKey);
    if (call.bindingType === 'deployment') {
      const [{ deployment }] = await em.query(`SELECT deployment_key::text AS deployment FROM wf_process_definition WHERE key = $1`, [instance.processDefinitionKey]);
      const [row] = await em.query(`SELECT key::text, version FROM wf_process_definition WHERE bpmn_process_id = $1 AND deployment_key = $2 AND deleted_at IS NULL`, [id, deployment]);
      if (row) return row;
      throw missing(
        `Expected to call process with BPMN process id '${id}' with binding type 'deployment', but no such process found in the deployment with key ${deployment} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended process definition to call.`,
      );
    }
    if (call.bindingType === 'versionTag') {
      const [row] = await em.query(
        `SELECT key::text, version FROM wf_process_definition WHERE bpmn_process_id = $1 AND version_tag = $2 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`,
        [id, call.versionTag ?? ''],
      );
      if (row) return row;
      throw missing(
        `Expected to call process with BPMN process id '${id}' and version tag '${call.versionTag ?? ''}', but no such process found. To resolve this incident, deploy a process with the given process id and version tag.`,
      );
    }
    const [row] = await em.query(`SELECT key::text, version FROM wf_process_definition WHERE bpmn_process_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [id]);
    if (row) return row;
    throw missing(`Expected process with BPMN process id '${id}' to be deployed, but not found.`);
  }

  /** Stores the child instances a step's call activities created (in the step's transaction), and says what follows it. */
  private async storeCalls(em: EntityManager, instance: InstanceRow, result: RunResult): Promise<CallFollowUps | undefined> {
    const cancelled = new Set(result.cancelCalls ?? []);
    const start: Array<{ key: string; names: string[] }> = [];
    const at = this.clock.now();
    for (const call of result.calls ?? []) {
      const version = this.calledVersions.get(call.processInstanceKey);
      this.calledVersions.delete(call.processInstanceKey);
      if (cancelled.has(call.processInstanceKey) || !version) continue;
      await em.query(
        `INSERT INTO wf_process_instance (key, process_definition_key, bpmn_process_id, version, state, variables, started_at, updated_at, parent_process_instance_key, parent_element_instance_key)
         VALUES ($1, $2, $3, $4, 'ACTIVE', $5::jsonb, $6, $6, $7, $8)`,
        [call.processInstanceKey, version.processDefinitionKey, call.bpmnProcessId, version.version, JSON.stringify(call.variables), at, instance.key, call.elementInstanceKey],
      );
      start.push({ key: call.processInstanceKey, names: Object.keys(call.variables) });
    }
    const created = new Set(start.map((s) => s.key));
    const cancel = [...cancelled].filter((key) => !created.has(key) && !(result.calls ?? []).some((c) => c.processInstanceKey === key));
    const completeParent =
      result.state === 'COMPLETED' && instance.parentKey && instance.parentElementInstanceKey
        ? { parentKey: instance.parentKey, elementInstanceKey: instance.parentElementInstanceKey, variables: result.variables }
        : undefined;
    if (start.length === 0 && cancel.length === 0 && !completeParent) return undefined;
    return { start, cancel, completeParent };
  }

  /**
   * What follows a committed step with call activities, each in its own transaction: start the
   * children it created, cancel the children of call activities it ended, and hand a completed
   * child's variables to its parent's call activity. A crash in between is caught up at start
   * (`resumeCalls`); a failure here is logged, never undoes the step that committed.
   */
  private async followCalls(calls: CallFollowUps, actor: Actor | undefined): Promise<void> {
    const guard = (what: string, p: Promise<void>) =>
      p.catch((e: unknown) => this.logger.error(`${what} failed (caught up at the next start): ${(e as Error).message}`));
    for (const child of calls.start) await guard(`Starting called instance ${child.key}`, this.startInstance(child.key, undefined, actor, child.names));
    for (const key of calls.cancel) await guard(`Cancelling called instance ${key}`, this.cancelTree(key, actor));
    const parent = calls.completeParent;
    if (parent) {
      await guard(
        `Completing the call activity ${parent.elementInstanceKey} of ${parent.parentKey}`,
        this.apply(parent.parentKey, { kind: 'completeCall', elementInstanceKey: parent.elementInstanceKey, variables: parent.variables }, actor).catch((e: unknown) => {
          // The parent moved on meanwhile (cancelled, or its call activity interrupted): nothing waits for this child.
          if (e instanceof ConflictError) return;
          throw e;
        }),
      );
    }
  }

  /** After a crash: children that completed while their parent still waits, and children whose call activity is gone. */
  private async resumeCalls(): Promise<void> {
    const done: Array<{ key: string; parent: string; eik: string; variables: Variables }> = await this.db.query(
      `SELECT c.key::text, c.parent_process_instance_key::text AS parent, c.parent_element_instance_key::text AS eik, c.variables
         FROM wf_process_instance c JOIN wf_process_instance p ON p.key = c.parent_process_instance_key
        WHERE c.state = 'COMPLETED' AND p.state = 'ACTIVE' AND p.engine_state->'i'->(c.parent_element_instance_key::text)->>'c' = c.key::text`,
    );
    for (const row of done) await this.followCalls({ start: [], cancel: [], completeParent: { parentKey: row.parent, elementInstanceKey: row.eik, variables: row.variables } }, undefined);
    const orphans: Array<{ key: string }> = await this.db.query(
      `SELECT c.key::text FROM wf_process_instance c JOIN wf_process_instance p ON p.key = c.parent_process_instance_key
        WHERE c.state = 'ACTIVE' AND (p.state <> 'ACTIVE' OR coalesce(p.engine_state->'i'->(c.parent_element_instance_key::text)->>'c', '') <> c.key::text)`,
    );
    await this.followCalls({ start: [], cancel: orphans.map((o) => o.key) }, undefined);
  }

  private async raiseIncident(
    instanceKey: string,
    incident: RunIncident,
    command: Command | null,
    actor: Actor | undefined,
    hooks: { before?: (em: EntityManager, instance: InstanceRow) => Promise<void>; onIncident?: (em: EntityManager, instance: InstanceRow) => Promise<void>; jobKey?: string },
  ): Promise<void> {
    this.logger.warn(`Incident on instance ${instanceKey} at ${incident.elementId}: ${incident.errorType} ${incident.message}`);
    await this.db.transaction(async (em) => {
      const instance = await this.lockActive(em, instanceKey);
      await (hooks.onIncident ?? hooks.before)?.(em, instance);
      await this.insertIncident(em, instance, {
        elementId: incident.elementId,
        elementInstanceKey: incident.elementInstanceKey,
        errorType: incident.errorType,
        errorMessage: incident.message,
        command,
        jobKey: hooks.jobKey,
      }, actor);
    });
  }

  private async insertIncident(
    em: EntityManager,
    instance: InstanceRow,
    incident: { elementId: string; elementInstanceKey?: string; errorType: IncidentErrorType; errorMessage: string; command: Command | null; jobKey?: string },
    actor?: Actor,
  ): Promise<void> {
    const at = this.clock.now();
    // What the incident closes (the command's job, task, timer) no longer matches a live engine.
    await bumpStateVersion(em, instance.key);
    this.engines.drop(instance.key);
    const [row] = await em.query(
      `INSERT INTO wf_incident (process_instance_key, element_id, element_instance_key, job_key, error_type, error_message, command, state, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'ACTIVE', $8) RETURNING key::text`,
      [instance.key, incident.elementId, incident.elementInstanceKey ?? null, incident.jobKey ?? null, incident.errorType, incident.errorMessage, incident.command ? JSON.stringify(incident.command) : null, at],
    );
    await insertEvents(em, this.eventContext(instance, actor), [
      {
        intent: 'INCIDENT_CREATED',
        elementId: incident.elementId,
        elementInstanceKey: incident.elementInstanceKey,
        payload: { key: row.key, errorType: incident.errorType, errorMessage: incident.errorMessage },
      },
    ]);
  }

  /**
   * After a run settles: hand each new subscription the first buffered message (by publication)
   * with its name and key that has not reached this process yet; the message stays buffered for
   * other processes (docs: "Message buffering", "Message cardinality").
   */
  private async correlateBuffered(em: EntityManager, run: { newSubscriptions(): NewSubscription[] }, instance: InstanceRow) {
    const deliveries: Delivery[] = [];
    for (const sub of run.newSubscriptions()) {
      if (sub.bufferChecked) continue;
      sub.bufferChecked = true;
      const candidates: Array<{ key: string }> = await em.query(
        `SELECT key::text FROM wf_message
          WHERE name = $1 AND correlation_key = $2 AND state = 'BUFFERED' AND expires_at > $3 AND NOT ($4 = ANY(correlated_process_ids))
          ORDER BY key LIMIT 20`,
        [sub.messageName, sub.correlationKey, this.clock.now(), instance.bpmnProcessId],
      );
      for (const candidate of candidates) {
        // Locked one by one and checked again: a publish or another instance may have taken it for this process.
        const [message] = await em.query(`SELECT variables, state, correlated_process_ids FROM wf_message WHERE key = $1 FOR UPDATE`, [candidate.key]);
        if (!message || message.state !== 'BUFFERED' || (message.correlated_process_ids as string[]).includes(instance.bpmnProcessId)) continue;
        await em.query(`UPDATE wf_message SET correlated_process_ids = array_append(correlated_process_ids, $2) WHERE key = $1`, [candidate.key, instance.bpmnProcessId]);
        deliveries.push({ elementId: sub.elementId, elementInstanceKey: sub.elementInstanceKey, variables: message.variables });
        break;
      }
    }
    return deliveries;
  }

  private afterCommit(jobTypes: Set<string>, timersCreated: number): void {
    for (const worker of this.workers) if (jobTypes.has(worker.type)) worker.wake();
    this.jobWaiters.wake(jobTypes);
    if (timersCreated > 0) this.timers.wake();
  }

  // ── jobs ───────────────────────────────────────────────────────────────────

  createWorker<V extends Variables>(options: JobWorkerOptions<V>): JobWorker {
    const loop = new JobWorkerLoop(options as unknown as JobWorkerOptions, this);
    this.workers.add(loop);
    loop.start();
    return {
      close: async () => {
        this.workers.delete(loop);
        await loop.close();
      },
    };
  }

  /**
   * Jobs for a worker outside this process, waiting up to `requestTimeoutMs` for one when none is
   * activatable (Zeebe's long polling: docs.camunda.io "Job workers", "Long polling").
   */
  async activateJobs(command: ActivateJobsCommand, signal?: AbortSignal): Promise<ActivatedJob[]> {
    const until = Date.now() + Math.max(0, command.requestTimeoutMs ?? 0);
    for (;;) {
      const jobs = await this.lockJobs(command.type, command.worker, command.maxJobsToActivate, command.timeoutMs, command.fetchVariables);
      const left = until - Date.now();
      if (jobs.length > 0 || left <= 0 || signal?.aborted) return jobs;
      if (!(await this.jobWaiters.wait(command.type, left, signal))) return [];
    }
  }

  /** Locks up to `max` activatable jobs of a type for a worker (the worker loops' and activateJobs' one statement). */
  async lockJobs(type: string, worker: string, max: number, timeoutMs: number, fetchVariables?: string[]): Promise<ActivatedJob[]> {
    const now = this.clock.now();
    const deadline = new Date(now.getTime() + timeoutMs);
    // One statement: the jobs are locked to the worker and come back with their instance's variables.
    const jobs = await this.db.query(
      `UPDATE wf_job j SET state = 'ACTIVATED', worker = $2, deadline = $3, updated_at = $4
         FROM wf_process_instance i
        WHERE i.key = j.process_instance_key AND j.key IN (
          SELECT key FROM wf_job
           WHERE type = $1 AND ((state = 'ACTIVATABLE' AND (retry_at IS NULL OR retry_at <= $4)) OR (state = 'ACTIVATED' AND deadline <= $4))
           ORDER BY key LIMIT $5 FOR UPDATE SKIP LOCKED)
        RETURNING j.key::text, j.process_instance_key::text AS pik, j.element_id, j.element_instance_key, j.retries, j.custom_headers, j.local_variables, j.kind,
                  i.variables, i.bpmn_process_id, i.version, i.process_definition_key::text AS pdk`,
      [type, worker, deadline, now, max],
    );
    const rows = (Array.isArray(jobs[0]) ? jobs[0] : jobs) as Array<Record<string, never>>;
    if (rows.length === 0) return [];
    this.metrics.jobsActivated.inc({ type }, rows.length);
    rows.sort((a, b) => (BigInt(a.key) < BigInt(b.key) ? -1 : 1));
    return rows.map((r) => {
      let variables: Variables = { ...((r.variables as Variables | null) ?? {}), ...(r.local_variables as Variables) };
      if (fetchVariables) variables = Object.fromEntries(fetchVariables.filter((n) => n in variables).map((n) => [n, variables[n]]));
      const job: ActivatedJob = {
        key: r.key,
        type,
        processInstanceKey: r.pik,
        processDefinitionKey: r.pdk,
        bpmnProcessId: r.bpmn_process_id ?? '',
        processDefinitionVersion: r.version ?? 0,
        elementId: r.element_id,
        elementInstanceKey: r.element_instance_key,
        customHeaders: r.custom_headers,
        variables,
        retries: r.retries,
        deadline,
        worker,
        kind: r.kind,
      };
      this.activated.set(job, { local: r.local_variables as Variables, elementInstanceKey: r.element_instance_key });
      return job;
    });
  }

  private async jobForCommand(jobKey: string, action: string): Promise<{ pik: string; elementInstanceKey: string; local: Variables; type: string }> {
    assertKey(jobKey, 'Job');
    const [job] = await this.db.query(
      `SELECT process_instance_key::text AS pik, element_instance_key, state, local_variables, type FROM wf_job WHERE key = $1`,
      [jobKey],
    );
    if (!job) throw new NotFoundError('Job', jobKey);
    if (!WORKABLE_JOB.includes(job.state)) throw jobNotWorkable(jobKey, job.state, action);
    return { pik: job.pik, elementInstanceKey: job.element_instance_key, local: job.local_variables, type: job.type };
  }

  /**
   * Marks the job done within the command's transaction (one UPDATE, or one per batch); refuses a job that another
   * call finished first. Its event goes into `events` (stored with the step's) or, without, at once.
   */
  private consumeJob(jobKey: string, state: 'COMPLETED' | 'ERROR_THROWN', intent: string) {
    return async (em: EntityManager, instance: InstanceRow, events?: RunEvent[], writes?: StepWrites) => {
      const action = state === 'COMPLETED' ? 'be completed' : 'throw an error';
      // In a batch the job's state was read under the instance's lock: check it here, mark it with the batch's writes.
      const known = writes && takePrefetchedJob(em, jobKey, instance.key);
      if (known !== undefined) {
        if (!WORKABLE_JOB.includes(known)) throw jobNotWorkable(jobKey, known, action);
        writes!.updateJob(jobKey, state, this.clock.now());
        events!.push({ intent, payload: { key: jobKey } });
        return;
      }
      const updated = await em.query(
        `UPDATE wf_job SET state = $2, updated_at = $3 WHERE key = $1 AND process_instance_key = $4 AND state IN ('ACTIVATABLE','ACTIVATED') RETURNING key`,
        [jobKey, state, this.clock.now(), instance.key],
      );
      if ((Array.isArray(updated[0]) ? updated[0] : updated).length === 0) {
        const [job] = await em.query(`SELECT state FROM wf_job WHERE key = $1`, [jobKey]);
        throw jobNotWorkable(jobKey, job?.state, action);
      }
      const event: RunEvent = { intent, payload: { key: jobKey } };
      if (events) events.push(event);
      else await insertEvents(em, this.eventContext(instance), [event]);
    };
  }

  @Admitted()
  async completeJob(jobKey: string, variables: Variables = {}, result?: AdHocJobResult, activated?: ActivatedJob): Promise<void> {
    assertVariables(variables);
    for (const element of result?.activateElements ?? []) assertVariables(element.variables ?? {});
    // A job this process handed to its own worker is not read again: the step's UPDATE checks it.
    const known = activated && this.activated.get(activated);
    const job = known
      ? { pik: activated.processInstanceKey, elementInstanceKey: known.elementInstanceKey, local: known.local, type: activated.type }
      : await this.jobForCommand(jobKey, 'be completed');
    const consume = this.consumeJob(jobKey, 'COMPLETED', 'JOB_COMPLETED');
    const command: Command = { kind: 'completeJob', elementInstanceKey: job.elementInstanceKey, variables, local: job.local };
    if (result) command.result = result;
    await this.apply(job.pik, command, undefined, {
      before: consume,
      consumes: { kind: 'job', key: job.elementInstanceKey },
      jobKey,
      // The job is done even if the step after it fails: keep its variables, retry only the step. An ad-hoc
      // subprocess's job keeps them in the command: they belong to the subprocess's scope, not the root.
      incidentCommand: result ? command : { ...command, variables: {} },
      onIncident: async (em, instance) => {
        await consume(em, instance);
        if (!result) await em.query(`UPDATE wf_process_instance SET variables = variables || $2::jsonb WHERE key = $1`, [job.pik, JSON.stringify(variables)]);
      },
    });
    this.metrics.jobsCompleted.inc({ type: job.type });
  }

  @Admitted()
  async throwJobError(jobKey: string, errorCode: string, errorMessage?: string, variables: Variables = {}): Promise<void> {
    assertVariables(variables);
    const job = await this.jobForCommand(jobKey, 'throw an error');
    const consume = this.consumeJob(jobKey, 'ERROR_THROWN', 'JOB_ERROR_THROWN');
    await this.apply(job.pik, { kind: 'throwError', elementInstanceKey: job.elementInstanceKey, errorCode, errorMessage, variables }, undefined, {
      before: consume,
      consumes: { kind: 'job', key: job.elementInstanceKey },
      jobKey,
    });
  }

  @Admitted()
  async failJob(jobKey: string, retries: number, errorMessage: string, retryBackOffMs = 0): Promise<void> {
    assertKey(jobKey, 'Job');
    if (!Number.isInteger(retries) || retries < 0) throw new DomainError('INVALID_RETRIES', 'retries must be a whole number, zero or more', 400);
    const [job] = await this.db.query(`SELECT process_instance_key::text AS pik, element_id, element_instance_key, type, kind FROM wf_job WHERE key = $1`, [jobKey]);
    if (!job) throw new NotFoundError('Job', jobKey);
    this.metrics.jobsFailed.inc({ type: job.type });
    await this.db.transaction(async (em) => {
      const instance = await this.lockActive(em, job.pik);
      const [row] = await em.query(`SELECT state FROM wf_job WHERE key = $1 FOR UPDATE`, [jobKey]);
      if (!WORKABLE_JOB.includes(row.state)) throw jobNotWorkable(jobKey, row.state, 'fail');
      const now = this.clock.now();
      const state = retries > 0 ? 'ACTIVATABLE' : 'FAILED';
      await em.query(
        `UPDATE wf_job SET state = $2, retries = $3, error_message = $4, retry_at = $5, worker = NULL, deadline = NULL, updated_at = $6 WHERE key = $1`,
        [jobKey, state, retries, errorMessage.slice(0, 4000), retries > 0 && retryBackOffMs > 0 ? new Date(now.getTime() + retryBackOffMs) : null, now],
      );
      await insertEvents(em, this.eventContext(instance), [
        { intent: 'JOB_FAILED', elementId: job.element_id, elementInstanceKey: job.element_instance_key, payload: { key: jobKey, retries, errorMessage: errorMessage.slice(0, 500) } },
      ]);
      if (retries === 0) {
        await this.insertIncident(em, instance, {
          elementId: job.element_id,
          elementInstanceKey: job.element_instance_key,
          errorType: job.kind === 'AD_HOC_SUB_PROCESS' ? 'AD_HOC_SUB_PROCESS_NO_RETRIES' : 'JOB_NO_RETRIES',
          errorMessage: errorMessage || 'The job failed and has no retries left',
          command: null,
          jobKey,
        });
      }
    });
    if (retries > 0) this.afterCommit(new Set([job.type]), 0);
  }

  @Admitted()
  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    assertKey(jobKey, 'Job');
    if (!Number.isInteger(retries) || retries < 1) throw new DomainError('INVALID_RETRIES', 'retries must be a whole number, one or more', 400);
    const result = await this.db.query(`UPDATE wf_job SET retries = $2 WHERE key = $1 AND state NOT IN ('COMPLETED','CANCELED','ERROR_THROWN') RETURNING key`, [jobKey, retries]);
    if ((Array.isArray(result[0]) ? result[0] : result).length === 0) throw new NotFoundError('Active job', jobKey);
  }

  /** Zeebe's JobUpdateTimeoutProcessor: only an activated job has a deadline to move (else INVALID_STATE). */
  @Admitted()
  async updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void> {
    assertKey(jobKey, 'Job');
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new DomainError('INVALID_TIMEOUT', 'timeout must be a whole number of milliseconds, one or more', 400);
    const now = this.clock.now();
    const result = await this.db.query(`UPDATE wf_job SET deadline = $2, updated_at = $3 WHERE key = $1 AND state = 'ACTIVATED' RETURNING key`, [
      jobKey,
      new Date(now.getTime() + timeoutMs),
      now,
    ]);
    if ((Array.isArray(result[0]) ? result[0] : result).length > 0) return;
    const [job] = await this.db.query(`SELECT state FROM wf_job WHERE key = $1`, [jobKey]);
    if (!job) throw new NotFoundError('Job', jobKey);
    throw new ConflictError('JOB_NOT_ACTIVATED', `Job ${jobKey} has no deadline to change: it is ${String(job.state).toLowerCase()}, not activated by a worker`, { state: job.state });
  }

  // ── user tasks ─────────────────────────────────────────────────────────────

  async getUserTask(key: string): Promise<UserTaskView> {
    assertKey(key, 'User task');
    const [row] = await this.db.query(`${USER_TASK_SQL} WHERE t.key = $1`, [key]);
    if (!row) throw new NotFoundError('User task', key);
    return userTaskView(row);
  }

  /** User tasks of one instance, oldest first. */
  async listUserTasks(processInstanceKey: string, state?: UserTaskView['state']): Promise<UserTaskView[]> {
    assertKey(processInstanceKey, 'Process instance');
    const rows = await this.db.query(`${USER_TASK_SQL} WHERE t.process_instance_key = $1 AND ($2::text IS NULL OR t.state = $2) ORDER BY t.key`, [
      processInstanceKey,
      state ?? null,
    ]);
    return rows.map(userTaskView);
  }

  async searchUserTasks(query: UserTaskQuery): Promise<SearchResult<UserTaskView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .anyOf('t.key', f.userTaskKeys, 'bigint')
      .anyOf('t.process_instance_key', f.processInstanceKeys, 'bigint')
      .anyOf('i.bpmn_process_id', f.processDefinitionIds, 'text')
      .anyOf('i.process_definition_key', f.processDefinitionKeys, 'bigint')
      .anyOf('t.element_id', f.elementIds, 'text')
      .anyOf('t.element_instance_key', f.elementInstanceKeys, 'text')
      .anyOf('t.state', f.states, 'text')
      .anyOf('t.assignee', f.assignees, 'text')
      .overlaps('t.candidate_groups', f.candidateGroups)
      .overlaps('t.candidate_users', f.candidateUsers);
    const rows = await this.searchRows(
      q,
      USER_TASK_COLUMNS,
      USER_TASK_FROM,
      q.pageOf(
        query.sort,
        { key: 't.key', createdAt: 't.created_at', completedAt: 't.completed_at', dueDate: 't.due_date', followUpDate: 't.follow_up_date', priority: 't.priority', name: 't.name' },
        't.key',
        query.page,
      ),
    );
    return { total: rows.total, items: rows.items.map(userTaskView) };
  }

  @Admitted()
  async completeUserTask(key: string, variables: Variables = {}, actor?: Actor, action?: string): Promise<void> {
    assertVariables(variables);
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${task.state.toLowerCase()}`);
    const [{ local_variables: local }] = await this.db.query(`SELECT local_variables FROM wf_user_task WHERE key = $1`, [key]);
    await this.apply(task.processInstanceKey, { kind: 'completeUserTask', elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, variables, local }, actor, {
      consumes: { kind: 'userTask', key: task.elementInstanceKey },
      before: async (em, instance, events) => {
        const [row] = await em.query(`SELECT state FROM wf_user_task WHERE key = $1 FOR UPDATE`, [key]);
        if (row.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${row.state.toLowerCase()}`);
        await em.query(`UPDATE wf_user_task SET state = 'COMPLETED', completed_at = $2, completed_by = $3 WHERE key = $1`, [key, this.clock.now(), actor?.username ?? null]);
        const event: RunEvent = {
          intent: 'USER_TASK_COMPLETED',
          elementId: task.elementId,
          elementType: 'bpmn:UserTask',
          elementInstanceKey: task.elementInstanceKey,
          payload: { key, variables: Object.keys(variables), ...(action !== undefined ? { action } : {}) },
        };
        if (events) events.push(event);
        else await insertEvents(em, this.eventContext(instance, actor), [event]);
      },
      incidentCommand: { kind: 'completeUserTask', elementId: task.elementId, elementInstanceKey: task.elementInstanceKey, variables: {}, local },
      onIncident: async (em, instance) => {
        await em.query(`UPDATE wf_user_task SET state = 'COMPLETED', completed_at = $2, completed_by = $3 WHERE key = $1 AND state = 'CREATED'`, [key, this.clock.now(), actor?.username ?? null]);
        await em.query(`UPDATE wf_process_instance SET variables = variables || $2::jsonb WHERE key = $1`, [instance.key, JSON.stringify(variables)]);
      },
    });
  }

  @Admitted()
  async assignUserTask(key: string, assignee: string | null, actor?: Actor, options: { allowOverride?: boolean; action?: string } = {}): Promise<void> {
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${task.state.toLowerCase()}`);
    await this.db.transaction(async (em) => {
      const instance = await this.lockActive(em, task.processInstanceKey);
      const [row] = await em.query(`SELECT state, assignee FROM wf_user_task WHERE key = $1 FOR UPDATE`, [key]);
      if (row.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${String(row.state).toLowerCase()}`);
      if (options.allowOverride === false && row.assignee && row.assignee !== assignee) {
        // As Zeebe (UserTaskAssignProcessor): "…is already assigned to …" (INVALID_STATE).
        throw new ConflictError('TASK_ALREADY_ASSIGNED', `User task ${key} is already assigned to ${row.assignee}; assign it with allowOverride to take it over`);
      }
      await em.query(`UPDATE wf_user_task SET assignee = $2 WHERE key = $1`, [key, assignee]);
      await insertEvents(em, this.eventContext(instance, actor), [
        {
          intent: 'USER_TASK_ASSIGNED',
          elementId: task.elementId,
          elementType: 'bpmn:UserTask',
          elementInstanceKey: task.elementInstanceKey,
          payload: { key, assignee, ...(options.action !== undefined ? { action: options.action } : {}) },
        },
      ]);
    });
  }

  @Admitted()
  async updateUserTask(key: string, changes: UserTaskChanges, actor?: Actor, action?: string): Promise<void> {
    const task = await this.getUserTask(key);
    if (task.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${task.state.toLowerCase()}`);
    if (changes.priority !== undefined && !(Number.isInteger(changes.priority) && changes.priority >= 0 && changes.priority <= 100)) {
      throw new DomainError('INVALID_PRIORITY', 'priority must be a whole number from 0 to 100', 400);
    }
    await this.db.transaction(async (em) => {
      const instance = await this.lockActive(em, task.processInstanceKey);
      const [row] = await em.query(`SELECT state FROM wf_user_task WHERE key = $1 FOR UPDATE`, [key]);
      if (row.state !== 'CREATED') throw new ConflictError('TASK_NOT_ACTIVE', `User task ${key} is already ${String(row.state).toLowerCase()}`);
      await em.query(...userTaskUpdate('wf_user_task', key, changes));
      await insertEvents(em, this.eventContext(instance, actor), [
        {
          intent: 'USER_TASK_UPDATED',
          elementId: task.elementId,
          elementType: 'bpmn:UserTask',
          elementInstanceKey: task.elementInstanceKey,
          payload: { key, ...changes, ...(action !== undefined ? { action } : {}) },
        },
      ]);
    });
  }

  // ── timers ─────────────────────────────────────────────────────────────────

  /**
   * Fires one due timer (called by the scheduler); true if it fired. A timer already fired or
   * cancelled (by another loop or process, or by the instance moving on) is skipped: false.
   */
  private async fireTimer(timer: { key: string; processInstanceKey: string; elementInstanceKey: string }): Promise<boolean> {
    const trigger = async (em: EntityManager) => {
      const rows = await em.query(`UPDATE wf_timer SET state = 'TRIGGERED', triggered_at = $2 WHERE key = $1 AND state = 'CREATED' RETURNING key`, [
        timer.key,
        this.clock.now(),
      ]);
      return (Array.isArray(rows[0]) ? rows[0] : rows).length > 0;
    };
    try {
      await this.apply(timer.processInstanceKey, { kind: 'fireTimer', elementInstanceKey: timer.elementInstanceKey }, undefined, {
        consumes: { kind: 'timer', key: timer.elementInstanceKey },
        before: async (em) => {
          if (!(await trigger(em))) throw new TimerGone();
        },
        onIncident: async (em) => {
          await trigger(em);
        },
      });
      return true;
    } catch (e) {
      if (e instanceof TimerGone) return false;
      if (e instanceof ConflictError && e.code === 'INSTANCE_NOT_ACTIVE') {
        await this.db.query(`UPDATE wf_timer SET state = 'CANCELED' WHERE key = $1 AND state = 'CREATED'`, [timer.key]);
        return false;
      }
      throw e;
    }
  }

  // ── messages ───────────────────────────────────────────────────────────────

  /**
   * Publishes a message as Zeebe does (docs.camunda.io/docs/components/concepts/messages/):
   * it correlates at most once per process (bpmnProcessId), to that process's earliest open
   * subscription with its name and correlation key, then starts an instance of each process whose
   * latest version has a message start event of that name and that it did not reach yet (not
   * while an instance one started with the same non-empty correlation key is active). With a
   * time to live it stays buffered that long, for subscriptions opened later (again once per
   * process), whether it correlated now or not. A messageId is unique per name and correlation
   * key while a message with it is buffered.
   */
  @Admitted()
  async publishMessage(command: PublishMessageCommand): Promise<PublishedMessage> {
    assertVariables(command.variables);
    if (typeof command.name !== 'string' || command.name.trim() === '') throw new DomainError('INVALID_MESSAGE', 'name is required', 400);
    if (typeof command.correlationKey !== 'string') throw new DomainError('INVALID_MESSAGE', 'correlationKey must be a string', 400);
    if (command.messageId !== undefined && typeof command.messageId !== 'string') throw new DomainError('INVALID_MESSAGE', 'messageId must be a string', 400);
    const ttl = durationMs(command.timeToLive ?? 0, 'timeToLive');
    const variables = command.variables ?? {};
    const message: Message = { key: '', name: command.name, correlationKey: command.correlationKey, variables, buffered: ttl > 0 };
    if (message.buffered) {
      message.key = await this.bufferMessage(command, variables, ttl);
    } else {
      if (command.messageId) await this.refuseDuplicateId(command.name, command.correlationKey, command.messageId);
      [message.key] = await nextKeys(this.db.manager, 1);
    }
    /** The processes this message reached: each at most once. */
    const reached = new Set<string>();
    let correlatedTo: string | undefined;
    const subscriptions: Array<{ key: string; pik: string; element_id: string; element_instance_key: string; bpmn_process_id: string }> = await this.db.query(
      `SELECT s.key::text, s.process_instance_key::text AS pik, s.element_id, s.element_instance_key, i.bpmn_process_id
         FROM wf_message_subscription s JOIN wf_process_instance i ON i.key = s.process_instance_key
        WHERE s.message_name = $1 AND s.correlation_key = $2 AND s.state = 'OPEN' ORDER BY s.key`,
      [command.name, command.correlationKey],
    );
    for (const sub of subscriptions) {
      if (reached.has(sub.bpmn_process_id)) continue;
      const outcome = await this.correlateSubscription(sub, message);
      if (outcome === 'gone') continue;
      reached.add(sub.bpmn_process_id);
      if (outcome === 'correlated') correlatedTo ??= sub.pik;
    }
    for (const start of await this.messageStartEvents(command.name)) {
      if (reached.has(start.bpmnProcessId)) continue;
      const created = await this.startByMessage(start, message);
      if (created) {
        reached.add(start.bpmnProcessId);
        correlatedTo ??= created;
      }
    }
    return { key: message.key, correlatedProcessInstanceKey: correlatedTo, buffered: message.buffered };
  }

  /** Stores a message with a time to live in the buffer; a messageId already buffered (same name and key) is refused. */
  private async bufferMessage(command: PublishMessageCommand, variables: Variables, ttl: number): Promise<string> {
    const now = this.clock.now();
    try {
      return await this.db.transaction(async (em) => {
        // A message whose time to live ran out has left the buffer: its id is free again.
        if (command.messageId) {
          await em.query(`UPDATE wf_message SET state = 'EXPIRED' WHERE name = $1 AND correlation_key = $2 AND message_id = $3 AND state = 'BUFFERED' AND expires_at <= $4`, [
            command.name,
            command.correlationKey,
            command.messageId,
            now,
          ]);
        }
        const [row] = await em.query(
          `INSERT INTO wf_message (key, name, correlation_key, message_id, variables, state, expires_at, created_at)
           VALUES (nextval('wf_key'), $1, $2, $3, $4::jsonb, 'BUFFERED', $5, $6) RETURNING key::text`,
          [command.name, command.correlationKey, command.messageId ?? null, JSON.stringify(variables), new Date(now.getTime() + ttl), now],
        );
        return row.key as string;
      });
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505' && command.messageId) {
        await this.refuseDuplicateId(command.name, command.correlationKey, command.messageId);
      }
      throw e;
    }
  }

  /** Refuses a messageId that a buffered message of the same name and correlation key holds (Zeebe: ALREADY_EXISTS). */
  private async refuseDuplicateId(name: string, correlationKey: string, messageId: string): Promise<void> {
    const [held] = await this.db.query(
      `SELECT expires_at FROM wf_message WHERE name = $1 AND correlation_key = $2 AND message_id = $3 AND state = 'BUFFERED' AND expires_at > $4`,
      [name, correlationKey, messageId, this.clock.now()],
    );
    if (!held) return;
    throw new ConflictError(
      'MESSAGE_ALREADY_PUBLISHED',
      `A message '${name}' with correlation key '${correlationKey}' and messageId '${messageId}' was already published and stays buffered until ` +
        `${new Date(held.expires_at).toISOString()}; the same messageId can be published again once that message has left the buffer`,
    );
  }

  /**
   * Hands the message to one open subscription, in the subscriber's transaction. A buffered
   * message's row is the lock that keeps it to once per process: a subscription that opened
   * meanwhile may have taken it from the buffer for this process ('process-reached').
   */
  private async correlateSubscription(
    sub: { key: string; pik: string; element_id: string; element_instance_key: string },
    message: Message,
  ): Promise<'correlated' | 'gone' | 'process-reached'> {
    const mark = async (em: EntityManager, instance: InstanceRow) => {
      await em.query(`UPDATE wf_message_subscription SET state = 'CORRELATED' WHERE key = $1 AND state = 'OPEN'`, [sub.key]);
      if (message.buffered) {
        await em.query(`UPDATE wf_message SET correlated_process_ids = array_append(correlated_process_ids, $2) WHERE key = $1 AND NOT ($2 = ANY(correlated_process_ids))`, [
          message.key,
          instance.bpmnProcessId,
        ]);
      }
    };
    try {
      await this.apply(sub.pik, { kind: 'correlateMessage', elementId: sub.element_id, elementInstanceKey: sub.element_instance_key, variables: message.variables }, undefined, {
        consumes: { kind: 'subscription', key: sub.element_instance_key },
        before: async (em, instance) => {
          if (message.buffered) {
            const [row] = await em.query(`SELECT correlated_process_ids FROM wf_message WHERE key = $1 FOR UPDATE`, [message.key]);
            if ((row?.correlated_process_ids as string[] | undefined)?.includes(instance.bpmnProcessId)) throw new ProcessReached();
          }
          const [row] = await em.query(`SELECT state FROM wf_message_subscription WHERE key = $1 FOR UPDATE`, [sub.key]);
          if (row?.state !== 'OPEN') throw new SubscriptionGone();
          await mark(em, instance);
        },
        onIncident: mark,
      });
      return 'correlated';
    } catch (e) {
      if (e instanceof ProcessReached) return 'process-reached';
      if (e instanceof SubscriptionGone || (e instanceof ConflictError && e.code === 'INSTANCE_NOT_ACTIVE')) return 'gone';
      throw e;
    }
  }

  /**
   * Starts an instance at a message start event, unless the message already reached the process
   * (buffered) or an instance started by a message with the same non-empty correlation key is
   * still active (docs: "Message correlation", message start events). The key of the new
   * instance, or undefined.
   */
  private async startByMessage(start: MessageStart, message: Message): Promise<string | undefined> {
    const lockKey = message.correlationKey === '' ? null : message.correlationKey;
    const key = await this.db.transaction(async (em) => {
      if (message.buffered) {
        const [row] = await em.query(`SELECT correlated_process_ids FROM wf_message WHERE key = $1 FOR UPDATE`, [message.key]);
        if (!row || (row.correlated_process_ids as string[]).includes(start.bpmnProcessId)) return undefined;
      }
      const [key] = await nextKeys(em, 1);
      const now = this.clock.now();
      const inserted = await em.query(
        `INSERT INTO wf_process_instance (key, process_definition_key, bpmn_process_id, version, state, variables, start_element_id, message_correlation_key, started_at, updated_at)
         VALUES ($1, $2, $3, $4, 'ACTIVE', $5::jsonb, $6, $7, $8, $8)
         ON CONFLICT (bpmn_process_id, message_correlation_key) WHERE state = 'ACTIVE' AND message_correlation_key IS NOT NULL DO NOTHING
         RETURNING key::text`,
        [key, start.definitionKey, start.bpmnProcessId, start.version, JSON.stringify(message.variables), start.elementId, lockKey, now],
      );
      if ((Array.isArray(inserted[0]) ? inserted[0] : inserted).length === 0) return undefined;
      if (message.buffered) {
        await em.query(`UPDATE wf_message SET correlated_process_ids = array_append(correlated_process_ids, $2) WHERE key = $1`, [message.key, start.bpmnProcessId]);
      }
      return key;
    });
    if (key) await this.startInstance(key, start.elementId, undefined, Object.keys(message.variables));
    return key;
  }

  /**
   * An instance started by a message with a correlation key ended: the next buffered message for
   * its process's message start events with that key (not yet correlated to the process) may now
   * start one (docs: "If the message is buffered, it can be correlated after the active instance is ended").
   */
  private async startFromBuffer(bpmnProcessId: string, correlationKey: string): Promise<void> {
    const starts = (await this.messageStartEvents()).filter((s) => s.bpmnProcessId === bpmnProcessId);
    if (starts.length === 0) return;
    const rows: Array<{ key: string; name: string; variables: Variables }> = await this.db.query(
      `SELECT key::text, name, variables FROM wf_message
        WHERE name = ANY($1) AND correlation_key = $2 AND state = 'BUFFERED' AND expires_at > $3 AND NOT ($4 = ANY(correlated_process_ids))
        ORDER BY key LIMIT 1`,
      [starts.map((s) => s.messageName), correlationKey, this.clock.now(), bpmnProcessId],
    );
    for (const row of rows) {
      const start = starts.find((s) => s.messageName === row.name)!;
      await this.startByMessage(start, { key: row.key, name: row.name, correlationKey, variables: row.variables, buffered: true });
    }
  }

  /** What an instance's end frees: a message start's correlation key (the next buffered message may start one). */
  private async afterEnd(instance: { bpmnProcessId: string; messageCorrelationKey: string | null }): Promise<void> {
    if (!instance.messageCorrelationKey) return;
    try {
      await this.startFromBuffer(instance.bpmnProcessId, instance.messageCorrelationKey);
    } catch (e) {
      this.logger.error(`Starting ${instance.bpmnProcessId} from a buffered message failed: ${(e as Error).message}`);
    }
  }

  /** The message start events of each process's latest version (of one message name, if given). */
  private async messageStartEvents(name?: string): Promise<MessageStart[]> {
    const latest: Array<{ key: string; bpmn_process_id: string; version: number }> = await this.db.query(
      `SELECT DISTINCT ON (bpmn_process_id) key::text, bpmn_process_id, version FROM wf_process_definition WHERE deleted_at IS NULL ORDER BY bpmn_process_id, version DESC`,
    );
    const starts: MessageStart[] = [];
    for (const def of latest) {
      const compiled = await this.compiledProcess(def.key, def.bpmn_process_id);
      for (const s of compiled.model.messageStarts) {
        if (name !== undefined && s.messageName !== name) continue;
        starts.push({ definitionKey: def.key, bpmnProcessId: def.bpmn_process_id, version: def.version, elementId: s.elementId, messageName: s.messageName });
        if (name !== undefined) break;
      }
    }
    return starts;
  }

  // ── signals ────────────────────────────────────────────────────────────────

  /**
   * Broadcasts a signal as Zeebe does (docs.camunda.io/docs/components/concepts/signals/): it
   * triggers every signal subscription with its name that is open at this moment, whichever
   * process and instance holds it, and starts an instance of each process whose latest version
   * has a signal start event of that name, the signal's variables being the new instance's. It is
   * never buffered: a catch event entered afterwards does not get it.
   */
  @Admitted()
  async broadcastSignal(command: BroadcastSignalCommand): Promise<BroadcastedSignal> {
    assertVariables(command.variables);
    if (typeof command.signalName !== 'string' || command.signalName.trim() === '') {
      throw new DomainError('INVALID_SIGNAL', 'signalName is required: the name of the signal to broadcast, as the diagram names it', 400);
    }
    if (command.signalName.length > MAX_SIGNAL_NAME) {
      throw new DomainError('INVALID_SIGNAL', `signalName has ${command.signalName.length} characters; the most a signal name may have is ${MAX_SIGNAL_NAME}`, 400);
    }
    const variables = command.variables ?? {};
    const [key] = await nextKeys(this.db.manager, 1);
    await this.db.query(`INSERT INTO wf_signal (key, name, variables, state, created_at) VALUES ($1, $2, $3::jsonb, 'BROADCASTING', $4)`, [
      key,
      command.signalName,
      JSON.stringify(variables),
      this.clock.now(),
    ]);
    await this.deliverSignal({ key, name: command.signalName, variables, source: null, deliveredUpTo: '0', startsDone: false });
    return { signalKey: key };
  }

  /**
   * Hands a broadcast to every open signal subscription with its name that existed when it was
   * made (a lower key: subscription rows and broadcasts draw keys from one sequence), in key order,
   * each in its instance's own step; a thrower's own instance had it in the thrower's step. Then it
   * starts the signal start events' processes. `delivered_up_to` and `starts_done`, written in
   * those steps, let a second delivery of the same broadcast (after a stop, or by another server
   * process) hand nothing twice.
   */
  private async deliverSignal(signal: SignalDelivery): Promise<void> {
    const PAGE = 500;
    for (let after = signal.deliveredUpTo; ; ) {
      const subs: SignalSubscriptionRow[] = await this.db.query(
        `SELECT key::text, process_instance_key::text AS pik, element_id, element_instance_key FROM wf_signal_subscription
          WHERE signal_name = $1 AND state = 'OPEN' AND key < $2 AND key > $3 AND ($4::bigint IS NULL OR process_instance_key <> $4::bigint)
          ORDER BY key LIMIT ${PAGE}`,
        [signal.name, signal.key, after, signal.source],
      );
      for (const sub of subs) await this.correlateSignalSubscription(sub, signal);
      if (subs.length < PAGE) break;
      after = subs[subs.length - 1].key;
    }
    if (!signal.startsDone) {
      const starts = await this.signalStartEvents(signal.name);
      const started = await this.db.transaction(async (em) => {
        const [row] = await em.query(`SELECT starts_done FROM wf_signal WHERE key = $1 FOR UPDATE`, [signal.key]);
        if (!row || row.starts_done) return [];
        const now = this.clock.now();
        const keys = await nextKeys(em, starts.length);
        for (const [n, start] of starts.entries()) {
          await em.query(
            `INSERT INTO wf_process_instance (key, process_definition_key, bpmn_process_id, version, state, variables, start_element_id, started_at, updated_at)
             VALUES ($1, $2, $3, $4, 'ACTIVE', $5::jsonb, $6, $7, $7)`,
            [keys[n], start.definitionKey, start.bpmnProcessId, start.version, JSON.stringify(signal.variables), start.elementId, now],
          );
        }
        await em.query(`UPDATE wf_signal SET starts_done = true WHERE key = $1`, [signal.key]);
        return starts.map((start, n) => ({ key: keys[n], elementId: start.elementId }));
      });
      // A stop before these start is caught up at the next start (startUnstarted).
      for (const s of started) await this.startInstance(s.key, s.elementId, undefined, Object.keys(signal.variables));
    }
    await this.db.query(`UPDATE wf_signal SET state = 'BROADCASTED' WHERE key = $1`, [signal.key]);
  }

  /**
   * Triggers one signal subscription in its instance's step. The broadcast's row, locked there,
   * says whether this subscription already had it (`delivered_up_to`); the subscription row says
   * whether it is still open. A non-interrupting boundary or event subprocess start stays open.
   */
  private async correlateSignalSubscription(sub: SignalSubscriptionRow, signal: SignalDelivery): Promise<void> {
    const command: Command = { kind: 'correlateSignal', elementInstanceKey: sub.element_instance_key, signalName: signal.name, signalKey: signal.key, variables: signal.variables };
    try {
      await this.apply(sub.pik, command, undefined, {
        before: async (em) => {
          const [progress] = await em.query(`SELECT delivered_up_to >= $2::bigint AS had FROM wf_signal WHERE key = $1 FOR UPDATE`, [signal.key, sub.key]);
          if (!progress || progress.had) throw new SubscriptionGone();
          const [row] = await em.query(`SELECT state FROM wf_signal_subscription WHERE key = $1 FOR UPDATE`, [sub.key]);
          if (row?.state !== 'OPEN') throw new SubscriptionGone();
          await em.query(`UPDATE wf_signal SET delivered_up_to = $2 WHERE key = $1`, [signal.key, sub.key]);
        },
        // The incident holds the command; an interrupting subscription takes no second broadcast meanwhile.
        onIncident: async (em, instance) => {
          await em.query(`UPDATE wf_signal SET delivered_up_to = GREATEST(delivered_up_to, $2::bigint) WHERE key = $1`, [signal.key, sub.key]);
          const event = (await this.compiledProcess(instance.processDefinitionKey, instance.bpmnProcessId, em)).graph.nodes.get(sub.element_id);
          const stays = (event?.type === 'bpmn:BoundaryEvent' && event.cancelActivity === false) || (event?.type === 'bpmn:StartEvent' && event.interrupting === false);
          if (!stays) await em.query(`UPDATE wf_signal_subscription SET state = 'TRIGGERED' WHERE key = $1 AND state = 'OPEN'`, [sub.key]);
        },
      });
    } catch (e) {
      if (e instanceof SubscriptionGone || (e instanceof ConflictError && e.code === 'INSTANCE_NOT_ACTIVE')) return;
      throw e;
    }
  }

  /** Broadcasts a stop interrupted (from the API or a throw event): finished now. */
  private async resumeSignals(): Promise<void> {
    const rows: Array<{ key: string; name: string; variables: Variables; source: string | null; delivered_up_to: string; starts_done: boolean }> = await this.db.query(
      `SELECT key::text, name, variables, process_instance_key::text AS source, delivered_up_to::text, starts_done FROM wf_signal WHERE state = 'BROADCASTING' ORDER BY key`,
    );
    for (const r of rows) {
      await this.deliverSignal({ key: r.key, name: r.name, variables: r.variables, source: r.source, deliveredUpTo: r.delivered_up_to, startsDone: r.starts_done });
    }
  }

  /** A signal start event's name, evaluated as on deploying when it is an expression (no variables exist yet). */
  private signalStartName(start: { elementId: string; signalName: string }): string {
    if (!isExpression(start.signalName)) return start.signalName;
    return new Feel(this.clock).text(start.signalName, {}, start.elementId, 'signal name');
  }

  private signalStartProblem(start: { elementId: string; signalName: string }): Array<{ elementId: string; rule: string; message: string }> {
    try {
      const name = this.signalStartName(start);
      if (name.length <= MAX_SIGNAL_NAME) return [];
      return [{ elementId: start.elementId, rule: 'signal-name', message: `The signal name has ${name.length} characters; the most a signal name may have is ${MAX_SIGNAL_NAME}` }];
    } catch (e) {
      if (e instanceof FeelError) return [{ elementId: start.elementId, rule: 'signal-name', message: e.message }];
      throw e;
    }
  }

  /**
   * The signal start events of each process's latest version with this name: one instance per
   * process (docs: "a signal will start one instance per process that has a corresponding signal start").
   */
  private async signalStartEvents(name: string): Promise<SignalStart[]> {
    const latest: Array<{ key: string; bpmn_process_id: string; version: number }> = await this.db.query(
      `SELECT DISTINCT ON (bpmn_process_id) key::text, bpmn_process_id, version FROM wf_process_definition WHERE deleted_at IS NULL ORDER BY bpmn_process_id, version DESC`,
    );
    const starts: SignalStart[] = [];
    for (const def of latest) {
      const compiled = await this.compiledProcess(def.key, def.bpmn_process_id);
      const start = compiled.model.signalStarts.find((s) => {
        try {
          return this.signalStartName(s) === name;
        } catch {
          return false;
        }
      });
      if (start) starts.push({ definitionKey: def.key, bpmnProcessId: def.bpmn_process_id, version: def.version, elementId: start.elementId });
    }
    return starts;
  }

  // ── incidents ──────────────────────────────────────────────────────────────

  async countIncidents(range: { from: Date; to: Date }): Promise<IncidentCount[]> {
    const rows = await this.db.query(
      `SELECT p.bpmn_process_id AS "bpmnProcessId", i.element_id AS "elementId", i.error_type AS "errorType", max(p.process_definition_key)::text AS "processDefinitionKey",
              count(*) FILTER (WHERE i.state = 'ACTIVE')::int AS open, count(*) FILTER (WHERE i.state <> 'ACTIVE')::int AS resolved
         FROM wf_incident i JOIN wf_process_instance p ON p.key = i.process_instance_key
        WHERE i.created_at >= $1 AND i.created_at < $2
        GROUP BY 1, 2, 3 ORDER BY 5 DESC, 1, 2, 3`,
      [range.from, range.to],
    );
    return rows as IncidentCount[];
  }

  async listIncidents(filter: { state?: 'ACTIVE' | 'RESOLVED'; processInstanceKey?: string } = {}): Promise<IncidentView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state) {
      params.push(filter.state);
      where.push(`n.state = $${params.length}`);
    }
    if (filter.processInstanceKey) {
      assertKey(filter.processInstanceKey, 'Process instance');
      params.push(filter.processInstanceKey);
      where.push(`n.process_instance_key = $${params.length}`);
    }
    const rows = await this.db.query(
      `SELECT ${INCIDENT_COLUMNS} FROM ${INCIDENT_FROM}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY n.key DESC LIMIT 500`,
      params,
    );
    return rows.map(incidentView);
  }

  async searchIncidents(query: IncidentQuery): Promise<SearchResult<IncidentView>> {
    const f = query.filter ?? {};
    const q = new SearchSql()
      .anyOf('n.key', f.incidentKeys, 'bigint')
      .anyOf('n.process_instance_key', f.processInstanceKeys, 'bigint')
      .anyOf('i.bpmn_process_id', f.processDefinitionIds, 'text')
      .anyOf('i.process_definition_key', f.processDefinitionKeys, 'bigint')
      .anyOf('n.element_id', f.elementIds, 'text')
      .anyOf('n.job_key', f.jobKeys, 'bigint')
      .anyOf('n.state', f.states, 'text')
      .anyOf('n.error_type', f.errorTypes, 'text');
    const rows = await this.searchRows(
      q,
      INCIDENT_COLUMNS,
      INCIDENT_FROM,
      q.pageOf(
        query.sort,
        {
          key: 'n.key',
          processInstanceKey: 'n.process_instance_key',
          processDefinitionKey: 'i.process_definition_key',
          bpmnProcessId: 'i.bpmn_process_id',
          errorType: 'n.error_type',
          elementId: 'n.element_id',
          createdAt: 'n.created_at',
          state: 'n.state',
          jobKey: 'n.job_key',
        },
        'n.key',
        query.page,
      ),
    );
    return { total: rows.total, items: rows.items.map(incidentView) };
  }

  /**
   * Resolves an incident: a job out of retries (after `updateJobRetries`) or whose BPMN error
   * nothing caught becomes activatable again, for a worker to retry; any other incident runs its
   * blocked command again, now with the instance's current variables. If it fails again, a new
   * incident takes its place.
   */
  @Admitted()
  async resolveIncident(key: string, actor?: Actor): Promise<void> {
    assertKey(key, 'Incident');
    const [incident] = await this.db.query(
      `SELECT key::text, process_instance_key::text AS pik, job_key::text AS job_key, error_type, command, state FROM wf_incident WHERE key = $1`,
      [key],
    );
    if (!incident) throw new NotFoundError('Incident', key);
    if (incident.state !== 'ACTIVE') throw new ConflictError('INCIDENT_RESOLVED', `Incident ${key} is already resolved`);
    const markResolved = async (em: EntityManager, instance: InstanceRow) => {
      const [row] = await em.query(`SELECT state FROM wf_incident WHERE key = $1 FOR UPDATE`, [key]);
      if (row.state !== 'ACTIVE') throw new ConflictError('INCIDENT_RESOLVED', `Incident ${key} is already resolved`);
      await em.query(`UPDATE wf_incident SET state = 'RESOLVED', resolved_at = $2, resolved_by = $3 WHERE key = $1`, [key, this.clock.now(), actor?.username ?? null]);
      await insertEvents(em, this.eventContext(instance, actor), [{ intent: 'INCIDENT_RESOLVED', payload: { key } }]);
    };
    // A job's incident (out of retries, or a BPMN error nothing caught): as Zeebe, resolving it
    // makes the job activatable again, so a worker retries it (docs: "Incidents").
    const [job] = incident.job_key
      ? await this.db.query(`SELECT retries, type, state FROM wf_job WHERE key = $1`, [incident.job_key])
      : [];
    const noRetries = incident.error_type === 'JOB_NO_RETRIES' || incident.error_type === 'AD_HOC_SUB_PROCESS_NO_RETRIES';
    const jobIncident = job && ((noRetries && job.state === 'FAILED') || (incident.error_type === 'UNHANDLED_ERROR_EVENT' && job.state === 'ERROR_THROWN'));
    if (noRetries || jobIncident) {
      if (!job || job.retries < 1) {
        throw new ConflictError('NO_RETRIES', `Job ${incident.job_key} has no retries left: give it retries first (POST /api/jobs/${incident.job_key}/retries)`);
      }
      await this.db.transaction(async (em) => {
        const instance = await this.lockActive(em, incident.pik);
        await markResolved(em, instance);
        await em.query(
          `UPDATE wf_job SET state = 'ACTIVATABLE', retry_at = NULL, worker = NULL, deadline = NULL, updated_at = $2 WHERE key = $1 AND state IN ('FAILED', 'ERROR_THROWN')`,
          [incident.job_key, this.clock.now()],
        );
        await bumpStateVersion(em, instance.key);
        this.engines.drop(instance.key);
      });
      this.afterCommit(new Set([job.type]), 0);
      return;
    }
    const command = incident.command as Command | null;
    if (!command) {
      await this.db.transaction(async (em) => markResolved(em, await this.lockActive(em, incident.pik)));
      return;
    }
    await this.apply(incident.pik, command, actor, { before: markResolved, onIncident: markResolved });
  }

  /** Fires every timer due by now and waits for in-process workers to drain: the test clock's "settle". */
  async settle(): Promise<{ timersFired: number }> {
    // Counts what this process fired meanwhile, whichever of its loops fired it (the
    // scheduler's own loop may take part of the burst): each timer once.
    const firedBefore = this.timers.firedTotal;
    for (let round = 0; round < 1000; round++) {
      const { fired } = await this.timers.fireDue();
      const busy = await Promise.all([...this.workers].map((w) => w.drain()));
      if (fired === 0 && !busy.some(Boolean)) break;
    }
    return { timersFired: this.timers.firedTotal - firedBefore };
  }

  /** In-process workers hand their outcome here. */
  async finishJob(job: ActivatedJob, outcome: JobOutcome): Promise<void> {
    switch (outcome.outcome) {
      case 'complete':
        return this.completeJob(job.key, outcome.variables ?? {}, outcome.result, job);
      case 'fail':
        return this.failJob(job.key, outcome.retries, outcome.errorMessage, outcome.retryBackOffMs);
      case 'error':
        return this.throwJobError(job.key, outcome.errorCode, outcome.errorMessage, outcome.variables ?? {});
    }
  }
}

const USER_TASK_COLUMNS = `t.*, t.key::text AS key, t.process_instance_key::text AS pik, i.bpmn_process_id, i.version, i.process_definition_key::text AS pdk`;
const USER_TASK_FROM = `wf_user_task t JOIN wf_process_instance i ON i.key = t.process_instance_key`;
const USER_TASK_SQL = `SELECT ${USER_TASK_COLUMNS} FROM ${USER_TASK_FROM}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function userTaskView(row: any): UserTaskView {
  return {
    key: row.key,
    processInstanceKey: row.pik,
    processDefinitionKey: row.pdk,
    bpmnProcessId: row.bpmn_process_id,
    processDefinitionVersion: row.version,
    elementId: row.element_id,
    elementInstanceKey: row.element_instance_key,
    name: row.name ?? undefined,
    assignee: row.assignee ?? undefined,
    candidateGroups: row.candidate_groups,
    candidateUsers: row.candidate_users,
    formKey: row.form_key ?? undefined,
    dueDate: row.due_date ?? undefined,
    followUpDate: row.follow_up_date ?? undefined,
    priority: row.priority,
    state: row.state,
    createdAt: row.created_at,
    completedAt: row.completed_at ?? undefined,
    completedBy: row.completed_by ?? undefined,
  };
}

const INCIDENT_COLUMNS = `n.key::text, n.process_instance_key::text AS pik, i.bpmn_process_id, i.process_definition_key::text AS pdk, n.element_id,
  n.element_instance_key, n.error_type, n.error_message, n.job_key::text AS job_key, n.state, n.created_at, n.resolved_at`;
const INCIDENT_FROM = `wf_incident n JOIN wf_process_instance i ON i.key = n.process_instance_key`;

function incidentView(r: Record<string, never>): IncidentView {
  return {
    key: r.key,
    processInstanceKey: r.pik,
    bpmnProcessId: r.bpmn_process_id,
    processDefinitionKey: r.pdk,
    elementId: r.element_id,
    ...(r.element_instance_key ? { elementInstanceKey: r.element_instance_key } : {}),
    errorType: r.error_type,
    errorMessage: r.error_message,
    jobKey: r.job_key ?? undefined,
    state: r.state,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at ?? undefined,
  };
}

class TimerGone extends Error {}
class AlreadyStarted extends Error {}
class SubscriptionGone extends Error {}
/** A buffered message already reached the subscriber's process. */
class ProcessReached extends Error {}

/** A published message on its way to subscriptions and start events. */
interface Message {
  key: string;
  name: string;
  correlationKey: string;
  variables: Variables;
  /** Whether it has a row in the buffer (time to live > 0), the lock of its once-per-process rule. */
  buffered: boolean;
}

/** A broadcast on its way to subscriptions and signal start events. */
interface SignalDelivery {
  key: string;
  name: string;
  variables: Variables;
  /** The instance that threw it (its own subscriptions had it in the throwing step), or null. */
  source: string | null;
  /** The last subscription key it was handed to (0: none yet). */
  deliveredUpTo: string;
  startsDone: boolean;
}

interface SignalSubscriptionRow {
  key: string;
  pik: string;
  element_id: string;
  element_instance_key: string;
}

interface SignalStart {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  elementId: string;
}

interface MessageStart {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  elementId: string;
  messageName: string;
}

function toEngineEvent(r: Record<string, never>): EngineEvent {
  return {
    position: r.position,
    processInstanceKey: r.process_instance_key,
    elementId: r.element_id ?? undefined,
    elementType: r.element_type ?? undefined,
    elementInstanceKey: r.element_instance_key ?? undefined,
    intent: r.intent,
    payload: r.payload ?? undefined,
    actor: r.actor ?? undefined,
    at: r.created_at,
  };
}

/** A process's latest stored version, as deploy compares a resource with it. */
interface LatestProcess {
  key: string;
  version: number;
  checksum: string;
  resource_name: string;
  name: string | null;
  deployed_at: Date;
  deployed_by: string | null;
  deleted: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function processDefinitionView(row: any): ProcessDefinitionView {
  return {
    key: row.key,
    bpmnProcessId: row.bpmn_process_id,
    version: row.version,
    ...(row.name ? { name: row.name } : {}),
    resourceName: row.resource_name,
    ...(row.version_tag ? { versionTag: row.version_tag } : {}),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function decisionView(row: any): DecisionDefinitionView {
  return {
    key: row.key,
    decisionId: row.decision_id,
    ...(row.name ? { name: row.name } : {}),
    version: row.version,
    decisionRequirementsId: row.decision_requirements_id,
    decisionRequirementsKey: row.drk,
  };
}

/** A process deployed again unchanged: its latest version, no new one. */
function existingProcess(bpmnProcessId: string, row: LatestProcess, checksum: string): DeployedProcess {
  return {
    key: row.key,
    bpmnProcessId,
    version: row.version,
    resourceName: row.resource_name,
    name: row.name ?? undefined,
    checksum,
    deployedAt: row.deployed_at,
    deployedBy: row.deployed_by ?? undefined,
    isNewVersion: false,
  };
}
