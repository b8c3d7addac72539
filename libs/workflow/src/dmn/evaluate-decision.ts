import { FeelDate, FeelDateTime, FeelDuration, FeelTime, evaluate, unaryTest } from 'feelin';
import { FeelAssertionError } from '../feel/camunda-functions';
import { toJson } from '../embedded/feel';
import type { Decision, DecisionRequirementsGraph, DecisionTable, TableOutput, TableRule } from './decision-model';

/**
 * Evaluates a decision of a decision requirements graph as dmn-scala does for Zeebe
 * (camunda/dmn-scala src/main/scala/org/camunda/dmn/evaluation/DecisionEvaluator.scala and
 * DecisionTableEvaluator.scala), with feelin and Camunda's FEEL functions (decision 0022):
 * required decisions first, their results visible by result name (the variable's name, else
 * the decision id); a decision table's input expressions, then each rule's unary tests against
 * them, then the output entries of the matched rules, shaped by the hit policy; a literal
 * expression's value. One output column and one result gives the value, several columns a
 * context, the multi-result policies a list; no matching rule gives the default outputs or null.
 */

/** An input of a decision table as evaluated (Zeebe's EvaluatedInput). */
export interface EvaluatedInput {
  inputId: string;
  inputName?: string;
  inputValue: unknown;
}

/** A rule that matched, with its outputs (Zeebe's MatchedRule; `ruleIndex` counts from 1). */
export interface MatchedRule {
  ruleId: string;
  ruleIndex: number;
  evaluatedOutputs: Array<{ outputId: string; outputName?: string; outputValue: unknown }>;
}

/** One decision evaluated on the way (Zeebe's EvaluatedDecision), required decisions first. */
export interface EvaluatedDecision {
  decisionId: string;
  decisionName?: string;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  decisionOutput: unknown;
  evaluatedInputs: EvaluatedInput[];
  matchedRules: MatchedRule[];
}

export type DecisionResult =
  | { ok: true; output: unknown; evaluatedDecisions: EvaluatedDecision[] }
  | { ok: false; failure: string; failedDecisionId: string; evaluatedDecisions: EvaluatedDecision[] };

/** Why an evaluation failed, in dmn-scala's words; the caller prefixes "Expected to evaluate decision '…', but". */
class DecisionFailure extends Error {
  constructor(
    message: string,
    readonly decisionId: string,
  ) {
    super(message);
  }
}

type Context = Record<string, unknown>;
type Row = Array<[string, unknown]>;

const describe = (value: unknown) => JSON.stringify(toJson(value)) ?? 'null';

/**
 * Evaluates `decisionId` of `graph` with the variables (and the FEEL functions) it sees. A
 * failure names the decision that failed and why, as Zeebe's incident message does: "Expected
 * to evaluate decision 'd', but …".
 */
export function evaluateDecision(graph: DecisionRequirementsGraph, decisionId: string, variables: Context, functions: Context): DecisionResult {
  const audit: EvaluatedDecision[] = [];
  const decision = graph.decisions.get(decisionId);
  if (!decision) {
    return { ok: false, failure: `Expected to evaluate decision '${decisionId}', but no decision found with id '${decisionId}'`, failedDecisionId: decisionId, evaluatedDecisions: [] };
  }
  try {
    const [, output] = evaluateOne(graph, decision, { ...functions, ...variables }, audit);
    return { ok: true, output: toJson(output), evaluatedDecisions: audit };
  } catch (e) {
    if (!(e instanceof DecisionFailure)) throw e;
    return { ok: false, failure: `Expected to evaluate decision '${decisionId}', but ${e.message}`, failedDecisionId: e.decisionId, evaluatedDecisions: audit };
  }
}

function evaluateOne(graph: DecisionRequirementsGraph, decision: Decision, context: Context, audit: EvaluatedDecision[]): [string, unknown] {
  // Each required decision sees the same variables; the results join them for the dependent one.
  const results: Context = {};
  for (const id of decision.required) {
    const [name, value] = evaluateOne(graph, graph.decisions.get(id)!, context, audit);
    results[name] = value;
  }
  const scope = { ...context, ...results };
  const entry: EvaluatedDecision = {
    decisionId: decision.id,
    decisionName: decision.name,
    decisionType: decision.logic.kind,
    decisionOutput: null,
    evaluatedInputs: [],
    matchedRules: [],
  };
  let value: unknown;
  if (decision.logic.kind === 'LITERAL_EXPRESSION') value = expression(decision.logic.expression, scope, decision.id);
  else value = evaluateTable(decision.logic, scope, decision.id, entry);
  const checked = typeChecked(value, decision.resultType, decision.id);
  entry.decisionOutput = toJson(checked);
  audit.push(entry);
  return [decision.resultName, checked];
}

/** A FEEL expression's value; only what feel-scala fails on fails here (a syntax error, a failed `assert()`). */
function expression(source: string, context: Context, decisionId: string): unknown {
  try {
    return evaluate(source, context).value;
  } catch (e) {
    if (e instanceof FeelAssertionError) throw new DecisionFailure(`Assertion failure on evaluate the expression '${source}': ${e.message}`, decisionId);
    throw new DecisionFailure(`failed to evaluate expression '${source}': ${(e as Error).message}`, decisionId);
  }
}

/** A rule's input entry against its input's value (`?`); an empty entry matches anything. */
function test(entry: string, input: unknown, context: Context, decisionId: string): boolean {
  if (entry.trim() === '') return true;
  let result: unknown;
  try {
    result = unaryTest(entry, { ...context, '?': input }).value;
  } catch (e) {
    if (e instanceof FeelAssertionError) throw new DecisionFailure(`Assertion failure on evaluate the expression '${entry}': ${e.message}`, decisionId);
    throw new DecisionFailure(`failed to evaluate expression '${entry}': ${(e as Error).message}`, decisionId);
  }
  if (result === true) return true;
  if (result === false || result === null || result === undefined) return false;
  throw new DecisionFailure(`input entry must return true, false, or null, but found '${describe(result)}'`, decisionId);
}

function evaluateTable(table: DecisionTable, context: Context, decisionId: string, entry: EvaluatedDecision): unknown {
  const inputValues = table.inputs.map((input) => expression(input.expression, context, decisionId));
  entry.evaluatedInputs = table.inputs.map((input, n) => ({ inputId: input.id, inputName: input.label, inputValue: toJson(inputValues[n]) }));
  const matched = table.rules.filter((rule) => rule.inputEntries.every((e, n) => test(e, inputValues[n], context, decisionId)));
  if (matched.length === 0) return defaultOutputs(table.outputs, context, decisionId);
  const rules = table.hitPolicy === 'FIRST' ? matched.slice(0, 1) : matched;
  const rows = rules.map((rule) => outputRow(table, rule, context, decisionId));
  entry.matchedRules = rules.map((rule, n) => ({
    ruleId: rule.id,
    ruleIndex: table.rules.indexOf(rule) + 1,
    evaluatedOutputs: table.outputs.map((output, i) => ({ outputId: output.id, outputName: output.name, outputValue: toJson(rows[n][i][1]) })),
  }));
  return applyHitPolicy(table, rows, decisionId);
}

function outputRow(table: DecisionTable, rule: TableRule, context: Context, decisionId: string): Row {
  return table.outputs.map((output, n) => [output.name ?? '', expression(rule.outputEntries[n] ?? '', context, decisionId)]);
}

/** No rule matched: the outputs' default entries; none gives null, one gives its value (whatever the column count), several a context. */
function defaultOutputs(outputs: TableOutput[], context: Context, decisionId: string): unknown {
  const values: Row = outputs.filter((o) => o.defaultValue !== undefined).map((o) => [o.name ?? '', expression(o.defaultValue!, context, decisionId)]);
  if (values.length === 0) return null;
  if (values.length === 1) return values[0][1];
  return Object.fromEntries(values);
}

const single = (rows: Row[]): unknown => (rows.length === 0 ? null : rows[0].length === 1 ? rows[0][0][1] : Object.fromEntries(rows[0]));
const multiple = (rows: Row[]): unknown => (rows.length === 0 ? null : rows[0].length === 1 ? rows.map((r) => r[0][1]) : rows.map((r) => Object.fromEntries(r)));
const shown = (rows: Row[]) => describe(rows.map((r) => Object.fromEntries(r)));

function applyHitPolicy(table: DecisionTable, rows: Row[], decisionId: string): unknown {
  switch (table.hitPolicy) {
    case 'FIRST':
      return single(rows);
    case 'UNIQUE':
      if (rows.length > 1) throw new DecisionFailure(`multiple values aren't allowed for UNIQUE hit policy. found: '${shown(rows)}'`, decisionId);
      return single(rows);
    case 'ANY': {
      const distinct = [...new Map(rows.map((r) => [describe(Object.fromEntries(r)), r])).values()];
      if (distinct.length > 1) throw new DecisionFailure(`different values aren't allowed for ANY hit policy. found: '${shown(distinct)}'`, decisionId);
      return single(rows);
    }
    case 'PRIORITY':
      return single(byPriority(rows, table.outputs));
    case 'OUTPUT ORDER':
      return multiple(byPriority(rows, table.outputs));
    case 'RULE ORDER':
      return multiple(rows);
    case 'COLLECT': {
      if (!table.aggregation) return multiple(rows);
      if (table.aggregation === 'COUNT') return rows.length;
      const numbers = rows.map((r) => {
        const v = r[0][1];
        if (typeof v !== 'number') throw new DecisionFailure(`expected number but found '${describe(v)}'`, decisionId);
        return v;
      });
      if (table.aggregation === 'SUM') return numbers.reduce((a, b) => a + b, 0);
      return table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
    }
  }
}

/**
 * dmn-scala's order for PRIORITY and OUTPUT ORDER: each row keyed by the positions of its values
 * in each output's `outputValues` (strings and numbers only, anything else last), the positions
 * written as text one after another and compared as text; rows with equal keys keep rule order.
 */
function byPriority(rows: Row[], outputs: TableOutput[]): Row[] {
  const key = (row: Row) =>
    outputs
      .map((output, n) => {
        const value = row[n]?.[1];
        if (typeof value !== 'string' && typeof value !== 'number') return '_';
        const at = output.priorities.indexOf(String(value));
        return at < 0 ? '_' : String(at);
      })
      .join('');
  return rows
    .map((row) => ({ row, key: key(row) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.row);
}

/** dmn-scala's TypeChecker on the decision's variable `typeRef`: null passes, a type it does not know passes. */
function typeChecked(value: unknown, typeRef: string | undefined, decisionId: string): unknown {
  if (!typeRef || value === null || value === undefined) return value;
  const type = typeRef.replace(/feel:/g, '');
  const checks: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === 'string',
    number: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    time: (v) => v instanceof FeelTime,
    date: (v) => v instanceof FeelDate,
    dateTime: (v) => v instanceof FeelDateTime,
    dayTimeDuration: (v) => v instanceof FeelDuration && !v.yearsMonths,
    yearMonthDuration: (v) => v instanceof FeelDuration && v.yearsMonths,
  };
  const check = checks[type];
  if (!check || check(value)) return value;
  throw new DecisionFailure(`expected '${type}' but found '${describe(value)}'`, decisionId);
}
