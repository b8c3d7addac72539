import type { ModdleElement } from 'bpmn-moddle';

/** A `zeebe:ioMapping` entry: FEEL `source` (or a literal), variable `target`. */
export interface Mapping {
  source: string;
  target: string;
}

export interface UserTaskConfig {
  assignee?: string;
  candidateGroups?: string;
  candidateUsers?: string;
  /** `zeebe:formDefinition` formId (a Camunda Form deployed with the diagram) or formKey/externalReference */
  formId?: string;
  formKey?: string;
  dueDate?: string;
  followUpDate?: string;
  priority?: string;
}

export interface LoopConfig {
  sequential: boolean;
  inputCollection: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}

/** What the runtime needs of one element, read once from the diagram's zeebe extensions. */
export interface ElementModel {
  id: string;
  type: string;
  name?: string;
  /** Job type of service and send tasks. */
  jobType?: string;
  /** Expression or number of retries (`zeebe:taskDefinition retries`, default 3). */
  retries?: string;
  headers: Record<string, string>;
  inputs: Mapping[];
  outputs: Mapping[];
  userTask?: UserTaskConfig;
  loop?: LoopConfig;
  /** Message name (possibly `=FEEL`) of a message catch, receive task, message boundary or start event. */
  messageName?: string;
  /** FEEL correlation key of that message (`zeebe:subscription`). */
  correlationKey?: string;
  /** Signal name (possibly `=FEEL`) of a signal start, catch, boundary, throw or end event (its `bpmn:signal`'s name). */
  signalName?: string;
  /** Error code caught (boundary) or thrown (end event); undefined on a boundary catches any. */
  errorCode?: string;
  /** The element is a start event inside an event subprocess or the process itself. */
  isStart?: boolean;
  eventDefinition?: 'timer' | 'message' | 'error' | 'terminate' | 'signal';
  attachedToRef?: string;
  cancelActivity?: boolean;
}

export interface ProcessModel {
  bpmnProcessId: string;
  name?: string;
  /** `zeebe:versionTag`: call activities and linked resources bound by `versionTag` call the latest version carrying it. */
  versionTag?: string;
  elements: Map<string, ElementModel>;
  /** Message start events: a published message with this name starts an instance. */
  messageStarts: Array<{ elementId: string; messageName: string }>;
  /** Signal start events of the process itself: a broadcast signal with this name (`=FEEL` evaluated at deploy) starts an instance. */
  signalStarts: Array<{ elementId: string; signalName: string }>;
  /** Timer start events: each deployed version keeps a timer that starts instances. */
  timerStarts: Array<{ elementId: string; kind: 'timeDate' | 'timeDuration' | 'timeCycle'; expression: string }>;
  /** Whether the process has a start event without event definition (what createInstance starts). */
  hasNoneStart: boolean;
  /** Sequence-flow conditions by `conditionKey(sourceId, body)` → flow id: they must be true or false. */
  conditions: Map<string, string>;
}

/** bpmn-elements evaluates a flow's condition with its source's message: this names it. */
export const conditionKey = (sourceId: string, body: string) => `${sourceId}\u0000${body}`;

const ext = (el: ModdleElement, type: string): ModdleElement | undefined => {
  const values = (el.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? [];
  return values.find((v) => v.$type === type);
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function mappings(list: unknown): Mapping[] {
  return ((list as ModdleElement[] | undefined) ?? []).map((p) => ({ source: String(p.source ?? ''), target: String(p.target ?? '') }));
}

function eventDefinitionOf(el: ModdleElement): { kind?: ElementModel['eventDefinition']; def?: ModdleElement } {
  const def = (el.eventDefinitions as ModdleElement[] | undefined)?.[0];
  if (!def) return {};
  const kind = ({
    'bpmn:TimerEventDefinition': 'timer',
    'bpmn:MessageEventDefinition': 'message',
    'bpmn:ErrorEventDefinition': 'error',
    'bpmn:TerminateEventDefinition': 'terminate',
    'bpmn:SignalEventDefinition': 'signal',
  } as const)[def.$type as 'bpmn:TimerEventDefinition'];
  return { kind, def };
}

function elementModel(el: ModdleElement): ElementModel {
  const model: ElementModel = {
    id: String(el.id),
    type: el.$type,
    name: str(el.name),
    headers: {},
    inputs: [],
    outputs: [],
  };
  const taskDefinition = ext(el, 'zeebe:TaskDefinition');
  if (taskDefinition) {
    model.jobType = str(taskDefinition.type);
    model.retries = str(taskDefinition.retries);
  }
  const headers = ext(el, 'zeebe:TaskHeaders');
  for (const h of (headers?.values as ModdleElement[] | undefined) ?? []) model.headers[String(h.key)] = String(h.value ?? '');
  const io = ext(el, 'zeebe:IoMapping');
  if (io) {
    model.inputs = mappings(io.inputParameters);
    model.outputs = mappings(io.outputParameters);
  }
  if (el.$type === 'bpmn:UserTask') {
    const assignment = ext(el, 'zeebe:AssignmentDefinition');
    const form = ext(el, 'zeebe:FormDefinition');
    const schedule = ext(el, 'zeebe:TaskSchedule');
    const priority = ext(el, 'zeebe:PriorityDefinition');
    model.userTask = {
      assignee: str(assignment?.assignee),
      candidateGroups: str(assignment?.candidateGroups),
      candidateUsers: str(assignment?.candidateUsers),
      formId: str(form?.formId),
      formKey: str(form?.formKey) ?? str(form?.externalReference),
      dueDate: str(schedule?.dueDate),
      followUpDate: str(schedule?.followUpDate),
      priority: priority?.priority === undefined ? undefined : String(priority.priority),
    };
  }
  const loop = el.loopCharacteristics as ModdleElement | undefined;
  if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
    const zeebeLoop = ext(loop, 'zeebe:LoopCharacteristics');
    model.loop = {
      sequential: loop.isSequential === true,
      inputCollection: String(zeebeLoop?.inputCollection ?? ''),
      inputElement: str(zeebeLoop?.inputElement),
      outputCollection: str(zeebeLoop?.outputCollection),
      outputElement: str(zeebeLoop?.outputElement),
      completionCondition: str((loop.completionCondition as ModdleElement | undefined)?.body),
    };
  }
  const { kind, def } = eventDefinitionOf(el);
  model.eventDefinition = kind;
  const messageRef = (def?.messageRef ?? el.messageRef) as ModdleElement | undefined;
  if (messageRef) {
    model.messageName = str(messageRef.name);
    model.correlationKey = str(ext(messageRef, 'zeebe:Subscription')?.correlationKey);
  }
  if (kind === 'signal') model.signalName = str((def?.signalRef as ModdleElement | undefined)?.name);
  if (kind === 'error') model.errorCode = str((def?.errorRef as ModdleElement | undefined)?.errorCode);
  if (el.$type === 'bpmn:BoundaryEvent') {
    model.attachedToRef = String((el.attachedToRef as ModdleElement | undefined)?.id ?? '');
    model.cancelActivity = el.cancelActivity !== false;
  }
  if (el.$type === 'bpmn:StartEvent') model.isStart = true;
  return model;
}

/** Every flow element of a process or subprocess, depth first. */
export function* flowElements(container: ModdleElement): Generator<ModdleElement> {
  for (const el of (container.flowElements as ModdleElement[] | undefined) ?? []) {
    yield el;
    if (el.flowElements) yield* flowElements(el);
  }
}

/**
 * Fills each flow node's `incoming`/`outgoing` from the sequence flows' source and target,
 * as modelers write them. Hand-written diagrams (and Zeebe) may omit them; bpmnlint's rules
 * read them.
 */
export function linkSequenceFlows(definitions: ModdleElement): void {
  const link = (node: ModdleElement | undefined, side: 'incoming' | 'outgoing', flow: ModdleElement) => {
    if (!node) return;
    const list = ((node[side] as ModdleElement[] | undefined) ??= []);
    if (!list.includes(flow)) list.push(flow);
  };
  for (const process of executableProcesses(definitions)) {
    for (const el of flowElements(process)) {
      if (el.$type !== 'bpmn:SequenceFlow') continue;
      link(el.sourceRef as ModdleElement | undefined, 'outgoing', el);
      link(el.targetRef as ModdleElement | undefined, 'incoming', el);
    }
  }
}

export function executableProcesses(definitions: ModdleElement): ModdleElement[] {
  return ((definitions.rootElements as ModdleElement[] | undefined) ?? []).filter(
    (e) => e.$type === 'bpmn:Process' && e.isExecutable !== false,
  );
}

export function buildProcessModel(process: ModdleElement): ProcessModel {
  const elements = new Map<string, ElementModel>();
  const messageStarts: ProcessModel['messageStarts'] = [];
  const timerStarts: ProcessModel['timerStarts'] = [];
  const signalStarts: ProcessModel['signalStarts'] = [];
  let hasNoneStart = false;
  const conditions = new Map<string, string>();
  for (const el of flowElements(process)) {
    const condition = el.$type === 'bpmn:SequenceFlow' ? str((el.conditionExpression as ModdleElement | undefined)?.body) : undefined;
    if (condition) conditions.set(conditionKey(String((el.sourceRef as ModdleElement).id), condition), String(el.id));
    const model = elementModel(el);
    elements.set(model.id, model);
    if (el.$type === 'bpmn:StartEvent' && el.$parent === process && !model.eventDefinition) hasNoneStart = true;
    if (el.$type === 'bpmn:StartEvent' && el.$parent === process && model.eventDefinition === 'timer') {
      const def = (el.eventDefinitions as ModdleElement[])[0];
      for (const kind of ['timeDate', 'timeDuration', 'timeCycle'] as const) {
        const body = str((def[kind] as ModdleElement | undefined)?.body);
        if (body) timerStarts.push({ elementId: model.id, kind, expression: body });
      }
    }
    if (el.$type === 'bpmn:StartEvent' && el.$parent === process && model.eventDefinition === 'message' && model.messageName) {
      messageStarts.push({ elementId: model.id, messageName: model.messageName });
    }
    if (el.$type === 'bpmn:StartEvent' && el.$parent === process && model.eventDefinition === 'signal' && model.signalName) {
      signalStarts.push({ elementId: model.id, signalName: model.signalName });
    }
  }
  const versionTag = str(String(ext(process, 'zeebe:VersionTag')?.value ?? '').trim());
  return { bpmnProcessId: String(process.id), name: str(process.name), versionTag, elements, messageStarts, signalStarts, timerStarts, hasNoneStart, conditions };
}
