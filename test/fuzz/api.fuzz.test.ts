import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { ApiFuzz, groupViolations } from '../support/fuzz/fuzz-run';

/**
 * The long fuzz (issue 18.8): at least FUZZ_REQUESTS (10,000) hostile requests across every
 * route of the OpenAPI document, as every demo account, a portal applicant and nobody, against
 * the real server on a database of its own (PostgreSQL when DATABASE_URL is set, else embedded).
 * `npm run test:fuzz`; FUZZ_SEED picks another sequence (the default is fixed, so CI is repeatable).
 * The report (every violation, statuses, routes reached) goes to test/artifacts/fuzz-<database>.json.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 180_008);

describe('API fuzz, long run', () => {
  let server: TestServer;
  let fuzz: ApiFuzz;

  beforeAll(async () => {
    server = await startTestServer();
    fuzz = await ApiFuzz.prepare(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`${REQUESTS} hostile requests (seed ${SEED}): no 5xx, the error body on every 4xx, no write on a refusal, the server up`, async () => {
    const report = await fuzz.run({
      seed: SEED,
      requests: REQUESTS,
      // FUZZ_TRACE=file.jsonl: one line per request (status, route, identity, what was sent).
      trace: process.env.FUZZ_TRACE,
      onRound: (r) => {
        if (r.rounds % 20 === 0) console.log(`fuzz: ${r.requests} requests, ${r.violations.length} violations`);
      },
    });
    mkdirSync('test/artifacts', { recursive: true });
    const file = `test/artifacts/fuzz-${server.database.kind}.json`;
    writeFileSync(file, JSON.stringify({ ...report, groups: groupViolations(report.violations), violations: report.violations.slice(0, 2_000) }, null, 2));
    console.log(
      `fuzz (${server.database.kind}): ${report.requests} requests in ${(report.durationMs / 1000).toFixed(0)} s, ` +
        `statuses ${JSON.stringify(report.byStatus)}, ${report.violations.length} violations; report in ${file}`,
    );

    expect(report.requests).toBeGreaterThanOrEqual(REQUESTS);
    // Every route was reached past sign-in and roles (its validation or its handler ran), not only refused at the door.
    expect(fuzz.ops.filter((op) => !report.reached[op.id]).map((op) => op.id)).toEqual([]);
    expect(groupViolations(report.violations).map((g) => `${g.count}× ${g.kind} ${g.status ?? ''} ${g.op} [${g.shape}] e.g. ${g.example.request} → ${g.example.response}`)).toEqual([]);
  }, 3_600_000);
});
