import { defineConfig } from 'vitest/config';

/**
 * Three layers (DESIGN §7): unit specs beside the code, HTTP end-to-end tests against the
 * real app and a real database (PostgreSQL when DATABASE_URL is set, else embedded PGlite),
 * and browser tests in Debian's chromium; beside them the engine contract and the Zeebe adapter
 * at the wire (a fake gateway). `npm test` runs all but the browser tests; `npm run test:browser` those.
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
        test: { name: 'e2e', globalSetup: ['test/support/global-setup.ts'], include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 180_000 },
      },
      {
        extends: true,
        test: {
          name: 'engine-contract',
          globalSetup: ['test/support/global-setup.ts'],
          include: ['test/engine-contract/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The Zeebe adapter at the wire, against a fake gateway built from the SDK's zeebe.proto.
        extends: true,
        test: { name: 'zeebe', globalSetup: ['test/support/global-setup.ts'], include: ['test/zeebe/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 180_000 },
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
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
