/**
 * FEEL benchmark: `npm run bench:feel` (see docs/performance.md and decision 0021). Not a
 * test: one `it()` that measures and prints µs per evaluation of a simple condition, with a
 * bare JavaScript comparison measured in the same run as the baseline.
 *
 *   bare JS            the same condition written as a JS expression
 *   feelin evaluate    feelin's `evaluate(expression, context)`: parse + build + run, every call
 *   Feel.condition     the engine's wrapper (Camunda functions in the context, JSON result)
 *   parse only         feelin's exported `parseExpression`: what a parse cache could save at most
 *   parse cached       `evaluate` with lezer-feel's parser made to return a cached tree (an
 *                      experiment in this process only; the engine does not do this, see 0021)
 *
 * Knobs: BENCH_FEEL_N (evaluations per measurement, 20000), BENCH_JSON (write figures to this file).
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { evaluate, parseExpression } from 'feelin';
// lezer-feel is feelin's parser (a dependency of feelin); only the experiment below touches it.
import { parser } from 'lezer-feel';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../libs/workflow/src/embedded/clock';
import { Feel } from '../libs/workflow/src/embedded/feel';

const N = Number(process.env.BENCH_FEEL_N ?? 20000);
const EXPRESSION = 'amount > 1000 and status = "approved"';

/** µs per call of `f`, best of 5 rounds of `n` calls after a warm-up. */
function measure(n: number, f: (i: number) => unknown): number {
  let sink: unknown;
  for (let i = 0; i < Math.min(n, 5000); i++) sink = f(i);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink = f(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e3 / n);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return best;
}

describe('FEEL cost per evaluation', () => {
  it('measures a simple condition against a bare JS comparison', () => {
    const inputs = Array.from({ length: 64 }, (_, i) => ({ amount: 500 + i * 20, status: i % 3 === 0 ? 'approved' : 'open' }));
    const vars = (i: number) => inputs[i & 63];
    const feel = new Feel(systemClock);

    const bare = measure(N * 50, (i) => vars(i).amount > 1000 && vars(i).status === 'approved');
    const feelin = measure(N, (i) => evaluate(EXPRESSION, vars(i)).value);
    const wrapper = measure(N, (i) => feel.condition(`=${EXPRESSION}`, vars(i), 'flow'));
    const parseOnly = measure(N, (i) => parseExpression(EXPRESSION, vars(i), undefined));

    // Experiment: how much a parse cache would give if feelin let us pass a parsed tree.
    const lr = parser as unknown as { configure: (config: unknown) => { parse: (input: string) => unknown } };
    const original = lr.configure;
    const trees = new Map<string, unknown>();
    lr.configure = function (this: unknown, config: unknown) {
      const configured = original.call(this, config);
      return { ...configured, parse: (input: string) => trees.get(input) ?? (trees.set(input, configured.parse(input)), trees.get(input)) } as never;
    };
    let parseCached: number;
    try {
      expect(evaluate(EXPRESSION, { amount: 2000, status: 'approved' }).value).toBe(true);
      parseCached = measure(N, (i) => evaluate(EXPRESSION, vars(i)).value);
    } finally {
      lr.configure = original;
    }

    const rows = [
      ['bare JS', bare],
      ['feelin evaluate', feelin],
      ['Feel.condition (engine)', wrapper],
      ['parse only (parseExpression)', parseOnly],
      ['feelin evaluate, parse cached (experiment)', parseCached],
    ] as const;
    const figures = {
      date: new Date().toISOString(),
      cores: availableParallelism(),
      load: loadavg().map((l) => Number(l.toFixed(2))),
      node: process.version,
      expression: EXPRESSION,
      evaluations: N,
      usPerEvaluation: Object.fromEntries(rows.map(([k, v]) => [k, Number(v.toFixed(3))])),
    };
    console.log(`\nFEEL: ${EXPRESSION}   (${N} evaluations per round, best of 5; ${figures.cores} cores, load ${figures.load.join(' ')}, ${figures.node})`);
    console.log('what'.padEnd(44), 'µs/eval'.padStart(10), '× bare JS'.padStart(12));
    for (const [what, us] of rows) console.log(what.padEnd(44), us.toFixed(3).padStart(10), (us / bare).toFixed(0).padStart(12));
    console.log(`parse share of feelin evaluate: ${((parseOnly / feelin) * 100).toFixed(0)} %; parse cache saves ${(((feelin - parseCached) / feelin) * 100).toFixed(0)} %`);
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(figures, null, 2));
    expect(wrapper).toBeGreaterThan(0);
  });
});
