import type { Variables, WorkflowEngine } from '@mustafid/workflow';

/**
 * How long a create-and-await waits when the request says 0 (or nothing): the Zeebe gateway's
 * generic request timeout (`zeebe.gateway.cluster.requestTimeout`, 15 s). Used by `/v2`'s
 * `awaitCompletion` and the gateway's CreateProcessInstanceWithResult.
 */
export const DEFAULT_RESULT_TIMEOUT_MS = 15_000;

/** The instance did not complete within the wait; it goes on running. */
export class CompletionTimeout extends Error {}
/** The instance was cancelled before it completed: there is no result. */
export class CompletionCanceled extends Error {}
/** The caller went away (the request was aborted). */
export class CompletionAbandoned extends Error {}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Waits for a process instance to complete and answers its root-scope variables (those named in
 * `fetchVariables`, or all when none are named), as Camunda's create-with-result does
 * (https://docs.camunda.io/docs/components/concepts/process-instance-creation/#create-and-await-results).
 * The engine announces no completion to callers, so the instance is read again at growing intervals
 * (10 ms to 250 ms); reading it writes nothing.
 */
export async function awaitCompletion(engine: WorkflowEngine, processInstanceKey: string, timeoutMs: number, fetchVariables: string[], signal: AbortSignal): Promise<Variables> {
  const until = Date.now() + timeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const instance = await engine.getInstance(processInstanceKey);
    if (instance.state === 'COMPLETED') return fetched(instance.variables, fetchVariables);
    if (instance.state === 'CANCELED') throw new CompletionCanceled(`Process instance ${processInstanceKey} was cancelled before it completed: there is no result`);
    if (signal.aborted) throw new CompletionAbandoned('The call was cancelled');
    const left = until - Date.now();
    if (left <= 0) {
      throw new CompletionTimeout(`Process instance ${processInstanceKey} did not complete within ${timeoutMs} ms (requestTimeout); it goes on running: follow it by its key`);
    }
    await sleep(Math.min(pause, left), signal);
  }
}

/** The variables named (all when none is). */
function fetched(variables: Variables, names: string[]): Variables {
  if (names.length === 0) return variables;
  return Object.fromEntries(names.filter((n) => Object.hasOwn(variables, n)).map((n) => [n, variables[n]]));
}
