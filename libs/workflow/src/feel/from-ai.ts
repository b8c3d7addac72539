import { evaluate } from 'feelin';
import { feelSource, parseFeel } from './parse';

/**
 * A tool parameter an AI agent fills: a `fromAi(...)` call in an element's input mapping inside an
 * ad-hoc subprocess (docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-ai-agent/).
 * Zeebe lists them in the `adHocSubProcessElements` variable (AdHocActivityMetadata.AdHocActivityParameter):
 * `name` is the reference the value reads (`toolCall.userId`); empty fields are left out.
 */
export interface FromAiParameter {
  name: string;
  description?: string;
  type?: string;
  schema?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

/** A `fromAi` call Zeebe refuses: its value is not a reference, or a description, type, schema or options is not a constant of its kind. */
export class FromAiError extends Error {}

const ARGUMENTS = ['value', 'description', 'type', 'schema', 'options'] as const;
type Argument = (typeof ARGUMENTS)[number];

interface Node {
  name: string;
  from: number;
  to: number;
  children: Node[];
}

/** The syntax tree as plain nodes (names and spans), without punctuation. */
function treeOf(source: string): Node {
  const cursor = parseFeel(source).cursor();
  const walk = (): Node => {
    const node: Node = { name: cursor.name, from: cursor.from, to: cursor.to, children: [] };
    if (cursor.firstChild()) {
      do {
        if (/^[A-Z]/.test(cursor.name) || cursor.name === 'null') node.children.push(walk());
      } while (cursor.nextSibling());
      cursor.parent();
    }
    return node;
  };
  return walk();
}

/**
 * The parameters an expression's `fromAi` calls declare, in the order they appear, as Zeebe's
 * FromAiFeelFunctionCallParameterExtractor reads them: positional or named arguments; the value a
 * reference (`toolCall.a`, or a bare name); description and type string constants (or null);
 * schema and options contexts of constants. Anything else is a FromAiError in Zeebe's words.
 */
export function fromAiParameters(expression: string): FromAiParameter[] {
  const source = feelSource(expression.trim().startsWith('=') ? expression.trim().slice(1) : expression);
  if (!source.includes('fromAi')) return [];
  const text = (n: Node) => source.slice(n.from, n.to);
  const found: FromAiParameter[] = [];
  const visit = (node: Node) => {
    if (node.name === 'FunctionInvocation' && node.children[0] && text(node.children[0]).trim() === 'fromAi') {
      found.push(parameter(node.children[1], text));
      return;
    }
    node.children.forEach(visit);
  };
  let tree: Node;
  try {
    tree = treeOf(source);
  } catch {
    return [];
  }
  visit(tree);
  return found;
}

function parameter(args: Node | undefined, text: (n: Node) => string): FromAiParameter {
  const given = new Map<Argument, Node>();
  if (args?.name === 'PositionalParameters') args.children.forEach((n, i) => i < ARGUMENTS.length && given.set(ARGUMENTS[i], n));
  if (args?.name === 'NamedParameters') {
    for (const named of args.children) {
      const [name, value] = named.children;
      const key = name ? (text(name).trim() as Argument) : undefined;
      if (key && value && (ARGUMENTS as readonly string[]).includes(key)) given.set(key, value);
    }
  }
  const value = given.get('value');
  if (!value || (value.name !== 'PathExpression' && value.name !== 'VariableName')) {
    const got = value ? (value.name === 'StringLiteral' ? `string '${constant(value, text)}'` : text(value)) : 'nothing';
    throw new FromAiError(`Expected fromAi() parameter 'value' to be a reference (e.g. 'toolCall.customParameter'), but received ${got}.`);
  }
  const result: FromAiParameter = { name: text(value).split('.').map((part) => part.trim()).join('.') };
  for (const key of ['description', 'type'] as const) {
    const node = given.get(key);
    if (!node || node.name === 'null') continue;
    if (node.name !== 'StringLiteral') throw new FromAiError(`Expected fromAi() parameter '${key}' to be a string, but received '${text(node)}'.`);
    result[key] = constant(node, text) as string;
  }
  for (const key of ['schema', 'options'] as const) {
    const node = given.get(key);
    if (!node || node.name === 'null') continue;
    if (node.name !== 'Context' || !isConstant(node)) throw new FromAiError(`Expected fromAi() parameter '${key}' to be a context (map), but received '${text(node)}'.`);
    result[key] = constant(node, text) as Record<string, unknown>;
  }
  return result;
}

/** Literals, and lists and contexts of literals: what Zeebe accepts in a schema or options. */
function isConstant(node: Node): boolean {
  if (['StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'null'].includes(node.name)) return true;
  if (node.name === 'List') return node.children.every(isConstant);
  return node.name === 'Context' && node.children.every((entry) => entry.name === 'ContextEntry' && entry.children[1] !== undefined && isConstant(entry.children[1]));
}

function constant(node: Node, text: (n: Node) => string): unknown {
  return evaluate(text(node), {}).value;
}
