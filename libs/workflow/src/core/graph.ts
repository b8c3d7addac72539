import type { ModdleElement } from 'bpmn-moddle';
import { type ElementModel, type ProcessModel, buildProcessModel } from '../model/process-model';
import { fromAiParameters } from '../feel/from-ai';
import { decisionRefKey } from './decisions';

/**
 * The executable graph of one process of one deployed version, read once from the moddle tree
 * and cached with the version: every flow node with its flows, its flow scope, its boundary
 * events, and for containers their start event and event subprocesses. What Zeebe calls the
 * `ExecutableProcess` (zeebe/engine/.../deployment/model/element).
 */

export interface Flow {
  id: string;
  source: string;
  target: string;
  /** FEEL condition (`=…`), if any. */
  condition?: string;
}

export interface TimerDefinition {
  kind: 'timeDate' | 'timeDuration' | 'timeCycle';
  expression: string;
}

export interface FlowNode extends ElementModel {
  /** The process or subprocess (or event subprocess) that contains it: its flow scope. */
  scope: string;
  incoming: Flow[];
  outgoing: Flow[];
  /** A gateway's or activity's default flow. */
  defaultFlow?: string;
  /** Boundary events attached to this activity. */
  boundaries: string[];
  timer?: TimerDefinition;
  /** Containers (process, subprocess): the start event without definition that begins them. */
  noneStart?: string;
  /** Containers: the event subprocesses directly inside. */
  eventSubprocesses: string[];
  /** An event subprocess. */
  triggeredByEvent?: boolean;
  /** An event subprocess: its (single) start event. */
  eventStart?: string;
  /** Link events: the link's name. */
  linkName?: string;
  /** A start event of an event subprocess: whether it interrupts its container (`isInterrupting`, default true). */
  interrupting?: boolean;
  /** Catch events after an event-based gateway. */
  afterEventGateway?: boolean;
  /** The element's event definition, when it is escalation/signal/link/compensation. */
  otherDefinition?: string;
  /** Escalation events: the code thrown or caught (undefined on a catch: any). */
  escalationCode?: string;
  /** A script task evaluated by the engine (`zeebe:script`): FEEL and the variable for its result. */
  script?: { expression: string; resultVariable: string };
  /** A user task that is a Camunda user task (`zeebe:userTask`); without it, a job of type io.camunda.zeebe:userTask. */
  camundaUserTask?: boolean;
  /** A call activity (`zeebe:calledElement`): the called process id (static or `=FEEL`) and what it propagates. */
  called?: CalledElement;
  /** A business rule task that evaluates a DMN decision (`zeebe:calledDecision`). */
  calledDecision?: CalledDecision;
  /** An ad-hoc subprocess (`bpmn:adHocSubProcess`, BPMN implementation). */
  adHoc?: AdHoc;
  /** An activity with a compensation boundary event: that boundary event's id. */
  compensationBoundary?: string;
  /** A compensation boundary event: the compensation handler associated with it (bpmn:association). */
  compensationHandler?: string;
  /** An activity marked `isForCompensation`: it runs only as a compensation handler. */
  forCompensation?: boolean;
  /** A compensation throw or end event: the activity it compensates (`activityRef`); absent, every one in its scope. */
  compensateActivity?: string;
}

/**
 * An ad-hoc subprocess as Zeebe compiles it (AdHocSubProcessTransformer,
 * docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/): which inner elements may be
 * activated, what activates them on entering, when it completes, and its output collection.
 */
export interface AdHoc {
  /** FEEL giving the ids of the inner elements to activate on entering (`zeebe:adHoc activeElementsCollection`); none without it. */
  activeElementsCollection?: string;
  /** FEEL evaluated in the subprocess's scope each time an inner flow completes (`bpmn:completionCondition`). */
  completionCondition?: string;
  /** When the completion condition is met: terminate what is still active (default) or wait for it. */
  cancelRemainingInstances: boolean;
  /** `zeebe:adHoc outputCollection`: a local list of the subprocess, one `outputElement` per completed inner flow, propagated on completing. */
  outputCollection?: string;
  outputElement?: string;
  /** The inner elements that may be activated: activities, gateways and intermediate events without incoming flows, in document order. */
  activities: string[];
  /** The value of the `adHocSubProcessElements` variable: each activatable element's id, and its name, documentation and properties when it has them. */
  elements: Array<Record<string, unknown>>;
  /** The element id of its inner instances (`<id>#innerInstance`): each activated element runs in one, its own flow scope. */
  inner: string;
}

/** The element type of an ad-hoc subprocess's inner instance (Zeebe's AD_HOC_SUB_PROCESS_INNER_INSTANCE). */
export const INNER_INSTANCE_TYPE = 'bpmn:AdHocSubProcessInnerInstance';

export interface CalledDecision {
  /** The decision id, static or `=FEEL`. */
  decisionId: string;
  /** Which version is evaluated: `latest`, `deployment` (deployed with the calling version) or `versionTag`. */
  bindingType: string;
  /** The tag a `versionTag` binding evaluates the latest version of. */
  versionTag?: string;
  /** The variable the decision's result is stored in, as a job's completion variables are. */
  resultVariable: string;
}

export interface CalledElement {
  processId: string;
  /** All variables the call activity sees go to the child (default true); else only its input mappings' locals. */
  propagateAllParentVariables: boolean;
  /** All the child's root variables come back to the call activity (default true); with output mappings they always do. */
  propagateAllChildVariables: boolean;
  /** Which version is called: `latest`, `deployment` (deployed with the calling version) or `versionTag`. */
  bindingType: string;
  /** The tag a `versionTag` binding calls the latest version of. */
  versionTag?: string;
}

export interface ProcessGraph {
  bpmnProcessId: string;
  /** The process itself is a node too (its scope is itself). */
  nodes: Map<string, FlowNode>;
  model: ProcessModel;
  /** Link catch events by their scope and name. */
  linkCatches: Map<string, string>;
  /** The decisions business rule tasks name statically (decisionRefKey): a step looks them up before it runs. */
  decisionIds: Set<string>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const ext = (el: ModdleElement, type: string): ModdleElement | undefined =>
  ((el.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []).find((v) => v.$type === type);

function timerOf(el: ModdleElement): TimerDefinition | undefined {
  const def = (el.eventDefinitions as ModdleElement[] | undefined)?.find((d) => d.$type === 'bpmn:TimerEventDefinition');
  if (!def) return undefined;
  for (const kind of ['timeDate', 'timeDuration', 'timeCycle'] as const) {
    const body = str((def[kind] as ModdleElement | undefined)?.body);
    if (body) return { kind, expression: body.trim() };
  }
  return undefined;
}

export const linkKey = (scope: string, name: string) => `${scope}\u0000${name}`;

/** Builds the graph of one executable process (bpmn:Process) of a parsed diagram. */
export function buildGraph(process: ModdleElement): ProcessGraph {
  const model = buildProcessModel(process);
  const nodes = new Map<string, FlowNode>();
  const linkCatches = new Map<string, string>();
  const flows: Flow[] = [];
  const decisionIds = new Set<string>();
  const adHocChildren = new Map<string, ModdleElement[]>();
  const associations: Array<{ source: string; target: string }> = [];

  const visit = (container: ModdleElement, containerNode: FlowNode) => {
    for (const artifact of (container.artifacts as ModdleElement[] | undefined) ?? []) {
      const source = (artifact.sourceRef as ModdleElement | undefined)?.id;
      const target = (artifact.targetRef as ModdleElement | undefined)?.id;
      if (artifact.$type === 'bpmn:Association' && source && target) associations.push({ source, target });
    }
    for (const el of (container.flowElements as ModdleElement[] | undefined) ?? []) {
      if (el.$type === 'bpmn:SequenceFlow') {
        flows.push({
          id: String(el.id),
          source: String((el.sourceRef as ModdleElement).id),
          target: String((el.targetRef as ModdleElement).id),
          condition: str((el.conditionExpression as ModdleElement | undefined)?.body),
        });
        continue;
      }
      const base = model.elements.get(String(el.id));
      if (!base || !isFlowNode(el.$type)) continue;
      const node: FlowNode = {
        ...base,
        scope: containerNode.id,
        incoming: [],
        outgoing: [],
        defaultFlow: str((el.default as ModdleElement | undefined)?.id),
        boundaries: [],
        eventSubprocesses: [],
        timer: timerOf(el),
      };
      const def = (el.eventDefinitions as ModdleElement[] | undefined)?.[0];
      if (def?.$type === 'bpmn:LinkEventDefinition') {
        node.linkName = str(def.name);
        if (el.$type === 'bpmn:IntermediateCatchEvent' && node.linkName) linkCatches.set(linkKey(containerNode.id, node.linkName), node.id);
      }
      if (def && !node.eventDefinition && def.$type !== 'bpmn:LinkEventDefinition') node.otherDefinition = def.$type;
      if (def?.$type === 'bpmn:CompensateEventDefinition') node.compensateActivity = str((def.activityRef as ModdleElement | undefined)?.id);
      if (el.isForCompensation === true) node.forCompensation = true;
      if (def?.$type === 'bpmn:EscalationEventDefinition') node.escalationCode = str((def.escalationRef as ModdleElement | undefined)?.escalationCode);
      const script = ext(el, 'zeebe:Script');
      if (script && str(script.expression)) node.script = { expression: String(script.expression), resultVariable: String(script.resultVariable ?? '') };
      if (el.$type === 'bpmn:UserTask') node.camundaUserTask = ext(el, 'zeebe:UserTask') !== undefined;
      const called = el.$type === 'bpmn:CallActivity' ? ext(el, 'zeebe:CalledElement') : undefined;
      if (called) {
        node.called = {
          processId: String(called.processId ?? '').trim(),
          propagateAllParentVariables: called.propagateAllParentVariables !== false,
          propagateAllChildVariables: called.propagateAllChildVariables !== false,
          bindingType: str(called.bindingType ?? (called.$attrs as Record<string, unknown> | undefined)?.bindingType) ?? 'latest',
          versionTag: str(String(called.versionTag ?? '').trim()),
        };
      }
      const decision = el.$type === 'bpmn:BusinessRuleTask' ? ext(el, 'zeebe:CalledDecision') : undefined;
      if (decision) {
        node.calledDecision = {
          decisionId: String(decision.decisionId ?? '').trim(),
          resultVariable: String(decision.resultVariable ?? '').trim(),
          bindingType: str(decision.bindingType ?? (decision.$attrs as Record<string, unknown> | undefined)?.bindingType) ?? 'latest',
          versionTag: str(String(decision.versionTag ?? '').trim()),
        };
        if (node.calledDecision.decisionId && !node.calledDecision.decisionId.startsWith('=')) decisionIds.add(decisionRefKey(node.calledDecision));
      }
      nodes.set(node.id, node);
      if (el.$type === 'bpmn:AdHocSubProcess') {
        node.adHoc = adHocOf(el);
        adHocChildren.set(node.id, (el.flowElements as ModdleElement[] | undefined) ?? []);
        nodes.set(node.adHoc.inner, innerInstanceNode(node));
        visit(el, node);
      }
      if (el.$type === 'bpmn:SubProcess') {
        node.triggeredByEvent = el.triggeredByEvent === true;
        if (node.triggeredByEvent) containerNode.eventSubprocesses.push(node.id);
        visit(el, node);
      }
      if (el.$type === 'bpmn:StartEvent') {
        node.interrupting = el.isInterrupting !== false;
        if (containerNode.triggeredByEvent) containerNode.eventStart = node.id;
        else if (!node.eventDefinition && !node.otherDefinition) containerNode.noneStart = node.id;
      }
    }
  };
  const root: FlowNode = {
    id: model.bpmnProcessId,
    type: 'bpmn:Process',
    name: model.name,
    headers: {},
    inputs: [],
    outputs: [],
    scope: model.bpmnProcessId,
    incoming: [],
    outgoing: [],
    boundaries: [],
    eventSubprocesses: [],
  };
  nodes.set(root.id, root);
  visit(process, root);
  for (const flow of flows) {
    nodes.get(flow.source)?.outgoing.push(flow);
    nodes.get(flow.target)?.incoming.push(flow);
  }
  for (const node of nodes.values()) {
    if (node.type === 'bpmn:BoundaryEvent' && node.attachedToRef) nodes.get(node.attachedToRef)?.boundaries.push(node.id);
    if (node.adHoc) {
      for (const el of adHocChildren.get(node.id) ?? []) {
        const inner = nodes.get(String(el.id));
        if (inner && inner.incoming.length === 0 && isAdHocActivity(inner)) {
          node.adHoc.activities.push(inner.id);
          node.adHoc.elements.push(adHocElement(el, inner));
        }
      }
    }
    if (node.type === 'bpmn:BoundaryEvent' && node.otherDefinition === 'bpmn:CompensateEventDefinition' && node.attachedToRef) {
      const activity = nodes.get(node.attachedToRef);
      if (activity) activity.compensationBoundary = node.id;
      // The handler is the activity marked for compensation that an association links to the boundary event (either way round).
      const linked = associations.flatMap((a) => (a.source === node.id ? [a.target] : a.target === node.id ? [a.source] : []));
      node.compensationHandler = linked.find((id) => nodes.get(id)?.forCompensation);
    }
    if (node.type === 'bpmn:EventBasedGateway') {
      for (const flow of node.outgoing) {
        const target = nodes.get(flow.target);
        if (target) target.afterEventGateway = true;
      }
    }
  }
  return { bpmnProcessId: model.bpmnProcessId, nodes, model, linkCatches, decisionIds };
}

function isFlowNode(type: string): boolean {
  return /Task$|Event$|Gateway$|^bpmn:SubProcess$|^bpmn:AdHocSubProcess$|^bpmn:CallActivity$/.test(type);
}

function adHocOf(el: ModdleElement): AdHoc {
  const config = ext(el, 'zeebe:AdHoc');
  const completion = str((el.completionCondition as ModdleElement | undefined)?.body)?.trim();
  return {
    activeElementsCollection: str(config?.activeElementsCollection)?.trim() || undefined,
    completionCondition: completion || undefined,
    cancelRemainingInstances: el.cancelRemainingInstances !== false,
    outputCollection: str(config?.outputCollection)?.trim() || undefined,
    outputElement: str(config?.outputElement)?.trim() || undefined,
    activities: [],
    elements: [],
    inner: `${String(el.id)}#innerInstance`,
  };
}

/** The inner instance of an ad-hoc subprocess: a container of its own in the element-instance tree, not in the diagram. */
function innerInstanceNode(adHoc: FlowNode): FlowNode {
  return { id: adHoc.adHoc!.inner, type: INNER_INSTANCE_TYPE, headers: {}, inputs: [], outputs: [], scope: adHoc.id, incoming: [], outgoing: [], boundaries: [], eventSubprocesses: [] };
}

/** What Zeebe activates inside an ad-hoc subprocess: not start, boundary or end events, not event subprocesses. */
function isAdHocActivity(node: FlowNode): boolean {
  if (node.type === 'bpmn:StartEvent' || node.type === 'bpmn:BoundaryEvent' || node.type === 'bpmn:EndEvent') return false;
  return !(node.type === 'bpmn:SubProcess' && node.triggeredByEvent);
}

/** One entry of `adHocSubProcessElements` (Zeebe's AdHocActivityMetadata: empty fields are left out). */
function adHocElement(el: ModdleElement, node: FlowNode): Record<string, unknown> {
  const entry: Record<string, unknown> = { elementId: node.id };
  if (node.name) entry.elementName = node.name;
  const documentation = ((el.documentation as ModdleElement[] | undefined) ?? []).map((d) => String(d.text ?? '')).join('');
  if (documentation) entry.documentation = documentation;
  const properties: Record<string, string | null> = {};
  // An empty property is null (AdHocSubProcessElementsVariableTest: "io.camunda.test.property3" → null).
  for (const p of (ext(el, 'zeebe:Properties')?.properties as ModdleElement[] | undefined) ?? []) {
    if (typeof p.name === 'string') properties[p.name] = typeof p.value === 'string' && p.value !== '' ? p.value : null;
  }
  if (Object.keys(properties).length > 0) entry.properties = properties;
  // The tool parameters its input mappings' fromAi calls declare (deploy refused those it cannot read: fromAiProblems).
  const parameters = node.inputs.flatMap((m) => {
    try {
      return fromAiParameters(m.source);
    } catch {
      return [];
    }
  });
  if (parameters.length > 0) entry.parameters = parameters;
  return entry;
}

/** Activities: what may carry boundary events, multi-instance, mappings and a job. */
export function isActivity(node: FlowNode): boolean {
  return /Task$/.test(node.type) || node.type === 'bpmn:SubProcess' || node.type === 'bpmn:AdHocSubProcess' || node.type === 'bpmn:CallActivity';
}

/** Containers hold element instances of their own: the process and (event) subprocesses. */
export function isContainer(node: FlowNode): boolean {
  return node.type === 'bpmn:Process' || node.type === 'bpmn:SubProcess' || node.type === 'bpmn:AdHocSubProcess' || node.type === INNER_INSTANCE_TYPE;
}
