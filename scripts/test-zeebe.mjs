// `npm run test:zeebe`: the engine-contract suite against the Zeebe adapter and a live broker.
// `npm test` ends with it, also after a failed test, so its last lines say whether the live suite ran or why it was skipped.
// Needs ZEEBE_ADDRESS (and ZEEBE_REST_ADDRESS unless it is the same host on port 8080); without
// it the suite is skipped with the reason printed, since no broker can run on every machine.
// See docs/operations/zeebe.md ("Tests against a live broker").
import { spawnSync } from 'node:child_process';

// The files that test the port's contract; engine-cache and two-engines test the embedded engine's own machinery.
const CONTRACT_FILES = [
  'test/engine-contract/basics.contract.test.ts',
  'test/engine-contract/elements.contract.test.ts',
  'test/engine-contract/events.contract.test.ts',
  'test/engine-contract/modeler-diagram.contract.test.ts',
  'test/engine-contract/multi-instance.contract.test.ts',
];

if (!process.env.ZEEBE_ADDRESS) {
  console.log(
    '\nSkipped suites:\n' +
    '- the engine contract against a live Zeebe broker (test:zeebe): ZEEBE_ADDRESS is not set, so there is no live Zeebe broker to run the engine contract against.\n' +
      'Start one with `docker compose -f docker/docker-compose.yml up -d zeebe elasticsearch` (ZEEBE_CLOCK_CONTROLLED=true in docker/.env),\n' +
      'then run `ZEEBE_ADDRESS=127.0.0.1:26500 ZEEBE_REST_ADDRESS=http://127.0.0.1:8080 npm run test:zeebe`.\n' +
      'The adapter is still tested at the wire on every `npm test` (test/zeebe, a fake gateway).\n' +
      'Not part of `npm test` by design: the browser tests (`npm run test:browser`, Chromium) and the long API fuzz (`npm run test:fuzz`).',
  );
  process.exit(0);
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'engine-contract', ...CONTRACT_FILES], {
  stdio: 'inherit',
  env: { ...process.env, MUSTAFID_CONTRACT_ENGINE: 'zeebe', IBM_TELEMETRY_DISABLED: 'true' },
});
process.exit(result.status ?? 1);
