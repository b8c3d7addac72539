import type { ModdleElement } from 'bpmn-moddle';
import { type ElementModel, type ProcessModel, buildProcessModel } from '../model/process-model';
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
}

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

  const visit = (container: ModdleElement, containerNode: FlowNode) => {
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
  return /Task$|Event$|Gateway$|^bpmn:SubProcess$|^bpmn:CallActivity$/.test(type);
}

/** Activities: what may carry boundary events, multi-instance, mappings and a job. */
export function isActivity(node: FlowNode): boolean {
  return /Task$/.test(node.type) || node.type === 'bpmn:SubProcess' || node.type === 'bpmn:CallActivity';
}

/** Containers hold element instances of their own: the process and (event) subprocesses. */
export function isContainer(node: FlowNode): boolean {
  return node.type === 'bpmn:Process' || node.type === 'bpmn:SubProcess';
}
