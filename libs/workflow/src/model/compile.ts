import { createHash } from 'node:crypto';
import * as Elements from 'bpmn-elements';
import { BpmnModdle, type ModdleElement, type ParseResult } from 'bpmn-moddle';
import serializer, { TypeResolver } from 'moddle-context-serializer';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { type ProcessGraph, buildGraph } from '../core/graph';
import { type ProcessModel, buildProcessModel, executableProcesses, linkSequenceFlows } from './process-model';
import { type BpmnProblem, InvalidBpmnError, assertSafeXml } from './safe-xml';
import { type EngineCore, type LintConfig, LINT_CONFIG, fromAiProblems, lintDiagram, shortTimerCycles, staticExpressions, unparsableExpressions, unsupportedElements } from './validate';

/** What the server allows beyond the BPMN itself (from its configuration). */
export interface DiagramLimits {
  /** ENGINE_MIN_TIMER_CYCLE in milliseconds; 0 allows any cycle. */
  minTimerCycleMs: number;
  /** ENGINE_CORE: the core new instances start on, which refuses what it does not run (default: ours). */
  core?: EngineCore;
}
const NO_LIMITS: DiagramLimits = { minTimerCycleMs: 0 };

export interface ParsedDiagram {
  definitions: ModdleElement;
  processes: ProcessModel[];
  warnings: BpmnProblem[];
}

export function checksumOf(xml: string): string {
  return createHash('sha256').update(xml).digest('hex');
}

/** Parses with the Zeebe extensions; an XML that does not parse as BPMN is refused. */
export async function parseDiagram(xml: string): Promise<ParseResult> {
  assertSafeXml(xml);
  let parsed: ParseResult;
  try {
    parsed = await new BpmnModdle({ zeebe }).fromXML(xml);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InvalidBpmnError(`The file is not valid BPMN XML: ${message}`, [{ rule: 'xml', message }]);
  }
  if (parsed.rootElement?.$type !== 'bpmn:Definitions') {
    throw new InvalidBpmnError('The file is XML but not a BPMN diagram (no bpmn:definitions root)');
  }
  // The diagram interchange (bpmndi: shapes and planes) only draws the diagram: Zeebe does not
  // read it, so a drawing that points at a missing element does not stop a deploy.
  const unresolved = parsed.warnings.filter((w) => /unresolved reference|unparsable content/i.test(w.message) && !isDrawing(w.element));
  if (unresolved.length > 0) {
    throw new InvalidBpmnError(
      'The diagram has broken references or content that is not BPMN',
      unresolved.map((w) => ({ elementId: w.element?.id, rule: 'xml', message: w.message.split('\n')[0] })),
    );
  }
  dropBrokenDrawings(parsed.rootElement);
  return parsed;
}

/**
 * Removes from the parsed tree (not from the stored file) the drawings that point at no element,
 * so the lint, which walks the diagram interchange too, never meets an empty reference.
 */
function dropBrokenDrawings(definitions: ModdleElement): void {
  const diagrams = definitions.diagrams as ModdleElement[] | undefined;
  if (!diagrams) return;
  definitions.diagrams = diagrams.filter((d) => (d.plane as ModdleElement | undefined)?.bpmnElement);
  for (const d of definitions.diagrams as ModdleElement[]) {
    const plane = d.plane as ModdleElement;
    if (Array.isArray(plane.planeElement)) plane.planeElement = (plane.planeElement as ModdleElement[]).filter((e) => e.bpmnElement);
  }
}

const isDrawing = (element: { $type?: string } | undefined) => /^(bpmndi|dc|di):/.test(element?.$type ?? '');

export interface CheckedDiagram extends ParsedDiagram {
  /** Problems that block deployment: lint errors, elements the engine does not run, FEEL that does not parse. */
  errors: BpmnProblem[];
}

/**
 * Parses, lints and checks a diagram without refusing it for what it finds (the modeler shows
 * the list); XML that is unsafe, unparsable, not BPMN or without an executable process still
 * throws InvalidBpmnError.
 */
export async function checkDiagram(xml: string, config: LintConfig = LINT_CONFIG, limits: DiagramLimits = NO_LIMITS): Promise<CheckedDiagram> {
  const definitions = (await parseDiagram(xml)).rootElement;
  const processes = executableProcesses(definitions);
  if (processes.length === 0) throw new InvalidBpmnError('The diagram has no executable process (isExecutable="true")');
  linkSequenceFlows(definitions);
  const lint = await lintDiagram(definitions, config);
  const errors = [...lint.errors, ...unsupportedElements(definitions, limits.core), ...unparsableExpressions(definitions), ...fromAiProblems(definitions), ...staticExpressions(definitions), ...shortTimerCycles(definitions, limits.minTimerCycleMs)];
  // The engine's model is built only from a diagram without blocking problems.
  return { definitions, processes: errors.length === 0 ? processes.map(buildProcessModel) : [], warnings: lint.warnings, errors };
}

/** Parses, lints and checks a diagram for deployment; throws InvalidBpmnError listing every blocking problem. */
export async function validateDiagram(xml: string, config: LintConfig = LINT_CONFIG, limits: DiagramLimits = NO_LIMITS): Promise<ParsedDiagram> {
  const { definitions, processes, warnings, errors: problems } = await checkDiagram(xml, config, limits);
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).map((p) => `${p.elementId ? `${p.elementId}: ` : ''}${p.message}`);
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw new InvalidBpmnError(`The diagram has ${problems.length} problem(s) that block deployment: ${shown.join('; ')}${more}`, problems);
  }
  return { definitions, processes, warnings };
}

/** What the runtime keeps per deployed version: bpmn-elements' compiled context and our model of the zeebe extensions. */
export interface CompiledProcess {
  model: ProcessModel;
  /** Our own core's executable graph. */
  graph: ProcessGraph;
  /** bpmn-engine's serialized moddle context (built on first use): recovering its slim state needs it. */
  readonly sourceContext: unknown;
}

export async function compileProcess(xml: string, bpmnProcessId: string): Promise<CompiledProcess> {
  const parsed = await parseDiagram(xml);
  const process = executableProcesses(parsed.rootElement).find((p) => p.id === bpmnProcessId);
  if (!process) throw new InvalidBpmnError(`The diagram has no executable process ${bpmnProcessId}`);
  const graph = buildGraph(process);
  // bpmn-engine's serialized context, only for instances still on that core: built on first use
  // (it cannot serialize every diagram ours runs, e.g. black-box pools with message flows).
  let sourceContext: unknown;
  return {
    model: graph.model,
    graph,
    get sourceContext() {
      return (sourceContext ??= serializer(parsed, TypeResolver(Elements)));
    },
  };
}
