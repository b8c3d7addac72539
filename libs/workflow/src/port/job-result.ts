import type { AdHocJobResult } from './workflow-engine';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The most elements one job result may activate (the run bounds what one step activates, too). */
export const MAX_ACTIVATE_ELEMENTS = 1000;

/**
 * The `result` of a job completion, read as Camunda 8.8's JobResultAdHocSubProcess
 * (docs: "Complete job", `result`; "Ad-hoc sub-processes", "Job worker implementation"); otherwise
 * the caller's 400 with a message naming what is wrong (both REST APIs read it so).
 */
export function readAdHocJobResult(raw: Record<string, unknown>, badRequest: (message: string) => Error): AdHocJobResult {
  if (raw.type === 'userTask') throw badRequest('result of type "userTask" corrects a user task from a task listener, and Mustafid has no task listeners');
  if (raw.type !== 'adHocSubProcess') throw badRequest('result.type must be "adHocSubProcess" (the job of an ad-hoc sub-process)');
  const result: AdHocJobResult = { type: 'adHocSubProcess' };
  for (const flag of ['isCompletionConditionFulfilled', 'isCancelRemainingInstances'] as const) {
    if (raw[flag] === undefined || raw[flag] === null) continue;
    if (typeof raw[flag] !== 'boolean') throw badRequest(`result.${flag} must be true or false`);
    result[flag] = raw[flag];
  }
  if (raw.activateElements !== undefined && raw.activateElements !== null) {
    if (!Array.isArray(raw.activateElements)) throw badRequest('result.activateElements must be a list of {"elementId": "…", "variables": {…}}');
    if (raw.activateElements.length > MAX_ACTIVATE_ELEMENTS) throw badRequest(`result.activateElements may name at most ${MAX_ACTIVATE_ELEMENTS} elements`);
    result.activateElements = raw.activateElements.map((item: unknown, n) => {
      if (!isPlainObject(item) || typeof item.elementId !== 'string' || item.elementId.trim() === '' || item.elementId.length > 255) {
        throw badRequest(`result.activateElements[${n}].elementId must be the id of an element in the ad-hoc sub-process`);
      }
      if (item.variables !== undefined && item.variables !== null && !isPlainObject(item.variables)) throw badRequest(`result.activateElements[${n}].variables must be a JSON object`);
      return item.variables ? { elementId: item.elementId, variables: item.variables } : { elementId: item.elementId };
    });
  }
  return result;
}
