import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_JOB_TYPES } from '@mustafid/intake';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { eventually } from '../engine-contract/harness';
import { startTestServer, type TestServer } from '../support/app';
import { WAIT_MS } from '../support/budget.mjs';
import { IntakeDriver, REGISTERED, SERVED } from '../support/intake';

const WORKER = 'dist/apps/worker/main.js';

/**
 * Issue 16 point 4: the intake workers (libs/intake), unchanged, as external workers through the
 * official SDK (`@camunda8/sdk`, as the Zeebe adapter drives a Camunda cluster) against the
 * embedded server's Zeebe gateway and /v2 API, signed in as an OAuth machine client with the
 * `worker` role. The server runs with INTAKE_WORKERS=external, so nothing in it works the jobs.
 * https://docs.camunda.io/docs/components/concepts/job-workers/ : "A job worker is a service
 * capable of performing a particular task in a process", outside the engine, by job type.
 *
 * Two processes share one database, so this file runs on PostgreSQL (DATABASE_URL, or the
 * suite's 127.0.0.1:5432/test) in both runs of npm test, as docker compose runs the worker.
 */
describe('the intake workers as external workers of the embedded server', () => {
  let server: TestServer;
  let d: IntakeDriver;
  let worker: ChildProcess | undefined;
  const pids: number[] = [];
  let output = '';

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build:worker (npm test does)`);
    server = await startTestServer({ database: 'postgres', env: { ENABLE_TEST_CLOCK: 'true', ZEEBE_GATEWAY_PORT: '0', INTAKE_WORKERS: 'external' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
  });
  afterAll(async () => {
    await stopWorker();
    await server?.close();
  });

  /** apps/worker as docker compose runs it, against this server's gateway and /v2, signed in as the machine client. */
  async function startWorker(client: { id: string; secret: string }): Promise<void> {
    output = '';
    worker = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        IBM_TELEMETRY_DISABLED: 'true',
        DATABASE_URL: server.database.env.DATABASE_URL,
        DOCUMENTS_DIR: server.config.intake.documentsDir,
        ENGINE: 'zeebe',
        ZEEBE_ADDRESS: `127.0.0.1:${server.app.get(ZeebeGateway).port!}`,
        ZEEBE_REST_ADDRESS: server.url,
        ZEEBE_AUTH: 'oauth',
        ZEEBE_OAUTH_URL: `${server.url}/oauth/token`,
        ZEEBE_CLIENT_ID: client.id,
        ZEEBE_CLIENT_SECRET: client.secret,
        WORKER_PORT: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pids.push(worker.pid!);
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(async () => output.includes('job workers started against'), 4 * WAIT_MS, `the worker to start (output: ${output})`);
  }

  async function stopWorker(): Promise<void> {
    if (!worker || worker.exitCode !== null) return;
    const exited = new Promise<number | null>((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }

  /** The intake jobs of a case as the engine's job table holds them: element, state, the worker that took it. */
  const jobsOf = async (processInstanceKey: string) =>
    (await server.app
      .get(DataSource)
      .query(`SELECT element_id, state, worker FROM wf_job WHERE process_instance_key = $1 ORDER BY key`, [processInstanceKey])) as Array<{ element_id: string; state: string; worker: string | null }>;

  it('a case waits at its first job while no worker runs: the server works no intake job itself', async () => {
    const c = await d.submit();
    // The engine settles (no timer due, no in-process worker): the job stays where it was created.
    await d.settle();
    const view = await d.view(c.id);
    expect(view.currentSteps.map((s) => s.elementId)).toEqual(['Task_VerifyData']);
    const jobs = await jobsOf(view.processInstanceKey as string);
    expect(jobs).toEqual([{ element_id: 'Task_VerifyData', state: 'ACTIVATABLE', worker: null }]);
  });

  it('apps/worker, signed in with a machine client, works every intake job and a case goes from submission to completed', async () => {
    const admin = d.as('admin');
    const client = await admin.post('/api/clients').send({ name: 'intake-workers', roles: ['worker'] });
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const credentials = { id: client.body.clientId as string, secret: client.body.clientSecret as string };
    await startWorker(credentials);
    const c = await d.submit({ channel: 'C7' });
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.sign(c.id);
    await d.decide(c.id, 'accepted', 'Meets the training programme criteria');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    // The test clock also moves the time access tokens expire by (oauth-clients.e2e tests expiry
    // that way): a worker's cached token would be 14 days old after the advance. The worker stops
    // (SIGTERM) and a new one signs in afresh, as a rolling restart would.
    await stopWorker();
    await d.advance('P14D');
    await startWorker(credentials);
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    const registered = await d.at(c.id, 'Task_DeliverService');
    // complete-registration, run in the worker process, numbered the beneficiary in the shared database.
    expect(registered.beneficiaryNumber).toMatch(/^BEN-\d{7}$/);
    await d.complete(c.id, 'Task_DeliverService', SERVED);
    await d.at(c.id, 'Event_SurveyAnswered');
    await admin.post('/api/messages').send({ name: 'survey-answered', correlationKey: c.applicationNumber, variables: { surveyAnswered: true } }).expect(201);
    const done = await d.until(c.id, 'completed');
    expect(done.currentSteps).toEqual([]);
    expect((await d.notifications(c.id)).map((n) => n.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over', 'decision', 'registration', 'survey']);

    // Every job of the case was taken by the worker process (the SDK names a worker `<name>@<host>-<pid>`) and completed.
    const jobs = await jobsOf(done.processInstanceKey as string);
    expect(jobs.length).toBeGreaterThanOrEqual(5);
    for (const job of jobs) {
      expect(job, job.element_id).toMatchObject({ state: 'COMPLETED', worker: expect.stringMatching(new RegExp(`^intake-[a-z-]+@.+-(${pids.join('|')})$`)) });
      expect(INTAKE_JOB_TYPES.some((type) => job.worker!.startsWith(`intake-${type}@`)), job.worker!).toBe(true);
    }
  });
});
