import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@mustafid/auth';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';

describe('sign-in, sessions and roles', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3' } });
    adminToken = await server.login('admin');
  });
  afterAll(() => server?.close());

  it('seeds one demo account per role, named after the role, and a second committee member', async () => {
    const res = await server.http().get('/api/users?limit=200').auth(adminToken, { type: 'bearer' }).expect(200);
    const byName = new Map(res.body.items.map((u: { username: string; roles: string[] }) => [u.username, u.roles]));
    for (const role of ROLES) expect(byName.get(role)).toEqual([role]);
    expect(byName.get('committee2')).toEqual(['committee']);
    expect(res.body.total).toBe(ROLES.length + 1);
  });

  it('signs in with the demo password: a bearer token and an httpOnly, SameSite=Strict cookie', async () => {
    const res = await server.http().post('/api/auth/login').send({ username: 'reception', password: DEMO_PASSWORD }).expect(200);
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body.user).toMatchObject({ username: 'reception', roles: ['reception'] });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^mustafid_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('GET /api/me answers with the bearer token and with the cookie alone', async () => {
    const login = await server.http().post('/api/auth/login').send({ username: 'auditor', password: DEMO_PASSWORD }).expect(200);
    const viaBearer = await server.http().get('/api/me').auth(login.body.accessToken, { type: 'bearer' }).expect(200);
    expect(viaBearer.body).toMatchObject({ username: 'auditor', roles: ['auditor'] });
    expect(viaBearer.body.displayName).toContain('مدقق');
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const viaCookie = await server.http().get('/api/me').set('Cookie', cookie).expect(200);
    expect(viaCookie.body.id).toBe(viaBearer.body.id);
  });

  it('refuses a missing, forged or garbage token with 401', async () => {
    const none = await server.http().get('/api/me').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    await server.http().get('/api/me').auth('not-a-token', { type: 'bearer' }).expect(401);
    const [h, p] = adminToken.split('.');
    const forged = await server.http().get('/api/me').auth(`${h}.${p}.AAAA`, { type: 'bearer' }).expect(401);
    expect(forged.body.code).toBe('SESSION_INVALID');
  });

  it('answers a wrong password with 401 and the same message as an unknown user', async () => {
    const wrong = await server.http().post('/api/auth/login').send({ username: 'registrar', password: 'wrong-password' }).expect(401);
    const unknown = await server.http().post('/api/auth/login').send({ username: 'nobody-here', password: 'wrong-password' }).expect(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('rate-limits failed sign-ins with 429, even for the right password, while other accounts still sign in', async () => {
    for (let i = 0; i < 3; i++) {
      await server.http().post('/api/auth/login').send({ username: 'service', password: `wrong-${i}` }).expect(401);
    }
    const blocked = await server.http().post('/api/auth/login').send({ username: 'service', password: DEMO_PASSWORD }).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
    expect(blocked.body.details.retryAfterSeconds).toBeGreaterThan(0);
    await server.http().post('/api/auth/login').send({ username: 'researcher', password: DEMO_PASSWORD }).expect(200);
  });

  it('rejects malformed sign-in bodies with 400 and a readable message', async () => {
    const empty = await server.http().post('/api/auth/login').send({}).expect(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    expect(empty.body.message).toContain('username is required');
    const extra = await server.http().post('/api/auth/login').send({ username: 'a', password: 'b', admin: true }).expect(400);
    expect(extra.body.message).toContain('property admin should not exist');
    const typed = await server.http().post('/api/auth/login').send({ username: ['admin'], password: 1 }).expect(400);
    expect(typed.body.message).toContain('username must be a string');
  });

  it('logout ends the session: the same token is refused afterwards and the cookie is cleared', async () => {
    const token = await server.login('committee');
    await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(200);
    const out = await server.http().post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/mustafid_session=;/);
    await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(401);
  });

  it('guards routes by role: 403 with the roles needed for the wrong role', async () => {
    const token = await server.login('committee-chair');
    const res = await server.http().get('/api/users').auth(token, { type: 'bearer' }).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(res.body.message).toContain('admin');
  });

  it('lets an admin create a user who can then sign in with the roles given', async () => {
    const created = await server
      .http()
      .post('/api/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ username: 'sara.alharbi', displayName: '  سارة الحربي  ', password: 'a-long-passphrase', roles: ['researcher', 'committee'] })
      .expect(201);
    expect(created.body).toMatchObject({ username: 'sara.alharbi', displayName: 'سارة الحربي', roles: ['researcher', 'committee'], active: true });
    expect(created.body).not.toHaveProperty('passwordHash');
    const token = await server.login('sara.alharbi', 'a-long-passphrase');
    const me = await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(200);
    expect(me.body.roles).toEqual(['researcher', 'committee']);
  });

  it('refuses a taken username (409) and bad user input (400) without creating anything', async () => {
    const before = (await server.http().get('/api/users').auth(adminToken, { type: 'bearer' })).body.total;
    const taken = await server
      .http()
      .post('/api/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ username: 'reception', displayName: 'x', password: 'a-long-passphrase', roles: [] })
      .expect(409);
    expect(taken.body.code).toBe('USERNAME_TAKEN');
    const bad = await server
      .http()
      .post('/api/users')
      .auth(adminToken, { type: 'bearer' })
      .send({ username: 'Bad Name', displayName: 'x'.repeat(10_000), password: 'short', roles: ['overlord'] })
      .expect(400);
    expect(bad.body.message).toContain('username must be');
    expect(bad.body.message).toContain('displayName must be at most 200 characters');
    expect(bad.body.message).toContain('password must be at least 8 characters');
    expect(bad.body.message).toContain('each role must be one of');
    const after = (await server.http().get('/api/users').auth(adminToken, { type: 'bearer' })).body.total;
    expect(after).toBe(before);
  });

  it('role changes take effect on the next request; deactivation ends sessions and blocks sign-in', async () => {
    const user = (
      await server
        .http()
        .post('/api/users')
        .auth(adminToken, { type: 'bearer' })
        .send({ username: 'temp.officer', displayName: 'Temp', password: 'a-long-passphrase', roles: ['reception'] })
        .expect(201)
    ).body;
    const token = await server.login('temp.officer', 'a-long-passphrase');
    await server.http().get('/api/users').auth(token, { type: 'bearer' }).expect(403);
    await server.http().patch(`/api/users/${user.id}`).auth(adminToken, { type: 'bearer' }).send({ roles: ['admin'] }).expect(200);
    await server.http().get('/api/users').auth(token, { type: 'bearer' }).expect(200);
    await server.http().patch(`/api/users/${user.id}`).auth(adminToken, { type: 'bearer' }).send({ active: false }).expect(200);
    await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(401);
    await server.http().post('/api/auth/login').send({ username: 'temp.officer', password: 'a-long-passphrase' }).expect(401);
  });

  it('an admin password reset ends the old sessions and the new password works', async () => {
    const list = await server.http().get('/api/users?role=registrar').auth(adminToken, { type: 'bearer' }).expect(200);
    const registrar = list.body.items.find((u: { username: string }) => u.username === 'registrar');
    const old = await server.login('registrar');
    await server.http().post(`/api/users/${registrar.id}/password`).auth(adminToken, { type: 'bearer' }).send({ password: 'new-registrar-pass' }).expect(204);
    await server.http().get('/api/me').auth(old, { type: 'bearer' }).expect(401);
    await server.login('registrar', 'new-registrar-pass');
  });

  it('a user changes their own password; the current one is checked', async () => {
    const token = await server.login('process-owner');
    const wrong = await server.http().post('/api/me/password').auth(token, { type: 'bearer' }).send({ currentPassword: 'nope', newPassword: 'owner-new-pass' }).expect(400);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    await server.http().post('/api/me/password').auth(token, { type: 'bearer' }).send({ currentPassword: DEMO_PASSWORD, newPassword: 'owner-new-pass' }).expect(204);
    await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(200);
    await server.login('process-owner', 'owner-new-pass');
  });

  it('never leaves the system without an active administrator', async () => {
    const admins = await server.http().get('/api/users?role=admin').auth(adminToken, { type: 'bearer' }).expect(200);
    for (const u of admins.body.items.filter((x: { username: string }) => x.username !== 'admin')) {
      await server.http().patch(`/api/users/${u.id}`).auth(adminToken, { type: 'bearer' }).send({ roles: ['reception'] }).expect(200);
    }
    const me = await server.http().get('/api/me').auth(adminToken, { type: 'bearer' }).expect(200);
    const res = await server.http().patch(`/api/users/${me.body.id}`).auth(adminToken, { type: 'bearer' }).send({ active: false }).expect(409);
    expect(res.body.code).toBe('LAST_ADMIN');
    await server.http().get('/api/me').auth(adminToken, { type: 'bearer' }).expect(200);
  });

  it('answers unknown and malformed user ids with 404', async () => {
    await server.http().get('/api/users/not-a-uuid').auth(adminToken, { type: 'bearer' }).expect(404);
    const res = await server.http().get('/api/users/00000000-0000-4000-8000-000000000000').auth(adminToken, { type: 'bearer' }).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
