import type { SearchPage, SortOrder } from '@mustafid/workflow';
import { IsArray, IsObject, IsOptional } from 'class-validator';
import { DEFAULT_TENANT, badRequest, isLongText, isPlainObject } from './values';

/**
 * Searches as Camunda 8.8 shapes them
 * (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/):
 * `filter` (a value, or an object of operators), `page` (`from`/`limit`, or the cursors
 * `after`/`before` a previous page answered), `sort` (a list of `{field, order}`). The answer's
 * `page` has `totalItems` and, when the page has items, the cursors of its first and last item.
 * Of the filter operators, Mustafid takes a plain value, `$eq` and `$in`; the others answer a
 * 400 that names them.
 */
export class SearchQueryDto {
  @IsOptional()
  @IsObject({ message: 'filter must be a JSON object' })
  filter?: Record<string, unknown>;

  @IsOptional()
  @IsObject({ message: 'page must be a JSON object: {"from": 0, "limit": 100}, or {"after": "<endCursor>"}' })
  page?: Record<string, unknown>;

  @IsOptional()
  @IsArray({ message: 'sort must be a list such as [{"field": "startDate", "order": "DESC"}]' })
  sort?: unknown[];
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** A cursor names the position of an item in the sorted results: base64 of {"o": offset}. */
function cursorOf(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function offsetOf(cursor: unknown, field: string): number {
  if (typeof cursor === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) {
    try {
      const { o } = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { o?: unknown };
      if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
    } catch {
      // not one of ours: answered below
    }
  }
  throw badRequest(`page.${field} must be a cursor this server answered (a page's startCursor or endCursor)`);
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`page.${field} must be a whole number from ${min} to ${max.toLocaleString('en')}`);
  }
  return value;
}

/** The page a request asks for, as `from` and `limit`. */
export function pageOf(page: Record<string, unknown> | undefined): SearchPage {
  const p = page ?? {};
  for (const key of Object.keys(p)) {
    if (!['from', 'limit', 'after', 'before'].includes(key)) throw badRequest(`page.${key} is not a paging field: use from and limit, or after or before with limit`);
  }
  const limit = p.limit === undefined ? DEFAULT_LIMIT : wholeNumber(p.limit, 'limit', 1, MAX_LIMIT);
  const given = ['from', 'after', 'before'].filter((k) => p[k] !== undefined);
  if (given.length > 1) throw badRequest(`page takes one of from, after and before (got ${given.join(' and ')})`);
  if (p.after !== undefined) return { from: offsetOf(p.after, 'after') + 1, limit };
  if (p.before !== undefined) {
    const before = offsetOf(p.before, 'before');
    return { from: Math.max(0, before - limit), limit: Math.min(limit, before) };
  }
  return { from: p.from === undefined ? 0 : wholeNumber(p.from, 'from', 0, Number.MAX_SAFE_INTEGER), limit };
}

/** The `page` of an answer: how many match, and cursors to the first and last item of this page. */
export function pageResponse(page: SearchPage, returned: number, total: number) {
  return {
    totalItems: total,
    hasMoreTotalItems: false,
    ...(returned > 0 ? { startCursor: cursorOf(page.from), endCursor: cursorOf(page.from + returned - 1) } : {}),
  };
}

/** `sort` as the engine's fields, from Camunda's field names (`fields` maps them). */
export function sortOf<F extends string>(sort: unknown[] | undefined, fields: Record<string, F>): Array<{ field: F; order: SortOrder }> {
  return (sort ?? []).map((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.field !== 'string') throw badRequest(`sort[${i}] must be {"field": "…", "order": "ASC" or "DESC"}`);
    const unknown = Object.keys(entry).find((k) => k !== 'field' && k !== 'order');
    if (unknown) throw badRequest(`sort[${i}].${unknown} is not a sort field: give field and order`);
    const field = fields[entry.field];
    if (!field) throw badRequest(`sort[${i}].field "${entry.field.slice(0, 60)}" cannot be sorted by: use one of ${Object.keys(fields).join(', ')}`);
    const order = entry.order === undefined ? 'ASC' : typeof entry.order === 'string' ? entry.order.toUpperCase() : '';
    if (order !== 'ASC' && order !== 'DESC') throw badRequest(`sort[${i}].order must be ASC or DESC`);
    return { field, order };
  });
}

/** How a filter field's values are read. */
type Kind = 'key' | 'string' | 'int' | 'boolean' | { enum: readonly string[] };

/**
 * Reads one filter object: `known` are the fields Mustafid filters by (with how each is read,
 * and whether the spec allows operators there or only a plain value); `later` the spec's fields
 * it does not filter by yet. Every field is checked; the first problem answers 400.
 */
export class FilterReader {
  /** A tenant filter that leaves out `<default>`: nothing can match. */
  nothing = false;

  constructor(
    private readonly filter: Record<string, unknown> | undefined,
    private readonly search: string,
    known: readonly string[],
    later: readonly string[],
  ) {
    for (const field of Object.keys(filter ?? {})) {
      if (later.includes(field)) throw badRequest(`filter.${field} is not supported by Mustafid yet (${search} filters by ${known.join(', ')})`);
      if (!known.includes(field)) throw badRequest(`filter.${field} is not a filter of the ${search} (its filters are ${[...known, ...later].join(', ')})`);
    }
  }

  /** The values a field allows, or undefined when the filter does not name it. */
  values(field: string, kind: 'key' | 'string', operators?: boolean): string[] | undefined;
  values(field: string, kind: 'int', operators?: boolean): number[] | undefined;
  values<T extends string>(field: string, kind: { enum: readonly T[] }, operators?: boolean): T[] | undefined;
  values(field: string, kind: Kind, operators = true): unknown[] | undefined {
    const value = this.filter?.[field];
    if (value === undefined) return undefined;
    if (isPlainObject(value)) {
      if (!operators) throw badRequest(`filter.${field} takes a plain value here, not operators`);
      const ops = Object.keys(value);
      const unsupported = ops.filter((op) => op !== '$eq' && op !== '$in');
      if (unsupported.length) {
        const known = ['$eq', '$neq', '$exists', '$in', '$notIn', '$like', '$gt', '$gte', '$lt', '$lte'];
        const [op] = unsupported;
        throw badRequest(
          known.includes(op)
            ? `filter.${field}.${op} is not supported by Mustafid yet: filter by a value, $eq or $in`
            : `filter.${field}.${op.slice(0, 40)} is not a filter operator: use a value, $eq or $in`,
        );
      }
      if (ops.length !== 1) throw badRequest(`filter.${field} takes one operator, $eq or $in`);
      if (value.$eq !== undefined) return [this.one(value.$eq, field, kind, '.$eq')];
      if (!Array.isArray(value.$in)) throw badRequest(`filter.${field}.$in must be a list`);
      return value.$in.map((v, i) => this.one(v, field, kind, `.$in[${i}]`));
    }
    return [this.one(value, field, kind, '')];
  }

  boolean(field: string): boolean | undefined {
    const value = this.filter?.[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw badRequest(`filter.${field} must be true or false`);
    return value;
  }

  /** `filter.tenantId`: `<default>` matches everything, any other tenant nothing. */
  tenant(operators = true): void {
    const tenants = this.values('tenantId', 'string', operators);
    if (tenants && !tenants.includes(DEFAULT_TENANT)) this.nothing = true;
  }

  private one(value: unknown, field: string, kind: Kind, at: string): unknown {
    const where = `filter.${field}${at}`;
    switch (kind) {
      case 'key':
        if (!isLongText(value)) throw badRequest(`${where} must be a key: a whole number written as a string, e.g. "2251799813685249"`);
        return value;
      case 'string':
        if (typeof value !== 'string') throw badRequest(`${where} must be a string`);
        return value;
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest(`${where} must be a whole number`);
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') throw badRequest(`${where} must be true or false`);
        return value;
      default:
        if (typeof value !== 'string' || !kind.enum.includes(value)) throw badRequest(`${where} must be one of ${kind.enum.join(', ')}`);
        return value;
    }
  }
}
