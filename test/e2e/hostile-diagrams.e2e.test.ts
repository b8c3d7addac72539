import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';

/**
 * Issue 18.3: a hostile diagram is refused before it is parsed, on every route that parses BPMN,
 * and the server stays up. The server runs as the Dockerfile runs it (its heap bounds: before the
 * bounds, the 1.4 MB file of 200,000 nested elements made the process exit, 10 of 10).
 */
const dockerfile = readFileSync(resolve('docker/Dockerfile'), 'utf8');
const NODE_OPTIONS = (JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[]).slice(1, -1);
const PROCESS = 'beneficiary-intake';

/** The intake diagram with `extension` inside one user task's extensionElements. */
const intake = readFileSync(resolve('bpmn/beneficiary-intake.bpmn'), 'utf8');
const hostile = (extension: string) => {
  const at = intake.indexOf('<bpmn:extensionElements>', intake.indexOf('id="Task_ReceptionCheck"')) + '<bpmn:extensionElements>'.length;
  return intake.slice(0, at) + extension + intake.slice(at);
};
const SHAPES = {
  '200,000 nested elements (1.4 MB)': { xml: hostile('<a>'.repeat(200_000) + '</a>'.repeat(200_000)), says: 'elements nested more than 100 deep' },
  '400,000 sibling elements (1.6 MB)': { xml: hostile('<a/>'.repeat(400_000)), says: 'more than 20,000 XML elements' },
  'a 100,000-character attribute': { xml: hostile(`<zeebe:properties><zeebe:property name="x" value="${'v'.repeat(100_000)}"/></zeebe:properties>`), says: 'an attribute value longer than 65,536 characters' },
};

describe('hostile diagrams against the built server (heap bounds as in the Dockerfile)', () => {
  let db: TestDatabase;
  let server: Running;
  let url: string;
  let owner: string;
  let admin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', SEED_DEMO: 'true' }, NODE_OPTIONS);
    await server.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
    url = /listening on (http:\/\/\S+)/.exec(server.output())![1];
    const login = async (username: string) => {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'mustafid-demo' }) });
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    [owner, admin] = [await login('process-owner'), await login('admin')];
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const call = async (token: string, method: string, path: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const counts = async () => ({
    drafts: (await call(owner, 'GET', `/api/modeling/processes/${PROCESS}/drafts`, undefined)).body.length as number,
    versions: (await call(owner, 'GET', `/api/modeling/processes/${PROCESS}/versions`, undefined)).body.length as number,
  });

  it.each(Object.entries(SHAPES))('%s: 4xx on every route that parses BPMN, nothing saved, the server up', async (name, { xml, says }) => {
    const before = await counts();
    const form = new FormData();
    form.append('file', new Blob([xml], { type: 'application/octet-stream' }), 'hostile.bpmn');
    const draft = await call(owner, 'POST', `/api/modeling/processes/${PROCESS}/drafts`, { name: `before ${name.slice(0, 20)}`, xml: intake });
    expect(draft.status).toBe(201);
    // JSON to /api/deployments is held to BODY_LIMIT (1 MB) before anything reads it.
    const json = await call(admin, 'POST', '/api/deployments', { resourceName: 'hostile.bpmn', xml });
    if (xml.length > 1024 * 1024) expect(json).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    const answers = [
      ...(xml.length > 1024 * 1024 ? [] : [json]),
      await fetch(`${url}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form }).then(async (r) => ({ status: r.status, body: await r.json() })),
      await call(admin, 'POST', '/api/deployments', xml, 'application/xml'),
      await call(owner, 'POST', '/api/modeling/lint', { xml }),
      await call(owner, 'POST', '/api/modeling/deployments', { xml, comment: 'hostile' }),
      await call(owner, 'POST', `/api/modeling/processes/${PROCESS}/drafts`, { name: 'hostile', xml }),
      await call(owner, 'PUT', `/api/modeling/drafts/${draft.body.id}`, { xml }),
    ];
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(400);
      expect(answer.body.code).toBe('INVALID_BPMN');
      expect(answer.body.message).toContain(`The file is too large to be a diagram: it has ${says}`);
    }
    expect(answers).toHaveLength(xml.length > 1024 * 1024 ? 6 : 7);
    expect((await call(owner, 'GET', `/api/modeling/drafts/${draft.body.id}`, undefined)).body.xml).toBe(intake);
    expect((await call(owner, 'DELETE', `/api/modeling/drafts/${draft.body.id}`, undefined)).status).toBeLessThan(300);
    expect(await counts()).toEqual(before);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });

  it('the process is still the one that started, and still deploys a real diagram', async () => {
    const finished = await Promise.race([server.exited, new Promise((r) => setTimeout(() => r('running'), 100))]);
    expect(finished).toBe('running');
    const lint = await call(owner, 'POST', '/api/modeling/lint', { xml: intake });
    expect(lint.status).toBe(200);
  });
});
