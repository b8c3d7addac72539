import { defineConfig } from 'vitest/config';
import { HOOK_MS, TEST_MS, WAIT_MS } from './test/support/budget.mjs';

/**
 * Three layers (DESIGN §7): unit specs beside the code, HTTP end-to-end tests against the
 * real app and a real database (PostgreSQL when DATABASE_URL is set, else embedded PGlite),
 * and browser tests in Debian's chromium; beside them the engine contract and the Zeebe adapter
 * at the wire (a fake gateway). `npm test` runs all but the browser tests; `npm run test:browser` those.
 * Timeouts come from the one wait budget (test/support/budget.mts, TEST_WAIT_MS).
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
        },
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
        },
      },
    ],
  },
});
