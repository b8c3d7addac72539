import type { Variables } from '../port/workflow-engine';
import type { CoreState, ElementInstance } from './state';

/** What setting variables on a scope changed: the root variables, the state, and the element instances whose locals changed. */
export interface ScopeUpdate {
  root: Variables;
  state: CoreState;
  /** Element instance keys (never the root) whose local variables changed. */
  changed: Set<string>;
}

/**
 * Zeebe's SetVariables on an element instance of a stored core state, as a pure step
 * (docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/#setvariables-rpc, and
 * docs.camunda.io/docs/components/concepts/variables/#variable-propagation): with `local`, every
 * variable is set in `scopeKey`'s own scope; without, each one is set in the nearest scope from
 * `scopeKey` up that already has it, else in the root scope. The root scope (the process
 * instance, `rootKey`) keeps its variables in `root`, not in the state.
 */
export function setScopeVariables(state: CoreState, root: Variables, rootKey: string, scopeKey: string, document: Variables, local: boolean): ScopeUpdate {
  const next: CoreState = { ...state, i: { ...state.i } };
  const result: ScopeUpdate = { root: { ...root }, state: next, changed: new Set() };
  const isRoot = (key: string) => key === rootKey || next.i[key]?.p === undefined;
  const setIn = (key: string, name: string, value: unknown) => {
    if (isRoot(key)) {
      result.root[name] = value;
      return;
    }
    const inst = next.i[key];
    next.i[key] = { ...inst, v: { ...inst.v, [name]: value } };
    result.changed.add(key);
  };
  for (const [name, value] of Object.entries(document)) {
    if (local) {
      setIn(scopeKey, name, value);
      continue;
    }
    let target = rootKey;
    for (let k: string | undefined = scopeKey; k !== undefined && !isRoot(k); k = next.i[k]?.p) {
      if (next.i[k]?.v && name in next.i[k].v!) {
        target = k;
        break;
      }
    }
    setIn(target, name, value);
  }
  return result;
}

/** The element instance keys from `key` up to (not including) the root: its scope chain. */
export function scopeChain(state: CoreState, key: string): string[] {
  const chain: string[] = [];
  for (let k: string | undefined = key; k !== undefined; ) {
    const inst: ElementInstance | undefined = state.i[k];
    if (!inst || inst.p === undefined) break;
    chain.push(k);
    k = inst.p;
  }
  return chain;
}

/** The local variables a job or user task of `key` carries: each scope's locals from the root's child down to `key`, inner ones shadowing outer. */
export function chainLocals(state: CoreState, key: string): Variables {
  const locals: Variables = {};
  for (const k of scopeChain(state, key).reverse()) Object.assign(locals, state.i[k].v);
  return locals;
}
