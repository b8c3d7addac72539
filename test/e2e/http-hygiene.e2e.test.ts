import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';
import { applicationFor } from '../support/intake';

/** Issue 18.9: answers with personal data are never cached; cookie-carried writes only from Mustafid's own pages. */
describe('HTTP hygiene: caching and cross-site writes', () => {
  let server: TestServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startTestServer();
    const res = await server.http().post('/api/auth/login').send({ username: 'reception', password: DEMO_PASSWORD }).expect(200);
    cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  });
  afterAll(() => server?.close());

  it('every /api answer says Cache-Control: no-store (cases, a single case, errors)', async () => {
    const list = await server.http().get('/api/cases').set('Cookie', cookie);
    expect(list.status).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    const missing = await server.http().get('/api/cases/REQ-2026-999999').set('Cookie', cookie);
    expect(missing.status).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect((await server.http().get('/api/health')).headers['cache-control']).toContain('no-store');
  });

  it('a cookie-carried write from another site is refused with 403 CROSS_SITE_REQUEST, and nothing is written', async () => {
    const before = (await server.http().get('/api/cases').set('Cookie', cookie).expect(200)).body.total;
    for (const header of [{ Origin: 'https://evil.example' }, { Referer: 'https://evil.example/form.html' }, { Origin: 'null' }]) {
      const forged = await server.http().post('/api/applications').set('Cookie', cookie).set(header).send(applicationFor());
      expect(forged.status, JSON.stringify(header)).toBe(403);
      expect(forged.body).toMatchObject({ code: 'CROSS_SITE_REQUEST' });
      expect(forged.body.message).toContain('Mustafid takes changes only from its own pages');
    }
    expect((await server.http().get('/api/cases').set('Cookie', cookie).expect(200)).body.total).toBe(before);
  });

  it('the same write from its own origin, with a bearer token, or from a client that sends no Origin, goes through', async () => {
    const own = new URL(server.url).origin;
    expect((await server.http().post('/api/applications').set('Cookie', cookie).set('Origin', own).send(applicationFor())).status).toBe(201);
    expect((await server.http().post('/api/applications').set('Cookie', cookie).send(applicationFor())).status).toBe(201);
    const token = await server.login('reception');
    const bearer = await server.http().post('/api/applications').auth(token, { type: 'bearer' }).set('Origin', 'https://evil.example').send(applicationFor());
    expect(bearer.status).toBe(201);
    // Reads with a foreign Origin are not changes: CORS keeps their answers from the other site.
    expect((await server.http().get('/api/cases').set('Cookie', cookie).set('Origin', 'https://evil.example')).status).toBe(200);
  });
});
