import type { ModdleElement, ParseResult } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import { parseUnaryTests } from 'feelin';
import { PARSE_CONTEXT, parseFeel } from '../feel/parse';
import { type BpmnProblem, InvalidDmnError, assertSafeXml } from '../model/safe-xml';
import type { Aggregation, Decision, DecisionRequirementsGraph, DecisionTable, HitPolicy, TableRule } from './decision-model';

/**
 * DMN files as Zeebe takes them (DmnResourceTransformer on dmn-scala's DmnParser): parsed with
 * bpmn.io's dmn-moddle, every decision a decision table or a decision literal expression in FEEL,
 * every FEEL expression and unary test parsed at deploy, so that a file the engine takes is one
 * it can evaluate. Camunda 8 reads DMN 1.1 to 1.5; dmn-moddle knows DMN 1.3, whose elements for
 * decisions, tables and literal expressions are the others' too, so the older and newer model
 * namespaces are read as 1.3's (the file itself is stored unchanged).
 */

const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMNDI13 = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';
/** The DMN model (and diagram interchange) namespaces of 1.1, 1.2, 1.4 and 1.5, read as 1.3's. */
const OTHER_VERSIONS: ReadonlyArray<[string, string]> = [
  ['http://www.omg.org/spec/DMN/20151101/dmn.xsd', DMN13],
  ['http://www.omg.org/spec/DMN/20180521/MODEL/', DMN13],
  ['https://www.omg.org/spec/DMN/20211108/MODEL/', DMN13],
  ['https://www.omg.org/spec/DMN/20230324/MODEL/', DMN13],
  ['http://www.omg.org/spec/DMN/20180521/DMNDI/', DMNDI13],
  ['https://www.omg.org/spec/DMN/20211108/DMNDI/', DMNDI13],
  ['https://www.omg.org/spec/DMN/20230324/DMNDI/', DMNDI13],
];

/** What `expressionLanguage` may name (dmn-scala DmnParser.feelNameSpaces); absent means FEEL. */
const FEEL_LANGUAGES = new Set(
  [
    'feel',
    'http://www.omg.org/spec/FEEL/20140401',
    'http://www.omg.org/spec/DMN/20180521/FEEL/',
    'https://www.omg.org/spec/DMN/20191111/FEEL/',
    'https://www.omg.org/spec/DMN/20211108/FEEL/',
    'https://www.omg.org/spec/DMN/20230324/FEEL/',
  ].map((l) => l.toLowerCase()),
);

const LOGIC_WORDS: Record<string, string> = {
  'dmn:Context': 'a boxed context',
  'dmn:Relation': 'a relation',
  'dmn:List': 'a boxed list',
  'dmn:Invocation': 'an invocation',
  'dmn:FunctionDefinition': 'a function definition',
};

/** Whether a resource is DMN: by its name as Zeebe decides (`.dmn`), or, for a name that says neither, by its root's namespace. */
export function isDmnResource(resourceName: string, xml: string): boolean {
  if (/\.dmn$/i.test(resourceName)) return true;
  if (/\.bpmn$/i.test(resourceName)) return false;
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w-]+:)?definitions\b[^>]*\bxmlns(?::[\w-]+)?\s*=\s*["']https?:\/\/www\.omg\.org\/spec\/DMN\//.test(xml);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const list = (v: unknown): ModdleElement[] => (Array.isArray(v) ? (v as ModdleElement[]) : []);

/** A FEEL expression's syntax error, in the words BPMN deploys use: undefined when it parses. */
function feelSyntax(source: string, unary: boolean): string | undefined {
  if (!unary && source.trim() === '') return 'it is empty';
  let errorAt: number | undefined;
  const tree = unary ? parseUnaryTests(source, { ...PARSE_CONTEXT }, undefined) : parseFeel(source);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
    },
  });
  return errorAt === undefined ? undefined : `it does not parse at character ${errorAt + 1}`;
}

export interface CheckedDmn {
  graph: DecisionRequirementsGraph;
  /** Problems that block deployment, each naming the element (decision, input, rule, entry) at fault. */
  problems: BpmnProblem[];
}

/**
 * Parses a DMN file and checks everything the engine needs to evaluate it; problems come back
 * as a list by element id. XML that is unsafe, not XML, or not DMN throws InvalidDmnError.
 */
export async function checkDmn(xml: string): Promise<CheckedDmn> {
  assertSafeXml(xml, 'DMN');
  let source = xml;
  for (const [from, to] of OTHER_VERSIONS) source = source.split(from).join(to);
  let parsed: ParseResult;
  try {
    parsed = await new DmnModdle().fromXML(source);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new InvalidDmnError(`The file is not valid DMN XML: ${message}`, [{ rule: 'xml', message }]);
  }
  const definitions = parsed.rootElement;
  if (definitions?.$type !== 'dmn:Definitions') {
    throw new InvalidDmnError('The file is XML but not a DMN model (no definitions root in a DMN 1.1 to 1.5 namespace)');
  }
  const problems: BpmnProblem[] = [];
  for (const w of parsed.warnings) {
    if (!/unresolved reference|unparsable content|duplicate ID/i.test(w.message)) continue;
    const nested = w.error?.message ?? '';
    const duplicate = /duplicate ID <([^>]*)>/.exec(nested)?.[1];
    if (duplicate !== undefined) {
      problems.push({ elementId: duplicate, rule: 'xml', message: `The id '${duplicate}' is used twice; ids must be unique within the file` });
      continue;
    }
    const at = /line: (\d+)\s+column: (\d+)/.exec(w.message);
    const where = at ? ` (line ${Number(at[1]) + 1}, column ${at[2]})` : '';
    problems.push({ elementId: w.element?.id, rule: 'xml', message: `${w.message.split('\n')[0]}${nested ? `: ${nested}` : ''}${where}` });
  }
  const graph = readGraph(definitions, problems);
  return { graph, problems };
}

/** Parses and checks a DMN file for deployment; throws InvalidDmnError listing every blocking problem. */
export async function validateDmn(xml: string): Promise<DecisionRequirementsGraph> {
  const { graph, problems } = await checkDmn(xml);
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).map((p) => `${p.elementId ? `${p.elementId}: ` : ''}${p.message}`);
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw new InvalidDmnError(`The DMN has ${problems.length} problem(s) that block deployment: ${shown.join('; ')}${more}`, problems);
  }
  return graph;
}

/** The graph of a stored (already checked) DMN file. */
export async function compileDmn(xml: string): Promise<DecisionRequirementsGraph> {
  return validateDmn(xml);
}

function readGraph(definitions: ModdleElement, problems: BpmnProblem[]): DecisionRequirementsGraph {
  const id = str(definitions.id);
  if (!id) problems.push({ rule: 'dmn-structure', message: 'The definitions element needs an id: it is the decision requirements id' });
  const graph: DecisionRequirementsGraph = { id: id ?? '', name: str(definitions.name), namespace: str(definitions.namespace), decisions: new Map() };
  const elements = list(definitions.drgElement);
  const decisions = elements.filter((e) => e.$type === 'dmn:Decision');
  if (decisions.length === 0) problems.push({ elementId: id, rule: 'dmn-structure', message: 'The DMN has no decision to deploy' });
  for (const el of decisions) {
    const decision = readDecision(el, problems);
    if (decision) graph.decisions.set(decision.id, decision);
  }
  for (const decision of graph.decisions.values()) {
    for (const required of decision.required) {
      if (!graph.decisions.has(required)) {
        problems.push({
          elementId: decision.id,
          rule: 'dmn-structure',
          message: `The decision requires the decision '${required}', which is not in this file`,
        });
      }
    }
  }
  const cyclic = [...graph.decisions.keys()].find((start) => inCycle(graph, start));
  if (cyclic) problems.push({ elementId: cyclic, rule: 'dmn-structure', message: 'Invalid DMN model: Cyclic dependencies between decisions detected.' });
  return graph;
}

function inCycle(graph: DecisionRequirementsGraph, start: string): boolean {
  const visit = (id: string, path: Set<string>): boolean => {
    if (path.has(id)) return true;
    const next = new Set(path).add(id);
    return (graph.decisions.get(id)?.required ?? []).some((r) => visit(r, next));
  };
  return visit(start, new Set());
}

function readDecision(el: ModdleElement, problems: BpmnProblem[]): Decision | undefined {
  const id = str(el.id);
  if (!id) {
    problems.push({ rule: 'dmn-structure', message: `A decision${el.name ? ` (${String(el.name)})` : ''} has no id` });
    return undefined;
  }
  const problem = (message: string, elementId: string | undefined = id, rule = 'dmn-structure') => problems.push({ elementId, rule, message });
  const required: string[] = [];
  for (const requirement of list(el.informationRequirement)) {
    const href = str((requirement.requiredDecision as ModdleElement | undefined)?.href);
    if (href === undefined) continue; // a required input data: the decision reads it from the variables
    if (!href.startsWith('#')) problem(`The required decision '${href}' is in another file; only decisions in the same file can be required`);
    else required.push(href.slice(1));
  }
  for (const requirement of list(el.knowledgeRequirement)) {
    const href = str((requirement.requiredKnowledge as ModdleElement | undefined)?.href) ?? '?';
    problem(`A decision that requires a business knowledge model (${href}) is not supported by the embedded engine`, id, 'dmn-supported');
  }
  const variable = el.variable as ModdleElement | undefined;
  // Camunda 8 writes a decision's version tag as <zeebe:versionTag value="…"/> in its extensionElements (dmn-moddle keeps it generic).
  const tag = list((el.extensionElements as ModdleElement | undefined)?.values).find((v) => /^zeebe:versionTag$/i.test(String(v.$type)));
  const decision: Decision = {
    id,
    name: str(el.name),
    versionTag: str(String(tag?.value ?? '').trim()),
    resultName: str(variable?.name) ?? id,
    resultType: str(variable?.typeRef),
    required,
    logic: { kind: 'LITERAL_EXPRESSION', expression: '' },
  };
  const logic = el.decisionLogic as ModdleElement | undefined;
  if (!logic) {
    problem('The decision has no decision logic: give it a decision table or a literal expression');
  } else if (logic.$type === 'dmn:DecisionTable') {
    decision.logic = readTable(logic, id, problem);
  } else if (logic.$type === 'dmn:LiteralExpression') {
    decision.logic = { kind: 'LITERAL_EXPRESSION', expression: expressionOf(logic, 'literal expression', problem) };
  } else {
    const words = LOGIC_WORDS[logic.$type] ?? logic.$type.replace('dmn:', '');
    problem(`A decision with ${words} is not supported by the embedded engine; use a decision table or a literal expression`, id, 'dmn-supported');
  }
  return decision;
}

type Problem = (message: string, elementId?: string, rule?: string) => void;

/** A FEEL expression (input expression, output entry, literal expression): not empty, in FEEL, parsing. */
function expressionOf(el: ModdleElement, what: string, problem: Problem, of = ''): string {
  const elementId = str(el.id);
  const text = typeof el.text === 'string' ? el.text : undefined;
  if (text === undefined) {
    problem(`The expression '${elementId ?? what}' must not be empty.`, elementId);
    return '';
  }
  if (!languageIsFeel(el, problem)) return text;
  const error = feelSyntax(text, false);
  if (error) problem(`The ${what} '${text}'${of} is not valid FEEL: ${error}`, elementId, 'feel-syntax');
  return text;
}

function languageIsFeel(el: ModdleElement, problem: Problem): boolean {
  const language = str(el.expressionLanguage)?.toLowerCase() ?? 'feel';
  if (FEEL_LANGUAGES.has(language)) return true;
  problem(`Expression language '${language}' is not supported`, str(el.id), 'dmn-supported');
  return false;
}

function readTable(el: ModdleElement, decisionId: string, problem: Problem): DecisionTable {
  const tableId = str(el.id) ?? decisionId;
  const hitPolicy = (str(el.hitPolicy) ?? 'UNIQUE') as HitPolicy;
  const aggregation = str(el.aggregation) as Aggregation | undefined;
  const inputs = list(el.input).map((input) => {
    const expression = input.inputExpression as ModdleElement | undefined;
    const id = str(input.id) ?? '';
    return {
      id,
      label: str(input.label),
      expression: expression ? expressionOf(expression, 'input expression', problem, ` of input ${str(input.label) ?? id}`) : (problem(`The input '${id}' has no input expression`, id), ''),
    };
  });
  const outputs = list(el.output).map((output) => {
    const id = str(output.id) ?? '';
    const values = str((output.outputValues as ModdleElement | undefined)?.text);
    const fallback = output.defaultOutputEntry as ModdleElement | undefined;
    return {
      id,
      name: str(output.name),
      label: str(output.label),
      priorities: values ? values.split(',').map((v) => v.trim().replace(/["']/g, '')) : [],
      defaultValue: fallback ? expressionOf(fallback, 'default output entry', problem, ` of output ${str(output.name) ?? id}`) : undefined,
    };
  });
  if (outputs.length === 0) problem('A decision table needs at least one output', tableId);
  if (outputs.length > 1) {
    const seen = new Set<string>();
    for (const output of outputs) {
      if (!output.name) problem(`no output name defined for \`${output.label ?? output.id}\``, output.id);
      else if (seen.has(output.name)) problem(`The output name '${output.name}' is used twice; the outputs of a table with several outputs need unique names`, output.id);
      else seen.add(output.name);
    }
    if (hitPolicy === 'COLLECT' && aggregation) problem("hit policy 'COLLECT' with aggregator is not defined for compound output", tableId);
  }
  const rules: TableRule[] = list(el.rule).map((rule, index) => {
    const id = str(rule.id) ?? `${decisionId}-rule-${index + 1}`;
    const entries = list(rule.inputEntry);
    const results = list(rule.outputEntry);
    if (entries.length !== inputs.length || results.length !== outputs.length) {
      problem(`The rule has ${entries.length} input and ${results.length} output entries for ${inputs.length} inputs and ${outputs.length} outputs`, id);
    }
    return {
      id,
      inputEntries: entries.map((entry, n) => {
        const text = typeof entry.text === 'string' ? entry.text : '';
        if (text.trim() === '' || !languageIsFeel(entry, problem)) return text;
        const error = feelSyntax(text, true);
        const label = inputs[n]?.label ?? inputs[n]?.id ?? String(n + 1);
        if (error) problem(`The input entry '${text}' of rule ${id} (input ${label}) is not valid FEEL unary tests: ${error}`, str(entry.id) ?? id, 'feel-syntax');
        return text;
      }),
      outputEntries: results.map((entry, n) => expressionOf(entry, 'output entry', problem, ` of rule ${id} (output ${outputs[n]?.name ?? outputs[n]?.id ?? n + 1})`)),
    };
  });
  return { kind: 'DECISION_TABLE', hitPolicy, aggregation, inputs, outputs, rules };
}
