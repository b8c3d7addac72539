import { DomainError } from '@mustafid/platform';

/**
 * Mustafid's refusals where Zeebe's rejection differs. Zeebe removes a job, a user task, an
 * incident or a process instance from its state once it is done, so a command on a finished one
 * is rejected NOT_FOUND (404), not INVALID_STATE (409): e.g. completing a job twice
 * (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/:
 * "404 The job with the given key was not found", "409 The job with the given key is in the wrong
 * state currently"). A job held by an incident still exists: that stays 409. Mustafid's message
 * (which says why) is kept as the detail.
 */
export function asZeebeRejection(e: unknown): unknown {
  if (!(e instanceof DomainError)) return e;
  const finished = (() => {
    switch (e.code) {
      case 'JOB_NOT_ACTIVE': {
        const state = e.details?.state;
        return state !== 'FAILED' && state !== 'ERROR_THROWN';
      }
      case 'INSTANCE_NOT_ACTIVE':
      case 'TASK_NOT_ACTIVE':
      case 'TASK_NOT_OPEN':
      case 'INCIDENT_RESOLVED':
      case 'INCIDENT_NOT_ACTIVE':
        return true;
      default:
        return false;
    }
  })();
  return finished ? new DomainError('NOT_FOUND', e.message, 404) : e;
}

/** Runs an engine command, answering its refusals as Zeebe's (see asZeebeRejection). */
export async function command<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw asZeebeRejection(e);
  }
}
