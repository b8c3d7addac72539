import type { RunEvent } from '../embedded/instance-run';
import type { ProcessGraph } from './graph';
import type { CoreState } from './state';

/**
 * The ELEMENT_TERMINATED records of cancelling a process instance on our core, as Zeebe writes
 * them (ProcessInstanceCancelProcessor → every active element instance is terminated, each one's
 * children before itself): one per live element instance, innermost first, with its element
 * instance key, flow scope key and, inside a multi-instance body, its loop counter. The process's
 * own record is the caller's. docs.camunda.io/docs/components/concepts/process-instance-creation/
 * and .../concepts/execution-flow (cancel: "all active element instances are terminated").
 */
export function terminatedOnCancel(graph: ProcessGraph, state: CoreState, processInstanceKey: string): RunEvent[] {
  const children = new Map<string, string[]>();
  for (const [key, inst] of Object.entries(state.i)) {
    if (inst.p === undefined) continue;
    const list = children.get(inst.p) ?? [];
    list.push(key);
    children.set(inst.p, list);
  }
  const events: RunEvent[] = [];
  const terminate = (key: string) => {
    for (const child of children.get(key) ?? []) terminate(child);
    if (key === processInstanceKey) return;
    const inst = state.i[key];
    const payload: Record<string, unknown> = { flowScopeKey: inst.p };
    if (inst.lc !== undefined) payload.loopCounter = inst.lc;
    const node = graph.nodes.get(inst.e);
    events.push({ intent: 'ELEMENT_TERMINATED', elementId: inst.e, elementType: inst.b ? 'bpmn:MultiInstanceBody' : (node?.type ?? 'bpmn:Task'), elementInstanceKey: key, payload });
  };
  terminate(processInstanceKey);
  return events;
}
