import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';

/**
 * Issue 18.5: sign-in limits that simultaneous attempts cannot outrun, that one person guessing
 * behind an address cannot turn against everyone else there, and that see the client's own
 * address behind a trusted reverse proxy (TRUST_PROXY).
 */
const login = (server: TestServer, username: string, password: string, forwardedFor?: string) => {
  const req = server.http().post('/api/auth/login');
  if (forwardedFor) req.set('X-Forwarded-For', forwardedFor);
  return req.send({ username, password });
};

describe('sign-in limits (LOGIN_MAX_FAILURES=2: 2 per account and address, 20 per address)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { LOGIN_MAX_FAILURES: '2' } });
  });
  afterAll(() => server?.close());

  it('40 simultaneous wrong passwords for one account: exactly 2 are checked, 38 refused with 429', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(server, 'registrar', `wrong-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(2);
    expect(statuses.filter((s) => s === 429)).toHaveLength(38);
    expect(results.find((r) => r.status === 429)!.body).toMatchObject({ code: 'TOO_MANY_LOGIN_ATTEMPTS', details: { retryAfterSeconds: expect.any(Number) } });
    expect((await login(server, 'registrar', DEMO_PASSWORD)).status).toBe(429);
  });

  it('past the address limit, accounts that failed from the address are refused; a colleague who did not signs in', async () => {
    // One person spends the address's 20 failures on made-up and real names.
    for (let i = 0; i < 10; i++) {
      for (const name of [`nobody-${i}`, i === 0 ? 'manager' : `ghost-${i}`]) expect((await login(server, name, `guess-${i}`)).status).toBe(401);
    }
    const spent = await login(server, 'ghost-1', 'guess-again');
    expect(spent.status).toBe(429);
    // 'manager' failed once from here: refused even with the right password until the window passes.
    expect((await login(server, 'manager', DEMO_PASSWORD)).status).toBe(429);
    // Colleagues behind the same address who never failed still sign in.
    expect((await login(server, 'auditor', DEMO_PASSWORD)).status).toBe(200);
    expect((await login(server, 'process-owner', DEMO_PASSWORD)).status).toBe(200);
    // A made-up name gets one try from here, then is refused too.
    expect((await login(server, 'fresh-name', 'guess')).status).toBe(401);
    expect((await login(server, 'fresh-name', 'guess')).status).toBe(429);
  });
});

describe('TRUST_PROXY', () => {
  let behindProxy: TestServer;
  let direct: TestServer;
  beforeAll(async () => {
    behindProxy = await startTestServer({ env: { LOGIN_MAX_FAILURES: '2', TRUST_PROXY: 'loopback' } });
    direct = await startTestServer({ env: { LOGIN_MAX_FAILURES: '2' } });
  });
  afterAll(async () => {
    await behindProxy?.close();
    await direct?.close();
  });

  it('behind a trusted proxy, a lock-out applies to the client that earned it, not to everyone behind the proxy', async () => {
    for (let i = 0; i < 2; i++) expect((await login(behindProxy, 'service', `wrong-${i}`, '203.0.113.7')).status).toBe(401);
    expect((await login(behindProxy, 'service', DEMO_PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await login(behindProxy, 'service', DEMO_PASSWORD, '198.51.100.9')).status).toBe(200);
    const audit = await behindProxy.http().get('/api/audit/events?action=auth.login-failed').auth(await behindProxy.login('auditor'), { type: 'bearer' });
    expect(audit.status).toBe(200);
    const addresses = (audit.body.items as Array<{ details: { address: string } }>).map((e) => e.details.address);
    expect(addresses).toHaveLength(2);
    expect(addresses.every((a) => a.endsWith('203.0.113.7'))).toBe(true);
  });

  it('without TRUST_PROXY a forwarded address is not believed: it cannot be used to escape a lock-out', async () => {
    for (let i = 0; i < 2; i++) expect((await login(direct, 'service', `wrong-${i}`, '203.0.113.7')).status).toBe(401);
    expect((await login(direct, 'service', DEMO_PASSWORD, '198.51.100.9')).status).toBe(429);
  });
});
