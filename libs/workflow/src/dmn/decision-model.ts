/**
 * One deployed DMN file as the engine runs it: its decision requirements graph (the
 * `definitions`) and the decisions in it, each a decision table or a decision literal
 * expression, read once from dmn-moddle's tree and cached with the version. What dmn-scala
 * calls `ParsedDmn` (camunda/dmn-scala src/main/scala/org/camunda/dmn/parser/ParsedDmn.scala).
 */

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface TableInput {
  id: string;
  label?: string;
  /** FEEL expression (without `=`). */
  expression: string;
}

export interface TableOutput {
  id: string;
  /** The key of its value in a result with several outputs (required then). */
  name?: string;
  label?: string;
  /** `outputValues`, in order: the priorities of PRIORITY and OUTPUT ORDER. */
  priorities: string[];
  /** `defaultOutputEntry`: FEEL, used when no rule matches. */
  defaultValue?: string;
}

export interface TableRule {
  id: string;
  /** Unary tests, one per input; empty is `-` (any value). */
  inputEntries: string[];
  /** FEEL expressions, one per output. */
  outputEntries: string[];
}

export interface DecisionTable {
  kind: 'DECISION_TABLE';
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: TableRule[];
}

export interface LiteralExpression {
  kind: 'LITERAL_EXPRESSION';
  expression: string;
}

export interface Decision {
  id: string;
  name?: string;
  /** `zeebe:versionTag`: business rule tasks bound by `versionTag` evaluate the latest version carrying it. */
  versionTag?: string;
  /** Under which name a dependent decision sees its result: the variable's name, else the decision id (dmn-scala). */
  resultName: string;
  /** The variable's `typeRef`: the result must be of that type (or null). */
  resultType?: string;
  /** Ids of the required decisions, in the order the file lists them. */
  required: string[];
  logic: DecisionTable | LiteralExpression;
}

export interface DecisionRequirementsGraph {
  /** The `definitions` id: the decision requirements id. */
  id: string;
  name?: string;
  namespace?: string;
  /** Decisions by id, in file order. */
  decisions: Map<string, Decision>;
}
