import { DomainError, durationMs } from '@mustafid/platform';
import type { AdHocJobResult, IncidentErrorType, Variables } from '../port/workflow-engine';
import type { Clock } from '../embedded/clock';
import { Feel, FeelError } from '../embedded/feel';
import type {
  AfterSettle,
  Command,
  Delivery,
  NewCall,
  NewJob,
  NewSignalSubscription,
  NewSubscription,
  NewTimer,
  NewUserTask,
  RunEvent,
  RunResult,
  ThrownSignal,
} from '../embedded/instance-run';
import { RunIncident } from '../embedded/instance-run';
import { evaluateDecision } from '../dmn/evaluate-decision';
import { MAX_COLLECTION_ITEMS, MAX_ELEMENTS_PER_COMMAND } from './bounds';
import { isCronCycle, isStoredCron, nextCronFiring } from './cron';
import { type DecisionSource, LoadedDecisions } from './decisions';
import { type FlowNode, INNER_INSTANCE_TYPE, type ProcessGraph, linkKey } from './graph';
import type { KeySource } from './keys';
import { type CompensationSubscription, type CoreState, type ElementInstance, type EventWait, isCoreState } from './state';
import { MappingResult, parseList } from './variables';

/** Variables that come with what completes or triggers an element: a job, a user task, a message, an error. */
type Trigger = Variables | undefined;

interface ActivateOptions {
  /** The sequence flow that led here. */
  flow?: string;
  /** The inner instance of a multi-instance body (its loopCounter). */
  loopCounter?: number;
  /** An event that triggers the element as it activates (a boundary, a start event). */
  trigger?: Trigger;
  /** Activates the inner activity itself, not its multi-instance body. */
  inner?: boolean;
  /** The element instance key, drawn beforehand (a compensation handler's, written on its subscription when triggered). */
  key?: string;
}

const COMPENSATE = 'bpmn:CompensateEventDefinition';

const CYCLE = /^R(\d*)\/(?:([^/]+)\/)?(P[^/]+)$/i;

/** The longest signal name a subscription or broadcast may have (wf_signal_subscription.signal_name). */
export const MAX_SIGNAL_NAME = 255;

/** Keys are 64-bit decimal strings: this orders them as numbers. */
const byKey = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/** The job type of a user task without `zeebe:userTask` (a job-worker user task in Camunda 8). */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

/**
 * One command on one process instance, run to its end on our own execution core: the command
 * and every follow-up it causes are processed in order until every path waits (a job, a user
 * task, a timer, a message) or the instance completes. What it produced comes back as a
 * RunResult (new and closed waits, events, new state, root variables), which the store writes
 * in one transaction. A failure throws RunIncident and nothing of the run is kept.
 *
 * The model is Zeebe's (camunda/camunda zeebe/engine/.../processing/bpmn): a tree of element
 * instances by flow scope, local variables per element instance, input mappings creating
 * locals, output mappings and trigger variables merged upward by propagation, multi-instance
 * bodies with one inner instance per item, taken-flow counts for parallel joins, and event
 * waits bounded by the element instance that opened them.
 */
export class CoreRun {
  readonly variables: Variables;
  private readonly feel: Feel;
  private readonly instances: Map<string, ElementInstance>;
  private readonly waits: Map<string, EventWait>;
  private compensations: CompensationSubscription[];
  private readonly result: Omit<RunResult, 'state' | 'engineState' | 'variables'> = {
    jobs: [],
    timers: [],
    subscriptions: [],
    userTasks: [],
    ended: new Set(),
    timersFired: new Set(),
    events: [],
  };
  private activations = 0;
  private completed = false;
  private readonly queue: Array<() => void> = [];
  /** Checks that wait until the queue is empty (inclusive joins). */
  private readonly idle: Array<() => void> = [];

  constructor(
    private readonly graph: ProcessGraph,
    engineState: unknown | undefined,
    variables: Variables,
    private readonly processInstanceKey: string,
    private readonly command: Command,
    private readonly clock: Clock,
    private readonly keys: KeySource,
    /** The versions of the decisions business rule tasks may call, by their bindings (looked up by the store). */
    private readonly decisions: DecisionSource = new LoadedDecisions(),
  ) {
    this.variables = { ...variables };
    this.feel = new Feel(clock);
    const state: CoreState = isCoreState(engineState) ? structuredClone(engineState) : { core: 2, i: {} };
    this.instances = new Map(Object.entries(state.i));
    this.waits = new Map(Object.entries(state.w ?? {}));
    this.compensations = state.c ?? [];
  }

  /** Subscriptions this run opened so far (the store looks for buffered messages for them). */
  newSubscriptions(): NewSubscription[] {
    return this.result.subscriptions;
  }

  async execute(afterSettle?: AfterSettle): Promise<RunResult> {
    this.apply(this.command);
    this.drain();
    for (let round = 0; afterSettle && !this.completed; round++) {
      const more: Delivery[] = await afterSettle(this);
      if (more.length === 0) break;
      for (const delivery of more) {
        this.apply({ kind: 'correlateMessage', elementId: delivery.elementId, elementInstanceKey: delivery.elementInstanceKey, variables: delivery.variables });
        this.drain();
      }
    }
    const state: CoreState = { core: 2, i: Object.fromEntries(this.instances) };
    if (this.waits.size > 0) state.w = Object.fromEntries(this.waits);
    if (this.compensations.length > 0) state.c = this.compensations;
    return { state: this.completed ? 'COMPLETED' : 'ACTIVE', engineState: this.completed ? null : state, variables: this.variables, ...this.result };
  }

  // ── commands ────────────────────────────────────────────────────────────────

  private apply(command: Command): void {
    switch (command.kind) {
      case 'start':
        return this.start(command.startElementId);
      case 'completeJob':
      case 'completeUserTask': {
        const inst = this.waiting(command.elementInstanceKey, command.kind === 'completeJob' ? 'job' : 'task');
        const node = this.node(inst.e);
        if (command.kind === 'completeJob' && node.adHoc) return this.adHocJobCompleted(node, command.elementInstanceKey, inst, command.variables, command.result);
        if (command.kind === 'completeJob' && command.result) {
          throw new DomainError('NOT_AN_AD_HOC_JOB', `Job of ${node.id} is not the job of an ad-hoc sub-process: complete it without a result`, 400);
        }
        return this.later(() => this.complete(command.elementInstanceKey, inst, command.variables));
      }
      case 'throwError': {
        this.waiting(command.elementInstanceKey, 'job');
        const node = this.node(this.instances.get(command.elementInstanceKey)!.e);
        this.record('ERROR_THROWN', node, command.elementInstanceKey, { errorCode: command.errorCode });
        return this.later(() => this.throwError(command.elementInstanceKey, command.errorCode, command.errorMessage, command.variables));
      }
      case 'fireTimer':
        return this.trigger(command.elementInstanceKey, undefined, true);
      case 'correlateMessage':
        return this.trigger(command.elementInstanceKey, command.variables, false);
      case 'correlateSignal':
        return this.trigger(command.elementInstanceKey, command.variables, false, { name: command.signalName, key: command.signalKey });
      case 'completeCall': {
        const inst = this.waiting(command.elementInstanceKey, 'call');
        const node = this.node(inst.e);
        // Zeebe's CallActivityProcessor: the child's variables come back only with output mappings or propagateAllChildVariables.
        const back = node.outputs.length > 0 || node.called?.propagateAllChildVariables !== false ? command.variables : undefined;
        delete inst.c;
        return this.later(() => this.complete(command.elementInstanceKey, inst, back));
      }
      case 'throwCallError': {
        // Caught here, the call activity is terminated and its child cancelled with it (end → cancelCalls).
        this.waiting(command.elementInstanceKey, 'call');
        return this.later(() => this.throwError(command.elementInstanceKey, command.errorCode, command.errorMessage, command.variables));
      }
    }
  }

  /** The element instance a job or task command names, which must be waiting for it. */
  private waiting(key: string, what: 'job' | 'task' | 'call'): ElementInstance {
    const inst = this.instances.get(key);
    if (!inst || inst.w !== what) {
      throw new RunIncident('UNKNOWN', `The instance is not waiting at ${key} any more`, this.graph.bpmnProcessId, key);
    }
    return inst;
  }

  private start(startElementId: string | undefined): void {
    const root = this.graph.nodes.get(this.graph.bpmnProcessId)!;
    const key = this.processInstanceKey;
    if (this.instances.has(key)) throw new RunIncident('UNKNOWN', 'The instance has already started', root.id);
    this.instances.set(key, { e: root.id });
    this.subscribeEventSubprocesses(root, key);
    const startId = startElementId ?? root.noneStart;
    if (!startId) throw new RunIncident('UNKNOWN', `Process ${root.id} has no start event without definition`, root.id);
    this.later(() => this.activate(startId, key));
  }

  /** A timer fired, a message arrived or a signal was broadcast for an open wait: its event is handled as a follow-up. */
  private trigger(waitKey: string, variables: Trigger, timer: boolean, signal?: { name: string; key: string }): void {
    const wait = this.waits.get(waitKey);
    const direct = wait ? undefined : this.instances.get(waitKey);
    if (!wait && (!direct || direct.w !== 'event')) {
      throw new RunIncident('UNKNOWN', `The instance is not waiting at ${waitKey} any more`, this.graph.bpmnProcessId, waitKey);
    }
    if (timer) {
      this.result.timersFired.add(waitKey);
      this.record('TIMER_TRIGGERED', wait ? this.node(wait.e) : this.node(direct!.e), waitKey);
    }
    if (signal) this.record('SIGNAL_TRIGGERED', wait ? this.node(wait.e) : this.node(direct!.e), waitKey, { signalName: signal.name, signalKey: signal.key });
    if (direct) {
      // A catch event or receive task waits itself: the wait's key is its own.
      this.result.ended.add(waitKey);
      delete direct.s;
      this.later(() => {
        if (this.instances.get(waitKey) === direct) this.complete(waitKey, direct, variables);
      });
      return;
    }
    const { o: ownerKey, e: eventId } = wait!;
    const owner = this.instances.get(ownerKey);
    const event = this.node(eventId);
    // A non-interrupting signal event keeps its subscription while its owner lives: every broadcast
    // triggers it (docs: "Signal boundary events": "multiple broadcasted signals can trigger the boundary events").
    const keep = signal !== undefined && !this.isInterrupting(event);
    if (!keep) this.closeWait(waitKey);
    if (!owner) return;
    // A non-interrupting message event catches every message for its subscription (docs: "Message events"): it opens again.
    if (!timer && !signal && !this.isInterrupting(event)) this.openSubscription(event, ownerKey);
    if (timer && wait!.c && (wait!.r === null || (wait!.r ?? 0) > 0) && !this.isInterrupting(event)) {
      this.openTimer(event, ownerKey, this.clock.now(), { r: wait!.r === null || wait!.r === undefined ? null : wait!.r - 1, c: wait!.c });
    }
    // What the event interrupts may have ended meanwhile (another event of the same broadcast): then nothing happens.
    this.later(() => {
      if (this.instances.get(ownerKey) === owner) this.onEvent(owner, ownerKey, event, variables);
    });
  }

  /**
   * A signal thrown in this instance reaches every subscription of this instance with its name
   * that is open at that moment, in the order they opened (Zeebe's SignalBroadcastProcessor visits
   * the subscriptions by name; what each triggers follows as Zeebe's commands do); the store takes
   * it to the other instances and to signal start events after the step (docs: "Signal throw
   * events", "Signal cardinality").
   */
  private broadcastHere(signal: ThrownSignal): void {
    const name = signal.signalName;
    const isOpen = (key: string) => this.waits.get(key)?.s === name || (this.instances.get(key)?.w === 'event' && this.instances.get(key)?.s === name);
    const open = [...this.waits.keys(), ...this.instances.keys()].filter(isOpen).sort(byKey);
    for (const key of open) {
      if (isOpen(key)) this.trigger(key, { ...signal.variables }, false, { name, key: signal.key });
    }
  }

  /** Whether catching the event ends what it is attached to (a boundary) or everything in its container (an event subprocess start). */
  private isInterrupting(event: FlowNode): boolean {
    if (event.type === 'bpmn:BoundaryEvent') return event.cancelActivity !== false;
    if (event.type === 'bpmn:StartEvent') return event.interrupting !== false;
    return true;
  }

  /** An event for a wait owned by `owner`: a boundary event, an event subprocess start or an event-based gateway's event. */
  private onEvent(owner: ElementInstance, ownerKey: string, event: FlowNode, variables: Trigger): void {
    if (event.type === 'bpmn:BoundaryEvent') {
      const scope = owner.p!;
      if (event.cancelActivity !== false) {
        this.terminate(ownerKey);
        this.activate(event.id, scope, { trigger: variables ?? {} });
      } else {
        this.activate(event.id, scope, { trigger: variables ?? {} });
      }
      return;
    }
    if (event.type === 'bpmn:StartEvent') {
      const esp = this.node(event.scope);
      this.startEventSubprocess(ownerKey, esp, event, variables ?? {});
      return;
    }
    // An event-based gateway: the first event completes it and takes the flow to that event.
    for (const [key, w] of [...this.waits]) if (w.o === ownerKey) this.closeWait(key);
    const gateway = this.node(owner.e);
    const flow = gateway.outgoing.find((f) => f.target === event.id)!;
    this.end(ownerKey, owner, 'ELEMENT_COMPLETED');
    this.take(flow, owner.p!, variables ?? {});
  }

  // ── activation ──────────────────────────────────────────────────────────────

  private activate(elementId: string, scopeKey: string, options: ActivateOptions = {}): void {
    // A token whose flow scope was terminated meanwhile (an interrupting event in the same command) goes with it.
    if (!this.instances.has(scopeKey)) return;
    const node = this.node(elementId);
    if (++this.activations > MAX_ELEMENTS_PER_COMMAND) {
      throw new RunIncident(
        'UNKNOWN',
        `One step activated more than ${MAX_ELEMENTS_PER_COMMAND} elements (the last: ${elementId}); a loop in the diagram never waits`,
        elementId,
      );
    }
    if (node.loop && !options.inner) return this.activateBody(node, scopeKey, options.key);
    const key = options.key ?? this.keys.next();
    const inst: ElementInstance = { e: node.id, p: scopeKey };
    this.instances.set(key, inst);
    this.record('ELEMENT_ACTIVATED', node, key, options.loopCounter === undefined ? { flowScopeKey: scopeKey } : { flowScopeKey: scopeKey, loopCounter: options.loopCounter });
    if (options.loopCounter !== undefined) this.setLoopVariables(node, inst, scopeKey, options.loopCounter);
    if (node.adHoc) this.setAdHocVariables(node, key, inst);
    if (node.inputs.length > 0) this.applyInputs(node, key, inst);
    if (!node.loop && node.boundaries.length > 0) this.subscribeBoundaries(node, key);
    this.behave(node, key, inst, options.trigger);
  }

  /** What an element does once activated. */
  private behave(node: FlowNode, key: string, inst: ElementInstance, trigger: Trigger): void {
    switch (node.type) {
      case 'bpmn:StartEvent':
      case 'bpmn:BoundaryEvent':
        return this.complete(key, inst, trigger);
      case 'bpmn:EndEvent':
        if (node.eventDefinition === 'error') return this.throwError(key, node.errorCode ?? '', undefined, undefined, true);
        if (node.eventDefinition === 'terminate') return this.terminateEnd(key, inst);
        if (node.eventDefinition === 'signal') return this.throwSignal(node, key, inst);
        if (node.jobType) return this.createJob(node, key, inst);
        if (node.otherDefinition === 'bpmn:EscalationEventDefinition') return this.throwEscalation(node, key, inst);
        if (node.otherDefinition === COMPENSATE) return this.throwCompensation(node, key, inst);
        return this.complete(key, inst, undefined);
      case 'bpmn:IntermediateThrowEvent':
        if (node.eventDefinition === 'signal') return this.throwSignal(node, key, inst);
        if (node.jobType) return this.createJob(node, key, inst);
        if (node.linkName) return this.throwLink(node, key, inst);
        if (node.otherDefinition === 'bpmn:EscalationEventDefinition') return this.throwEscalation(node, key, inst);
        if (node.otherDefinition === COMPENSATE) return this.throwCompensation(node, key, inst);
        return this.complete(key, inst, undefined);
      case 'bpmn:IntermediateCatchEvent':
        if (node.afterEventGateway && trigger !== undefined) return this.complete(key, inst, trigger);
        if (node.linkName) return this.complete(key, inst, undefined);
        return this.waitForEvent(node, key, inst);
      case 'bpmn:ReceiveTask':
        return this.waitForEvent(node, key, inst);
      case 'bpmn:UserTask':
        if (!node.camundaUserTask) return this.createJob(node, key, inst, USER_TASK_JOB_TYPE);
        return this.createUserTask(node, key, inst);
      case 'bpmn:ScriptTask':
        if (node.script) return this.runScript(node, key, inst);
        if (node.jobType) return this.createJob(node, key, inst);
        throw this.incident('EXTRACT_VALUE_ERROR', `${node.id} has neither a zeebe:script nor a zeebe:taskDefinition`, node.id, key);
      case 'bpmn:BusinessRuleTask':
        if (node.calledDecision) return this.callDecision(node, key, inst);
        if (node.jobType) return this.createJob(node, key, inst);
        throw this.incident('EXTRACT_VALUE_ERROR', `${node.id} has neither a zeebe:calledDecision nor a zeebe:taskDefinition type`, node.id, key);
      case 'bpmn:ServiceTask':
      case 'bpmn:SendTask':
        if (node.jobType) return this.createJob(node, key, inst);
        throw this.incident('EXTRACT_VALUE_ERROR', `${node.id} has no zeebe:taskDefinition type`, node.id, key);
      case 'bpmn:ManualTask':
      case 'bpmn:Task':
        return this.complete(key, inst, undefined);
      case 'bpmn:ExclusiveGateway':
        return this.exclusive(node, key, inst);
      case 'bpmn:ParallelGateway':
        return this.completeAndTakeAll(node, key, inst);
      case 'bpmn:InclusiveGateway':
        return this.inclusive(node, key, inst);
      case 'bpmn:EventBasedGateway':
        return this.eventGateway(node, key, inst);
      case 'bpmn:CallActivity':
        return this.call(node, key, inst);
      case 'bpmn:AdHocSubProcess':
        return this.enterAdHoc(node, key);
      case 'bpmn:SubProcess': {
        this.subscribeEventSubprocesses(node, key);
        if (!node.noneStart) throw this.incident('UNKNOWN', `The subprocess ${node.id} has no start event without definition`, node.id, key);
        return this.later(() => this.activate(node.noneStart!, key));
      }
      default:
        throw this.incident('UNKNOWN', `The engine cannot run a ${node.type.replace('bpmn:', '')} (${node.id})`, node.id, key);
    }
  }

  // ── variables ───────────────────────────────────────────────────────────────

  /** The variables an element instance sees: its own, then each flow scope's up to the root. */
  private visible(key: string): Variables {
    return this.overChain(key, { ...this.variables });
  }

  /** Every local variable along the chain from the instance up to (not including) the root, inner ones shadowing outer: what a job or task carries. */
  private locals(key: string): Variables {
    return this.overChain(key, {});
  }

  /** `base` with the locals of each flow scope from the root's child down to `key` assigned over it. */
  private overChain(key: string, base: Variables): Variables {
    const chain: Variables[] = [];
    for (let k: string | undefined = key; k !== undefined; ) {
      const inst = this.instances.get(k);
      if (!inst || inst.p === undefined) break;
      if (inst.v) chain.push(inst.v);
      k = inst.p;
    }
    for (let n = chain.length - 1; n >= 0; n--) Object.assign(base, chain[n]);
    return base;
  }

  private setLocal(key: string, name: string, value: unknown): void {
    const inst = this.instances.get(key);
    if (!inst || inst.p === undefined) {
      this.variables[name] = value;
      return;
    }
    (inst.v ??= {})[name] = value;
  }

  /**
   * Merges a document into the instance tree from `key` upward: each variable is set in the
   * nearest scope that has it, else at the root
   * (docs.camunda.io/docs/components/concepts/variables/#variable-propagation).
   */
  private propagate(key: string, document: Variables): void {
    for (const [name, value] of Object.entries(document)) {
      let target: string | undefined;
      for (let k: string | undefined = key; k !== undefined; k = this.instances.get(k)?.p) {
        const inst = this.instances.get(k);
        if (!inst || inst.p === undefined) break;
        if (inst.v && name in inst.v) {
          target = k;
          break;
        }
      }
      if (target) this.instances.get(target)!.v![name] = value;
      else this.variables[name] = value;
    }
  }

  private evaluate(expression: string, key: string, errorType: 'EXTRACT_VALUE_ERROR' | 'IO_MAPPING_ERROR' | 'CONDITION_ERROR', elementId: string, extra?: Variables): unknown {
    const scope = extra ? { ...this.visible(key), ...extra } : this.visible(key);
    try {
      return this.feel.evaluate(expression, scope, errorType, elementId);
    } catch (e) {
      if (e instanceof FeelError) throw this.incident(e.errorType, e.message, elementId, key);
      throw e;
    }
  }

  /** A job type or message name: a non-empty string, else an incident naming the element and the expression (decision 0021). */
  private text(expression: string, key: string, elementId: string, what: string): string {
    try {
      return this.feel.text(expression, this.visible(key), elementId, what);
    } catch (e) {
      if (e instanceof FeelError) throw this.incident(e.errorType, e.message, elementId, key);
      throw e;
    }
  }

  /** Input mappings create local variables of the element instance, in order; each sees the ones before. */
  private applyInputs(node: FlowNode, key: string, inst: ElementInstance): void {
    const scope = inst.p!;
    const result = new MappingResult((name) => this.visible(scope)[name]);
    for (const m of node.inputs) {
      const value = this.evaluate(m.source, scope, 'IO_MAPPING_ERROR', node.id, result.document);
      result.put(m.target, value);
    }
    inst.v = { ...inst.v, ...result.document };
    this.record('VARIABLE_SET', node, key, { names: Object.keys(result.document), local: true });
  }

  /**
   * Zeebe's output behaviour on completing (BpmnVariableMappingBehavior.applyOutputMappings):
   * with output mappings, the trigger's variables become locals of the element and the
   * mappings' results are merged into the flow scope (an inner multi-instance element keeps
   * them itself, for its outputElement); without, the trigger's variables propagate from the
   * element upward.
   */
  private applyOutputs(node: FlowNode, key: string, inst: ElementInstance, trigger: Trigger): void {
    if (node.outputs.length > 0) {
      if (trigger && Object.keys(trigger).length > 0) inst.v = { ...inst.v, ...trigger };
      const target = inst.lc !== undefined ? key : inst.p!;
      const result = new MappingResult((name) => this.visible(key)[name]);
      for (const m of node.outputs) {
        const value = this.evaluate(m.source, key, 'IO_MAPPING_ERROR', node.id, result.document);
        result.put(m.target, value);
      }
      if (target === key) inst.v = { ...inst.v, ...result.document };
      else this.propagate(target, result.document);
      this.record('VARIABLE_SET', node, key, { names: Object.keys(result.document) });
    } else if (trigger && Object.keys(trigger).length > 0) {
      this.propagate(key, trigger);
      this.record('VARIABLE_SET', node, key, { names: Object.keys(trigger) });
    }
  }

  // ── completion, termination, flows ─────────────────────────────────────────

  /** Completes an element instance: its outputs, its waits closed, then its outgoing flows (or its scope's completion). */
  private complete(key: string, inst: ElementInstance, trigger: Trigger): void {
    const node = this.node(inst.e);
    // An ad-hoc subprocess's output collection goes to its flow scope before its output mappings (AdHocSubProcessProcessor.onComplete).
    const collected = node.adHoc?.outputCollection;
    if (collected) this.propagate(inst.p!, { [collected]: inst.v?.[collected] ?? [] });
    this.applyOutputs(node, key, inst, trigger);
    this.closeWaitsOf(key);
    const scopeKey = inst.p!;
    const scope = this.instances.get(scopeKey);
    if (scope?.b) {
      this.innerCompleted(node, key, inst, scopeKey, scope);
      return;
    }
    const scopeNode = scope ? this.node(scope.e) : undefined;
    if (scope && scopeNode?.adHoc && node.outgoing.length === 0) {
      // A path inside an ad-hoc subprocess ended (an inner instance, or an event subprocess in it).
      const fulfilled = this.beforeAdHocPathCompleted(scopeNode, scope, key);
      this.end(key, inst, 'ELEMENT_COMPLETED');
      this.afterAdHocPathCompleted(scopeNode, scopeKey, fulfilled);
      return;
    }
    this.end(key, inst, 'ELEMENT_COMPLETED');
    this.leave(node, scopeKey);
  }

  /** After an element completes: its outgoing flows, or, with none, perhaps its flow scope's completion. */
  private leave(node: FlowNode, scopeKey: string): void {
    if (node.outgoing.length === 0) {
      this.maybeCompleteScope(scopeKey);
      return;
    }
    for (const flow of node.outgoing) this.take(flow, scopeKey);
  }

  /** Removes a finished element instance and records how it ended. */
  private end(key: string, inst: ElementInstance, intent: 'ELEMENT_COMPLETED' | 'ELEMENT_TERMINATED'): void {
    const node = this.node(inst.e);
    // A call activity that ends before its child: the child is cancelled with it (docs: "Call activities", boundary events).
    if (inst.c) (this.result.cancelCalls ??= []).push(inst.c);
    if (intent === 'ELEMENT_COMPLETED') this.subscribeCompensation(node, key, inst);
    else this.dropCompensations(key);
    this.instances.delete(key);
    this.result.ended.add(key);
    this.record(intent, node, key, inst.lc === undefined ? { flowScopeKey: inst.p } : { flowScopeKey: inst.p, loopCounter: inst.lc }, inst.b ? 'bpmn:MultiInstanceBody' : undefined);
    if (intent === 'ELEMENT_COMPLETED' && this.compensations.length > 0) this.handlerCompleted(key);
  }

  private take(flow: { id: string; target: string }, scopeKey: string, trigger?: Trigger): void {
    this.result.events.push({ intent: 'SEQUENCE_FLOW_TAKEN', elementId: flow.id, elementType: 'bpmn:SequenceFlow' });
    const target = this.node(flow.target);
    if (target.type === 'bpmn:ParallelGateway' && target.incoming.length > 1) {
      const scope = this.instances.get(scopeKey)!;
      const tokens = (scope.j ??= {});
      tokens[flow.id] = (tokens[flow.id] ?? 0) + 1;
      if (!target.incoming.every((f) => (tokens[f.id] ?? 0) > 0)) return;
      for (const f of target.incoming) {
        if (--tokens[f.id] === 0) delete tokens[f.id];
      }
      if (Object.keys(tokens).length === 0) delete scope.j;
    }
    if (target.type === 'bpmn:InclusiveGateway' && target.incoming.length > 1) {
      const scope = this.instances.get(scopeKey)!;
      const tokens = (scope.j ??= {});
      tokens[flow.id] = (tokens[flow.id] ?? 0) + 1;
      // Whether other tokens can still come is known only once this command's other paths moved on.
      this.idle.push(() => this.joinInclusive(target, scopeKey));
      return;
    }
    this.later(() => this.activate(flow.target, scopeKey, { flow: flow.id, trigger }));
  }

  private joinInclusive(gateway: FlowNode, scopeKey: string): void {
    const scope = this.instances.get(scopeKey);
    const tokens = scope?.j;
    if (!scope || !tokens || !gateway.incoming.some((f) => tokens[f.id] > 0)) return;
    if (!this.inclusiveJoinReady(gateway, scopeKey)) return;
    for (const f of gateway.incoming) if (tokens[f.id] > 0 && --tokens[f.id] === 0) delete tokens[f.id];
    if (Object.keys(tokens).length === 0) delete scope.j;
    this.activate(gateway.id, scopeKey);
  }

  /** A container completes when nothing in it is active and no token waits at a join (Zeebe: `canBeCompleted`). */
  private maybeCompleteScope(scopeKey: string): void {
    const scope = this.instances.get(scopeKey);
    if (!scope) return;
    for (const inst of this.instances.values()) if (inst.p === scopeKey) return;
    if (scope.j && Object.keys(scope.j).length > 0) return;
    if (scope.p === undefined) {
      this.closeWaitsOf(scopeKey);
      this.completed = true;
      this.instances.clear();
      for (const key of this.waits.keys()) this.result.ended.add(key);
      this.waits.clear();
      return;
    }
    this.later(() => {
      if (this.instances.get(scopeKey) === scope) this.complete(scopeKey, scope, undefined);
    });
  }

  /** Terminates an element instance and everything inside it, depth first, recording ELEMENT_TERMINATED for each. */
  private terminate(key: string): void {
    const inst = this.instances.get(key);
    if (!inst) return;
    for (const [childKey, child] of [...this.instances]) if (child.p === key) this.terminate(childKey);
    this.closeWaitsOf(key);
    this.end(key, inst, 'ELEMENT_TERMINATED');
  }

  private terminateEnd(key: string, inst: ElementInstance): void {
    const scopeKey = inst.p!;
    for (const [childKey, child] of [...this.instances]) if (child.p === scopeKey && childKey !== key) this.terminate(childKey);
    const scope = this.instances.get(scopeKey);
    if (scope) delete scope.j;
    this.end(key, inst, 'ELEMENT_COMPLETED');
    this.maybeCompleteScope(scopeKey);
  }

  private completeAndTakeAll(node: FlowNode, key: string, inst: ElementInstance): void {
    this.end(key, inst, 'ELEMENT_COMPLETED');
    this.leave(node, inst.p!);
  }

  /** Takes the first outgoing flow whose condition is true, else the default (docs: "Exclusive gateways"). */
  private exclusive(node: FlowNode, key: string, inst: ElementInstance): void {
    let chosen = undefined as FlowNode['outgoing'][number] | undefined;
    for (const flow of node.outgoing) {
      if (flow.id === node.defaultFlow) continue;
      if (!flow.condition) {
        if (node.outgoing.length === 1) chosen = flow;
        continue;
      }
      if (this.condition(flow.condition, key, node.id)) {
        chosen = flow;
        break;
      }
    }
    chosen ??= node.outgoing.find((f) => f.id === node.defaultFlow);
    if (!chosen && node.outgoing.length > 0) {
      throw this.incident(
        'CONDITION_ERROR',
        `Expected at least one condition to evaluate to true, or to have a default flow (gateway ${node.id})`,
        node.id,
        key,
      );
    }
    this.end(key, inst, 'ELEMENT_COMPLETED');
    if (chosen) this.take(chosen, inst.p!);
    else this.maybeCompleteScope(inst.p!);
  }

  private condition(expression: string, key: string, elementId: string): boolean {
    try {
      return this.feel.condition(expression, this.visible(key), elementId);
    } catch (e) {
      if (e instanceof FeelError) throw this.incident(e.errorType, e.message, elementId, key);
      throw e;
    }
  }

  private throwLink(node: FlowNode, key: string, inst: ElementInstance): void {
    const target = this.graph.linkCatches.get(linkKey(node.scope, node.linkName!));
    if (!target) throw this.incident('UNKNOWN', `No link catch event named ${node.linkName} for ${node.id}`, node.id, key);
    this.end(key, inst, 'ELEMENT_COMPLETED');
    this.later(() => this.activate(target, inst.p!));
  }

  /**
   * A job-worker user task's headers, as Zeebe writes them for a user task without
   * `zeebe:userTask` (docs: "User tasks", job worker implementation).
   */
  private userTaskHeaders(node: FlowNode, key: string): Record<string, string> {
    const config = node.userTask ?? {};
    const headers: Record<string, string> = {};
    const put = (name: string, expr: string | undefined, list = false) => {
      if (expr === undefined) return;
      const value = this.evaluate(expr, key, 'EXTRACT_VALUE_ERROR', node.id);
      if (value === null || value === undefined || value === '') return;
      headers[`io.camunda.zeebe:${name}`] = list ? JSON.stringify(parseList(value)) : String(value);
    };
    put('assignee', config.assignee);
    put('candidateGroups', config.candidateGroups, true);
    put('candidateUsers', config.candidateUsers, true);
    put('dueDate', config.dueDate);
    put('followUpDate', config.followUpDate);
    if (config.formKey ?? config.formId) headers['io.camunda.zeebe:formKey'] = String(config.formKey ?? config.formId);
    return headers;
  }

  /** A script task with `zeebe:script`: the FEEL result is the task's trigger variable (ScriptTaskProcessor). */
  private runScript(node: FlowNode, key: string, inst: ElementInstance): void {
    const value = this.evaluate(node.script!.expression, key, 'EXTRACT_VALUE_ERROR', node.id);
    this.complete(key, inst, node.script!.resultVariable ? { [node.script!.resultVariable]: value } : undefined);
  }

  /**
   * A business rule task that calls a DMN decision (docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/):
   * after its input mappings, the decision id (static or FEEL) names a decision whose version, as
   * the task's bindingType says (latest, the one deployed with this process version, or the latest
   * with a version tag), is evaluated with every variable the task sees; the result is the task's
   * `resultVariable`, which its output mappings, if any, map as a job's variables are. As Zeebe's
   * BpmnDecisionBehavior: no such decision is a CALLED_DECISION_ERROR incident, a failed
   * evaluation a DECISION_EVALUATION_ERROR naming the decision and why; resolving it evaluates again.
   */
  private callDecision(node: FlowNode, key: string, inst: ElementInstance): void {
    const called = node.calledDecision!;
    const decisionId = this.text(called.decisionId, key, node.id, 'decision id');
    const decision = this.decisions.find({ decisionId, bindingType: called.bindingType, versionTag: called.versionTag });
    if (!decision) {
      // Zeebe's words (BpmnDecisionBehavior / DecisionBehavior in camunda/camunda), per binding.
      const message =
        called.bindingType === 'deployment'
          ? `Expected to evaluate decision '${decisionId}' with binding type 'deployment', but no such decision found in the deployment with key ${this.decisions.deploymentKey} which contained the current process. To resolve this incident, migrate the process instance to a process definition that is deployed together with the intended decision to evaluate.`
          : called.bindingType === 'versionTag'
            ? `Expected to evaluate decision with id '${decisionId}' and version tag '${called.versionTag ?? ''}', but no such decision found. To resolve this incident, deploy a decision with the given id and version tag.`
            : `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`;
      throw this.incident('CALLED_DECISION_ERROR', message, node.id, key);
    }
    const result = evaluateDecision(decision.graph, decisionId, this.visible(key), this.feel.functions);
    if (!result.ok) throw this.incident('DECISION_EVALUATION_ERROR', result.failure, node.id, key);
    this.record('DECISION_EVALUATED', node, key, {
      decisionKey: decision.key,
      decisionId,
      decisionName: decision.name ?? null,
      decisionVersion: decision.version,
      decisionRequirementsKey: decision.decisionRequirementsKey,
      decisionRequirementsId: decision.decisionRequirementsId,
      decisionOutput: result.output,
      evaluatedDecisions: result.evaluatedDecisions,
    });
    this.complete(key, inst, { [called.resultVariable]: result.output });
  }

  /**
   * An inclusive gateway: as a fork it takes every flow whose condition is true, else the
   * default; as a join it waits until no token that could still reach it is left in its
   * scope (docs: "Inclusive gateways").
   */
  private inclusive(node: FlowNode, key: string, inst: ElementInstance): void {
    const taken = node.outgoing.filter((f) => f.id !== node.defaultFlow && (!f.condition || this.condition(f.condition, key, node.id)));
    const flows = taken.length > 0 ? taken : node.outgoing.filter((f) => f.id === node.defaultFlow);
    if (flows.length === 0 && node.outgoing.length > 0) {
      throw this.incident('CONDITION_ERROR', `Expected at least one condition to evaluate to true, or to have a default flow (gateway ${node.id})`, node.id, key);
    }
    this.end(key, inst, 'ELEMENT_COMPLETED');
    if (flows.length === 0) return this.maybeCompleteScope(inst.p!);
    for (const flow of flows) this.take(flow, inst.p!);
  }

  /** Whether the inclusive join `gateway` may fire in `scopeKey`: no live element there can still reach one of its untaken incoming flows. */
  private inclusiveJoinReady(gateway: FlowNode, scopeKey: string): boolean {
    const tokens = this.instances.get(scopeKey)?.j ?? {};
    const waiting = gateway.incoming.filter((f) => !(tokens[f.id] > 0));
    if (waiting.length === 0) return true;
    const reaching = new Set(waiting.flatMap((f) => [...this.reachers(gateway, f.id)]));
    for (const inst of this.instances.values()) if (inst.p === scopeKey && reaching.has(inst.e)) return false;
    return true;
  }

  /** The elements from which the flow `flowId` into `gateway` can be reached without passing the gateway (cached per graph). */
  private reachers(gateway: FlowNode, flowId: string): Set<string> {
    const cacheKey = `${gateway.id}\u0000${flowId}`;
    const cache = ((this.graph as ProcessGraph & { reach?: Map<string, Set<string>> }).reach ??= new Map());
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const flow = gateway.incoming.find((f) => f.id === flowId)!;
    const seen = new Set<string>();
    const stack = [flow.source];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === gateway.id || seen.has(id)) continue;
      seen.add(id);
      const n = this.graph.nodes.get(id);
      if (!n) continue;
      for (const f of n.incoming) stack.push(f.source);
      // A boundary event is reached while its activity runs.
      if (n.type === 'bpmn:BoundaryEvent' && n.attachedToRef) stack.push(n.attachedToRef);
    }
    cache.set(cacheKey, seen);
    return seen;
  }

  /**
   * An escalation thrown by an intermediate or end event: caught by the nearest escalation
   * boundary or event subprocess up the scopes (interrupting or not); uncaught, the instance
   * goes on (docs: "Escalation events").
   */
  private throwEscalation(node: FlowNode, key: string, inst: ElementInstance): void {
    const code = node.escalationCode ?? '';
    const catches = (events: FlowNode[]) => events.find((e) => e.escalationCode === code) ?? events.find((e) => e.escalationCode === undefined);
    const isEscalation = (n: FlowNode) => n.otherDefinition === 'bpmn:EscalationEventDefinition';
    for (let k: string | undefined = inst.p; k !== undefined; k = this.instances.get(k)?.p) {
      const scope = this.instances.get(k);
      if (!scope) break;
      const scopeNode = this.node(scope.e);
      const start = catches(scopeNode.eventSubprocesses.map((id) => this.node(this.node(id).eventStart ?? '')).filter(isEscalation));
      if (start) {
        const interrupting = start.interrupting !== false;
        if (!interrupting) this.complete(key, inst, undefined);
        this.startEventSubprocess(k, this.node(start.scope), start, {});
        return;
      }
      if (scope.p === undefined) break;
      const boundary = catches(scopeNode.boundaries.map((id) => this.node(id)).filter(isEscalation));
      if (boundary) {
        const outer = scope.p;
        if (boundary.cancelActivity !== false) {
          this.terminate(k);
        } else {
          this.complete(key, inst, undefined);
        }
        this.activate(boundary.id, outer, { trigger: {} });
        return;
      }
    }
    this.record('ESCALATION_NOT_CAUGHT', node, key, { escalationCode: code });
    this.complete(key, inst, undefined);
  }

  // ── waits ───────────────────────────────────────────────────────────────────

  private createJob(node: FlowNode, key: string, inst: ElementInstance, fixedType?: string): void {
    const type = fixedType ?? this.text(node.jobType!, key, node.id, 'job type');
    const retries = node.retries === undefined ? 3 : Number(this.evaluate(node.retries, key, 'EXTRACT_VALUE_ERROR', node.id));
    if (!Number.isInteger(retries) || retries < 0) {
      throw this.incident('EXTRACT_VALUE_ERROR', `The retries of ${node.id} must be a whole number, got ${node.retries}`, node.id, key);
    }
    inst.w = 'job';
    const headers = fixedType === USER_TASK_JOB_TYPE ? { ...node.headers, ...this.userTaskHeaders(node, key) } : node.headers;
    const job: NewJob = { elementId: node.id, elementInstanceKey: key, type, retries, headers, localVariables: this.locals(key) };
    if (node.adHoc) job.kind = 'AD_HOC_SUB_PROCESS';
    this.result.jobs.push(job);
    this.record('JOB_CREATED', node, key, { type, retries }, undefined, job);
  }

  /**
   * A call activity creates a process instance of the called process (the version its bindingType
   * names: the latest, the one deployed with the calling version, or the latest with a version tag) and
   * waits for it to complete (docs.camunda.io/docs/components/modeler/bpmn/call-activities/).
   * The child gets every variable the call activity sees (propagateAllParentVariables, the
   * default), or only its input mappings' locals. The store checks the process is deployed.
   */
  private call(node: FlowNode, key: string, inst: ElementInstance): void {
    const called = node.called;
    if (!called?.processId) throw this.incident('EXTRACT_VALUE_ERROR', `The call activity ${node.id} names no process to call`, node.id, key);
    const id = called.processId.startsWith('=') ? this.evaluate(called.processId, key, 'EXTRACT_VALUE_ERROR', node.id) : called.processId;
    if (typeof id !== 'string' || id === '') {
      throw this.incident(
        'EXTRACT_VALUE_ERROR',
        `Expected the process id of the call activity ${node.id} ('${called.processId}') to be a string, but it was ${JSON.stringify(id ?? null)}`,
        node.id,
        key,
      );
    }
    const childKey = this.keys.next();
    inst.w = 'call';
    inst.c = childKey;
    const variables = called.propagateAllParentVariables ? this.visible(key) : { ...inst.v };
    const call: NewCall = { processInstanceKey: childKey, bpmnProcessId: id, elementId: node.id, elementInstanceKey: key, variables, bindingType: called.bindingType, versionTag: called.versionTag };
    (this.result.calls ??= []).push(call);
  }

  private createUserTask(node: FlowNode, key: string, inst: ElementInstance): void {
    const config = node.userTask ?? {};
    const value = (expr: string | undefined) => (expr === undefined ? undefined : this.evaluate(expr, key, 'EXTRACT_VALUE_ERROR', node.id));
    const date = (expr: string | undefined, what: string) => {
      const v = value(expr);
      if (v === undefined || v === null || v === '') return undefined;
      const d = new Date(String(v));
      if (Number.isNaN(d.getTime())) throw this.incident('EXTRACT_VALUE_ERROR', `The ${what} of ${node.id} is not a date: ${JSON.stringify(v)}`, node.id, key);
      return d;
    };
    const assignee = value(config.assignee);
    const priority = Number(value(config.priority) ?? 50);
    inst.w = 'task';
    const task: NewUserTask = {
      elementId: node.id,
      elementInstanceKey: key,
      name: node.name,
      assignee: assignee === undefined || assignee === null || assignee === '' ? undefined : String(assignee),
      candidateGroups: parseList(value(config.candidateGroups)),
      candidateUsers: parseList(value(config.candidateUsers)),
      formKey: config.formId ?? config.formKey,
      dueDate: date(config.dueDate, 'due date'),
      followUpDate: date(config.followUpDate, 'follow-up date'),
      priority: Number.isFinite(priority) ? Math.max(0, Math.min(100, Math.round(priority))) : 50,
      localVariables: this.locals(key),
    };
    this.result.userTasks.push(task);
    this.record('USER_TASK_CREATED', node, key, undefined, undefined, task);
  }

  /** A catch event or receive task waits for its timer or message; the wait's key is its own. */
  private waitForEvent(node: FlowNode, key: string, inst: ElementInstance): void {
    inst.w = 'event';
    if (node.eventDefinition === 'timer') {
      const { dueAt } = this.timerDue(node, key);
      const timer: NewTimer = { elementId: node.id, elementInstanceKey: key, dueAt };
      this.result.timers.push(timer);
      this.record('TIMER_CREATED', node, key, { dueAt: dueAt.toISOString() }, undefined, timer);
      return;
    }
    if (node.eventDefinition === 'message' || node.type === 'bpmn:ReceiveTask') {
      this.subscribe(node, key, key);
      return;
    }
    if (node.eventDefinition === 'signal') {
      const name = this.signalName(node, key);
      inst.s = name;
      this.signalSubscribed(node, key, name);
      return;
    }
    throw this.incident('UNKNOWN', `The engine cannot wait at ${node.id}: it has no timer, message or signal`, node.id, key);
  }

  /** Opens a message subscription under `waitKey`, its name and correlation key evaluated in `scopeKey`. */
  private subscribe(event: FlowNode, waitKey: string, scopeKey: string): void {
    if (!event.messageName) throw this.incident('EXTRACT_VALUE_ERROR', `${event.id} waits for a message that has no name`, event.id, scopeKey);
    const name = this.text(event.messageName, scopeKey, event.id, 'message name');
    const correlation = event.correlationKey === undefined ? '' : this.evaluate(event.correlationKey, scopeKey, 'EXTRACT_VALUE_ERROR', event.id);
    if (correlation === null || correlation === undefined || (typeof correlation !== 'string' && typeof correlation !== 'number')) {
      throw this.incident(
        'EXTRACT_VALUE_ERROR',
        `Failed to extract the correlation key for '${event.correlationKey}': the value must be either a string or a number, but was ${JSON.stringify(correlation)}`,
        event.id,
        scopeKey,
      );
    }
    const sub: NewSubscription = { elementId: event.id, elementInstanceKey: waitKey, messageName: name, correlationKey: String(correlation) };
    this.result.subscriptions.push(sub);
    this.record('MESSAGE_SUBSCRIPTION_CREATED', event, waitKey, { messageName: name, correlationKey: String(correlation) }, undefined, sub);
  }

  private timerDue(event: FlowNode, scopeKey: string): { dueAt: Date; cycle?: { r: number | null; c: string } } {
    const def = event.timer;
    if (!def) throw this.incident('EXTRACT_VALUE_ERROR', `${event.id} has a timer without a date, duration or cycle`, event.id, scopeKey);
    const raw = this.evaluate(def.expression, scopeKey, 'EXTRACT_VALUE_ERROR', event.id);
    const value = String(raw ?? '').trim();
    const now = this.clock.now();
    const bad = (why: string) => this.incident('EXTRACT_VALUE_ERROR', `The timer of ${event.id} ${why}: ${JSON.stringify(raw)}`, event.id, scopeKey);
    switch (def.kind) {
      case 'timeDate': {
        const d = new Date(value);
        if (Number.isNaN(d.getTime())) throw bad('is not an ISO-8601 date');
        return { dueAt: d };
      }
      case 'timeDuration':
        try {
          return { dueAt: new Date(now.getTime() + durationMs(value, 'timeDuration')) };
        } catch {
          throw bad('is not an ISO-8601 duration');
        }
      case 'timeCycle': {
        // Zeebe: a cycle that does not start with R is a cron expression (core/cron.ts), repeating without end.
        if (isCronCycle(value)) {
          let first: Date | null;
          try {
            first = nextCronFiring(value, now);
          } catch (e) {
            throw bad(`is neither a cycle R[n]/[start/]interval nor a cron expression (${(e as Error).message})`);
          }
          if (!first) throw bad('is a cron expression that never fires');
          return { dueAt: first, cycle: { r: null, c: value } };
        }
        const match = CYCLE.exec(value);
        if (!match) throw bad('is not a cycle R[n]/[start/]interval');
        const [, count, from, interval] = match;
        let ms: number;
        try {
          ms = durationMs(interval, 'timeCycle interval');
        } catch {
          throw bad('has an interval that is not an ISO-8601 duration');
        }
        if (ms <= 0) throw bad('has an interval of zero');
        const first = from ? new Date(from) : new Date(now.getTime() + ms);
        if (Number.isNaN(first.getTime())) throw bad('has a start that is not a date');
        return { dueAt: first, cycle: { r: count === '' ? null : Number(count) - 1, c: interval } };
      }
    }
  }

  /** Opens a timer wait owned by `ownerKey` for `event` (a boundary, an event subprocess start, an event after a gateway). */
  private openTimer(event: FlowNode, ownerKey: string, from?: Date, cycle?: { r: number | null; c: string }): void {
    const waitKey = this.keys.next();
    let dueAt: Date;
    let next = cycle;
    if (cycle && from && isStoredCron(cycle.c)) {
      const next = nextCronFiring(cycle.c, from);
      if (!next) return; // the cron expression matches no later time: the cycle has ended
      dueAt = next;
    } else if (cycle && from) {
      dueAt = new Date(from.getTime() + durationMs(cycle.c, 'timeCycle interval'));
    } else {
      const due = this.timerDue(event, ownerKey);
      dueAt = due.dueAt;
      next = due.cycle;
    }
    const wait: EventWait = { o: ownerKey, e: event.id };
    if (next) {
      wait.r = next.r;
      wait.c = next.c;
    }
    this.waits.set(waitKey, wait);
    const timer: NewTimer = { elementId: event.id, elementInstanceKey: waitKey, dueAt };
    this.result.timers.push(timer);
    this.record('TIMER_CREATED', event, waitKey, { dueAt: dueAt.toISOString() }, undefined, timer);
  }

  private openSubscription(event: FlowNode, ownerKey: string): void {
    const waitKey = this.keys.next();
    this.waits.set(waitKey, { o: ownerKey, e: event.id });
    this.subscribe(event, waitKey, ownerKey);
  }

  /**
   * Opens a signal subscription owned by `ownerKey` for `event` (a boundary, an event subprocess
   * start, an event after a gateway); its name is evaluated now, in the owner's scope (Zeebe's
   * CatchEventBehavior evaluates it with the element instance that subscribes).
   */
  private openSignal(event: FlowNode, ownerKey: string): void {
    const name = this.signalName(event, ownerKey);
    const waitKey = this.keys.next();
    this.waits.set(waitKey, { o: ownerKey, e: event.id, s: name });
    this.signalSubscribed(event, waitKey, name);
  }

  private signalSubscribed(event: FlowNode, waitKey: string, signalName: string): void {
    const sub: NewSignalSubscription = { elementId: event.id, elementInstanceKey: waitKey, signalName };
    (this.result.signalSubscriptions ??= []).push(sub);
    this.record('SIGNAL_SUBSCRIPTION_CREATED', event, waitKey, { signalName }, undefined, sub);
  }

  /** A signal's name: static, or FEEL evaluated in `scopeKey` to a non-empty string of at most MAX_SIGNAL_NAME characters (docs: "Signals"). */
  private signalName(event: FlowNode, scopeKey: string): string {
    if (!event.signalName) throw this.incident('EXTRACT_VALUE_ERROR', `${event.id} refers to a signal that has no name`, event.id, scopeKey);
    const name = this.text(event.signalName, scopeKey, event.id, 'signal name');
    if (name.length > MAX_SIGNAL_NAME) {
      throw this.incident('EXTRACT_VALUE_ERROR', `The signal name of ${event.id} has ${name.length} characters; the most a signal name may have is ${MAX_SIGNAL_NAME}`, event.id, scopeKey);
    }
    return name;
  }

  /**
   * A signal intermediate throw or end event broadcasts its signal with its local variables (its
   * input mappings' results), then completes (docs: "Signal throw events", "Variable mappings";
   * Zeebe's BpmnSignalBehavior). The broadcast is a follow-up: it reaches what waits in this
   * instance before the next element is entered, and the other instances after the step.
   */
  private throwSignal(node: FlowNode, key: string, inst: ElementInstance): void {
    const name = this.signalName(node, key);
    const signal: ThrownSignal = { key: this.keys.next(), signalName: name, variables: { ...inst.v } };
    (this.result.signals ??= []).push(signal);
    this.record('SIGNAL_BROADCASTED', node, key, { signalName: name, signalKey: signal.key, variables: Object.keys(signal.variables) });
    this.later(() => this.broadcastHere(signal));
    this.complete(key, inst, undefined);
  }

  private subscribeBoundaries(node: FlowNode, key: string): void {
    for (const id of node.boundaries) {
      const event = this.node(id);
      if (event.eventDefinition === 'timer') this.openTimer(event, key);
      else if (event.eventDefinition === 'message') this.openSubscription(event, key);
      else if (event.eventDefinition === 'signal') this.openSignal(event, key);
    }
  }

  private subscribeEventSubprocesses(container: FlowNode, key: string): void {
    for (const id of container.eventSubprocesses) {
      const start = this.node(this.node(id).eventStart ?? '');
      if (start.eventDefinition === 'timer') this.openTimer(start, key);
      else if (start.eventDefinition === 'message') this.openSubscription(start, key);
      else if (start.eventDefinition === 'signal') this.openSignal(start, key);
    }
  }

  private eventGateway(node: FlowNode, key: string, inst: ElementInstance): void {
    inst.w = 'event';
    for (const flow of node.outgoing) {
      const event = this.node(flow.target);
      if (event.eventDefinition === 'timer') this.openTimer(event, key);
      else if (event.eventDefinition === 'message' || event.type === 'bpmn:ReceiveTask') this.openSubscription(event, key);
      else if (event.eventDefinition === 'signal') this.openSignal(event, key);
      else throw this.incident('UNKNOWN', `The event-based gateway ${node.id} leads to ${event.id}, which is not a timer, message or signal event`, node.id, key);
    }
  }

  private closeWait(waitKey: string): void {
    this.waits.delete(waitKey);
    this.result.ended.add(waitKey);
  }

  private closeWaitsOf(ownerKey: string): void {
    for (const [waitKey, wait] of [...this.waits]) if (wait.o === ownerKey) this.closeWait(waitKey);
  }

  // ── errors and event subprocesses ───────────────────────────────────────────

  /**
   * A BPMN error thrown at `fromKey` (a job's element, or an error end event): caught by the
   * nearest error boundary event or error event subprocess up the scopes, which interrupts
   * what it is attached to; uncaught, it is an incident (docs: "Error events").
   */
  private throwError(fromKey: string, code: string, message: string | undefined, variables: Trigger, endEvent = false): void {
    const from = this.instances.get(fromKey)!;
    let key: string | undefined = endEvent ? from.p : fromKey;
    while (key !== undefined) {
      const inst = this.instances.get(key);
      if (!inst) break;
      const node = this.node(inst.e);
      const boundary = this.errorCatch(node.boundaries.map((id) => this.node(id)).filter((b) => b.eventDefinition === 'error'), code);
      if (boundary && (inst.b || !node.loop)) {
        const scopeKey = inst.p!;
        this.terminate(key);
        this.activate(boundary.id, scopeKey, { trigger: variables ?? {} });
        return;
      }
      const starts = node.eventSubprocesses.map((id) => this.node(this.node(id).eventStart ?? '')).filter((s) => s.eventDefinition === 'error');
      const start = this.errorCatch(starts, code);
      if (start) {
        this.startEventSubprocess(key, this.node(start.scope), start, variables ?? {});
        return;
      }
      key = inst.p;
    }
    const node = this.node(from.e);
    const incident = this.incident(
      'UNHANDLED_ERROR_EVENT',
      `An error was thrown with the code '${code}'${message ? ` (${message})` : ''} but not caught. No error events are available that can catch the error.`,
      node.id,
      fromKey,
    );
    // In a called instance the store throws it again at the call activity (docs: "Call activities" → error propagation).
    incident.thrown = { errorCode: code, errorMessage: message, variables: variables ?? {} };
    throw incident;
  }

  /** The catch event for a code: one naming it, else one that catches every error. */
  private errorCatch(events: FlowNode[], code: string): FlowNode | undefined {
    return events.find((e) => e.errorCode === code) ?? events.find((e) => e.errorCode === undefined);
  }

  /** An event subprocess starts in `containerKey`; an interrupting one first terminates everything else there. */
  private startEventSubprocess(containerKey: string, esp: FlowNode, start: FlowNode, variables: Variables): void {
    const container = this.instances.get(containerKey);
    if (!container) return;
    if (this.isInterrupting(start) || start.eventDefinition === 'error') {
      for (const [childKey, child] of [...this.instances]) if (child.p === containerKey) this.terminate(childKey);
      const containerNode = this.node(container.e);
      if (containerNode.adHoc) this.cancelAdHocJob(containerNode, containerKey, container);
      this.closeWaitsOf(containerKey);
      delete container.j;
      container.x = 1;
    }
    const key = this.keys.next();
    this.instances.set(key, { e: esp.id, p: containerKey });
    // Marked, so a search by Camunda's element type tells an event subprocess (EVENT_SUB_PROCESS) from a subprocess.
    this.record('ELEMENT_ACTIVATED', esp, key, { flowScopeKey: containerKey, triggeredByEvent: true });
    this.later(() => this.activate(start.id, key, { trigger: variables }));
  }

  // ── ad-hoc subprocesses ─────────────────────────────────────────────────────

  /**
   * The locals an ad-hoc subprocess has before its input mappings (AdHocSubProcessProcessor.onActivate):
   * `adHocSubProcessElements`, what may be activated in it (docs: "Special ad-hoc sub-process
   * variables"), and its output collection, empty (docs: "Collect output").
   */
  private setAdHocVariables(node: FlowNode, key: string, inst: ElementInstance): void {
    const adHoc = node.adHoc!;
    const v: Variables = { adHocSubProcessElements: adHoc.elements.map((e) => structuredClone(e)) };
    if (adHoc.outputCollection) v[adHoc.outputCollection] = [];
    inst.v = { ...inst.v, ...v };
    this.record('VARIABLE_SET', node, key, { names: Object.keys(v), local: true });
  }

  /**
   * Entering an ad-hoc subprocess (docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/,
   * "Activate an element"): `activeElementsCollection`, evaluated after the input mappings, names
   * the inner elements to activate, each in an inner instance of its own; without it, or with an
   * empty list, nothing is activated and the subprocess stays active. A result that is not a list
   * of strings, or an id that is not an element that can be activated there, is an incident in
   * Zeebe's words (AdHocSubProcessProcessor.readActivateElementsCollection).
   */
  private enterAdHoc(node: FlowNode, key: string): void {
    const adHoc = node.adHoc!;
    if (node.jobType) {
      // Job worker implementation: the worker decides what to activate (docs: "When it's activated, it creates a job").
      this.subscribeEventSubprocesses(node, key);
      return this.createJob(node, key, this.instances.get(key)!);
    }
    const prefix = 'Failed to activate ad-hoc elements. ';
    let ids: string[] = [];
    if (adHoc.activeElementsCollection) {
      try {
        ids = this.feel.stringList(adHoc.activeElementsCollection, this.visible(key), node.id, prefix);
      } catch (e) {
        if (!(e instanceof FeelError)) throw e;
        throw this.incident('EXTRACT_VALUE_ERROR', e.message.startsWith(prefix) ? e.message : `${prefix}${e.message}`, node.id, key);
      }
      const unknown = ids.filter((id) => !adHoc.activities.includes(id));
      if (unknown.length > 0) {
        throw this.incident('EXTRACT_VALUE_ERROR', `${prefix}No BPMN elements found with ids: ${unknown.map((id) => `'${id}'`).join(', ')}.`, node.id, key);
      }
    }
    this.subscribeEventSubprocesses(node, key);
    for (const id of ids) this.activateInAdHoc(node, key, id);
  }

  /** An inner instance in the ad-hoc subprocess, then the element in it (BpmnAdHocSubProcessBehavior.activateElement). */
  private activateInAdHoc(node: FlowNode, key: string, elementId: string, variables?: Variables): void {
    const innerKey = this.keys.next();
    const inner: ElementInstance = { e: node.adHoc!.inner, p: key };
    this.instances.set(innerKey, inner);
    this.record('ELEMENT_ACTIVATED', this.node(node.adHoc!.inner), innerKey, { flowScopeKey: key }, INNER_INSTANCE_TYPE);
    if (variables && Object.keys(variables).length > 0) {
      // A job worker's variables for the element are locals of its inner instance (BpmnAdHocSubProcessBehavior.activateElement).
      inner.v = structuredClone(variables);
      this.record('VARIABLE_SET', this.node(node.adHoc!.inner), innerKey, { names: Object.keys(variables), local: true }, INNER_INSTANCE_TYPE);
    }
    this.later(() => this.activate(elementId, innerKey));
  }

  /**
   * Before a path inside the ad-hoc subprocess completes: its `outputElement` (evaluated in the
   * path's scope) is appended to the output collection, and the completion condition is evaluated
   * in the subprocess's scope (docs: "Completion": "evaluated every time an inner element is
   * completed"). Undefined: the subprocess has no completion condition.
   */
  private beforeAdHocPathCompleted(node: FlowNode, inst: ElementInstance, childKey: string): boolean | undefined {
    const adHoc = node.adHoc!;
    const adHocKey = this.instances.get(childKey)!.p!;
    if (adHoc.outputCollection && adHoc.outputElement) {
      const value = this.evaluate(adHoc.outputElement, childKey, 'EXTRACT_VALUE_ERROR', node.id);
      const list = inst.v?.[adHoc.outputCollection];
      if (!Array.isArray(list)) {
        throw this.incident('EXTRACT_VALUE_ERROR', `The output collection has the wrong type. Expected ARRAY but was ${JSON.stringify(list ?? null)}.`, node.id, adHocKey);
      }
      inst.v![adHoc.outputCollection] = [...list, value];
    }
    if (!adHoc.completionCondition || node.jobType) return undefined;
    try {
      return this.feel.boolean(adHoc.completionCondition, this.visible(adHocKey), node.id, 'Failed to evaluate completion condition. ');
    } catch (e) {
      if (e instanceof FeelError) throw this.incident('EXTRACT_VALUE_ERROR', e.message, node.id, adHocKey);
      throw e;
    }
  }

  /**
   * After a path inside the ad-hoc subprocess completed (AdHocSubProcessProcessor, BPMN behaviour):
   * without a completion condition it completes once nothing in it is active; with one, only when
   * it is true, first terminating what is still active (`cancelRemainingInstances`, the default)
   * or waiting for it (docs: "Completion").
   */
  private afterAdHocPathCompleted(node: FlowNode, key: string, fulfilled: boolean | undefined): void {
    const inst = this.instances.get(key);
    if (node.jobType && inst) {
      // Job worker implementation (AdHocSubProcessProcessor.JobWorkerBehavior): the worker decides again, with a new
      // job, unless it already declared the completion condition fulfilled, or an interrupting event subprocess ended
      // it ("it cancels all active elements and completes the ad-hoc sub-process without waiting for the job worker").
      this.cancelAdHocJob(node, key, inst);
      if (inst.f || inst.x) return this.maybeCompleteScope(key);
      return this.createJob(node, key, inst);
    }
    if (fulfilled === false) return;
    if (fulfilled === true && node.adHoc!.cancelRemainingInstances) {
      for (const [childKey, child] of [...this.instances]) if (child.p === key) this.terminate(childKey);
    }
    this.maybeCompleteScope(key);
  }

  /**
   * The worker of an ad-hoc subprocess's job completed it (JobCompleteProcessor.handleAdHocSubProcessJob,
   * AdHocSubProcessInstructionActivateProcessor, BpmnAdHocSubProcessBehavior): its variables are merged
   * from the subprocess upward, each element it names is activated in an inner instance of its own with
   * its variables as locals there, and a fulfilled completion condition completes the subprocess,
   * terminating what is still active first (`isCancelRemainingInstances`) or once that completes. A
   * result naming elements the subprocess cannot activate is refused, and nothing of it happens.
   */
  private adHocJobCompleted(node: FlowNode, key: string, inst: ElementInstance, variables: Variables, result: AdHocJobResult | undefined): void {
    const activate = result?.activateElements ?? [];
    const ids = activate.map((a) => a.elementId);
    const unknown = ids.filter((id) => !node.adHoc!.activities.includes(id));
    if (unknown.length > 0) {
      throw new DomainError(
        'NOT_FOUND',
        `Expected to activate activities for ad-hoc sub-process with key '${key}', but the given elements [${unknown.join(', ')}] do not exist.`,
        404,
        { elementIds: unknown },
      );
    }
    if (new Set(ids).size !== ids.length) {
      throw new DomainError('INVALID_ARGUMENT', `Expected to activate activities for ad-hoc sub-process with key '${key}', but duplicate activities were given.`, 400);
    }
    if (result?.isCompletionConditionFulfilled && ids.length > 0) {
      // docs: "It cannot fulfill both the completion condition and activate new elements at the same time."
      throw new DomainError(
        'INVALID_ARGUMENT',
        `Expected to complete the job of ad-hoc sub-process with key '${key}' either activating elements or fulfilling its completion condition, but it did both.`,
        400,
      );
    }
    delete inst.w;
    this.later(() => {
      if (Object.keys(variables).length > 0) {
        this.propagate(key, variables);
        this.record('VARIABLE_SET', node, key, { names: Object.keys(variables) });
      }
      for (const a of activate) this.activateInAdHoc(node, key, a.elementId, a.variables);
      if (result?.isCompletionConditionFulfilled) {
        inst.f = 1;
        if (result.isCancelRemainingInstances) for (const [childKey, child] of [...this.instances]) if (child.p === key) this.terminate(childKey);
        this.maybeCompleteScope(key);
      }
    });
  }

  /** An ad-hoc subprocess's open job is cancelled: one created in this run is simply dropped, a stored one closed with the step. */
  private cancelAdHocJob(node: FlowNode, key: string, inst: ElementInstance): void {
    if (inst.w !== 'job') return;
    delete inst.w;
    const n = this.result.jobs.findIndex((j) => j.elementInstanceKey === key);
    if (n >= 0) {
      const [job] = this.result.jobs.splice(n, 1);
      const e = this.result.events.findIndex((ev) => ev.ref === job);
      if (e >= 0) this.result.events.splice(e, 1);
      return;
    }
    (this.result.canceledJobs ??= new Set()).add(key);
    this.record('JOB_CANCELED', node, key);
  }

  // ── compensation ────────────────────────────────────────────────────────────

  /**
   * An activity completes: with a compensation boundary event it leaves a compensation
   * subscription in its flow scope, and so does a subprocess or multi-instance body in whose
   * scope subscriptions were left (Zeebe's BpmnCompensationSubscriptionBehaviour
   * .createCompensationSubscription). The inner instances of a multi-instance activity leave none
   * of their own: the body carries the boundary event, so its handler is invoked once (docs:
   * "Compensating multi-instance activities").
   */
  private subscribeCompensation(node: FlowNode, key: string, inst: ElementInstance): void {
    if (inst.p === undefined) return;
    const boundary = inst.lc === undefined && node.compensationBoundary !== undefined;
    const holder = (inst.b === 1 || (node.type === 'bpmn:SubProcess' && !node.triggeredByEvent)) && this.compensations.some((c) => c.s === key);
    if (!boundary && !holder) return;
    const sub: CompensationSubscription = { i: key, e: node.id, s: inst.p };
    const handler = boundary ? this.node(node.compensationBoundary!).compensationHandler : undefined;
    if (handler) sub.h = handler;
    this.compensations.push(sub);
    this.record('COMPENSATION_SUBSCRIPTION_CREATED', node, key, { flowScopeKey: inst.p, compensationHandlerId: handler ?? null });
  }

  /** A subprocess or body terminated: what completed inside it is never compensated (docs: "The compensation handlers are not invoked if the subprocess is active or terminated"). */
  private dropCompensations(scopeKey: string): void {
    for (const sub of this.compensations.filter((c) => c.s === scopeKey)) {
      this.compensations = this.compensations.filter((c) => c !== sub);
      this.record('COMPENSATION_SUBSCRIPTION_DELETED', this.node(sub.e), sub.i, { flowScopeKey: sub.s });
      this.dropCompensations(sub.i);
    }
  }

  /**
   * A compensation intermediate throw or end event: it triggers the subscriptions in its flow
   * scope not triggered before (those of `activityRef` only, if it names one; inside an event
   * subprocess, also those of the scope around it), and through subprocesses' subscriptions the
   * ones inside them; each invokes its handler, all at once, in the throw event's flow scope. The
   * event waits until every handler it invoked completed; with nothing to compensate it completes
   * at once (Zeebe's IntermediateThrowEventProcessor / EndEventProcessor CompensationBehavior;
   * docs: "Triggering compensation").
   */
  private throwCompensation(node: FlowNode, key: string, inst: ElementInstance): void {
    const scopeKey = inst.p!;
    const scope = this.instances.get(scopeKey)!;
    const scopes = [scopeKey];
    if (this.node(scope.e).triggeredByEvent && scope.p !== undefined) scopes.push(scope.p);
    const open = this.compensations.filter((c) => c.t === undefined);
    const chosen = open.filter((c) => scopes.includes(c.s) && (node.compensateActivity === undefined || c.e === node.compensateActivity));
    if (chosen.length === 0) return this.complete(key, inst, undefined);
    inst.w = 'compensation';
    for (const sub of chosen) this.triggerCompensation(sub, open, key, scopeKey);
    this.settleCompensation([key]);
  }

  private triggerCompensation(sub: CompensationSubscription, open: CompensationSubscription[], throwKey: string, scopeKey: string): void {
    if (sub.t !== undefined) return;
    const activity = this.node(sub.e);
    sub.t = throwKey;
    if (sub.h) {
      // Zeebe writes the compensation boundary event activated and completed, then activates the handler.
      const boundary = this.node(activity.compensationBoundary!);
      const boundaryKey = this.keys.next();
      this.record('ELEMENT_ACTIVATED', boundary, boundaryKey, { flowScopeKey: scopeKey });
      this.record('ELEMENT_COMPLETED', boundary, boundaryKey, { flowScopeKey: scopeKey });
      const handlerKey = this.keys.next();
      sub.x = handlerKey;
      const handler = sub.h;
      this.later(() => this.activate(handler, scopeKey, { key: handlerKey }));
    }
    this.record('COMPENSATION_SUBSCRIPTION_TRIGGERED', activity, sub.i, { throwEventInstanceKey: throwKey, compensationHandlerInstanceKey: sub.x ?? null });
    for (const inner of open) if (inner.s === sub.i) this.triggerCompensation(inner, open, throwKey, scopeKey);
  }

  /** A compensation handler completed: its subscription is done, and perhaps the throw event that invoked it. */
  private handlerCompleted(key: string): void {
    const sub = this.compensations.find((c) => c.x === key);
    if (!sub) return;
    this.compensations = this.compensations.filter((c) => c !== sub);
    this.record('COMPENSATION_SUBSCRIPTION_COMPLETED', this.node(sub.e), sub.i, { throwEventInstanceKey: sub.t });
    this.settleCompensation([sub.t!]);
  }

  /**
   * A triggered subscription of a subprocess or body completes once nothing inside it is left to
   * compensate; a throw event completes once no subscription it triggered is left
   * (completeFlowScopeSubscriptionFromBottomToTop, completeCompensationThrowEvent).
   */
  private settleCompensation(throwKeys: string[]): void {
    const throws = new Set(throwKeys);
    for (let settled = true; settled; ) {
      settled = false;
      for (const sub of this.compensations) {
        if (sub.t === undefined || sub.h !== undefined || this.compensations.some((c) => c.s === sub.i)) continue;
        this.compensations = this.compensations.filter((c) => c !== sub);
        this.record('COMPENSATION_SUBSCRIPTION_COMPLETED', this.node(sub.e), sub.i, { throwEventInstanceKey: sub.t });
        throws.add(sub.t);
        settled = true;
        break;
      }
    }
    for (const throwKey of throws) {
      if (this.compensations.some((c) => c.t === throwKey)) continue;
      const thrower = this.instances.get(throwKey);
      if (thrower?.w !== 'compensation') continue;
      delete thrower.w;
      this.later(() => {
        if (this.instances.get(throwKey) === thrower) this.complete(throwKey, thrower, undefined);
      });
    }
  }

  // ── multi-instance ──────────────────────────────────────────────────────────

  private activateBody(node: FlowNode, scopeKey: string, preassigned?: string): void {
    const loop = node.loop!;
    const key = preassigned ?? this.keys.next();
    const body: ElementInstance = { e: node.id, p: scopeKey, b: 1 };
    this.instances.set(key, body);
    this.record('ELEMENT_ACTIVATED', node, key, { flowScopeKey: scopeKey }, 'bpmn:MultiInstanceBody');
    const items = this.collection(node, key);
    if (node.boundaries.length > 0) this.subscribeBoundaries(node, key);
    body.mi = [items.length, 0, 0, 0];
    if (loop.outputCollection) body.v = { [loop.outputCollection]: items.map(() => null) };
    if (items.length === 0) return this.later(() => this.completeBody(key, body));
    const n = loop.sequential ? 1 : items.length;
    for (let i = 0; i < n; i++) this.createInner(node, key, body);
  }

  private collection(node: FlowNode, key: string): unknown[] {
    const expr = node.loop!.inputCollection;
    const list = this.evaluate(expr, key, 'EXTRACT_VALUE_ERROR', node.id);
    if (!Array.isArray(list)) {
      throw this.incident('EXTRACT_VALUE_ERROR', `Expected the inputCollection of ${node.id} to be a list, but it was ${JSON.stringify(list)}`, node.id, key);
    }
    if (list.length > MAX_COLLECTION_ITEMS) {
      throw this.incident(
        'EXTRACT_VALUE_ERROR',
        `The inputCollection of ${node.id} has ${list.length} items; the most a multi-instance activity may have here is ${MAX_COLLECTION_ITEMS}`,
        node.id,
        key,
      );
    }
    return list;
  }

  private createInner(node: FlowNode, bodyKey: string, body: ElementInstance): void {
    const loopCounter = ++body.mi![1];
    this.later(() => this.activate(node.id, bodyKey, { inner: true, loopCounter }));
  }

  /** An inner instance's locals: inputElement, an empty outputElement variable, loopCounter (MultiInstanceBodyProcessor.setLoopVariables). */
  private setLoopVariables(node: FlowNode, inst: ElementInstance, bodyKey: string, loopCounter: number): void {
    const loop = node.loop!;
    const items = this.collection(node, bodyKey);
    if (loopCounter - 1 >= items.length) {
      throw this.incident(
        'EXTRACT_VALUE_ERROR',
        `Expected to read item at index ${loopCounter - 1} of the multiInstanceBody input collection but it contains only ${items.length} elements`,
        node.id,
        bodyKey,
      );
    }
    inst.lc = loopCounter;
    const v: Variables = {};
    if (loop.inputElement) v[loop.inputElement] = items[loopCounter - 1];
    const output = loop.outputElement && /^=\s*[A-Za-z_][\w]*\s*$/.test(loop.outputElement) ? loop.outputElement.replace(/^=\s*/, '').trim() : undefined;
    if (output && output !== loop.inputElement && output !== 'loopCounter') v[output] = null;
    v.loopCounter = loopCounter;
    inst.v = v;
  }

  private innerCompleted(node: FlowNode, key: string, inst: ElementInstance, bodyKey: string, body: ElementInstance): void {
    const loop = node.loop!;
    if (loop.outputCollection && loop.outputElement) {
      const value = this.evaluate(loop.outputElement, key, 'EXTRACT_VALUE_ERROR', node.id);
      const list = body.v?.[loop.outputCollection];
      if (Array.isArray(list) && inst.lc !== undefined) list[inst.lc - 1] = value;
    }
    let done = false;
    if (loop.completionCondition) {
      const [n, , completed, terminated] = body.mi!;
      const counts = {
        numberOfInstances: n,
        numberOfActiveInstances: this.innerCount(bodyKey) - 1,
        numberOfCompletedInstances: completed + 1,
        numberOfTerminatedInstances: terminated,
      };
      try {
        done = this.feel.condition(`=${loop.completionCondition.replace(/^=/, '')}`, { ...this.visible(key), ...counts }, node.id);
      } catch (e) {
        if (e instanceof FeelError) throw this.incident('CONDITION_ERROR', e.message, node.id, key);
        throw e;
      }
    }
    this.end(key, inst, 'ELEMENT_COMPLETED');
    body.mi![2]++;
    if (done) {
      for (const [childKey, child] of [...this.instances]) {
        if (child.p === bodyKey) {
          this.terminate(childKey);
          body.mi![3]++;
        }
      }
      this.later(() => this.completeBody(bodyKey, body));
      return;
    }
    const [n, created, completed, terminated] = body.mi!;
    if (loop.sequential && created < n) return this.createInner(node, bodyKey, body);
    if (completed + terminated >= n) this.later(() => this.completeBody(bodyKey, body));
  }

  private innerCount(bodyKey: string): number {
    let n = 0;
    for (const inst of this.instances.values()) if (inst.p === bodyKey) n++;
    return n;
  }

  /** The body completes: its output collection propagates to its flow scope, then its flows are taken. */
  private completeBody(key: string, body: ElementInstance): void {
    if (!this.instances.has(key)) return;
    const node = this.node(body.e);
    const name = node.loop!.outputCollection;
    if (name) this.propagate(body.p!, { [name]: body.v?.[name] ?? [] });
    this.closeWaitsOf(key);
    this.end(key, body, 'ELEMENT_COMPLETED');
    this.leave(node, body.p!);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────

  private later(step: () => void): void {
    this.queue.push(step);
  }

  /** Runs follow-ups in order until every path waits; inclusive joins are checked when nothing else moves. */
  private drain(): void {
    for (;;) {
      for (let step = this.queue.shift(); step; step = this.queue.shift()) step();
      const idle = this.idle.splice(0);
      if (idle.length === 0) return;
      for (const check of idle) check();
    }
  }

  private node(id: string): FlowNode {
    const node = this.graph.nodes.get(id);
    if (!node) throw new RunIncident('UNKNOWN', `The diagram has no element ${id}`, this.graph.bpmnProcessId);
    return node;
  }

  private incident(type: IncidentErrorType, message: string, elementId: string, key?: string): RunIncident {
    return new RunIncident(type, message, elementId, key);
  }

  private record(intent: string, node: FlowNode, key: string, payload?: Record<string, unknown>, elementType?: string, ref?: { key?: string }): void {
    const event: RunEvent = { intent, elementId: node.id, elementType: elementType ?? node.type, elementInstanceKey: key };
    if (payload) event.payload = payload;
    if (ref) event.ref = ref;
    this.result.events.push(event);
  }
}

