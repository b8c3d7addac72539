import { it } from 'vitest';
import { WAIT_MS } from './budget.mjs';

/** The browser project's time for one step (vitest.config.mts: testTimeout). */
const STEP_MS = 6 * WAIT_MS;

/**
 * A journey told as tests, each one step that builds on the steps before it (a request going from
 * reception to registration). Each step is a test that also runs alone (`-t` with its title,
 * issue 22 point 5): it first runs, through the same pages, every earlier step that has not run
 * yet in this file's run, then itself. Run in the file, each test runs its own step only; a step
 * that failed is run again by the next test that needs it, which then fails at it, naming it.
 */
export function journey(): { step: (title: string, body: () => Promise<void>, timeoutMs?: number) => void } {
  const steps: Array<{ title: string; body: () => Promise<void>; done: boolean }> = [];
  const run = async (index: number, before: boolean) => {
    const s = steps[index];
    try {
      await s.body();
    } catch (e) {
      if (before && e instanceof Error) e.message = `the earlier step "${s.title}" failed: ${e.message}`;
      throw e;
    }
    s.done = true;
  };
  return {
    step(title, body, timeoutMs = STEP_MS) {
      const index = steps.length;
      steps.push({ title, body, done: false });
      it(
        title,
        async () => {
          for (let i = 0; i < index; i++) if (!steps[i].done) await run(i, true);
          await run(index, false);
        },
        // Alone, a step also runs those before it.
        timeoutMs * (index + 1),
      );
    },
  };
}
