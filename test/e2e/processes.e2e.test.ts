import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '@mustafid/database/migrations';
import { DEMO_PASSWORD } from '../support/app';
import { WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, embeddedTestDatabase, type TestDatabase } from '../support/database';
import { SERVER_MAIN, WORKER_MAIN, runBuilt, runToEnd } from '../support/processes';

describe('the built server and worker as processes', () => {
  it.each([
    ['PORT', 'abc', /PORT must be a whole number between 0 and 65535 \(got "abc"\)/],
    ['DATABASE_URL', 'mysql://somewhere/db', /DATABASE_URL must be a PostgreSQL URL/],
    ['DATABASE_URL', 'not a url at all', /DATABASE_URL must be a PostgreSQL URL/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['JWT_SECRET', 'short', /JWT_SECRET must be at least 32 characters long$/m],
  ])('refuses bad %s=%s with one line naming it and a non-zero exit', async (name, value, message) => {
    const result = await runToEnd(SERVER_MAIN, [], { [name]: value, DATA_DIR: '/nonexistent/never-created' });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toContain(name);
    expect(existsSync('/nonexistent/never-created')).toBe(false);
  });

  it('the worker refuses bad configuration the same way', async () => {
    const result = await runToEnd(WORKER_MAIN, [], { WORKER_PORT: '99999' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toMatch(/^mustafid-worker: Invalid configuration: WORKER_PORT must be/);
  });

  describe('one embedded data folder', () => {
    let db: TestDatabase;
    beforeAll(() => {
      db = embeddedTestDatabase();
    });
    afterAll(() => db?.drop());

    it('refuses a second process with a clear error naming the folder; the first keeps its data across a restart', async () => {
      const env = { ...db.env, PORT: '0', DEMO_PASSWORD };
      const first = runBuilt(SERVER_MAIN, [], env);
      await first.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
      const url = /listening on (http:\/\/\S+)/.exec(first.output())![1];

      const second = await runToEnd(SERVER_MAIN, [], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`The data folder ${db.env.DATA_DIR} is in use by another Mustafid process`);
      expect(second.stderr).toContain(`pid `);

      // The first process is unharmed by the attempt.
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const created = await fetch(`${url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ username: 'kept.after.restart', displayName: 'Kept', password: 'a-long-passphrase', roles: ['service'] }),
      });
      expect(created.status).toBe(201);

      const stopped = await first.stop();
      expect(stopped.code).toBe(0);
      expect(existsSync(join(db.env.DATA_DIR, 'mustafid.lock'))).toBe(false);

      const again = runBuilt(SERVER_MAIN, [], env);
      try {
        await again.waitFor(/listening on (http:\/\/\S+)/, 8 * WAIT_MS);
        const url2 = /listening on (http:\/\/\S+)/.exec(again.output())![1];
        const relogin = await fetch(`${url2}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'kept.after.restart', password: 'a-long-passphrase' }),
        });
        expect(relogin.status).toBe(200);
        // The session signed before the restart is still valid: the signing key is kept in the database.
        const me = await fetch(`${url2}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(me.status).toBe(200);
      } finally {
        expect((await again.stop()).code).toBe(0);
      }
    });
  });

  describe('migration and seeding commands', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(() => db?.drop());

    /**
     * The built server started to the end of a command this many times: migration:run twice,
     * seed:demo twice, migration:revert once per migration and once more, migration:run again.
     * Each start loads the embedded database in a new process (seconds of CPU on a loaded machine).
     */
    const PROCESS_STARTS = 2 + 2 + MIGRATIONS.length + 1 + 1;

    it('migration:run applies, migration:revert undoes, seed:demo seeds once', async () => {
      const names = MIGRATIONS.map((m) => m.name);
      const run = await runToEnd(SERVER_MAIN, ['migration:run'], db.env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual(names.map((n) => `applied ${n}`));

      const again = await runToEnd(SERVER_MAIN, ['migration:run'], db.env);
      expect(again.stdout.trim()).toBe('no pending migrations');

      const seeded = await runToEnd(SERVER_MAIN, ['seed:demo'], { ...db.env, DEMO_PASSWORD });
      expect(seeded.stdout).toMatch(/demo accounts created: applicant, reception, .*admin, committee2/);
      const reseeded = await runToEnd(SERVER_MAIN, ['seed:demo'], db.env);
      expect(reseeded.stdout.trim()).toBe('all demo accounts already exist');

      // Every migration undoes itself, newest first.
      for (const name of [...names].reverse()) {
        const revert = await runToEnd(SERVER_MAIN, ['migration:revert'], db.env);
        expect(revert.code, revert.stderr).toBe(0);
        expect(revert.stdout.trim()).toBe(`reverted ${name}`);
      }
      const nothing = await runToEnd(SERVER_MAIN, ['migration:revert'], db.env);
      expect(nothing.stdout.trim()).toBe('no migration to revert');

      const reapplied = await runToEnd(SERVER_MAIN, ['migration:run'], db.env);
      expect(reapplied.stdout.trim().split('\n')).toEqual(names.map((n) => `applied ${n}`));
      // One process per command, two per migration: the time it may take grows with the migrations.
    }, PROCESS_STARTS * 2 * WAIT_MS);

    it('retention:apply anonymises what is past its period and says so', async () => {
      const result = await runToEnd(SERVER_MAIN, ['retention:apply'], { ...db.env, RETENTION_PERSONAL_DATA_DAYS: '30' });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toEqual([
        'no closed case is older than 30 days: nothing to anonymise',
        'no inquiry was answered more than 30 days ago: nothing to anonymise',
        'no audit row is older than 3650 days',
      ]);
    });

    it('an unknown command is refused', async () => {
      const result = await runToEnd(SERVER_MAIN, ['drop-everything'], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Unknown command "drop-everything"');
    });

    it('the worker refuses the embedded engine with one line saying what to set (its work on Zeebe: test/zeebe/worker-process.test.ts)', async () => {
      const result = await runToEnd(WORKER_MAIN, [], { ...db.env, WORKER_PORT: '0' });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        'mustafid-worker: Invalid configuration: the worker runs job workers against Zeebe; set ENGINE=zeebe, ZEEBE_ADDRESS and ZEEBE_REST_ADDRESS (with ENGINE=embedded the server runs the workers itself)',
      );
    });
  });
});
