import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';

/**
 * Issue 18.1: the server started as the Docker image starts it (docker/Dockerfile: NODE_ENV=production,
 * the heap bounds, `node dist/apps/server/main.js`) has no demo door, on whichever database the
 * suite runs (embedded, or PostgreSQL with DATABASE_URL).
 */
const dockerfile = readFileSync(resolve('docker/Dockerfile'), 'utf8');
const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
const NODE_OPTIONS = cmd.slice(1, -1);
const LISTENING = /listening on (http:\/\/\S+)/;

describe('a production start as the Dockerfile runs it', () => {
  const databases: TestDatabase[] = [];
  const servers: Running[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await Promise.all(databases.splice(0).map((d) => d.drop()));
  });

  const database = async () => {
    const db = await createTestDatabase();
    databases.push(db);
    return db;
  };
  const start = (db: TestDatabase, env: Record<string, string>) => {
    const server = runBuilt(SERVER_MAIN, [], { ...db.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, NODE_OPTIONS);
    servers.push(server);
    return server;
  };
  const urlOf = async (server: Running) => {
    await server.waitFor(LISTENING, 8 * WAIT_MS);
    return LISTENING.exec(server.output())![1];
  };
  const login = (url: string, username: string, password: string) =>
    fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

  it('the Dockerfile sets NODE_ENV=production and starts the built server with heap bounds', () => {
    expect(dockerfile).toMatch(/ENV NODE_ENV=production/);
    expect(cmd.at(-1)).toBe('dist/apps/server/main.js');
    expect(NODE_OPTIONS).toEqual(expect.arrayContaining([expect.stringMatching(/^--max-old-space-size=/)]));
  });

  it('seeds no demo account, shows no sign-in code, and says how to create the first administrator', async () => {
    const db = await database();
    const server = start(db, { NODE_ENV: 'production' });
    const url = await urlOf(server);

    expect((await login(url, 'admin', 'mustafid-demo')).status).toBe(401);
    expect((await login(url, 'reception', 'mustafid-demo')).status).toBe(401);
    const asked = await fetch(`${url}/api/portal/sign-in/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mobile: '0551234567' }) });
    expect(asked.status).toBe(202);
    const demo = await fetch(`${url}/api/portal/demo/sign-in-codes?mobile=0551234567`);
    expect(demo.status).toBe(404);
    expect((await demo.json()).code).toBe('NOT_FOUND');

    // pino writes in order but after the 'listening' line: the last request's line closes the start's log.
    await server.waitFor(/demo\/sign-in-codes\?mobile=\[redacted\]/);
    const log = server.output();
    expect(log).toContain('No active administrator exists: start once with INITIAL_ADMIN_PASSWORD');
    expect(log).not.toContain('DEMO ACCOUNTS ACTIVE');
    expect(log).not.toContain('DEMO SIGN-IN CODES SHOWN');
    expect(log).not.toMatch(/Demo sign-in code for/);
    expect(log).not.toMatch(/0551234567|\+966551234567/); // the mobile number is personal data

    // The documented bootstrap: the next start with INITIAL_ADMIN_PASSWORD creates `admin`.
    await server.stop();
    const again = start(db, { NODE_ENV: 'production', INITIAL_ADMIN_PASSWORD: 'first-admin-secret-42' });
    const url2 = await urlOf(again);
    const admin = await login(url2, 'admin', 'first-admin-secret-42');
    expect(admin.status).toBe(200);
    // Issue 18.9: a search by national ID or mobile leaves no trace of them in the log.
    const token = ((await admin.json()) as { accessToken: string }).accessToken;
    const search = await fetch(`${url2}/api/cases?q=1012345678&status=open`, { headers: { authorization: `Bearer ${token}` } });
    expect(search.status).toBe(200);
    await again.waitFor(/"url":"\/api\/cases\?q=\[redacted\]&status=\[redacted\]"/);
    expect(again.output()).not.toContain('1012345678');
    expect((await login(url2, 'admin', 'mustafid-demo')).status).toBe(401);
    await again.waitFor(/Initial administrator \\"admin\\" created from INITIAL_ADMIN_PASSWORD/); // JSON-escaped quotes
    await again.waitFor(/"statusCode":401/); // the refused demo password: the start's lines are all out
    expect(again.output()).not.toContain('No active administrator exists');
  });

  it('refuses to start when asked for demo accounts in production, in one line naming the variable', async () => {
    const db = await database();
    const finished = await start(db, { NODE_ENV: 'production', SEED_DEMO: 'true' }).exited;
    expect(finished.code).toBe(1);
    expect(finished.stderr.trim()).toBe(
      'mustafid: Invalid configuration: SEED_DEMO=true is refused when NODE_ENV=production (demo accounts share a password anyone can read in the README); create the first administrator with INITIAL_ADMIN_PASSWORD instead',
    );
    const seed = await runBuilt(SERVER_MAIN, ['seed:demo'], { ...db.env, NODE_ENV: 'production' }).exited;
    expect(seed.code).toBe(1);
    expect(seed.stderr).toContain('mustafid: seed:demo is refused when NODE_ENV=production');
  });

  it('a demo start says so loudly; a production start on that database refuses while demo passwords still work', async () => {
    const db = await database();
    const demo = start(db, { SEED_DEMO: 'true' });
    const url = await urlOf(demo);
    expect((await login(url, 'admin', 'mustafid-demo')).status).toBe(200);
    await demo.waitFor(/DEMO ACCOUNTS ACTIVE: admin, applicant, auditor, committee, committee-chair, committee2, manager, process-owner, reception, registrar, researcher, service, worker sign in with the demo password/);
    await demo.waitFor(/DEMO SIGN-IN CODES SHOWN: GET \/api\/portal\/demo\/sign-in-codes/);
    await demo.stop();

    const production = await start(db, { NODE_ENV: 'production' }).exited;
    expect(production.code).toBe(1);
    expect(production.stderr).toContain('mustafid: Refusing to start with NODE_ENV=production: the demo accounts admin, applicant,');
    expect(production.stderr).toContain('still sign in with the demo password');
    expect(production.stderr.trim().split('\n')).toHaveLength(1);
  });
});
