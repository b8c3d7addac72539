import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.mjs';

/**
 * The config `scripts/list-tests.mjs` lists tests with: the projects of vitest.config.mts (the same
 * names and include globs, so the same files), without their globalSetup (no PGlite template, no
 * database) and without isolation (the files are only collected: each is imported once to read its
 * describe/it titles, no hook runs, no server starts).
 */
const projects = (base.test?.projects ?? []) as Array<{ test?: Record<string, unknown> }>;

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    pool: 'forks',
    isolate: false,
    projects: projects.map((p) => ({ ...p, test: { ...p.test, globalSetup: [] } })),
  },
});
