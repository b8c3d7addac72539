import type { Variables } from '../port/workflow-engine';

/**
 * Variable documents as Zeebe builds them from mappings: a target `a.b.c` puts the value at
 * that path, merging with what the variable `a` already holds at every level
 * (docs.camunda.io/docs/components/concepts/variables/#output-mappings: "a nested target
 * merges with the existing value").
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `base` (an object or nothing) with `value` at `path`, merging objects on the way. */
export function putPath(base: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = isObject(base) ? { ...base } : {};
  copy[head] = putPath(copy[head], rest, value);
  return copy;
}

/**
 * Builds the document of a list of mapping results in order: each target is a variable name or
 * a path. `existing(name)` gives the value the variable already has where the result is applied
 * (nested targets merge into it); results of earlier mappings win over it.
 */
export class MappingResult {
  readonly document: Variables = {};

  constructor(private readonly existing: (name: string) => unknown) {}

  put(target: string, value: unknown): void {
    const path = target.split('.').map((p) => p.trim());
    const [name] = path;
    if (path.length === 1) {
      this.document[name] = value;
      return;
    }
    const base = name in this.document ? this.document[name] : this.existing(name);
    this.document[name] = putPath(base, path.slice(1), value);
  }

  /** What a later mapping's expression sees for `name`: this result's value if it set one. */
  has(name: string): boolean {
    return name in this.document;
  }
}

/** A list attribute (candidate groups, users): a list, or a comma-separated string, without empty entries. */
export function parseList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}
