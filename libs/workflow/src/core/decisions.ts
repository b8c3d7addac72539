import type { DecisionRequirementsGraph } from '../dmn/decision-model';

/** The version of a decision a business rule task evaluates, with the graph it belongs to. */
export interface CalledDecisionVersion {
  key: string;
  decisionId: string;
  name?: string;
  version: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  graph: DecisionRequirementsGraph;
}

/**
 * Which version of a decision a business rule task evaluates (zeebe:calledDecision bindingType,
 * docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/): the latest, the one
 * deployed together with the calling process's version, or the latest carrying a version tag.
 */
export interface DecisionRef {
  decisionId: string;
  bindingType: string;
  versionTag?: string;
}

/** One string per reference, to look it up once per step. */
export const decisionRefKey = (ref: DecisionRef): string =>
  ref.bindingType === 'versionTag' ? `versionTag\u0000${ref.versionTag ?? ''}\u0000${ref.decisionId}` : `${ref.bindingType}\u0000\u0000${ref.decisionId}`;

export function decisionRefOf(key: string): DecisionRef {
  const [bindingType, versionTag, decisionId] = key.split('\u0000');
  return { decisionId, bindingType, versionTag: versionTag || undefined };
}

/**
 * The versions of the decisions a step may call, looked up before the step runs (a run is
 * synchronous and pure): null when none matches the reference. `deploymentKey` is the
 * deployment of the calling process's version (what a `deployment` binding looks in).
 */
export interface DecisionSource {
  find(ref: DecisionRef): CalledDecisionVersion | null;
  readonly deploymentKey?: string;
}

/**
 * A run asked for a decision the step did not look up (its id came from a FEEL expression): the
 * store looks it up and runs the step again, from the start, in a new transaction.
 */
export class DecisionNotLoaded extends Error {
  readonly refKey: string;

  constructor(ref: DecisionRef) {
    super(`The decision ${ref.decisionId} (bindingType ${ref.bindingType}) was not looked up for this step`);
    this.name = 'DecisionNotLoaded';
    this.refKey = decisionRefKey(ref);
  }
}

/** Decisions looked up for one step, by reference key. */
export class LoadedDecisions implements DecisionSource {
  constructor(
    private readonly loaded: ReadonlyMap<string, CalledDecisionVersion | null> = new Map(),
    readonly deploymentKey?: string,
  ) {}

  find(ref: DecisionRef): CalledDecisionVersion | null {
    const found = this.loaded.get(decisionRefKey(ref));
    if (found === undefined) throw new DecisionNotLoaded(ref);
    return found;
  }
}
