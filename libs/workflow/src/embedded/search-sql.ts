import { isKeyText } from '@mustafid/platform';
import type { SearchPage, SortOrder } from '../port/workflow-engine';

/**
 * The WHERE, ORDER BY and LIMIT of the engine's searches, with numbered parameters. Each filter
 * list matches any of its values (an empty list matches nothing); keys that cannot exist are
 * dropped before they reach SQL, so they match nothing instead of failing the cast.
 */
export class SearchSql {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  private param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A parameter for a condition of the caller's: its placeholder. */
  add(value: unknown): string {
    return this.param(value);
  }

  /** A condition of the caller's (its parameters added with `add`). */
  condition(sql: string): this {
    this.conditions.push(sql);
    return this;
  }

  /** `column` is one of `values` (keys: bigint columns; jsonb: values as JSON text, equal as JSON). */
  anyOf(column: string, values: readonly unknown[] | undefined, type: 'bigint' | 'text' | 'int' | 'jsonb'): this {
    if (values === undefined) return this;
    const kept = type === 'bigint' ? values.filter(isKeyText) : values;
    this.conditions.push(`${column} = ANY(${this.param(kept)}::${type}[])`);
    return this;
  }

  /** The text[] `column` shares a value with `values`. */
  overlaps(column: string, values: readonly string[] | undefined): this {
    if (values !== undefined) this.conditions.push(`${column} && ${this.param(values)}::text[]`);
    return this;
  }

  is(condition: string, value: boolean | undefined): this {
    if (value !== undefined) this.conditions.push(`(${condition}) = ${this.param(value)}`);
    return this;
  }

  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  /** ORDER BY the requested fields (unknown ones are the caller's bug), then the key, then LIMIT/OFFSET. */
  pageOf<F extends string>(sort: Array<{ field: F; order: SortOrder }> | undefined, columns: Record<F, string>, key: string, page: SearchPage): string {
    const order = (sort ?? []).map((s) => `${columns[s.field]} ${s.order === 'DESC' ? 'DESC' : 'ASC'} NULLS LAST`);
    const limit = Math.max(0, Math.min(10_000, Math.floor(page.limit)));
    const from = Math.max(0, Math.floor(page.from));
    return `ORDER BY ${[...order, `${key} ASC`].join(', ')} LIMIT ${this.param(limit)} OFFSET ${this.param(from)}`;
  }
}
