import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_JOB_TYPES } from '@mustafid/intake';
import { INQUIRY_JOB_TYPES } from '@mustafid/inquiry';
import { eventually } from '../engine-contract/harness';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FakeZeebe } from '../support/fake-zeebe';
import { WAIT_MS } from '../support/budget.mjs';

const WORKER = 'dist/apps/worker/main.js';

/**
 * The built worker process (`npm test` builds first), as docker compose runs it: started while
 * the gateway is down, it waits with a clear message instead of exiting, then works every
 * intake job type, and stops cleanly on SIGTERM.
 */
describe('the worker process (apps/worker)', () => {
  let fake: FakeZeebe;
  let database: TestDatabase;
  let worker: ChildProcess;
  let output = '';
  let healthUrl = '';

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build:worker (npm test does)`);
    fake = await FakeZeebe.start();
    await fake.stopGrpc();
    database = await createTestDatabase();
    worker = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        IBM_TELEMETRY_DISABLED: 'true',
        ...database.env,
        ENGINE: 'zeebe',
        ZEEBE_ADDRESS: fake.address,
        ZEEBE_REST_ADDRESS: fake.restAddress,
        WORKER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    healthUrl = await eventually(async () => /health on (http:\/\/\S+\/api\/health)/.exec(output)?.[1], 4 * WAIT_MS, `the worker to listen (output: ${output})`);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await fake?.close();
    await database?.drop();
  });

  it('waits for an unreachable gateway with a clear message, healthy for its database but not for Zeebe', async () => {
    await eventually(async () => output.includes(`is not reachable`) || output.includes('Waiting for the Zeebe gateway'), 2 * WAIT_MS, 'the waiting message');
    expect(output).toContain(`Waiting for the Zeebe gateway at ${fake.address} (ZEEBE_ADDRESS)`);
    expect((await fetch(healthUrl)).status).toBe(200);
    const zeebe = await fetch(`${healthUrl}/zeebe`);
    expect(zeebe.status).toBe(503);
    expect(await zeebe.json()).toMatchObject({ code: 'ZEEBE_UNREACHABLE' });
    expect(worker.exitCode).toBeNull();
  });

  it('once the gateway answers, asks for every intake and inquiry job type and fails an unusable job into an incident', async () => {
    await fake.resumeGrpc();
    await eventually(async () => (await fetch(`${healthUrl}/zeebe`)).status === 200, 2 * WAIT_MS, 'Zeebe health');
    const types = await eventually(async () => {
      const asked = new Set(fake.callsOf('ActivateJobs').map((r) => r.type as string));
      return [...INTAKE_JOB_TYPES, ...INQUIRY_JOB_TYPES].every((t) => asked.has(t)) ? asked : undefined;
    }, 2 * WAIT_MS, 'every intake and inquiry job type to be polled');
    expect([...types].sort()).toEqual([...INTAKE_JOB_TYPES, ...INQUIRY_JOB_TYPES].sort());
    expect(fake.callsOf('ActivateJobs').find((r) => r.type === 'send-survey')!.worker).toMatch(/^intake-send-survey@.+-\d+$/);
    const job = fake.addJob({ type: 'send-survey', processInstanceKey: '2251799813699999', elementId: 'Task_SendSurvey', variables: { applicationId: '00000000-0000-4000-8000-000000000000' } });
    const failed = await eventually(async () => fake.callsOf('FailJob').find((r) => r.jobKey === job.key), 2 * WAIT_MS, 'the job to fail');
    expect(failed).toMatchObject({ retries: 0, errorMessage: 'Case 00000000-0000-4000-8000-000000000000 does not exist' });
    expect(fake.jobs.get(job.key)!.state).toBe('INCIDENT');
  });

  it('stops on SIGTERM: closes its workers and the database and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM received: finishing the jobs in hand, then stopping');
  });
});
