import { describe, expect, it } from 'vitest';
import { JobWaiters } from './job-waiters';

/** The long polls of job activation (https://docs.camunda.io/docs/components/concepts/job-workers/#long-polling). */
describe('JobWaiters', () => {
  it('wakes the waiters of a type, not of another', async () => {
    const waiters = new JobWaiters(60_000);
    const woken: string[] = [];
    const a = waiters.wait('a', 60_000).then((again) => woken.push(`a:${again}`));
    const b = waiters.wait('b', 60_000).then((again) => woken.push(`b:${again}`));
    waiters.wake(['a']);
    await a;
    expect(woken).toEqual(['a:true']);
    waiters.wake(['b']);
    await b;
    expect(woken).toEqual(['a:true', 'b:true']);
  });

  it('ends a wait for good when its signal aborts or the engine stops, and refuses new ones after', async () => {
    const waiters = new JobWaiters(60_000);
    const gone = new AbortController();
    const aborted = waiters.wait('a', 60_000, gone.signal);
    gone.abort();
    expect(await aborted).toBe(false);
    expect(await waiters.wait('a', 60_000, gone.signal)).toBe(false);
    const stopping = waiters.wait('a', 60_000);
    waiters.close();
    expect(await stopping).toBe(false);
    expect(await waiters.wait('a', 60_000)).toBe(false);
  });

  it('looks again after the recheck interval, without a wake', async () => {
    expect(await new JobWaiters(1).wait('a', 60_000)).toBe(true);
  });
});
