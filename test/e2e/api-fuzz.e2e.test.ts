import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { ApiFuzz, groupViolations } from '../support/fuzz/fuzz-run';

/**
 * The short API fuzz inside `npm test` (issue 18.8): a few rounds of one hostile request per
 * route of the OpenAPI document, from a fixed seed (the same requests every run), with the
 * checks of the long run (`npm run test:fuzz`, test/fuzz): no 5xx, the API's error body on
 * every 4xx, no write on a refusal, the server up after every round.
 */
const SEED = 18_018;
const ROUNDS = 4;

describe('API fuzz, short run (seeded)', () => {
  let server: TestServer;
  let fuzz: ApiFuzz;

  beforeAll(async () => {
    server = await startTestServer();
    fuzz = await ApiFuzz.prepare(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`${ROUNDS} rounds over every route: no 5xx, the error body on every 4xx, no write on a refusal, the server up`, async () => {
    const report = await fuzz.run({ seed: SEED, requests: ROUNDS * fuzz.ops.length });
    expect(report.requests).toBe(ROUNDS * fuzz.ops.length);
    expect(fuzz.ops.length).toBeGreaterThanOrEqual(80);
    // Most routes were reached past sign-in and roles, so their validation or handler ran.
    expect(Object.keys(report.reached).length).toBeGreaterThanOrEqual(fuzz.ops.length * 0.9);
    expect(groupViolations(report.violations).map((g) => `${g.count}× ${g.kind} ${g.status ?? ''} ${g.op} [${g.shape}] e.g. ${g.example.request} → ${g.example.response}`)).toEqual([]);
  }, 300_000);
});
