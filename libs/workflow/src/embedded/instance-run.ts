import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import type { CompiledProcess } from '../model/compile';
import { type ElementModel, conditionKey } from '../model/process-model';
import type { AdHocJobResult, IncidentErrorType, JobKind, Variables } from '../port/workflow-engine';
import type { Clock } from './clock';
import { Feel, FeelError, isExpression } from './feel';

import { MAX_COLLECTION_ITEMS, MAX_ELEMENTS_PER_COMMAND } from '../core/bounds';
import { parseList } from '../core/variables';

export { MAX_COLLECTION_ITEMS, MAX_ELEMENTS_PER_COMMAND };

/** Open waits of an instance already stored, keyed by element instance key (the engine's execution id). */
export interface OpenWaits {
  jobs: Set<string>;
  timers: Set<string>;
  subscriptions: Set<string>;
  userTasks: Set<string>;
  /** Open signal subscriptions (own core only). */
  signalSubscriptions: Set<string>;
}

/** What moves an instance: exactly one per run. */
export type Command =
  | { kind: 'start'; startElementId?: string }
  | { kind: 'completeJob'; elementInstanceKey: string; variables: Variables; local?: Variables; result?: AdHocJobResult }
  | { kind: 'throwError'; elementInstanceKey: string; errorCode: string; errorMessage?: string; variables: Variables }
  | { kind: 'completeUserTask'; elementId: string; elementInstanceKey: string; variables: Variables; local?: Variables }
  | { kind: 'fireTimer'; elementInstanceKey: string }
  | { kind: 'correlateMessage'; elementId: string; elementInstanceKey: string; variables: Variables }
  /** A broadcast signal reached an open signal subscription (own core only). */
  | { kind: 'correlateSignal'; elementInstanceKey: string; signalName: string; signalKey: string; variables: Variables }
  /** The process instance a call activity created has completed, with these root variables (own core only). */
  | { kind: 'completeCall'; elementInstanceKey: string; variables: Variables }
  /** An error the called instance did not catch, thrown again at its call activity (own core only). */
  | { kind: 'throwCallError'; elementInstanceKey: string; errorCode: string; errorMessage?: string; variables: Variables };

/** A completion or message handed to a waiting element. */
export interface Delivery {
  elementId: string;
  elementInstanceKey: string;
  variables: Variables;
  local?: Variables;
}

export interface NewJob {
  elementId: string;
  elementInstanceKey: string;
  type: string;
  retries: number;
  headers: Record<string, string>;
  localVariables: Variables;
  key?: string;
  /** Absent: BPMN_ELEMENT. */
  kind?: JobKind;
}

export interface NewTimer {
  elementId: string;
  /** The timer event's execution id: the timer closes when that execution ends. */
  elementInstanceKey: string;
  dueAt: Date;
  key?: string;
}

export interface NewSubscription {
  elementId: string;
  elementInstanceKey: string;
  messageName: string;
  correlationKey: string;
  key?: string;
  /** Set once the buffer was searched for a message for it. */
  bufferChecked?: boolean;
}

/** A signal subscription a run opened: a catch event, a boundary event or an event subprocess's start event waiting for a broadcast. */
export interface NewSignalSubscription {
  elementId: string;
  elementInstanceKey: string;
  signalName: string;
  key?: string;
}

/** A signal a throw or end event broadcast: the run delivered it to its own instance; the store delivers it to the others. */
export interface ThrownSignal {
  key: string;
  signalName: string;
  variables: Variables;
}

export interface NewUserTask {
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
  localVariables: Variables;
  key?: string;
}

/** One engine event, in order; `ref` is filled with a key once the row it names is stored. */
export interface RunEvent {
  intent: string;
  elementId?: string;
  elementType?: string;
  elementInstanceKey?: string;
  payload?: Record<string, unknown>;
  ref?: { key?: string };
}

export interface RunResult {
  state: 'ACTIVE' | 'COMPLETED';
  engineState: unknown;
  variables: Variables;
  jobs: NewJob[];
  timers: NewTimer[];
  subscriptions: NewSubscription[];
  userTasks: NewUserTask[];
  /** Element instance keys (executions) that ended: their open jobs, timers, subscriptions and tasks close. */
  ended: Set<string>;
  /** Element instance keys, still live, whose open job is cancelled (an ad-hoc subprocess's job, replaced by a new one; own core only). */
  canceledJobs?: Set<string>;
  /** Timers (by element instance key) that fired in this run: whether fired on command or found due on resume. */
  timersFired: Set<string>;
  events: RunEvent[];
  /** Process instances call activities create (own core only): stored with the step, started after it. */
  calls?: NewCall[];
  /** Process instances of call activities that were terminated (own core only): cancelled after the step. */
  cancelCalls?: string[];
  /** Signal subscriptions opened (own core only). */
  signalSubscriptions?: NewSignalSubscription[];
  /** Signals thrown (own core only): broadcast to other instances and signal start events after the step. */
  signals?: ThrownSignal[];
}

/** A process instance a call activity creates: its key is drawn by the run, its version chosen by the binding. */
export interface NewCall {
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  variables: Variables;
  /** Which version is called (zeebe:calledElement bindingType): `latest`, `deployment` or `versionTag`. */
  bindingType: string;
  /** The version tag for `bindingType="versionTag"`. */
  versionTag?: string;
}

/** The run could not finish its command: an incident on `elementId`; nothing of the run is kept. */
export class RunIncident extends Error {
  /** An uncaught BPMN error (own core): a called instance passes it up to its call activity before it becomes an incident. */
  thrown?: { errorCode: string; errorMessage?: string; variables: Variables };

  constructor(
    readonly errorType: IncidentErrorType,
    message: string,
    readonly elementId: string,
    readonly elementInstanceKey?: string,
  ) {
    super(message);
    this.name = 'RunIncident';
  }
}

/** A hook the caller runs after each settle: e.g. correlate a buffered message to a new subscription. */
export type AfterSettle = (run: { newSubscriptions(): NewSubscription[] }) => Promise<Delivery[]>;

interface PostponedApi {
  id: string;
  executionId: string;
  type: string;
  signal(message?: unknown): void;
  discard(): void;
  getPostponed?: () => PostponedApi[];
}

const SETTLE_TICKS = 3;
/** Where bpmn-elements puts a multi-instance iteration's item in the iteration's message. */
const ITEM = '__mustafidItem';

/** What a multi-instance iteration's message says about itself. */
interface IterationContent {
  isMultiInstance?: boolean;
  index?: number;
  loopCardinality?: number;
  [ITEM]?: unknown;
}
const MAX_SETTLE_ROUNDS = 10_000;

/**
 * bpmn-engine's default Logger makes three `debug` loggers per element per engine: about 9 %
 * of a step's CPU (docs/performance.md), for output nobody reads (failures reach us as events).
 */
const silent = () => undefined;
const SILENT_LOGGER = { debug: silent, error: silent, warn: silent };
const NoLogger = () => SILENT_LOGGER;

/**
 * One run of one instance: recover its slim state into a fresh bpmn-engine built from the
 * version's compiled context, apply one command, let it settle at its next wait states,
 * and report what it produced. The engine object is dropped afterwards (persist and drop).
 */
export class InstanceRun {
  readonly variables: Variables;
  private readonly feel: Feel;
  private readonly result: Omit<RunResult, 'state' | 'engineState' | 'variables'> = {
    jobs: [],
    timers: [],
    subscriptions: [],
    userTasks: [],
    ended: new Set(),
    timersFired: new Set(),
    events: [],
  };
  private failure?: RunIncident;
  private lastFeelError?: FeelError;
  /** The engine reached its end (set by the live engine's `end`). */
  completed = false;
  private pendingSignals: Delivery[] = [];
  private firing?: string;
  private discardedStarts: string[] = [];
  private activity = 0;
  /** Elements activated by this command (MAX_ELEMENTS_PER_COMMAND), and the last of them. */
  private activations = 0;
  private lastActivated?: string;
  /** Whether the command reached its element (a job, task, timer or message it names). */
  private commandApplied = false;

  /** The engine object this run drives: a warm one from the cache, or a new one to recover into. */
  readonly live: LiveEngine;

  constructor(
    private readonly compiled: CompiledProcess,
    private readonly engineState: unknown | undefined,
    variables: Variables,
    private readonly open: OpenWaits,
    private readonly command: Command,
    private readonly clock: Clock,
    live?: LiveEngine,
  ) {
    this.variables = { ...variables };
    this.feel = new Feel(clock);
    if (command.kind === 'fireTimer') this.firing = command.elementInstanceKey;
    this.live = live ?? new LiveEngine(compiled, clock);
  }

  /** Subscriptions this run opened so far. */
  newSubscriptions(): NewSubscription[] {
    return this.result.subscriptions;
  }

  private element(id: string): ElementModel | undefined {
    return this.compiled.model.elements.get(id);
  }

  async execute(afterSettle?: AfterSettle): Promise<RunResult> {
    const live = this.live;
    if (live.run) throw new Error('A live engine runs one step at a time');
    live.run = this;
    live.steps++;
    try {
      return await this.executeAttached(live, afterSettle);
    } catch (e) {
      // bpmn-elements walks a loop that never waits by recursion: the stack runs out before the
      // element count does. The live engine is discarded with the incident (it is not put back).
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        const at = this.lastActivated ?? this.compiled.model.bpmnProcessId;
        throw new RunIncident('UNKNOWN', `One step went round a loop that never waits until the engine's stack ran out (the last element: ${at})`, at);
      }
      throw e;
    } finally {
      live.run = undefined;
    }
  }

  private async executeAttached(live: LiveEngine, afterSettle?: AfterSettle): Promise<RunResult> {
    const engine = live.engine;
    if (!live.started) {
      live.started = true;
      if (this.engineState) {
        engine.recover(this.engineState as never);
        await engine.resume({ listener: live.listener });
      } else {
        await engine.execute({ listener: live.listener, variables: {} });
      }
    } else {
      // A warm engine waits where the stored state does; a recover's resume would re-announce
      // every wait (all already stored, so ignored) and hand the command's job or timer the
      // callback it applies. Here that callback was kept from when the wait began.
      this.applyToWarmEngine(live);
    }
    await this.settle();

    if (this.command.kind === 'start') await this.beginAtOneStartEvent(engine, this.command.startElementId);
    if (this.command.kind === 'completeUserTask' || this.command.kind === 'correlateMessage') {
      const local = this.command.kind === 'completeUserTask' ? this.command.local : undefined;
      const { elementId, elementInstanceKey, variables } = this.command;
      this.pendingSignals.push({ elementId, elementInstanceKey, variables, local });
    }
    for (let round = 0; this.pendingSignals.length > 0 || afterSettle; round++) {
      if (round > MAX_SETTLE_ROUNDS) throw new RunIncident('UNKNOWN', 'The instance did not settle', this.compiled.model.bpmnProcessId);
      const signals = this.pendingSignals.splice(0);
      for (const signal of signals) this.deliver(engine, signal);
      await this.settle();
      if (this.failure) throw this.failure;
      const more = afterSettle && !this.completed ? await afterSettle(this) : [];
      if (more.length === 0 && this.pendingSignals.length === 0) break;
      this.pendingSignals.push(...more);
    }
    if (this.failure) throw this.failure;
    const held = this.completed ? undefined : waitsHeldBy(engine);
    if (this.command.kind !== 'start' && !this.commandApplied) {
      // A timer an earlier release left open after its subprocess ended (see endWaitsNoLongerHeld) fires into nothing.
      if (!(this.command.kind === 'fireTimer' && held && !isHeld(held, this.command.elementInstanceKey))) {
        throw new RunIncident(
          'UNKNOWN',
          `The instance is not waiting at ${this.command.elementInstanceKey} any more`,
          this.compiled.model.bpmnProcessId,
          this.command.elementInstanceKey,
        );
      }
      this.result.ended.add(this.command.elementInstanceKey);
    }
    if (held) this.endWaitsNoLongerHeld(held);
    const engineState = this.completed ? null : await engine.getState();
    live.forgetEnded(this.result.ended);
    return {
      state: this.completed ? 'COMPLETED' : 'ACTIVE',
      engineState,
      variables: this.variables,
      ...this.result,
    };
  }


  /**
   * An instance begins at one start event: bpmn-elements opens every typed start event, so
   * those not chosen are discarded (they would otherwise wait for a second message or timer),
   * and a chosen message start event is given its message.
   */
  private async beginAtOneStartEvent(engine: Engine, startElementId: string | undefined): Promise<void> {
    const discarded = this.discardedStarts.splice(0);
    for (const id of discarded) this.findPostponed(engine, (api) => api.id === id)?.discard();
    const chosen = startElementId ? this.element(startElementId) : undefined;
    if (chosen?.eventDefinition === 'message') {
      const start = this.findPostponed(engine, (api) => api.id === chosen.id);
      if (!start) throw new RunIncident('UNKNOWN', 'The message start event is not waiting', this.compiled.model.bpmnProcessId);
      start.signal({});
    }
    if (discarded.length > 0 || chosen?.eventDefinition === 'message') {
      this.activity++;
      await this.settle();
    }
  }

  /** Waits until the engine has done all it can without outside input. */
  private async settle(): Promise<void> {
    let quiet = 0;
    let seen = this.activity;
    while (quiet < SETTLE_TICKS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.activity === seen) quiet++;
      else {
        seen = this.activity;
        quiet = 0;
      }
    }
  }

  private fail(err: unknown, elementId?: string, elementInstanceKey?: string): void {
    if (this.failure) return;
    const feelError = err instanceof FeelError ? err : this.lastFeelError;
    const id = feelError?.elementId ?? elementId ?? this.compiled.model.bpmnProcessId;
    const type = this.element(id)?.type ?? '';
    let errorType: IncidentErrorType = feelError?.errorType ?? 'UNKNOWN';
    const message = feelError?.message ?? (err instanceof Error ? err.message : String(err));
    if (!feelError && type.endsWith('Gateway')) errorType = 'CONDITION_ERROR';
    const code = (err as { code?: unknown } | undefined)?.code;
    if (!feelError && code !== undefined && code !== null) errorType = 'UNHANDLED_ERROR_EVENT';
    if (!feelError && /error/i.test(type) && type === 'bpmn:EndEvent') errorType = 'UNHANDLED_ERROR_EVENT';
    this.failure = new RunIncident(errorType, message, id, elementInstanceKey);
  }

  private record(event: RunEvent): void {
    this.result.events.push(event);
  }

  /** An event of the engine, forwarded by the live engine while this run drives it. */
  onEngineEvent(name: string, a: PostponedApi & { content?: Record<string, unknown> }): void {
    const ref = { elementId: a.id, elementType: a.type, elementInstanceKey: a.executionId };
    switch (name) {
      case 'activity.start':
        this.activity++;
        this.lastActivated = a.id;
        if (++this.activations > MAX_ELEMENTS_PER_COMMAND) {
          if (!this.failure) {
            this.fail(new Error(`One step activated more than ${MAX_ELEMENTS_PER_COMMAND} elements (the last: ${a.id}); a loop in the diagram never waits`), a.id);
            this.live.engine.stop();
          }
          return;
        }
        this.record({ intent: 'ELEMENT_ACTIVATED', ...ref });
        this.onScopeMappings(a, 'inputs');
        return;
      case 'activity.end':
        this.activity++;
        this.onScopeMappings(a, 'outputs');
        this.result.ended.add(a.executionId);
        this.record({ intent: 'ELEMENT_COMPLETED', ...ref });
        return;
      case 'activity.discard':
        this.activity++;
        this.result.ended.add(a.executionId);
        this.record({ intent: 'ELEMENT_TERMINATED', ...ref });
        return;
      case 'activity.leave':
        this.activity++;
        this.result.ended.add(a.executionId);
        return;
      case 'activity.timeout': {
        // A timer fires here whether the scheduler fired it or it was found already due on
        // resume (bpmn-elements then completes it without arming it again).
        this.activity++;
        const parent = (a.content as { parent?: { executionId?: string } } | undefined)?.parent;
        const key = parent?.executionId ?? a.executionId;
        this.live.timers.delete(key);
        if (this.result.timersFired.has(key)) return;
        this.result.timersFired.add(key);
        if (this.command.kind === 'fireTimer' && this.command.elementInstanceKey === key) this.commandApplied = true;
        this.record({ intent: 'TIMER_TRIGGERED', elementId: a.id, elementInstanceKey: key });
        return;
      }
      case 'flow.take':
        this.activity++;
        this.record({ intent: 'SEQUENCE_FLOW_TAKEN', elementId: a.id, elementType: 'bpmn:SequenceFlow' });
        return;
      case 'activity.wait':
        this.activity++;
        try {
          this.onWait(a);
        } catch (e) {
          this.fail(e, a.id, a.executionId);
        }
        return;
      default:
        // activity.enter, activity.timer, activity.catch, flow.discard, and activity.error: an
        // activity error may still be caught by a boundary event; only the engine's own
        // 'error' (nothing caught it) fails the run.
        this.activity++;
    }
  }

  /** The engine's own error: nothing caught it. */
  onEngineError(err: Error & { source?: { content?: { id?: string; executionId?: string } } }): void {
    this.fail(err, err.source?.content?.id, err.source?.content?.executionId);
  }

  /** Applies the command's job completion, error or timer to a warm engine (see `LiveEngine.usableFor`). */
  private applyToWarmEngine(live: LiveEngine): void {
    const command = this.command;
    if (command.kind === 'completeJob' || command.kind === 'throwError') {
      const job = live.jobs.get(command.elementInstanceKey);
      if (job) this.onJob(job.elementId, command.elementInstanceKey, job.callback, job.content);
    } else if (command.kind === 'fireTimer') {
      const timer = live.timers.get(command.elementInstanceKey);
      if (timer) {
        this.firing = undefined;
        this.activity++;
        queueMicrotask(() => timer.callback(...timer.args));
      }
    }
  }

  /** A typed start event other than the one this instance starts at. */
  private isOtherStart(model: ElementModel): boolean {
    if (!model.isStart || !model.eventDefinition) return false;
    return !(this.command.kind === 'start' && this.command.startElementId === model.id);
  }

  private onWait(a: PostponedApi & { content?: Record<string, unknown> }): void {
    const model = this.element(a.id);
    if (!model) return;
    if (model.isStart && model.eventDefinition) {
      if (this.isOtherStart(model)) this.discardedStarts.push(model.id);
      return;
    }
    if (model.type === 'bpmn:UserTask') return this.onUserTaskWait(model, a.executionId, (a.content ?? {}) as IterationContent);
    if (model.type === 'bpmn:ManualTask') {
      this.pendingSignals.push({ elementId: a.id, elementInstanceKey: a.executionId, variables: {} });
      return;
    }
    if (a.type === 'bpmn:MessageEventDefinition' || model.type === 'bpmn:ReceiveTask') {
      return this.onMessageWait(model, a.executionId);
    }
  }

  /**
   * `zeebe:ioMapping` on an embedded subprocess: inputs are evaluated as it starts (what its
   * elements, timers and jobs then see, e.g. a period set in the diagram), outputs as it ends.
   * The engine keeps one variable scope per instance, so a subprocess's inputs stay visible
   * after it ends; diagrams that must also run on Zeebe map out what later steps read.
   */
  private onScopeMappings(a: { id: string; executionId: string }, which: 'inputs' | 'outputs'): void {
    const model = this.element(a.id);
    if (model?.type !== 'bpmn:SubProcess' || model[which].length === 0) return;
    try {
      if (which === 'inputs') Object.assign(this.variables, this.inputs(model));
      else this.applyOutputs(model, {}, {});
      this.record({ intent: 'VARIABLE_SET', elementId: model.id, payload: { names: model[which].map((m) => m.target) } });
    } catch (e) {
      this.fail(e, a.id, a.executionId);
    }
  }

  /** The element instance the command completes: its re-announced wait is not a new one. */
  private isCommandTarget(executionId: string): boolean {
    return 'elementInstanceKey' in this.command && this.command.elementInstanceKey === executionId;
  }

  private onUserTaskWait(model: ElementModel, executionId: string, content: IterationContent): void {
    if (this.isCommandTarget(executionId)) return;
    if (this.open.userTasks.has(executionId) || this.result.userTasks.some((t) => t.elementInstanceKey === executionId)) return;
    const config = model.userTask ?? {};
    const local = this.inputs(model, this.iterationLocals(model, content));
    const scope = { ...this.variables, ...local };
    const value = (expr: string | undefined) =>
      expr === undefined ? undefined : this.feel.evaluate(expr, scope, 'EXTRACT_VALUE_ERROR', model.id);
    const date = (expr: string | undefined, what: string) => {
      const v = value(expr);
      if (v === undefined || v === null || v === '') return undefined;
      const d = new Date(String(v));
      if (Number.isNaN(d.getTime())) {
        throw new FeelError('EXTRACT_VALUE_ERROR', `The ${what} of ${model.id} is not a date: ${JSON.stringify(v)}`, model.id);
      }
      return d;
    };
    const assignee = value(config.assignee);
    const priority = Number(value(config.priority) ?? 50);
    const task: NewUserTask = {
      elementId: model.id,
      elementInstanceKey: executionId,
      name: model.name,
      assignee: assignee === undefined || assignee === null || assignee === '' ? undefined : String(assignee),
      candidateGroups: parseList(value(config.candidateGroups)),
      candidateUsers: parseList(value(config.candidateUsers)),
      formKey: config.formId ?? config.formKey,
      dueDate: date(config.dueDate, 'due date'),
      followUpDate: date(config.followUpDate, 'follow-up date'),
      priority: Number.isFinite(priority) ? Math.max(0, Math.min(100, Math.round(priority))) : 50,
      localVariables: local,
    };
    this.result.userTasks.push(task);
    this.record({ intent: 'USER_TASK_CREATED', elementId: model.id, elementType: model.type, elementInstanceKey: executionId, ref: task });
  }

  private onMessageWait(model: ElementModel, executionId: string): void {
    if (this.isCommandTarget(executionId)) return;
    if (this.open.subscriptions.has(executionId) || this.result.subscriptions.some((s) => s.elementInstanceKey === executionId)) return;
    if (!model.messageName) {
      throw new FeelError('EXTRACT_VALUE_ERROR', `${model.id} waits for a message that has no name`, model.id);
    }
    const name = this.feel.text(model.messageName, this.variables, model.id, 'message name');
    const key = model.correlationKey === undefined ? '' : this.feel.evaluate(model.correlationKey, this.variables, 'EXTRACT_VALUE_ERROR', model.id);
    if (typeof key !== 'string' && typeof key !== 'number') {
      throw new FeelError(
        'EXTRACT_VALUE_ERROR',
        `The correlation key of ${model.id} must be a string or a number, but it was ${JSON.stringify(key)}`,
        model.id,
      );
    }
    const subscription: NewSubscription = {
      elementId: model.id,
      elementInstanceKey: executionId,
      messageName: String(name),
      correlationKey: String(key),
    };
    this.result.subscriptions.push(subscription);
    this.record({
      intent: 'MESSAGE_SUBSCRIPTION_CREATED',
      elementId: model.id,
      elementType: model.type,
      elementInstanceKey: executionId,
      payload: { messageName: subscription.messageName, correlationKey: subscription.correlationKey },
      ref: subscription,
    });
  }

  /**
   * A multi-instance iteration's local variables: `inputElement` (the item) and `loopCounter`
   * (1-based). The first iteration also (re)creates `outputCollection` with one slot per item.
   */
  private iterationLocals(model: ElementModel, content: IterationContent): Variables {
    if (!model.loop || !content.isMultiInstance || content.index === undefined) return {};
    const local: Variables = { loopCounter: content.index + 1 };
    if (model.loop.inputElement) local[model.loop.inputElement] = content[ITEM] ?? null;
    if (model.loop.outputCollection && content.index === 0) {
      this.variables[model.loop.outputCollection] = new Array(content.loopCardinality ?? 0).fill(null);
    }
    return local;
  }

  /** Local variables from `zeebe:ioMapping` inputs, evaluated against the instance's variables. */
  private inputs(model: ElementModel, extra: Variables = {}): Variables {
    const local: Variables = { ...extra };
    for (const input of model.inputs) {
      local[input.target] = this.feel.evaluate(input.source, { ...this.variables, ...local }, 'IO_MAPPING_ERROR', model.id);
    }
    return local;
  }

  /** Merges a completion's variables: through `zeebe:ioMapping` outputs when the element has them, else as they are. */
  private applyOutputs(model: ElementModel | undefined, local: Variables, variables: Variables): void {
    const loop = model?.loop;
    if (loop?.outputCollection && loop.outputElement && typeof local.loopCounter === 'number') {
      const value = this.feel.evaluate(loop.outputElement, { ...this.variables, ...local, ...variables }, 'IO_MAPPING_ERROR', model?.id);
      const list = Array.isArray(this.variables[loop.outputCollection]) ? [...(this.variables[loop.outputCollection] as unknown[])] : [];
      list[local.loopCounter - 1] = value;
      this.variables[loop.outputCollection] = Array.from(list, (x) => (x === undefined ? null : x));
    }
    if (!model || model.outputs.length === 0) {
      // The iteration's own inputs stay local to it.
      const { [loop?.inputElement ?? '']: _item, ...rest } = variables;
      Object.assign(this.variables, loop?.inputElement ? rest : variables);
    } else {
      const scope = { ...this.variables, ...local, ...variables };
      for (const output of model.outputs) {
        this.variables[output.target] = this.feel.evaluate(output.source, scope, 'IO_MAPPING_ERROR', model.id);
      }
    }
    if (Object.keys(variables).length > 0) {
      this.record({ intent: 'VARIABLE_SET', elementId: model?.id, payload: { names: Object.keys(variables) } });
    }
  }

  /** Delivers a user-task completion or a message to the waiting element. */
  private deliver(engine: Engine, signal: Delivery): void {
    // A top-level wait answers its own api; a multi-instance iteration (`<body>_<index>`) is
    // reached through the execution's signal routing by execution id.
    const target = this.findPostponed(engine, (api) => api.executionId === signal.elementInstanceKey);
    const model = this.element(signal.elementId);
    if (!model) return;
    if (signal.elementInstanceKey === (this.command as { elementInstanceKey?: string }).elementInstanceKey) {
      this.commandApplied = true;
    }
    try {
      this.applyOutputs(model, signal.local ?? {}, signal.variables);
    } catch (e) {
      this.fail(e, model.id, signal.elementInstanceKey);
      return;
    }
    if (model.messageName) {
      this.record({ intent: 'MESSAGE_CORRELATED', elementId: model.id, elementType: model.type, elementInstanceKey: signal.elementInstanceKey });
    }
    this.activity++;
    if (target) target.signal({});
    else engine.execution.signal({ id: model.id, executionId: signal.elementInstanceKey });
  }

  /**
   * When a boundary event ends a subprocess that this engine recovered from stored state,
   * bpmn-engine announces the subprocess's end but not its elements' (a fresh run announces
   * both): their tasks, timers, messages and jobs would stay open, and such a timer would later
   * fire into an incident. Camunda: "When an interrupting boundary event is triggered, the entire
   * subprocess (including all active elements) is terminated." So after every run, an open wait
   * the engine no longer holds ends; this also closes what releases before this check left open.
   */
  private endWaitsNoLongerHeld(held: Set<string>): void {
    const { jobs, timers, subscriptions, userTasks } = this.open;
    for (const key of [...jobs, ...timers, ...subscriptions, ...userTasks]) if (!isHeld(held, key)) this.result.ended.add(key);
  }

  /** The waiting element with this execution id (or whose event definition has it), also inside subprocesses. */
  private findPostponed(engine: Engine, match: (api: PostponedApi) => boolean): PostponedApi | undefined {
    const visited = new Set<string>();
    const search = (list: PostponedApi[]): PostponedApi | undefined => {
      for (const api of list) {
        if (visited.has(api.executionId)) continue;
        visited.add(api.executionId);
        if (match(api)) return api;
        const nested = api.getPostponed ? search(api.getPostponed()) : undefined;
        if (nested) return nested;
      }
      return undefined;
    };
    return search(engine.execution.getPostponed() as unknown as PostponedApi[]);
  }


  /** bpmn-elements' expression hook: FEEL for conditions, multi-instance collections and any other `=…`. */
  resolveExpression(expression: unknown, message?: { content?: { id?: string } }): unknown {
    if (!isExpression(expression)) return expression;
    const elementId = message?.content?.id;
    try {
      const flowId = elementId ? this.compiled.model.conditions.get(conditionKey(elementId, expression)) : undefined;
      if (flowId) return this.feel.condition(expression, this.variables, elementId);
      const loop = elementId ? this.element(elementId)?.loop : undefined;
      if (loop && loop.inputCollection === expression) {
        const list = this.feel.evaluate(expression, this.variables, 'EXTRACT_VALUE_ERROR', elementId);
        if (!Array.isArray(list)) {
          throw new FeelError('EXTRACT_VALUE_ERROR', `The inputCollection of ${elementId} must be a list, but it was ${JSON.stringify(list)}`, elementId);
        }
        if (list.length > MAX_COLLECTION_ITEMS) {
          throw new FeelError(
            'EXTRACT_VALUE_ERROR',
            `The inputCollection of ${elementId} has ${list.length} items; the most a multi-instance activity may have here is ${MAX_COLLECTION_ITEMS}`,
            elementId,
          );
        }
        return list;
      }
      return this.feel.evaluate(expression, this.variables, 'EXTRACT_VALUE_ERROR', elementId);
    } catch (e) {
      if (e instanceof FeelError) this.lastFeelError = e;
      throw e;
    }
  }

  /** A service or send task became active (or was resumed): create its job, or finish it when the command says so. */
  onJob(elementId: string, executionId: string, callback: (err: unknown, result?: unknown) => void, content: IterationContent = {}): void {
    this.activity++;
    const command = this.command;
    const model = this.element(elementId);
    if ((command.kind === 'completeJob' || command.kind === 'throwError') && command.elementInstanceKey === executionId) {
      this.commandApplied = true;
      try {
        this.applyOutputs(command.kind === 'completeJob' ? model : undefined, command.kind === 'completeJob' ? (command.local ?? {}) : {}, command.variables);
      } catch (e) {
        this.fail(e, elementId, executionId);
        return;
      }
      if (command.kind === 'completeJob') {
        queueMicrotask(() => callback(null, {}));
      } else {
        const error = Object.assign(new Error(command.errorMessage ?? command.errorCode), { code: command.errorCode });
        this.record({ intent: 'ERROR_THROWN', elementId, elementType: model?.type, elementInstanceKey: executionId, payload: { errorCode: command.errorCode } });
        queueMicrotask(() => callback(error));
      }
      return;
    }
    if (this.open.jobs.has(executionId) || this.result.jobs.some((j) => j.elementInstanceKey === executionId)) return;
    if (!model?.jobType) {
      this.fail(new FeelError('EXTRACT_VALUE_ERROR', `${elementId} has no zeebe:taskDefinition type`, elementId), elementId, executionId);
      return;
    }
    try {
      const local = this.inputs(model, this.iterationLocals(model, content));
      const scope = { ...this.variables, ...local };
      const type = this.feel.text(model.jobType, scope, elementId, 'job type');
      const retriesValue = model.retries === undefined ? 3 : Number(this.feel.evaluate(model.retries, scope, 'EXTRACT_VALUE_ERROR', elementId));
      if (!Number.isInteger(retriesValue) || retriesValue < 0) {
        throw new FeelError('EXTRACT_VALUE_ERROR', `The retries of ${elementId} must be a whole number, got ${model.retries}`, elementId);
      }
      const job: NewJob = { elementId, elementInstanceKey: executionId, type, retries: retriesValue, headers: model.headers, localVariables: local };
      this.result.jobs.push(job);
      this.record({ intent: 'JOB_CREATED', elementId, elementType: model.type, elementInstanceKey: executionId, payload: { type, retries: retriesValue }, ref: job });
    } catch (e) {
      this.fail(e, elementId, executionId);
    }
  }

  /** A BPMN timer was armed (or re-armed on resume): store it durably, or fire it when the command says so. */
  onTimer(owner: Record<string, unknown>, callback: (...args: unknown[]) => void, delay: number, args: unknown[]) {
    this.activity++;
    const executionId = String(owner.executionId);
    const parent = owner.parent as { executionId?: string } | undefined;
    const activityInstanceKey = parent?.executionId ?? executionId;
    const ref = { executionId };
    const startEvent = this.element(String(owner.id));
    if (startEvent?.isStart) {
      // The timer of a timer start event is kept per deployed version, not per instance.
      if (this.isOtherStart(startEvent)) this.discardedStarts.push(startEvent.id);
      else queueMicrotask(() => callback(...args));
      return ref;
    }
    if (this.firing === executionId || this.firing === activityInstanceKey) {
      this.firing = undefined;
      queueMicrotask(() => callback(...args));
      return ref;
    }
    if (this.open.timers.has(activityInstanceKey) || this.result.timers.some((t) => t.elementInstanceKey === activityInstanceKey)) return ref;
    const dueAt =
      owner.timerType === 'timeDate' && owner.expireAt
        ? new Date(owner.expireAt as string | Date)
        : new Date(this.clock.now().getTime() + Math.max(0, delay));
    const timer: NewTimer = { elementId: String(owner.id), elementInstanceKey: activityInstanceKey, dueAt };
    this.result.timers.push(timer);
    this.record({
      intent: 'TIMER_CREATED',
      elementId: timer.elementId,
      elementInstanceKey: activityInstanceKey,
      payload: { dueAt: dueAt.toISOString() },
      ref: timer,
    });
    return ref;
  }
}

type JobCallback = (err: unknown, result?: unknown) => void;

/**
 * Steps one live engine may take before it is dropped for a recover: a warm engine keeps a
 * little of every step it ran (~20 KB), which a recover from the stored state sheds.
 */
const MAX_WARM_STEPS = 100;
/** A timer due this soon makes an instance worth keeping warm (see `LiveEngine.worthKeeping`). */
const SOON_MS = 60_000;

/** Every engine event a run listens to (see `InstanceRun.onEngineEvent`). */
const ENGINE_EVENTS = [
  'activity.enter',
  'activity.start',
  'activity.wait',
  'activity.timer',
  'activity.catch',
  'activity.timeout',
  'activity.error',
  'activity.end',
  'activity.discard',
  'activity.leave',
  'flow.take',
  'flow.discard',
];

/** The executions the engine waits at, also inside subprocesses and their iterations. */
function waitsHeldBy(engine: Engine): Set<string> {
  const held = new Set<string>();
  const walk = (list: PostponedApi[]) => {
    for (const api of list) {
      if (held.has(api.executionId)) continue;
      held.add(api.executionId);
      if (api.getPostponed) walk(api.getPostponed());
    }
  };
  walk(engine.execution.getPostponed() as unknown as PostponedApi[]);
  return held;
}

/** Whether a wait's execution is held: its own, or the activity's whose iteration or event definition it is (`x` of `x_0`). */
const isHeld = (held: Set<string>, key: string) => held.has(key) || held.has(key.replace(/_\d+$/, ''));

/** A wait closes when its own execution ended, or the activity whose event definition it is ended (`x_0` of `x`). */
export function closedBy(ended: Set<string>, key: string): boolean {
  return ended.has(key) || ended.has(key.replace(/_\d+$/, ''));
}

/**
 * One bpmn-engine object of one instance, which can outlive a step: the cache keeps it between
 * steps (keyed by instance and state version), so that the next step need not recover it from
 * the stored state. Its hooks (job behaviour, timers, expressions, listener) call whichever run
 * is attached; between steps none is, and any activity then marks it `dirty` (never reused).
 *
 * A recover's `resume()` hands a service task's callback (or re-arms a timer) again; a warm
 * engine instead keeps the callback it got when the wait began, in `jobs` and `timers`.
 */
export class LiveEngine {
  readonly engine: Engine;
  readonly listener = new EventEmitter();
  /** The run this engine works for now. */
  run?: InstanceRun;
  /** Recovered or executed once (a new object is neither). */
  started = false;
  /** Something happened while no run was attached: it may no longer match the stored state. */
  dirty = false;
  /** Steps run on this object. */
  steps = 0;
  /** Service and send tasks waiting for their job, by execution id. */
  readonly jobs = new Map<string, { elementId: string; callback: JobCallback; content: IterationContent }>();
  /** Armed BPMN timers, by the key their row has (the activity's execution id). */
  readonly timers = new Map<string, { executionId: string; callback: (...args: unknown[]) => void; args: unknown[]; dueAt: Date; expireAt?: Date }>();

  constructor(
    private readonly compiled: CompiledProcess,
    private readonly clock: Clock,
  ) {
    for (const name of ENGINE_EVENTS) {
      this.listener.on(name, (a: PostponedApi & { content?: Record<string, unknown> }) => {
        if (this.run) this.run.onEngineEvent(name, a);
        else this.dirty = true;
      });
    }
    this.engine = this.createEngine();
    this.engine.on('error', (err: Error & { source?: { content?: { id?: string; executionId?: string } } }) => {
      if (this.run) this.run.onEngineError(err);
      else this.dirty = true;
    });
    this.engine.on('end', () => {
      if (this.run) this.run.completed = true;
      else this.dirty = true;
    });
  }

  /**
   * Whether a step may run `command` on this engine instead of recovering, i.e. do exactly
   * what a recover would: the command's job or timer callback is at hand, and no other timer
   * is due (a resume would fire it on the way; a recover does that).
   */
  usableFor(command: Command): boolean {
    if (this.dirty || !this.started || this.run || this.steps >= MAX_WARM_STEPS) return false;
    if (command.kind === 'start') return false;
    if ((command.kind === 'completeJob' || command.kind === 'throwError') && !this.jobs.has(command.elementInstanceKey)) return false;
    if (command.kind === 'fireTimer' && !this.timers.has(command.elementInstanceKey)) return false;
    const now = this.clock.now().getTime();
    const real = Date.now();
    for (const [key, timer] of this.timers) {
      if (command.kind === 'fireTimer' && key === command.elementInstanceKey) continue;
      if (timer.dueAt.getTime() <= now || (timer.expireAt && timer.expireAt.getTime() <= real)) return false;
    }
    return true;
  }

  /**
   * Whether to keep this engine after a step: it waits for a job (workers complete most within
   * moments) or a timer due within a minute. An instance parked at a user task, a message or
   * a distant timer is not kept: it would hold ~0.5–1 MB of heap per instance for days.
   */
  worthKeeping(): boolean {
    if (this.dirty) return false;
    if (this.jobs.size > 0) return true;
    const soon = this.clock.now().getTime() + SOON_MS;
    for (const timer of this.timers.values()) if (timer.dueAt.getTime() <= soon) return true;
    return false;
  }

  /** Drops the callbacks of waits that ended in a step. */
  forgetEnded(ended: Set<string>): void {
    for (const key of this.jobs.keys()) if (closedBy(ended, key)) this.jobs.delete(key);
    for (const [key, timer] of this.timers) if (closedBy(ended, key) || ended.has(timer.executionId)) this.timers.delete(key);
  }

  private onJob(elementId: string, executionId: string, callback: JobCallback, content: IterationContent): void {
    this.jobs.set(executionId, { elementId, callback, content });
    if (this.run) this.run.onJob(elementId, executionId, callback, content);
    else this.dirty = true;
  }

  private onTimer(owner: Record<string, unknown>, callback: (...args: unknown[]) => void, delay: number, args: unknown[]) {
    const executionId = String(owner.executionId);
    if (!this.run) {
      this.dirty = true;
      return { executionId };
    }
    const start = this.compiled.model.elements.get(String(owner.id));
    if (!start?.isStart) {
      const parent = owner.parent as { executionId?: string } | undefined;
      const dueAt =
        owner.timerType === 'timeDate' && owner.expireAt
          ? new Date(owner.expireAt as string | Date)
          : new Date(this.clock.now().getTime() + Math.max(0, delay));
      const expireAt = owner.expireAt ? new Date(owner.expireAt as string | Date) : undefined;
      this.timers.set(parent?.executionId ?? executionId, { executionId, callback, args, dueAt, expireAt });
    }
    return this.run.onTimer(owner, callback, delay, args);
  }

  private createEngine(): Engine {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const live = this;
    class JobBehaviour {
      constructor(private readonly activity: { id: string }) {}
      execute(message: { content: { executionId: string } & IterationContent }, callback: JobCallback): void {
        live.onJob(this.activity.id, message.content.executionId, callback, message.content);
      }
    }
    const timers = {
      executing: [] as unknown[],
      register: (owner: Record<string, unknown>) => ({
        setTimeout: (callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]) => this.onTimer(owner, callback, delay, args),
        clearTimeout: () => undefined,
      }),
      // BPMN timers arrive through register(); bare calls are the engine's own housekeeping.
      setTimeout: (callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]) => setTimeout(callback, delay, ...args).unref(),
      clearTimeout: (ref: NodeJS.Timeout) => clearTimeout(ref),
    };
    const expressions = {
      resolveExpression: (expression: unknown, message?: { content?: { id?: string } }) => {
        if (this.run) return this.run.resolveExpression(expression, message);
        this.dirty = true;
        throw new Error('An expression was evaluated between steps');
      },
      hasExpression: (value: unknown) => isExpression(value),
    };
    return new Engine({
      name: this.compiled.model.bpmnProcessId,
      Logger: NoLogger,
      sourceContext: this.compiled.sourceContext as never,
      timers: timers as never,
      expressions: expressions as never,
      settings: { enableDummyService: false },
      extensions: {
        zeebe: (activity: { id: string; type: string; behaviour: Record<string, unknown> }) => {
          if (activity.type === 'bpmn:ServiceTask' || activity.type === 'bpmn:SendTask') activity.behaviour.Service = JobBehaviour;
          const loop = this.compiled.model.elements.get(activity.id)?.loop;
          const characteristics = activity.behaviour.loopCharacteristics as { behaviour?: Record<string, unknown> } | undefined;
          if (loop && characteristics) {
            // Zeebe's inputCollection (FEEL) drives bpmn-elements' collection loop; each
            // iteration's message carries the item under ITEM and its index.
            characteristics.behaviour = { ...characteristics.behaviour, collection: loop.inputCollection, elementVariable: ITEM, isSequential: loop.sequential };
          }
        },
      },
    } as never);
  }
}
