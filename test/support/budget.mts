/**
 * The suite's one time budget. Every wait in the tests (a case reaching a step, a page showing
 * a heading, a log line, a mail arriving) may take up to WAIT_MS; a test gets a few of those,
 * setting up a server a dozen. On a slow or loaded machine raise them all at once:
 * `TEST_WAIT_MS=40000 npm test`. vitest.config.mts loads this file as it is (hence `.mts`, imported as
 * `budget.mjs`), so it imports nothing.
 */
function budgetFromEnvironment(): number {
  const raw = process.env.TEST_WAIT_MS;
  if (raw === undefined || raw === '') return 15_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1000) throw new Error(`TEST_WAIT_MS must be a whole number of milliseconds, at least 1000 (got "${raw}")`);
  return ms;
}

/** How long one wait may take (ms). */
export const WAIT_MS = budgetFromEnvironment();
/** How long one test may take (ms): vitest's testTimeout. */
export const TEST_MS = 4 * WAIT_MS;
/** How long a beforeAll/afterAll may take (ms), e.g. starting a server on a fresh database: vitest's hookTimeout. */
export const HOOK_MS = 12 * WAIT_MS;

/** The pause before the n-th look (from 0) of a poll: 25 ms, doubling up to 500 ms. */
export const backoffMs = (attempt: number): number => Math.min(500, 25 * 2 ** Math.min(attempt, 5));

/**
 * Polls `check` until it returns a value (not undefined or false), backing off between looks,
 * for at most `timeoutMs`; then fails naming what it waited for, with the last error or, from
 * `describe`, where things stood. Only for what has no settle point (a mail server, another
 * process, a browser); checks should read without writing (no audited reads).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  options: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const until = Date.now() + (options.timeoutMs ?? WAIT_MS);
  let last: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) {
      const state = last ? String(last) : options.describe?.();
      throw new Error(`timed out after ${options.timeoutMs ?? WAIT_MS} ms waiting for ${what}${state ? `: ${state}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, backoffMs(attempt)));
  }
}
