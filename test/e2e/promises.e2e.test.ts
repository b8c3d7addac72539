import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, REGISTERED, SERVED, applicationFor } from '../support/intake';
import { pollUntil, riyadhDate } from '../support/promises';

/**
 * Issue 22, "Must show" 4: promises the README makes, each tested where it can be broken.
 * One server for the promises that need no database or process of their own; its settings
 * are the ones under test (SESSION_HOURS, LOGIN_*, PUBLIC_URL); COOKIE_SECURE keeps its default.
 */
const PUBLIC_URL = 'https://mustafid.example.org';
const CHANNELS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8'] as const;

describe('promises of the README (one server)', () => {
  let server: TestServer;
  let d: IntakeDriver;
  let db: DataSource;

  beforeAll(async () => {
    server = await startTestServer({
      env: { ENABLE_TEST_CLOCK: 'true', SESSION_HOURS: '1', LOGIN_MAX_FAILURES: '2', LOGIN_LOCK_SECONDS: '2', PUBLIC_URL },
    });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
    db = server.app.get(DataSource);
  });
  afterAll(() => server?.close());

  it.each(CHANNELS)('[%s] a request received on this channel of the policy is accepted, stored with its code and found by it', async (channel) => {
    const res = await d.as('reception').post('/api/applications').send(applicationFor({ channel }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const view = await d.as('admin').get(`/api/cases/${res.body.id}`).expect(200);
    expect(view.body.channel.code).toBe(channel);
    const listed = await d.as('admin').get('/api/cases').query({ channel, q: res.body.applicationNumber }).expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([res.body.id]);
  });

  it('SESSION_HOURS=1: the token, the cookie and the session row end exactly one hour after sign-in, and an expired session row is refused (401)', async () => {
    const before = Date.now();
    const res = await server.http().post('/api/auth/login').send({ username: 'auditor', password: 'mustafid-demo' }).expect(200);
    const after = Date.now();
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 3_600_000);
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString()) as { iat: number; exp: number; sid: string };
    expect(claims.exp - claims.iat).toBe(3600);
    const cookie = res.headers['set-cookie'][0] as string;
    expect(cookie).toContain(`Expires=${new Date(expiresAt).toUTCString()}`);
    const [row] = await db.query('SELECT expires_at FROM app_session WHERE id = $1', [claims.sid]);
    expect(new Date(row.expires_at).getTime()).toBe(expiresAt);

    const me = () => server.http().get('/api/me').auth(res.body.accessToken, { type: 'bearer' });
    expect((await me()).status).toBe(200);
    // The hour has passed for the session (the token's own exp is an hour away: the row decides).
    await db.query(`UPDATE app_session SET expires_at = now() - interval '1 second' WHERE id = $1`, [claims.sid]);
    const ended = await me();
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('SESSION_INVALID');
  });

  it('COOKIE_SECURE=true marks the session cookie Secure and sends Strict-Transport-Security; the default false does neither', async () => {
    const plain = await server.http().post('/api/auth/login').send({ username: 'manager', password: 'mustafid-demo' }).expect(200);
    expect(plain.headers['set-cookie'][0]).toMatch(/^mustafid_session=/);
    expect(plain.headers['set-cookie'][0]).not.toMatch(/;\s*Secure/i);
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect((await server.http().get('/api/health')).headers['strict-transport-security']).toBeUndefined();

    const secure = await startTestServer({ env: { COOKIE_SECURE: 'true' } });
    try {
      const res = await secure.http().post('/api/auth/login').send({ username: 'manager', password: 'mustafid-demo' }).expect(200);
      expect(res.headers['set-cookie'][0]).toMatch(/^mustafid_session=[^;]+;.*;\s*Secure(;|$)/i);
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
      expect((await secure.http().get('/api/health')).headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    } finally {
      await secure.close();
    }
  });

  it('LOGIN_LOCK_SECONDS=2 with LOGIN_MAX_FAILURES=2: a locked account (429) signs in with its right password once the two seconds have passed', async () => {
    const attempt = (password: string) => server.http().post('/api/auth/login').send({ username: 'registrar', password });
    const firstFailureAt = Date.now();
    expect((await attempt('wrong-password-1')).status).toBe(401);
    expect((await attempt('wrong-password-2')).status).toBe(401);
    const lockedAt = Date.now();
    const locked = await attempt('mustafid-demo');
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(locked.body.details.retryAfterSeconds).toBeLessThanOrEqual(2);
    // The right password is refused while the lock lasts and accepted after it, within a bound.
    const unlocked = await pollUntil(() => attempt('mustafid-demo'), (r) => r.status !== 429, 6_000, 250);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.user.username).toBe('registrar');
    // Not before the two seconds counted from the first failure (the window), nor long after.
    expect(Date.now() - firstFailureAt).toBeGreaterThanOrEqual(1_950);
    expect(Date.now() - lockedAt).toBeLessThan(6_000);
  });

  it(`PUBLIC_URL=${PUBLIC_URL}: the survey notice's one-time link starts with it`, async () => {
    const c = await d.toCommittee();
    await d.decide(c.id, 'accepted', 'Eligible');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(c.id, 'Task_DeliverService', SERVED);
    await d.at(c.id, 'Event_SurveyAnswered');
    const notice = (await d.notifications(c.id)).find((n) => n.notice === 'survey');
    expect(notice, 'the survey notice').toBeDefined();
    const link = new RegExp(`${PUBLIC_URL.replace(/\./g, '\\.')}/survey/${c.applicationNumber}\\?token=[A-Za-z0-9_-]{43}`);
    expect(notice!.body.en).toMatch(link);
    expect(notice!.body.ar).toMatch(link);
    // Every link in the notice is the public one: none points at the server's own address.
    expect(notice!.body.en.match(/https?:\/\/\S+/g)?.every((u) => u.startsWith(`${PUBLIC_URL}/`))).toBe(true);
    await server.http().get(`/api/survey/invitations/${/token=([A-Za-z0-9_-]{43})/.exec(notice!.body.en)![1]}`).expect(200);
  });

  it('the case list filtered by status and by submission dates returns exactly the matching cases', async () => {
    // Every case of this test carries one name, so the search keeps other tests' cases out.
    const name = 'ريم مرشحات الحالات';
    const firstDay = riyadhDate(await d.advance('PT0S'));
    const openEarly = await d.submit({ fullName: name });
    const closedEarly = await d.submit({ fullName: name });
    await d.complete(closedEarly.id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(closedEarly.id, 'Event_DocumentsDeadline');
    const laterDay = riyadhDate(await d.advance('P30D'));
    await d.until(closedEarly.id, 'closed-incomplete');
    const openLate = await d.submit({ fullName: name });
    expect(laterDay > firstDay).toBe(true);

    const ids = async (query: Record<string, string>) => {
      const res = await d.as('admin').get('/api/cases').query({ q: name, limit: '100', ...query });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.total).toBe(res.body.items.length);
      return (res.body.items as Array<{ id: string }>).map((i) => i.id).sort();
    };
    const sorted = (...cs: Array<{ id: string }>) => cs.map((c) => c.id).sort();
    expect(await ids({})).toEqual(sorted(openEarly, closedEarly, openLate));
    expect(await ids({ status: 'open' })).toEqual(sorted(openEarly, openLate));
    expect(await ids({ status: 'closed-incomplete' })).toEqual(sorted(closedEarly));
    expect(await ids({ status: 'completed' })).toEqual([]);
    expect(await ids({ from: laterDay })).toEqual(sorted(openLate));
    expect(await ids({ to: firstDay })).toEqual(sorted(openEarly, closedEarly));
    expect(await ids({ from: firstDay, to: firstDay })).toEqual(sorted(openEarly, closedEarly));
    expect(await ids({ from: firstDay, to: laterDay })).toEqual(sorted(openEarly, closedEarly, openLate));
    expect(await ids({ status: 'open', to: firstDay })).toEqual(sorted(openEarly));
    expect(await ids({ status: 'open', from: laterDay })).toEqual(sorted(openLate));
    expect(await ids({ status: 'closed-incomplete', from: laterDay })).toEqual([]);
  });
});

