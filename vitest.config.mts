import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { HOOK_MS, TEST_MS, WAIT_MS } from './test/support/budget.mjs';

/**
 * Test files that start a server (e2e, engine contract, Zeebe wire) each keep about one core busy
 * (the server, its embedded database, its workers, in the test's own process). At most half the
 * cores run such files at once, so a loaded machine (another suite beside this one) still
 * answers within the wait budget; TEST_MAX_WORKERS overrides it.
 */
const serverFileWorkers = Number(process.env.TEST_MAX_WORKERS) || Math.max(1, Math.floor(availableParallelism() / 2));

/**
 * Three layers (DESIGN §7): unit specs beside the code, HTTP end-to-end tests against the
 * real app and a real database (PostgreSQL when DATABASE_URL is set, else embedded PGlite),
 * and browser tests in Debian's chromium; beside them the engine contract and the Zeebe adapter
 * at the wire (a fake gateway). `npm test` runs all but the browser tests; `npm run test:browser` those.
 * Timeouts come from the one wait budget (test/support/budget.mts, TEST_WAIT_MS). Projects with a
 * worker cap of their own run in their own group (vitest requires it): unit first, then the
 * server files, then the browser.
 */
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['libs/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: TEST_MS,
          hookTimeout: HOOK_MS,
          maxWorkers: serverFileWorkers,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'engine-contract',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/engine-contract/**/*.test.ts'],
          testTimeout: TEST_MS,
          hookTimeout: HOOK_MS,
          maxWorkers: serverFileWorkers,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The Zeebe adapter at the wire, against a fake gateway built from the SDK's zeebe.proto.
        extends: true,
        test: {
          name: 'zeebe',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/zeebe/**/*.test.ts'],
          testTimeout: TEST_MS,
          hookTimeout: HOOK_MS,
          maxWorkers: serverFileWorkers,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Real Camunda 8 diagrams written by others (test/conformance/SOURCES.md), driven through the REST API.
        extends: true,
        test: {
          name: 'conformance',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/conformance/**/*.test.ts'],
          testTimeout: TEST_MS,
          hookTimeout: HOOK_MS,
          maxWorkers: serverFileWorkers,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // The long API fuzz (npm run test:fuzz; not in npm test, whose e2e project runs a short one).
        extends: true,
        test: { name: 'fuzz', globalSetup: ['test/support/global-setup.ts'], include: ['test/fuzz/**/*.test.ts'], testTimeout: 3_600_000, hookTimeout: 300_000 },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 6 * WAIT_MS,
          hookTimeout: HOOK_MS,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
