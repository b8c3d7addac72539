import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../support/app';
import { WAIT_MS, eventually } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { applicationFor } from '../support/intake';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';

/**
 * Issue 18.4: recording a request and starting its process are one recoverable unit. The built
 * server is killed (SIGKILL, TEST_CRASH_POINT=after-intake-start) right after the engine started
 * the request's process and before the request was linked to it; the next start links that
 * process instead of starting a second one (before: 4 of such cases embedded and 1 on PostgreSQL
 * got a second process, three of them two reception tasks).
 */
describe('kill -9 between starting a request\'s process and linking it', () => {
  let db: TestDatabase;
  let server: Running | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
  });

  const start = async (env: Record<string, string> = {}) => {
    server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', SEED_DEMO: 'true', DEMO_PASSWORD, ...env });
    await server.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
    const url = /listening on (http:\/\/\S+)/.exec(server.output())![1];
    const token = async (username: string) => {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const as = (bearer: string) => async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
    };
    return { reception: as(await token('reception')), admin: as(await token('admin')) };
  };

  it('the next start links the process the engine already started, never a second one; the generic API cannot start one', async () => {
    const request = applicationFor();
    const crashing = await start({ TEST_CRASH_POINT: 'after-intake-start' });
    await expect(crashing.reception('POST', '/api/applications', request)).rejects.toThrow(); // the process died mid-request
    const died = await server!.exited;
    expect(died.code).toBeNull(); // killed by SIGKILL, not an exit

    const { admin } = await start();
    await server!.waitFor(/Linked request [0-9a-f-]{36} to its intake process \d+, started just before the server stopped/);
    expect(server!.output()).not.toContain('Started the intake process for request');

    const found = await admin('GET', `/api/cases?q=${request.nationalId}`);
    expect(found.body.items).toHaveLength(1);
    const recorded = await admin('GET', `/api/cases/${found.body.items[0].id}`);
    expect(recorded.body.processInstanceKey).toMatch(/^\d+$/);

    // One process, so one reception task in the whole task list, once the check has run.
    type Task = { elementId: string; caseNumber?: string };
    const reception = await eventually(async () => {
      const tasks = ((await admin('GET', '/api/tasks?state=open')).body.items as Task[]).filter((t) => t.elementId === 'Task_ReceptionCheck');
      return tasks.length > 0 ? tasks : undefined;
    }, 'the reception check of the recovered request');
    expect(reception).toEqual([expect.objectContaining({ caseNumber: recorded.body.applicationNumber })]);
    expect((await admin('GET', `/api/process-instances/${recorded.body.processInstanceKey}`)).body.state).toBe('ACTIVE');

    const direct = await admin('POST', '/api/process-instances', { bpmnProcessId: 'beneficiary-intake', variables: { applicationId: recorded.body.id } });
    expect(direct.status).toBe(409);
    expect(direct.body).toMatchObject({ code: 'PROCESS_STARTED_ELSEWHERE' });
    expect(direct.body.message).toContain('started only by recording a request (POST /api/applications, or the portal)');
  });
});
