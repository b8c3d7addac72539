/**
 * A WHERE clause built a condition at a time, with numbered parameters ($1, $2, …) for the
 * values, so filters of a list query never splice a value into SQL.
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** A parameter's placeholder; the value joins `params`. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds `sql(p)`, where `p` is the placeholder of `value`. */
  add(sql: (p: string) => string, value: unknown): this {
    this.conditions.push(sql(this.param(value)));
    return this;
  }

  /** Adds a condition that has no value of its own (or made its placeholders with `param`). */
  raw(sql: string): this {
    this.conditions.push(sql);
    return this;
  }

  /** `WHERE a AND b`, or nothing when there is no condition. */
  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
