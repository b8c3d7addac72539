/**
 * The workflow engine port, in Zeebe's terms, so the same diagram and the same workers run
 * on the embedded engine and on a Camunda 8 cluster. Keys are decimal strings (Zeebe's
 * 64-bit keys do not fit a JavaScript number in general).
 */

export type Variables = Record<string, unknown>;

/** Who caused a change, when a person did. */
export interface Actor {
  id: string;
  username: string;
}

export interface DeployCommand {
  /** File name, e.g. beneficiary-intake.bpmn; a `.dmn` name (or a file whose root is DMN's `definitions`) deploys decisions */
  resourceName: string;
  xml: string;
  deployedBy?: Actor;
  /**
   * Forms (form-js schemas, each with its `id`) deployed with the diagram. Zeebe deploys them as
   * resources in the same request, so linked forms are there when a user task asks; the embedded
   * engine ignores them (the form store keeps them).
   */
  forms?: Array<{ id: string; [key: string]: unknown }>;
}

/**
 * Several BPMN resources deployed in one request (Camunda's `POST /v2/deployments`): every one is
 * checked before any is stored, so a request with one bad diagram deploys nothing.
 */
export interface DeployResourcesCommand {
  resources: Array<{ resourceName: string; xml: string }>;
  deployedBy?: Actor;
}

export interface DeployedProcess {
  key: string;
  bpmnProcessId: string;
  version: number;
  resourceName: string;
  name?: string;
  checksum: string;
  deployedAt: Date;
  deployedBy?: string;
  /** false when the content equalled the latest version, which is returned instead */
  isNewVersion: boolean;
}

/** A lint finding that does not block deployment. */
export interface DeployWarning {
  elementId?: string;
  rule: string;
  message: string;
}

/** A deployed DMN file: its decision requirements graph (the `definitions`), versioned by its id. */
export interface DeployedDecisionRequirements {
  key: string;
  decisionRequirementsId: string;
  name?: string;
  version: number;
  resourceName: string;
  checksum: string;
  deployedAt: Date;
  deployedBy?: string;
  /** false when the file equalled the latest version, which is returned instead (absent where the engine cannot tell: Zeebe) */
  isNewVersion?: boolean;
}

/** One decision of a deployed DMN file, versioned by its decision id; business rule tasks call the latest. */
export interface DeployedDecision {
  key: string;
  decisionId: string;
  name?: string;
  version: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  /** false when its file equalled the latest version (absent where the engine cannot tell: Zeebe) */
  isNewVersion?: boolean;
}

export interface DeployResult {
  /** The deployment's own key (Zeebe's deploymentKey): new for every deployment, also one that changed nothing. */
  deploymentKey: string;
  processes: DeployedProcess[];
  /** A DMN deployment's decision requirements graph (empty for BPMN). */
  decisionRequirements: DeployedDecisionRequirements[];
  /** A DMN deployment's decisions (empty for BPMN). */
  decisions: DeployedDecision[];
  warnings: DeployWarning[];
}

export interface ProcessDefinitionSummary {
  bpmnProcessId: string;
  name?: string;
  versions: Array<Omit<DeployedProcess, 'isNewVersion' | 'bpmnProcessId'> & { instances?: InstanceCounts }>;
}

/** One deployed version. */
export interface ProcessDefinitionView {
  key: string;
  bpmnProcessId: string;
  version: number;
  name?: string;
  resourceName: string;
  /** `zeebe:versionTag` of the process, where it has one. */
  versionTag?: string;
}

/**
 * Process definition search (Camunda's `POST /v2/process-definitions/search`): each list matches
 * any of its values, filters combine with AND; `isLatestVersion` keeps the newest version of each
 * process id. Deleted versions are never found. Sorted by the fields, then by key.
 */
export interface ProcessDefinitionQuery {
  filter?: {
    keys?: string[];
    bpmnProcessIds?: string[];
    names?: string[];
    versions?: number[];
    versionTags?: string[];
    resourceNames?: string[];
    isLatestVersion?: boolean;
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'name' | 'resourceName' | 'version' | 'versionTag' | 'bpmnProcessId'; order: SortOrder }>;
}

/** One deployed version of a decision. */
export interface DecisionDefinitionView {
  key: string;
  decisionId: string;
  name?: string;
  version: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
}

export interface DecisionDefinitionQuery {
  filter?: {
    keys?: string[];
    decisionIds?: string[];
    names?: string[];
    versions?: number[];
    decisionRequirementsIds?: string[];
    decisionRequirementsKeys?: string[];
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'decisionId' | 'name' | 'version' | 'decisionRequirementsId' | 'decisionRequirementsKey'; order: SortOrder }>;
}

/** One deployed version of a DMN file (its decision requirements graph). */
export interface DecisionRequirementsView {
  key: string;
  decisionRequirementsId: string;
  name?: string;
  version: number;
  resourceName: string;
}

export interface DecisionRequirementsQuery {
  filter?: { keys?: string[]; decisionRequirementsIds?: string[]; names?: string[]; versions?: number[]; resourceNames?: string[] };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'name' | 'version' | 'decisionRequirementsId'; order: SortOrder }>;
}

/**
 * A decision evaluated on its own (Zeebe's EvaluateDecision): by key, or by id (its latest
 * version). Exactly one of the two.
 */
export interface EvaluateDecisionCommand {
  decisionKey?: string;
  decisionId?: string;
  variables?: Variables;
}

/** One decision evaluated on the way, required decisions first (Zeebe's EvaluatedDecision); values are JSON values. */
export interface EvaluatedDecisionView {
  decision: Pick<DecisionDefinitionView, 'key' | 'decisionId' | 'name' | 'version'>;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  output: unknown;
  evaluatedInputs: Array<{ inputId: string; inputName?: string; inputValue: unknown }>;
  matchedRules: Array<{ ruleId: string; ruleIndex: number; evaluatedOutputs: Array<{ outputId: string; outputName?: string; outputValue: unknown }> }>;
}

/**
 * What an evaluation answers (Zeebe's EvaluateDecisionResponse): the decision evaluated, its
 * output, and, when it failed, which decision failed and why (a failure is an answer, not an error).
 */
export interface DecisionEvaluation {
  /** The evaluation's own key (decisionEvaluationKey). */
  key: string;
  decision: DecisionDefinitionView;
  /** null when it failed. */
  output: unknown;
  failedDecisionId?: string;
  failureMessage?: string;
  evaluatedDecisions: EvaluatedDecisionView[];
}

/** How many instances run or ran on one version, where the engine can count them (Zeebe: Operate knows). */
export interface InstanceCounts {
  active: number;
  completed: number;
  canceled: number;
}

export interface CreateInstanceCommand {
  bpmnProcessId: string;
  /** Latest when omitted. */
  version?: number;
  variables?: Variables;
  actor?: Actor;
  /** Internal: the message or timer start event it begins at (none start when omitted). */
  startElementId?: string;
}

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'CANCELED';

export interface ElementRef {
  elementId: string;
  elementType: string;
  /** The engine's id of this run of the element. */
  elementInstanceKey: string;
}

export interface IncidentView {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  /** Where the engine knows it (the embedded engine does). */
  processDefinitionKey?: string;
  elementId: string;
  elementInstanceKey?: string;
  errorType: IncidentErrorType;
  errorMessage: string;
  jobKey?: string;
  state: 'ACTIVE' | 'RESOLVED';
  createdAt: Date;
  resolvedAt?: Date;
}

export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  /** A business rule task's decision is not deployed (Zeebe's ErrorType.CALLED_DECISION_ERROR). */
  | 'CALLED_DECISION_ERROR'
  /** A business rule task's decision failed to evaluate (Zeebe's ErrorType.DECISION_EVALUATION_ERROR). */
  | 'DECISION_EVALUATION_ERROR'
  /** The job of an ad-hoc subprocess (job worker implementation) failed with no retries left (Zeebe's ErrorType.AD_HOC_SUB_PROCESS_NO_RETRIES). */
  | 'AD_HOC_SUB_PROCESS_NO_RETRIES'
  | 'UNKNOWN';

export interface ProcessInstanceView {
  key: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  state: InstanceState;
  variables: Variables;
  activeElements: ElementRef[];
  incidents: IncidentView[];
  /** Set on an instance a call activity created: the calling instance. */
  parentProcessInstanceKey?: string;
  startedAt: Date;
  endedAt?: Date;
}

export interface PublishMessageCommand {
  name: string;
  correlationKey: string;
  variables?: Variables;
  /** ISO-8601 duration or milliseconds; 0 (default) means: correlate now or never. */
  timeToLive?: string | number;
  /** Unique per name and correlation key while a message with it is buffered (a second publish is refused). */
  messageId?: string;
}

export interface PublishedMessage {
  key: string;
  /** The first instance it correlated to or started at once, if any (a message reaches each process at most once). */
  correlatedProcessInstanceKey?: string;
  /** Whether it stays in the buffer for its time to live (> 0), for subscriptions of processes it has not reached yet. */
  buffered: boolean;
}

export interface BroadcastSignalCommand {
  /** The signal's name, as the diagram's `bpmn:signal` names it. */
  signalName: string;
  /** Merged into each instance the signal starts or whose catch event it triggers (by default; output mappings may choose). */
  variables?: Variables;
}

export interface BroadcastedSignal {
  /** The broadcast's key (64-bit, decimal). */
  signalKey: string;
}

/** A job as a worker sees it. */
export interface ActivatedJob<V extends Variables = Variables, H extends Record<string, string> = Record<string, string>> {
  key: string;
  type: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: H;
  variables: V;
  retries: number;
  deadline: Date;
  worker: string;
  /** Zeebe's JobKind: an element's job, or the job of an ad-hoc subprocess with a job worker implementation. */
  kind: JobKind;
}

export type JobKind = 'BPMN_ELEMENT' | 'AD_HOC_SUB_PROCESS';

/**
 * What the worker of an ad-hoc subprocess's job decides (Camunda 8.8 "Ad-hoc sub-processes", "Job
 * worker implementation"; the complete-job API's `adHocSubProcess` result): the inner elements to
 * activate, each with variables local to its inner instance, and whether the subprocess's
 * completion condition is fulfilled, cancelling what is still active or waiting for it.
 */
export interface AdHocJobResult {
  type: 'adHocSubProcess';
  activateElements?: Array<{ elementId: string; variables?: Variables }>;
  isCompletionConditionFulfilled?: boolean;
  isCancelRemainingInstances?: boolean;
}

/** What a handler ends with: exactly one of complete, fail, throwError. */
export type JobOutcome =
  | { outcome: 'complete'; variables?: Variables; result?: AdHocJobResult }
  | { outcome: 'fail'; retries: number; errorMessage: string; retryBackOffMs?: number; variables?: Variables }
  | { outcome: 'error'; errorCode: string; errorMessage?: string; variables?: Variables };

export const complete = (variables?: Variables): JobOutcome => ({ outcome: 'complete', variables });
export const fail = (errorMessage: string, retries: number, retryBackOffMs?: number): JobOutcome => ({
  outcome: 'fail',
  errorMessage,
  retries,
  retryBackOffMs,
});
export const throwError = (errorCode: string, errorMessage?: string, variables?: Variables): JobOutcome => ({
  outcome: 'error',
  errorCode,
  errorMessage,
  variables,
});

export interface JobWorkerOptions<V extends Variables = Variables> {
  type: string;
  /** Name recorded on activated jobs. */
  worker?: string;
  /** Most jobs this worker holds at once (default 32). */
  maxJobsActive?: number;
  /** How long an activated job stays locked to this worker, ms (default 5 min). */
  timeoutMs?: number;
  /** Variables to fetch (all when omitted). */
  fetchVariables?: Array<keyof V & string>;
  /** Returns an outcome; a thrown error fails the job with retries − 1. */
  handler: (job: ActivatedJob<V>) => Promise<JobOutcome>;
}

export interface JobWorker {
  close(): Promise<void>;
}

/**
 * Jobs for a worker outside this process (Camunda's `POST /v2/jobs/activation`): up to
 * `maxJobsToActivate` activatable jobs of `type`, locked to `worker` for `timeoutMs`. With
 * `requestTimeoutMs` > 0 and none activatable, the call waits up to that long for one
 * (long polling) and answers as soon as it got some; an aborted `signal` ends the wait.
 */
export interface ActivateJobsCommand {
  type: string;
  worker: string;
  maxJobsToActivate: number;
  timeoutMs: number;
  fetchVariables?: string[];
  requestTimeoutMs?: number;
}

/** One page of a search: skip `from` results, return at most `limit`. */
export interface SearchPage {
  from: number;
  limit: number;
}

export type SortOrder = 'ASC' | 'DESC';

/** A page of results and how many match in all. */
export interface SearchResult<T> {
  items: T[];
  total: number;
}

/**
 * Instance search: each filter list matches any of its values, filters combine with AND; sorted
 * by the given fields, then by key (ascending) so pages never overlap.
 */
export interface ProcessInstanceQuery {
  filter?: {
    processInstanceKeys?: string[];
    processDefinitionIds?: string[];
    processDefinitionKeys?: string[];
    processDefinitionVersions?: number[];
    states?: InstanceState[];
    parentProcessInstanceKeys?: string[];
    hasIncident?: boolean;
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'bpmnProcessId' | 'processDefinitionKey' | 'version' | 'state' | 'startedAt' | 'endedAt' | 'parentProcessInstanceKey'; order: SortOrder }>;
}

/** An instance as a search lists it (no variables). */
export interface ProcessInstanceSummary {
  key: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  /** The process's name in the diagram, where it has one. */
  processName?: string;
  version: number;
  state: InstanceState;
  hasIncident: boolean;
  parentProcessInstanceKey?: string;
  parentElementInstanceKey?: string;
  startedAt: Date;
  endedAt?: Date;
}

export interface UserTaskQuery {
  filter?: {
    userTaskKeys?: string[];
    processInstanceKeys?: string[];
    processDefinitionIds?: string[];
    processDefinitionKeys?: string[];
    elementIds?: string[];
    elementInstanceKeys?: string[];
    states?: Array<UserTaskView['state']>;
    assignees?: string[];
    candidateGroups?: string[];
    candidateUsers?: string[];
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'createdAt' | 'completedAt' | 'dueDate' | 'followUpDate' | 'priority' | 'name'; order: SortOrder }>;
}

export interface IncidentQuery {
  filter?: {
    incidentKeys?: string[];
    processInstanceKeys?: string[];
    processDefinitionIds?: string[];
    processDefinitionKeys?: string[];
    elementIds?: string[];
    jobKeys?: string[];
    states?: Array<IncidentView['state']>;
    errorTypes?: IncidentErrorType[];
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'processInstanceKey' | 'processDefinitionKey' | 'bpmnProcessId' | 'errorType' | 'elementId' | 'createdAt' | 'state' | 'jobKey'; order: SortOrder }>;
}

/** What serves the engine, as Zeebe's Topology call describes a cluster. */
export interface EngineTopology {
  brokers: Array<{
    nodeId: number;
    host: string;
    port: number;
    version: string;
    partitions: Array<{ partitionId: number; role: 'leader' | 'follower' | 'inactive'; health: 'healthy' | 'unhealthy' | 'dead' }>;
  }>;
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

export interface UserTaskView {
  key: string;
  processInstanceKey: string;
  /** Where the engine knows it (the embedded engine does). */
  processDefinitionKey?: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  elementId: string;
  elementInstanceKey: string;
  name?: string;
  assignee?: string;
  candidateGroups: string[];
  candidateUsers: string[];
  formKey?: string;
  dueDate?: Date;
  followUpDate?: Date;
  priority: number;
  state: 'CREATED' | 'COMPLETED' | 'CANCELED';
  createdAt: Date;
  completedAt?: Date;
  /** The person who completed it, when one did. */
  completedBy?: string;
}

/** What a user task update changes (Camunda's changeset): an absent field keeps its value; a null date clears it; an empty list clears the candidates. */
/** One row of countIncidents: a process's element and error type, its incidents open and resolved. */
export interface IncidentCount {
  bpmnProcessId: string;
  elementId: string;
  errorType: string;
  /** The newest process definition the incidents were raised in (for the element's name). */
  processDefinitionKey: string;
  open: number;
  resolved: number;
}

export interface UserTaskChanges {
  dueDate?: Date | null;
  followUpDate?: Date | null;
  candidateUsers?: string[];
  candidateGroups?: string[];
  /** 0 to 100. */
  priority?: number;
}

/** Camunda's element instance states. */
export type ElementInstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

/**
 * One run of one element of a process instance (Camunda's element instance), the process
 * instance itself excepted (as Operate lists them). `type` is Camunda's element type name
 * (SERVICE_TASK, SUB_PROCESS, MULTI_INSTANCE_BODY, …).
 */
export interface ElementInstanceView {
  key: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  elementId: string;
  /** The element's name in the diagram; its id when it has none (as Camunda answers it). */
  elementName: string;
  type: string;
  state: ElementInstanceState;
  /** Its flow scope: the element instance that contains it, or the process instance. */
  flowScopeKey?: string;
  /** Its active incident, if any. */
  incidentKey?: string;
  startDate: Date;
  endDate?: Date;
}

export interface ElementInstanceQuery {
  filter?: {
    elementInstanceKeys?: string[];
    processInstanceKeys?: string[];
    processDefinitionKeys?: string[];
    processDefinitionIds?: string[];
    elementIds?: string[];
    types?: string[];
    states?: ElementInstanceState[];
    incidentKeys?: string[];
    hasIncident?: boolean;
    /** Immediate children of these element (or process) instances. */
    flowScopeKeys?: string[];
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'processInstanceKey' | 'processDefinitionKey' | 'bpmnProcessId' | 'startDate' | 'endDate' | 'elementId' | 'type' | 'state' | 'incidentKey'; order: SortOrder }>;
}

/** Camunda truncates a variable's value in searches beyond this many characters of its JSON (its default variableSizeThreshold). */
export const VARIABLE_VALUE_LIMIT = 8191;

/** A variable of one scope (a process instance's root scope, or an element instance's local scope). */
export interface VariableView {
  /** Stable numeric key (see the engine for how it is given). */
  key: string;
  name: string;
  /** The value, as compact JSON (as Camunda answers it). */
  value: string;
  scopeKey: string;
  processInstanceKey: string;
}

export interface VariableQuery {
  filter?: {
    variableKeys?: string[];
    names?: string[];
    /** Values as JSON text: a variable matches when its value equals one of them as JSON. */
    values?: string[];
    processInstanceKeys?: string[];
    scopeKeys?: string[];
    /** Whether the value is longer than VARIABLE_VALUE_LIMIT characters of JSON. */
    isTruncated?: boolean;
  };
  page: SearchPage;
  sort?: Array<{ field: 'key' | 'name' | 'value' | 'scopeKey' | 'processInstanceKey'; order: SortOrder }>;
}

/** One transition of an instance, in order (the engine's append-only event log). */
export interface EngineEvent {
  position: string;
  processInstanceKey: string;
  elementId?: string;
  elementType?: string;
  elementInstanceKey?: string;
  /** ELEMENT_ACTIVATED, ELEMENT_COMPLETED, SEQUENCE_FLOW_TAKEN, JOB_CREATED, TIMER_TRIGGERED, INCIDENT_CREATED, … */
  intent: string;
  payload?: Record<string, unknown>;
  /** The person who caused it, when one did. */
  actor?: string;
  at: Date;
}

export interface WorkflowEngine {
  /** What serves the engine (one node for the embedded engine; the cluster on Zeebe). */
  topology(): Promise<EngineTopology>;

  deploy(command: DeployCommand): Promise<DeployResult>;
  /** Several BPMN resources, all or nothing (see DeployResourcesCommand). */
  deployResources(command: DeployResourcesCommand): Promise<DeployResult>;
  listProcessDefinitions(): Promise<ProcessDefinitionSummary[]>;
  /** One deployed version by its key; NotFoundError when there is none. */
  getProcessDefinition(key: string): Promise<ProcessDefinitionView>;
  getProcessDefinitionXml(key: string): Promise<string>;
  searchProcessDefinitions(query: ProcessDefinitionQuery): Promise<SearchResult<ProcessDefinitionView>>;

  searchDecisionDefinitions(query: DecisionDefinitionQuery): Promise<SearchResult<DecisionDefinitionView>>;
  searchDecisionRequirements(query: DecisionRequirementsQuery): Promise<SearchResult<DecisionRequirementsView>>;
  /** The DMN file of a decision requirements graph; NotFoundError when there is none. */
  getDecisionRequirementsXml(key: string): Promise<string>;
  /** NotFoundError when no (undeleted) decision has the key or id. */
  evaluateDecision(command: EvaluateDecisionCommand): Promise<DecisionEvaluation>;
  /**
   * Deletes a deployed process definition, decision requirements graph (with its decisions) or
   * form by its key (Zeebe's DeleteResource): nothing new starts on it and the previous version
   * becomes the latest. A process definition with running instances is refused (ConflictError).
   */
  deleteResource(key: string, actor?: Actor): Promise<void>;

  createInstance(command: CreateInstanceCommand): Promise<{ processInstanceKey: string; processDefinitionKey: string; version: number }>;
  getInstance(key: string): Promise<ProcessInstanceView>;
  searchProcessInstances(query: ProcessInstanceQuery): Promise<SearchResult<ProcessInstanceSummary>>;
  /**
   * Keys of a process's instances, oldest first, whose process-scope variable `name` holds the
   * string `value`: how a caller finds the instance it started just before a crash, instead of
   * starting a second one.
   */
  findInstances(bpmnProcessId: string, variable: { name: string; value: string }): Promise<string[]>;
  cancelInstance(key: string, actor?: Actor): Promise<void>;
  /**
   * Zeebe's SetVariables: `scopeKey` is the process instance's key or an active element instance's.
   * With `local`, the variables are set in that scope; without, each one is set in the nearest scope
   * from there up that has it, else in the root scope
   * (docs.camunda.io/docs/components/concepts/variables/#variable-propagation). Answers the
   * command's key (SetVariablesResponse.key). NotFoundError when no active element instance has the key.
   */
  setVariables(scopeKey: string, variables: Variables, actor?: Actor, options?: { local?: boolean }): Promise<{ key: string }>;

  /** Element instances (Camunda's POST /v2/element-instances/search). */
  searchElementInstances(query: ElementInstanceQuery): Promise<SearchResult<ElementInstanceView>>;
  /** Variables of every scope (Camunda's POST /v2/variables/search). */
  searchVariables(query: VariableQuery): Promise<SearchResult<VariableView>>;

  publishMessage(command: PublishMessageCommand): Promise<PublishedMessage>;
  /**
   * Broadcasts a signal (Camunda 8 "Signals"): it triggers every signal subscription with its name
   * open at that moment (catch, boundary and event subprocess start events) and starts an instance
   * of each process whose latest version has a signal start event of that name. Not buffered.
   */
  broadcastSignal(command: BroadcastSignalCommand): Promise<BroadcastedSignal>;

  createWorker<V extends Variables>(options: JobWorkerOptions<V>): JobWorker;
  /** For workers outside this process (see ActivateJobsCommand); in-process workers use createWorker. */
  activateJobs(command: ActivateJobsCommand, signal?: AbortSignal): Promise<ActivatedJob[]>;
  /** For workers outside this process; in-process workers return outcomes instead. */
  completeJob(jobKey: string, variables?: Variables, result?: AdHocJobResult): Promise<void>;
  failJob(jobKey: string, retries: number, errorMessage: string, retryBackOffMs?: number): Promise<void>;
  throwJobError(jobKey: string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  /** An activated job's deadline becomes now + `timeoutMs` (Zeebe's UpdateJobTimeout); ConflictError when the job is not activated. */
  updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void>;

  getUserTask(key: string): Promise<UserTaskView>;
  /** An instance's user tasks, oldest first (the staff task list searches across instances). */
  listUserTasks(processInstanceKey: string, state?: UserTaskView['state']): Promise<UserTaskView[]>;
  searchUserTasks(query: UserTaskQuery): Promise<SearchResult<UserTaskView>>;
  /** `action` names the completion in the task's event (Camunda's user task `action`; "complete" when omitted). */
  completeUserTask(key: string, variables?: Variables, actor?: Actor, action?: string): Promise<void>;
  /**
   * Assigns (or with null unassigns) an open task. With `allowOverride: false` a task assigned to
   * someone else is refused (ConflictError), as Zeebe refuses it.
   */
  assignUserTask(key: string, assignee: string | null, actor?: Actor, options?: { allowOverride?: boolean; action?: string }): Promise<void>;
  /** Changes an open task's dates, candidates or priority (see UserTaskChanges); Zeebe's user task update. `action` names it in the task's event ("update" when omitted). */
  updateUserTask(key: string, changes: UserTaskChanges, actor?: Actor, action?: string): Promise<void>;

  getInstanceEvents(processInstanceKey: string): Promise<EngineEvent[]>;
  /**
   * Events of every instance after a position, oldest first: the feed that projections (case
   * progress, the audit log) follow. Positions grow, but a concurrent writer may commit a lower
   * one after a higher one was read, so followers re-read a little behind their cursor.
   */
  listEvents(afterPosition: string, limit: number): Promise<EngineEvent[]>;

  listIncidents(filter?: { state?: 'ACTIVE' | 'RESOLVED'; processInstanceKey?: string }): Promise<IncidentView[]>;
  /**
   * Incidents raised in [from, to), counted by process, element and error type: open (ACTIVE) and
   * resolved. The managers' incident report reads these, whichever engine runs.
   */
  countIncidents(range: { from: Date; to: Date }): Promise<IncidentCount[]>;
  searchIncidents(query: IncidentQuery): Promise<SearchResult<IncidentView>>;
  resolveIncident(key: string, actor?: Actor): Promise<void>;
}

/** Nest injection token for the WorkflowEngine. */
export const WORKFLOW_ENGINE = Symbol('WORKFLOW_ENGINE');

/** The Camunda release whose APIs the embedded engine answers as (topology's gateway version). */
export const CAMUNDA_API_VERSION = '8.8.0';
