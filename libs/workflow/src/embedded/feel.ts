import { SyntaxError as FeelSyntaxError, evaluate } from 'feelin';
import type { Variables } from '../port/workflow-engine';
import type { Clock } from './clock';
import { FeelAssertionError, camundaFunctions } from '../feel/camunda-functions';
import { PARSE_CONTEXT, feelSource } from '../feel/parse';

export { CAMUNDA_FUNCTION_NAMES, FeelAssertionError, camundaFunctions } from '../feel/camunda-functions';
export { PARSE_CONTEXT, feelSource, parseFeel } from '../feel/parse';

export type FeelErrorType = 'EXTRACT_VALUE_ERROR' | 'CONDITION_ERROR' | 'IO_MAPPING_ERROR';

/** A FEEL expression that failed: it becomes an incident on the element, never a crash. */
export class FeelError extends Error {
  constructor(
    readonly errorType: FeelErrorType,
    message: string,
    readonly elementId?: string,
  ) {
    super(message);
    this.name = 'FeelError';
  }
}

export const isExpression = (value: unknown): value is string => typeof value === 'string' && value.trimStart().startsWith('=');

/** FEEL values (dates, durations, contexts) as plain JSON. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return String(value);
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

type Warning = { type: string; message: string };

/** feelin's warnings as Zeebe words them in an incident ("The evaluation reported the following warnings"). */
function describeWarnings(warnings: Warning[]): string {
  if (warnings.length === 0) return '';
  return ` The evaluation reported the following warnings: ${warnings.map((w) => `[${w.type}] ${w.message}`).join('; ')}`;
}

const describe = (value: unknown) => (value === null || value === undefined ? 'null' : JSON.stringify(value));

/** The type of a FEEL result as Zeebe names it in an incident (its `ResultType`). */
function resultType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (Array.isArray(value)) return 'ARRAY';
  if ((value as { isLuxonDateTime?: boolean }).isLuxonDateTime) return 'DATE_TIME';
  if ((value as { isLuxonDuration?: boolean }).isLuxonDuration) return 'DURATION';
  return 'OBJECT';
}

/**
 * Evaluates FEEL as Camunda 8.8 does (decision 0021): feelin, plus Camunda's built-in
 * extension functions, with `now()` and `today()` from the engine's clock. A variable that does
 * not exist is null, not an error
 * (docs.camunda.io/docs/components/modeler/feel/language-guide/feel-variables/); only a
 * syntax error, a failed `assert()`, or a result the element cannot use is a FeelError.
 */
export class Feel {
  /** Camunda's extension functions on this clock (DMN evaluation adds them to its variables too). */
  readonly functions: Record<string, unknown>;

  constructor(clock: Clock) {
    this.functions = camundaFunctions(clock);
  }

  /** The variables in a context with the functions; a variable of the same name shadows a function, as feelin's own builtins are shadowed. */
  private context(variables: Variables): Record<string, unknown> {
    return { ...this.functions, ...variables };
  }

  private run(expression: string, variables: Variables, errorType: FeelErrorType, elementId?: string): { value: unknown; warnings: Warning[]; source: string; type: string } {
    const source = expression.trimStart().slice(1);
    try {
      const result = evaluate(feelSource(source), this.context(variables));
      return { value: toJson(result.value), warnings: result.warnings, source, type: resultType(result.value) };
    } catch (e) {
      if (e instanceof FeelAssertionError) {
        throw new FeelError(errorType, `Assertion failure on evaluate the expression '${source}': ${e.message}`, elementId);
      }
      const parse = e instanceof FeelSyntaxError;
      throw new FeelError(errorType, `FEEL expression '${source}' ${parse ? 'does not parse' : 'failed'}: ${(e as Error).message}`, elementId);
    }
  }

  /**
   * `=expr` is evaluated; anything else is a literal (as in Zeebe). Missing variables are
   * null; a syntax error or a failed `assert()` is a FeelError of `errorType`.
   */
  evaluate(expression: string, variables: Variables, errorType: FeelErrorType, elementId?: string): unknown {
    if (!isExpression(expression)) return expression;
    return this.run(expression, variables, errorType, elementId).value;
  }

  /**
   * An expression whose result must be a non-empty string (a job type, a message name): a
   * FeelError naming the element, the expression and what it gave otherwise (Zeebe: "Expected
   * result of the expression ... to be 'STRING'").
   */
  text(expression: string, variables: Variables, elementId: string, what: string): string {
    if (!isExpression(expression)) return expression;
    const { value, warnings, source } = this.run(expression, variables, 'EXTRACT_VALUE_ERROR', elementId);
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
    throw new FeelError(
      'EXTRACT_VALUE_ERROR',
      `Expected the ${what} of ${elementId}, the expression '${source}', to be a string, but it was ${describe(value)}.${describeWarnings(warnings)}`,
      elementId,
    );
  }

  /** A sequence-flow condition: must evaluate to a boolean (Zeebe makes null an incident, not false). */
  condition(expression: string, variables: Variables, elementId?: string): boolean {
    if (!isExpression(expression)) {
      throw new FeelError('CONDITION_ERROR', `Expected the condition '${expression}' to be a FEEL expression`, elementId);
    }
    const { value, warnings, source } = this.run(expression, variables, 'CONDITION_ERROR', elementId);
    if (typeof value !== 'boolean') {
      throw new FeelError(
        'CONDITION_ERROR',
        `Expected the condition '${source}'${elementId ? ` of ${elementId}` : ''} to be true or false, but it was ${describe(value)}.${describeWarnings(warnings)}`,
        elementId,
      );
    }
    return value;
  }

  /** `=expr` evaluated, or a static value (a string, as Zeebe reads one), with its type. */
  private typed(expression: string, variables: Variables, elementId: string): { value: unknown; warnings: Warning[]; source: string; type: string } {
    if (!isExpression(expression)) return { value: expression, warnings: [], source: expression, type: 'STRING' };
    return this.run(expression, variables, 'EXTRACT_VALUE_ERROR', elementId);
  }

  /**
   * An expression whose result must be a list of strings, as Zeebe's
   * ExpressionProcessor.evaluateArrayOfStringsExpression checks it: otherwise a FeelError
   * (EXTRACT_VALUE_ERROR) in Zeebe's words after `prefix` ("Expected result of the expression
   * '…' to be 'ARRAY', but was 'STRING'.").
   */
  stringList(expression: string, variables: Variables, elementId: string, prefix: string): string[] {
    const { value, warnings, source, type } = this.typed(expression, variables, elementId);
    if (!Array.isArray(value)) {
      throw new FeelError('EXTRACT_VALUE_ERROR', `${prefix}Expected result of the expression '${source}' to be 'ARRAY', but was '${type}'.${describeWarnings(warnings)}`, elementId);
    }
    if (!value.every((item) => typeof item === 'string')) {
      throw new FeelError(
        'EXTRACT_VALUE_ERROR',
        `${prefix}Expected result of the expression '${source}' to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one non-'STRING' item.${describeWarnings(warnings)}`,
        elementId,
      );
    }
    return value as string[];
  }

  /**
   * An expression whose result must be true or false, as Zeebe's evaluateBooleanExpression checks
   * it: otherwise a FeelError (EXTRACT_VALUE_ERROR) in Zeebe's words after `prefix`.
   */
  boolean(expression: string, variables: Variables, elementId: string, prefix: string): boolean {
    const { value, warnings, source, type } = this.typed(expression, variables, elementId);
    if (typeof value !== 'boolean') {
      throw new FeelError('EXTRACT_VALUE_ERROR', `${prefix}Expected result of the expression '${source}' to be 'BOOLEAN', but was '${type}'.${describeWarnings(warnings)}`, elementId);
    }
    return value;
  }

  /** Checks that an expression parses (deploy-time), returning the parser's message when not. */
  static syntaxError(expression: string): string | undefined {
    if (!isExpression(expression)) return undefined;
    try {
      evaluate(feelSource(expression.trimStart().slice(1)), { ...PARSE_CONTEXT });
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }
}
