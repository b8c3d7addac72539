import type { ModdleElement } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import { durationMs } from '@mustafid/platform';
import { FromAiError, fromAiParameters } from '../feel/from-ai';
import { parseFeel } from '../feel/parse';
import { cronProblem, isCronCycle, shortestCronGap } from '../core/cron';
import { executableProcesses, flowElements } from './process-model';
import type { BpmnProblem } from './safe-xml';

/** The Camunda version whose rules a diagram must pass: what the Zeebe adapter targets. */
export const CAMUNDA_TARGET = 'camunda-cloud-8-8';

/**
 * Deploy-time lint: bpmnlint's correctness rules, the camunda-compat rules for the target
 * Camunda 8 version (so a diagram that deploys here also deploys to Zeebe), and a few
 * structural rules whose breach would strand an instance.
 */
export const LINT_CONFIG = {
  extends: ['bpmnlint:correctness', `plugin:camunda-compat/${CAMUNDA_TARGET}`],
  rules: {
    'start-event-required': 'error',
    // Zeebe runs a flow without an end event: a path that reaches an element without outgoing
    // flows ends there, and the instance completes when nothing else is active (the own core does
    // the same). A warning, so a diagram that loops until cancelled deploys as on Zeebe.
    'end-event-required': 'warn',
    'no-disconnected': 'error',
    'no-duplicate-sequence-flows': 'error',
    'conditional-flows': 'error',
    'label-required': 'warn',
    'superfluous-gateway': 'warn',
    'fake-join': 'warn',
  },
};

/** Which execution core runs new instances (ENGINE_CORE); each refuses what it does not run. */
export type EngineCore = 'mustafid' | 'bpmn-engine';

interface Supported {
  /** Event definitions run, per event type. `none` is an event without one. */
  events: Record<string, ReadonlyArray<string>>;
  /** Flow elements run (events are checked with `events`). */
  elements: ReadonlySet<string>;
  eventSubprocesses: boolean;
  completionCondition: boolean;
  /** Compensation boundary, throw and end events with their handlers (checked by compensationProblems). */
  compensation: boolean;
  /** Timer cycles written as cron expressions. */
  cronCycles: boolean;
}

const DATA = ['bpmn:SequenceFlow', 'bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'];

/** What our own core runs (libs/workflow/src/core; docs/decisions/0020). */
const OWN_CORE: Supported = {
  events: {
    'bpmn:StartEvent': ['none', 'bpmn:MessageEventDefinition', 'bpmn:TimerEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:EscalationEventDefinition', 'bpmn:SignalEventDefinition'],
    'bpmn:EndEvent': [
      'none', 'bpmn:ErrorEventDefinition', 'bpmn:TerminateEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:EscalationEventDefinition', 'bpmn:SignalEventDefinition',
      'bpmn:CompensateEventDefinition',
    ],
    'bpmn:IntermediateCatchEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:LinkEventDefinition', 'bpmn:SignalEventDefinition'],
    'bpmn:IntermediateThrowEvent': ['none', 'bpmn:MessageEventDefinition', 'bpmn:LinkEventDefinition', 'bpmn:EscalationEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:CompensateEventDefinition'],
    'bpmn:BoundaryEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:ErrorEventDefinition', 'bpmn:EscalationEventDefinition', 'bpmn:SignalEventDefinition', 'bpmn:CompensateEventDefinition'],
  },
  elements: new Set([
    'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:BoundaryEvent',
    'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:UserTask', 'bpmn:ReceiveTask', 'bpmn:ManualTask', 'bpmn:Task', 'bpmn:ScriptTask', 'bpmn:BusinessRuleTask',
    'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:SubProcess', 'bpmn:AdHocSubProcess', 'bpmn:CallActivity',
    ...DATA,
  ]),
  eventSubprocesses: true,
  completionCondition: true,
  compensation: true,
  cronCycles: true,
};

/** What the bpmn-engine core runs (instances it started still run there). */
const BPMN_ENGINE_CORE: Supported = {
  events: {
    'bpmn:StartEvent': ['none', 'bpmn:MessageEventDefinition', 'bpmn:TimerEventDefinition'],
    'bpmn:EndEvent': ['none', 'bpmn:ErrorEventDefinition', 'bpmn:TerminateEventDefinition'],
    'bpmn:IntermediateCatchEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition'],
    'bpmn:IntermediateThrowEvent': ['none'],
    'bpmn:BoundaryEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:ErrorEventDefinition'],
  },
  elements: new Set([
    'bpmn:StartEvent', 'bpmn:EndEvent', 'bpmn:IntermediateCatchEvent', 'bpmn:IntermediateThrowEvent', 'bpmn:BoundaryEvent',
    'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:UserTask', 'bpmn:ReceiveTask', 'bpmn:ManualTask', 'bpmn:Task',
    'bpmn:ExclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:EventBasedGateway', 'bpmn:SubProcess',
    ...DATA,
  ]),
  eventSubprocesses: false,
  completionCondition: false,
  compensation: false,
  cronCycles: false,
};

const ext = (el: ModdleElement, type: string): ModdleElement | undefined =>
  ((el.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []).find((v) => v.$type === type);

const BINDING_TYPES = ['deployment', 'latest', 'versionTag'];

/**
 * A call activity's or business rule task's version binding, checked as Zeebe's deploy does
 * (ZeebeCalledElementValidator / ZeebeCalledDecisionValidator in camunda/camunda): a known
 * bindingType, a versionTag exactly when the binding is `versionTag`.
 */
function bindingProblems(el: ModdleElement, part: ModdleElement, name: string): BpmnProblem[] {
  const attrs = part.$attrs as Record<string, unknown> | undefined;
  const binding = String(part.bindingType ?? attrs?.bindingType ?? 'latest');
  const tag = part.versionTag ?? attrs?.versionTag;
  const problem = (message: string): BpmnProblem => ({ elementId: el.id, rule: 'binding-type', message: `${name}: ${message}` });
  if (!BINDING_TYPES.includes(binding)) return [problem(`Attribute 'bindingType' must be one of: ${BINDING_TYPES.join(', ')}`)];
  if (binding === 'versionTag' && !String(tag ?? '').trim()) return [problem("Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'")];
  if (binding !== 'versionTag' && tag !== undefined) return [problem("Attribute 'versionTag' may only be used if 'bindingType' is 'versionTag'")];
  return [];
}

/** Elements the engine refuses rather than skipping: running a diagram without them would do the wrong thing. */
export function unsupportedElements(definitions: ModdleElement, core: EngineCore = 'mustafid'): BpmnProblem[] {
  const supported = core === 'mustafid' ? OWN_CORE : BPMN_ENGINE_CORE;
  const problems: BpmnProblem[] = [];
  const refuse = (el: ModdleElement, what: string, yet = '') =>
    problems.push({ elementId: el.id, rule: 'supported-elements', message: `${what} is not supported by the embedded engine${yet}` });
  for (const process of executableProcesses(definitions)) {
    const associations = associationsOf(process);
    for (const el of flowElements(process)) {
      const type = el.$type;
      if (!supported.elements.has(type)) {
        refuse(el, type.replace('bpmn:', ''));
        continue;
      }
      if (type === 'bpmn:SubProcess' && el.triggeredByEvent === true && !supported.eventSubprocesses) refuse(el, 'An event subprocess');
      if (type === 'bpmn:BusinessRuleTask' && !ext(el, 'zeebe:TaskDefinition')) {
        const decision = ext(el, 'zeebe:CalledDecision');
        if (!decision || !String(decision.decisionId ?? '').trim() || !String(decision.resultVariable ?? '').trim()) {
          problems.push({
            elementId: el.id,
            rule: 'supported-elements',
            message: 'A business rule task needs zeebe:calledDecision with a decisionId and a resultVariable, or a zeebe:taskDefinition for a job worker',
          });
        } else {
          problems.push(...bindingProblems(el, decision, 'zeebe:calledDecision'));
        }
      }
      if (type === 'bpmn:CallActivity') {
        const called = ext(el, 'zeebe:CalledElement');
        if (!called || !String(called.processId ?? '').trim()) {
          problems.push({ elementId: el.id, rule: 'supported-elements', message: 'A call activity needs zeebe:calledElement with the processId of the process it calls' });
        } else {
          problems.push(...bindingProblems(el, called, 'zeebe:calledElement'));
        }
      }
      if (!supported.cronCycles) {
        const cycle = String(((el.eventDefinitions as ModdleElement[] | undefined)?.[0]?.timeCycle as ModdleElement | undefined)?.body ?? '').trim();
        const literal = /^=\s*"(.*)"\s*$/.exec(cycle)?.[1] ?? cycle;
        if (literal && !literal.startsWith('=') && isCronCycle(literal)) refuse(el, 'A cron timer cycle', ' on the bpmn-engine core (ENGINE_CORE=mustafid runs it)');
      }
      if (type === 'bpmn:ScriptTask' && !ext(el, 'zeebe:TaskDefinition') && !ext(el, 'zeebe:Script')?.expression) refuse(el, 'A script task without zeebe:script or zeebe:taskDefinition');
      const allowed = supported.events[type];
      if (allowed) {
        const defs = (el.eventDefinitions as ModdleElement[] | undefined) ?? [];
        if (defs.length > 1) refuse(el, 'An event with several event definitions');
        const kind = defs[0]?.$type ?? 'none';
        if (type === 'bpmn:StartEvent' && kind === 'bpmn:CompensateEventDefinition' && supported.compensation) {
          refuse(el, 'A compensation start event (a compensation event subprocess)', '; Camunda 8.8 compensates through a compensation boundary event and its associated handler');
        } else if (!allowed.includes(kind)) refuse(el, `${type.replace('bpmn:', '')} with ${kind === 'none' ? 'no event definition' : kind.replace('bpmn:', '')}`);
        const inEventSubprocess = (el.$parent as ModdleElement | undefined)?.triggeredByEvent === true;
        if (type === 'bpmn:StartEvent' && !inEventSubprocess && (kind === 'bpmn:ErrorEventDefinition' || kind === 'bpmn:EscalationEventDefinition')) {
          refuse(el, `A StartEvent with ${kind.replace('bpmn:', '')} outside an event subprocess`);
        }
        // A signal starts the process (its own start event) or an event subprocess; an embedded subprocess begins only at a none start.
        if (type === 'bpmn:StartEvent' && kind === 'bpmn:SignalEventDefinition' && !inEventSubprocess && (el.$parent as ModdleElement | undefined)?.$type === 'bpmn:SubProcess') {
          refuse(el, 'A StartEvent with SignalEventDefinition inside an embedded subprocess (not an event subprocess)');
        }
        if (kind === 'bpmn:MessageEventDefinition' && (type === 'bpmn:EndEvent' || type === 'bpmn:IntermediateThrowEvent') && !ext(el, 'zeebe:TaskDefinition')) {
          refuse(el, `A message ${type === 'bpmn:EndEvent' ? 'end' : 'throw'} event without zeebe:taskDefinition`);
        }
      }
      const loop = el.loopCharacteristics as ModdleElement | undefined;
      if (loop && loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') refuse(el, 'A standard loop');
      if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
        const zeebeLoop = ext(loop, 'zeebe:LoopCharacteristics');
        if (!zeebeLoop?.inputCollection) {
          problems.push({ elementId: el.id, rule: 'supported-elements', message: 'A multi-instance activity needs zeebe:loopCharacteristics inputCollection' });
        }
        if (loop.loopCardinality) refuse(el, 'A multi-instance loop cardinality (Camunda 8 uses inputCollection)');
        if (loop.completionCondition && !supported.completionCondition) refuse(el, 'A multi-instance completion condition', ' yet');
      }
      if (supported.compensation) problems.push(...compensationProblems(el, associations));
      if (type === 'bpmn:SequenceFlow' && el.conditionExpression) {
        const body = String((el.conditionExpression as ModdleElement).body ?? '').trim();
        if (!body.startsWith('=')) {
          problems.push({ elementId: el.id, rule: 'supported-elements', message: 'A condition must be a FEEL expression starting with "="' });
        }
      }
    }
  }
  return problems;
}

/** Every association of a process and its subprocesses, as [source id, target id]. */
function associationsOf(process: ModdleElement): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const containers = [process, ...[...flowElements(process)].filter((el) => el.$type === 'bpmn:SubProcess')];
  for (const container of containers) {
    for (const a of (container.artifacts as ModdleElement[] | undefined) ?? []) {
      const source = (a.sourceRef as ModdleElement | undefined)?.id;
      const target = (a.targetRef as ModdleElement | undefined)?.id;
      if (a.$type === 'bpmn:Association' && source && target) out.push([source, target]);
    }
  }
  return out;
}

const isCompensation = (el: ModdleElement) => ((el.eventDefinitions as ModdleElement[] | undefined) ?? []).some((d) => d.$type === 'bpmn:CompensateEventDefinition');
const children = (container: ModdleElement | undefined) => (container?.flowElements as ModdleElement[] | undefined) ?? [];
const flowCount = (el: ModdleElement, side: 'incoming' | 'outgoing') => ((el[side] as unknown[] | undefined) ?? []).length;

/**
 * Compensation as Camunda 8.8 documents it (docs.camunda.io/docs/components/modeler/bpmn/compensation-events/,
 * .../compensation-handler/): a compensation boundary event is associated with its handler, an
 * activity marked for compensation that no sequence flow enters or leaves; a throw event's
 * `activityRef` names an activity with a compensation boundary event in the throw event's scope
 * (or, from an event subprocess, in the scope around it). Anything else would strand a case.
 */
function compensationProblems(el: ModdleElement, associations: Array<[string, string]>): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  const problem = (message: string) => problems.push({ elementId: el.id, rule: 'compensation', message });
  if (el.$type === 'bpmn:BoundaryEvent' && isCompensation(el)) {
    const linked = associations.flatMap(([a, b]) => (a === el.id ? [b] : b === el.id ? [a] : []));
    const handlers = children(el.$parent).filter((h) => linked.includes(String(h.id)) && h.isForCompensation === true);
    if (handlers.length !== 1) {
      problem(`A compensation boundary event needs an association to exactly one compensation handler (an activity marked isForCompensation); ${el.id} has ${handlers.length}`);
    }
    if (flowCount(el, 'outgoing') > 0) problem('A compensation boundary event has no outgoing sequence flow: its handler is linked by an association');
  }
  if (el.isForCompensation === true && (flowCount(el, 'incoming') > 0 || flowCount(el, 'outgoing') > 0)) {
    problem('A compensation handler (isForCompensation) has no incoming or outgoing sequence flow: only a compensation throw event invokes it');
  }
  if ((el.$type === 'bpmn:IntermediateThrowEvent' || el.$type === 'bpmn:EndEvent') && isCompensation(el)) {
    const def = (el.eventDefinitions as ModdleElement[]).find((d) => d.$type === 'bpmn:CompensateEventDefinition')!;
    const ref = def.activityRef as ModdleElement | undefined;
    // An activityRef naming no element is refused by the parse (unresolved reference).
    if (ref) {
      const scope = el.$parent as ModdleElement | undefined;
      const scopes = [scope, scope?.triggeredByEvent === true ? scope.$parent : undefined];
      const hasBoundary = children(ref.$parent).some((b) => b.$type === 'bpmn:BoundaryEvent' && (b.attachedToRef as ModdleElement | undefined) === ref && isCompensation(b));
      if (!scopes.includes(ref.$parent as ModdleElement)) {
        problem(`The activityRef of a compensation event must name an activity in the event's own scope; ${String(ref.id)} is not one`);
      } else if (!hasBoundary) {
        problem(`The activityRef of a compensation event must name an activity with a compensation boundary event; ${String(ref.id)} has none`);
      }
    }
  }
  return problems;
}

export type LintConfig = { extends?: string[]; rules?: Record<string, unknown> };

/** Lint problems: `errors` block a deploy, `warnings` are shown beside it. */
export async function lintDiagram(definitions: ModdleElement, config: LintConfig = LINT_CONFIG): Promise<{ errors: BpmnProblem[]; warnings: BpmnProblem[] }> {
  // A Linter per diagram: bpmnlint's rules keep state between lints of one Linter.
  const results = await new Linter({ config, resolver: new NodeResolver() }).lint(definitions);
  const userTasks = new Set(executableProcesses(definitions).flatMap((p) => [...flowElements(p)].filter((el) => el.$type === 'bpmn:UserTask').map((el) => el.id)));
  const errors: BpmnProblem[] = [];
  const warnings: BpmnProblem[] = [];
  for (const [rule, reports] of Object.entries(results)) {
    for (const report of reports) {
      const problem = { elementId: report.id, rule, message: report.message };
      const blocks = (report.category === 'error' || report.category === 'rule-error') && !zeebeDeploysIt(rule, report.message, userTasks.has(report.id));
      (blocks ? errors : warnings).push(problem);
    }
  }
  return { errors, warnings };
}

/**
 * Modeler lints that Zeebe's deploy does not enforce: shown as warnings, never refused. A task
 * definition on a user task is ignored by Zeebe (a job worker user task's job type is always
 * io.camunda.zeebe:userTask; docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#job-worker-implementation),
 * and real diagrams carry one (test/conformance: customer-onboarding.bpmn). The `agent-*` rules are the
 * modeler's advice for the AI Agent connector's tools (a `fromAi` outside an agentic sub-process, a key
 * without `toolCall.`): Zeebe deploys such diagrams, and refuses only the `fromAi` calls it cannot
 * read (fromAiProblems).
 */
function zeebeDeploysIt(rule: string, message: string, onUserTask: boolean): boolean {
  if (rule.startsWith('camunda-compat/agent-')) return true;
  return rule === 'camunda-compat/implementation' && onUserTask && /<zeebe:TaskDefinition> not allowed/.test(message);
}

/** Every `=FEEL` expression a diagram holds, with the element it belongs to and what it is. */
function* expressionsOf(definitions: ModdleElement): Generator<{ elementId?: string; what: string; expression: string }> {
  const ext = (el: ModdleElement | undefined) => ((el?.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []);
  const attrs: Record<string, string[]> = {
    'zeebe:TaskDefinition': ['type', 'retries'],
    'zeebe:AssignmentDefinition': ['assignee', 'candidateGroups', 'candidateUsers'],
    'zeebe:TaskSchedule': ['dueDate', 'followUpDate'],
    'zeebe:CalledElement': ['processId'],
    'zeebe:CalledDecision': ['decisionId'],
    'zeebe:PriorityDefinition': ['priority'],
    'zeebe:LoopCharacteristics': ['inputCollection', 'outputElement'],
    'zeebe:Subscription': ['correlationKey'],
    'zeebe:AdHoc': ['activeElementsCollection', 'outputElement'],
  };
  for (const process of executableProcesses(definitions)) {
    for (const el of flowElements(process)) {
      const parts = [...ext(el), ...ext(el.loopCharacteristics as ModdleElement | undefined)];
      for (const part of parts) {
        for (const attr of attrs[part.$type] ?? []) {
          const value = part[attr];
          if (typeof value === 'string') yield { elementId: el.id, what: `${part.$type.replace('zeebe:', '')} ${attr}`, expression: value };
        }
        if (part.$type === 'zeebe:IoMapping') {
          for (const p of [...((part.inputParameters as ModdleElement[]) ?? []), ...((part.outputParameters as ModdleElement[]) ?? [])]) {
            if (typeof p.source === 'string') yield { elementId: el.id, what: `mapping to ${String(p.target)}`, expression: p.source };
          }
        }
      }
      const condition = (el.conditionExpression as ModdleElement | undefined)?.body;
      if (typeof condition === 'string') yield { elementId: el.id, what: 'condition', expression: condition };
      const completion = el.$type === 'bpmn:AdHocSubProcess' ? (el.completionCondition as ModdleElement | undefined)?.body : undefined;
      if (typeof completion === 'string') yield { elementId: el.id, what: 'completion condition', expression: completion };
      for (const def of (el.eventDefinitions as ModdleElement[] | undefined) ?? []) {
        for (const kind of ['timeDuration', 'timeDate', 'timeCycle']) {
          const body = (def[kind] as ModdleElement | undefined)?.body;
          if (typeof body === 'string') yield { elementId: el.id, what: kind, expression: body };
        }
      }
    }
  }
  for (const root of (definitions.rootElements as ModdleElement[] | undefined) ?? []) {
    if (root.$type === 'bpmn:Signal' && typeof root.name === 'string') yield { elementId: root.id, what: 'signal name', expression: root.name };
    if (root.$type !== 'bpmn:Message') continue;
    if (typeof root.name === 'string') yield { elementId: root.id, what: 'message name', expression: root.name };
    for (const part of ext(root)) {
      if (part.$type === 'zeebe:Subscription' && typeof part.correlationKey === 'string') {
        yield { elementId: root.id, what: 'correlation key', expression: part.correlationKey };
      }
    }
  }
}

/**
 * Values Zeebe requires to be expressions (`=...`), as its deploy-time validators do
 * (`isNonStatic().isMandatory()` in camunda/camunda's ZeebeRuntimeValidators): a message's
 * correlation key, an output mapping's source, a multi-instance input collection and output
 * element, a script task's expression. A static value there is refused with Zeebe's words (a
 * missing input collection or script is refused by unsupportedElements).
 */
export function staticExpressions(definitions: ModdleElement): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  const check = (elementId: string | undefined, what: string, value: unknown, mandatory: boolean) => {
    if (value === undefined && !mandatory) return;
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      problems.push({ elementId, rule: 'expression-required', message: `The ${what} must be an expression: expected expression but not found` });
    } else if (!text.startsWith('=')) {
      problems.push({
        elementId,
        rule: 'expression-required',
        message: `The ${what} must be an expression: expected expression but found static value '${text}'. An expression must start with '=' (e.g. '=${text}')`,
      });
    }
  };
  for (const root of (definitions.rootElements as ModdleElement[] | undefined) ?? []) {
    if (root.$type !== 'bpmn:Message') continue;
    const subscription = ext(root, 'zeebe:Subscription');
    if (subscription) check(root.id, `correlation key of message ${String(root.name ?? root.id)}`, subscription.correlationKey, true);
  }
  for (const process of executableProcesses(definitions)) {
    for (const el of flowElements(process)) {
      for (const p of (ext(el, 'zeebe:IoMapping')?.outputParameters as ModdleElement[] | undefined) ?? []) {
        check(el.id, `source of the output mapping to ${String(p.target)}`, p.source, true);
      }
      const loop = ext((el.loopCharacteristics as ModdleElement | undefined) ?? ({} as ModdleElement), 'zeebe:LoopCharacteristics');
      if (loop) {
        check(el.id, 'multi-instance inputCollection', loop.inputCollection, false);
        check(el.id, 'multi-instance outputElement', loop.outputElement, false);
      }
      const script = ext(el, 'zeebe:Script');
      if (script) check(el.id, 'script expression', script.expression, false);
    }
  }
  return problems;
}

const CYCLE = /^R(\d*)\/(?:[^/]+\/)?(P[^/]+)$/i;

/**
 * Timer cycles that repeat faster than `minMs` (ENGINE_MIN_TIMER_CYCLE): refused at deploy, an
 * ISO-8601 cycle by its interval, a cron cycle by the shortest gap between two consecutive firings
 * (among its next 1000); a static cron cycle that does not parse is refused too. A cycle written
 * as FEEL is checked when it is evaluated (a timer start event's at deploy).
 */
export function shortTimerCycles(definitions: ModdleElement, minMs: number): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  for (const { elementId, what, expression } of expressionsOf(definitions)) {
    if (what !== 'timeCycle') continue;
    const literal = /^=\s*"(.*)"\s*$/.exec(expression.trim())?.[1] ?? expression.trim();
    if (!literal.startsWith('=') && literal !== '' && isCronCycle(literal)) {
      // A cron cycle: it must parse, and two consecutive firings must be at least minMs apart.
      const why = cronProblem(literal);
      if (why) problems.push({ elementId, rule: 'timer-cycle', message: `The timer cycle is neither R[n]/[start/]interval nor a cron expression: ${why}` });
      else if (minMs > 0 && shortestCronGap(literal, new Date()) < minMs) problems.push({ elementId, rule: 'timer-cycle-minimum', message: timerCycleTooShort(literal, minMs) });
      continue;
    }
    const interval = CYCLE.exec(literal)?.[2];
    if (!interval) continue;
    let ms: number;
    try {
      ms = durationMs(interval, 'timeCycle interval');
    } catch {
      continue; // not a duration: the engine refuses it with its own words
    }
    if (ms < minMs) problems.push({ elementId, rule: 'timer-cycle-minimum', message: timerCycleTooShort(literal, minMs) });
  }
  return problems;
}

export const timerCycleTooShort = (cycle: string, minMs: number) =>
  `The timer cycle ${cycle} repeats more often than every ${minMs / 1000} s, the shortest this server allows (ENGINE_MIN_TIMER_CYCLE)`;

/**
 * `fromAi` calls in the input mappings of an ad-hoc subprocess's elements that Zeebe refuses: their
 * tool parameters go into `adHocSubProcessElements`, so each must name a reference and constants
 * (FromAiFeelFunctionCallParameterExtractor; docs: "AI agent functions").
 */
export function fromAiProblems(definitions: ModdleElement): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  for (const process of executableProcesses(definitions)) {
    for (const el of flowElements(process)) {
      if ((el.$parent as ModdleElement | undefined)?.$type !== 'bpmn:AdHocSubProcess') continue;
      for (const input of (ext(el, 'zeebe:IoMapping')?.inputParameters as ModdleElement[] | undefined) ?? []) {
        if (typeof input.source !== 'string') continue;
        try {
          fromAiParameters(input.source);
        } catch (e) {
          if (!(e instanceof FromAiError)) throw e;
          problems.push({ elementId: el.id, rule: 'from-ai', message: `The input mapping to ${String(input.target)}: ${e.message}` });
        }
      }
    }
  }
  return problems;
}

/** FEEL expressions that do not parse: refused at deploy instead of failing a case later. */
export function unparsableExpressions(definitions: ModdleElement): BpmnProblem[] {
  const problems: BpmnProblem[] = [];
  const seen = new Set<string>();
  for (const { elementId, what, expression } of expressionsOf(definitions)) {
    const trimmed = expression.trimStart();
    if (!trimmed.startsWith('=')) continue;
    const key = `${elementId} ${what} ${expression}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = trimmed.slice(1);
    let errorAt: number | undefined;
    parseFeel(source).iterate({
      enter: (node) => {
        if (node.type.isError && errorAt === undefined) errorAt = node.from;
      },
    });
    if (errorAt !== undefined || source.trim() === '') {
      const where = errorAt === undefined ? 'it is empty' : `it does not parse at character ${errorAt + 1}`;
      problems.push({ elementId, rule: 'feel-syntax', message: `The ${what} '${source}' is not valid FEEL: ${where}` });
    }
  }
  return problems;
}
