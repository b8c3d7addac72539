import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The engine benchmark (`npm run bench:engine`): not a test, but run by vitest because its
 * transform honours `emitDecoratorMetadata` (Nest DI needs it; tsx/esbuild does not emit it).
 * One long `it()` prints a table. `--expose-gc` lets it measure resident memory after a GC;
 * BENCH_CPU_PROF=1 writes a V8 CPU profile of the benchmark process to bench/profiles/
 * (summarise it with `node bench/cpuprofile-summary.mjs <file>`).
 */
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR ?? 'bench/profiles'}`] : [];
/** Extra Node flags for the benchmark process, e.g. BENCH_NODE_FLAGS=--max-semi-space-size=64 */
const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { tsconfigPaths: true },
  test: {
    name: 'bench',
    include: ['bench/**/*.bench.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    execArgv: ['--expose-gc', ...profile, ...extra],
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    silent: false,
    reporters: ['verbose'],
  },
});
