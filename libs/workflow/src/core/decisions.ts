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
 * The latest deployed version of each decision id a step may call, looked up before the step
 * runs (a run is synchronous and pure): null when no decision with that id is deployed.
 */
export interface DecisionSource {
  latest(decisionId: string): CalledDecisionVersion | null;
}

/**
 * A run asked for a decision the step did not look up (its id came from a FEEL expression): the
 * store looks it up and runs the step again, from the start, in a new transaction.
 */
export class DecisionNotLoaded extends Error {
  constructor(readonly decisionId: string) {
    super(`The decision ${decisionId} was not looked up for this step`);
    this.name = 'DecisionNotLoaded';
  }
}

/** Decisions looked up for one step, by id. */
export class LoadedDecisions implements DecisionSource {
  constructor(private readonly loaded: ReadonlyMap<string, CalledDecisionVersion | null> = new Map()) {}

  latest(decisionId: string): CalledDecisionVersion | null {
    const found = this.loaded.get(decisionId);
    if (found === undefined) throw new DecisionNotLoaded(decisionId);
    return found;
  }
}
