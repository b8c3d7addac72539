import { FeelFunction, date, dateAndTime, evaluate } from 'feelin';
import type { Variables } from '../port/workflow-engine';
import type { Clock } from './clock';

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

/** Evaluates FEEL in a context of variables, with `now()` and `today()` from the engine's clock. */
export class Feel {
  constructor(private readonly clock: Clock) {}

  private context(variables: Variables): Record<string, unknown> {
    const now = this.clock.now();
    return {
      ...variables,
      now: new FeelFunction(() => dateAndTime(now.toISOString()), []),
      today: new FeelFunction(() => date(now.toISOString().slice(0, 10)), []),
    };
  }

  /**
   * `=expr` is evaluated; anything else is a literal (as in Zeebe). A syntax error, or a
   * variable the expression needs that does not exist, is a FeelError of `errorType`.
   */
  evaluate(expression: string, variables: Variables, errorType: FeelErrorType, elementId?: string): unknown {
    if (!isExpression(expression)) return expression;
    const source = expression.trimStart().slice(1);
    let result;
    try {
      result = evaluate(source, this.context(variables));
    } catch (e) {
      throw new FeelError(errorType, `FEEL expression '${source}' does not parse: ${(e as Error).message}`, elementId);
    }
    const missing = result.warnings.find((w) => w.type === 'NO_VARIABLE_FOUND');
    if (result.value === null && missing) {
      throw new FeelError(errorType, `FEEL expression '${source}' failed: ${missing.message}`, elementId);
    }
    return toJson(result.value);
  }

  /** A sequence-flow condition: must evaluate to a boolean. */
  condition(expression: string, variables: Variables, elementId?: string): boolean {
    const value = this.evaluate(expression, variables, 'CONDITION_ERROR', elementId);
    if (typeof value !== 'boolean') {
      throw new FeelError('CONDITION_ERROR', `Expected the condition '${expression.trim().slice(1)}' to be true or false, but it was ${JSON.stringify(value)}`, elementId);
    }
    return value;
  }

  /** Checks that an expression parses (deploy-time), returning the parser's message when not. */
  static syntaxError(expression: string): string | undefined {
    if (!isExpression(expression)) return undefined;
    try {
      evaluate(expression.trimStart().slice(1), {});
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }
}

