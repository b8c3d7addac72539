import { Camunda8 } from '@camunda8/sdk';
import { type CamundaClient, ProcessDefinitionId, createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain, serviceTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';

/**
 * Machine clients (issue 16): an administrator creates a client with roles and gets its id and
 * secret once; the client trades them at POST /oauth/token for a short-lived access token
 * (OAuth 2.0 client credentials, RFC 6749 §4.4: https://www.rfc-editor.org/rfc/rfc6749#section-4.4)
 * and sends it as a bearer token to /v2 and /api, acting with its roles.
 *
 * Camunda's clients are configured as its docs say for an OAuth-protected cluster:
 * - https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-authentication/
 *   ("Using a token (OIDC/JWT) … obtain an Access Token and pass it as an OAuth 2.0 Bearer Token in
 *   the Authorization header of each request");
 * - https://docs.camunda.io/docs/apis-tools/typescript/oca-client/ (the 8.8 TypeScript client:
 *   CAMUNDA_AUTH_STRATEGY=OAUTH, CAMUNDA_OAUTH_URL, CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET);
 * - https://docs.camunda.io/docs/apis-tools/node-js-sdk/ (@camunda8/sdk, Self-Managed:
 *   ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, CAMUNDA_OAUTH_URL).
 */

const file = (name: string, xml: string) => new File([xml], name, { type: 'application/xml' });
const WORK = chain('oauth-work', [serviceTask('s1', 'oauth-charge')]);
const KEY = /^\d{1,19}$/;

interface CreatedClient {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  roles: string[];
}

describe('Machine clients with OAuth 2.0 client credentials', () => {
  let server: TestServer;
  let adminToken: string;
  const clients: CamundaClient[] = [];

  beforeAll(async () => {
    // The test clock moves the time access tokens expire by (the expiry case).
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    adminToken = await server.login('admin');
  });
  afterAll(async () => {
    for (const c of clients) c.stopAllWorkers();
    await server?.close();
  });

  const asAdmin = () => ({
    post: (path: string) => server.http().post(path).auth(adminToken, { type: 'bearer' }),
    get: (path: string) => server.http().get(path).auth(adminToken, { type: 'bearer' }),
    delete: (path: string) => server.http().delete(path).auth(adminToken, { type: 'bearer' }),
  });
  const createClient = async (name: string, roles: string[]): Promise<CreatedClient> => (await asAdmin().post('/api/clients').send({ name, roles }).expect(201)).body;
  /** The token request as Camunda's TypeScript client sends it: form-encoded, credentials and audience in the body. */
  const requestToken = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    });
  const tokenFor = async (c: CreatedClient): Promise<string> => {
    const res = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, audience: 'zeebe.camunda.io' });
    expect(res.status).toBe(200);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const camundaFor = (c: CreatedClient): CamundaClient => {
    const client = createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: `${server.url}/oauth/token`,
        CAMUNDA_CLIENT_ID: c.clientId,
        CAMUNDA_CLIENT_SECRET: c.clientSecret,
        CAMUNDA_SDK_VALIDATION: 'strict',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
        CAMUNDA_OAUTH_RETRY_MAX: 1,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
    clients.push(client);
    return client;
  };

  it('an administrator creates a client, sees its secret once, lists and gets it; only a hash is kept', async () => {
    const created = await createClient('billing-worker', ['worker']);
    expect(created).toEqual({
      id: expect.any(String),
      name: 'billing-worker',
      clientId: expect.stringMatching(/^billing-worker-[a-z2-7]{10}$/),
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      roles: ['worker'],
      createdAt: expect.any(String),
      createdBy: 'admin',
      lastTokenAt: null,
      revokedAt: null,
      revokedBy: null,
    });
    const list = await asAdmin().get('/api/clients').expect(200);
    const listed = list.body.items.find((c: { id: string }) => c.id === created.id);
    expect(listed).toMatchObject({ name: 'billing-worker', clientId: created.clientId, roles: ['worker'] });
    expect(listed).not.toHaveProperty('clientSecret');
    expect((await asAdmin().get(`/api/clients/${created.id}`).expect(200)).body).not.toHaveProperty('clientSecret');
    // The secret is kept only as an Argon2id hash (the project's password hashing).
    const [row] = await server.app.get(DataSource).query('SELECT secret_hash FROM app_machine_client WHERE id = $1', [created.id]);
    expect(row.secret_hash).toMatch(/^\$argon2id\$/);
    expect(row.secret_hash).not.toContain(created.clientSecret);
    // Creation is audited under the administrator's name.
    const audit = await asAdmin().get('/api/audit/events?action=client.created').expect(200);
    expect(audit.body.items[0]).toMatchObject({ actor: 'admin', details: { client: 'billing-worker', clientId: created.clientId, roles: ['worker'] } });
  });

  it('refuses bad client input with a 4xx that says why, and a second active client of one name', async () => {
    const bad = await asAdmin().post('/api/clients').send({ name: 'Has Spaces', roles: ['worker'] }).expect(400);
    expect(bad.body.message).toContain('name must be 2–48 lowercase letters');
    const long = await asAdmin().post('/api/clients').send({ name: 'a'.repeat(49), roles: ['worker'] }).expect(400);
    expect(long.body.message).toContain('name must be 2–48');
    const applicant = await asAdmin().post('/api/clients').send({ name: 'portal-bot', roles: ['applicant'] }).expect(400);
    expect(applicant.body.message).toContain('each role must be one of');
    expect((await asAdmin().post('/api/clients').send({ name: 'no-roles', roles: [] }).expect(400)).body.message).toContain('at least one role');
    await createClient('twice', ['worker']);
    const taken = await asAdmin().post('/api/clients').send({ name: 'twice', roles: ['worker'] }).expect(409);
    expect(taken.body).toMatchObject({ code: 'CLIENT_NAME_TAKEN' });
    expect((await asAdmin().get('/api/clients/not-a-uuid').expect(404)).body.code).toBe('NOT_FOUND');
  });

  it('a person without the admin role cannot create, list or revoke clients', async () => {
    const owner = await server.login('process-owner');
    const res = await server.http().post('/api/clients').auth(owner, { type: 'bearer' }).send({ name: 'sneaky', roles: ['admin'] }).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: 'This needs one of these roles: Administrator (admin)' });
    await server.http().get('/api/clients').auth(owner, { type: 'bearer' }).expect(403);
    await server.http().post('/api/clients').send({ name: 'anonymous', roles: ['worker'] }).expect(401);
  });

  it('issues a bearer token for the right secret (RFC 6749 §4.4.3, §5.1): form or JSON body, or HTTP Basic', async () => {
    const c = await createClient('token-shapes', ['worker', 'process-owner']);
    // https://www.rfc-editor.org/rfc/rfc6749#section-5.1: access_token, token_type, expires_in; "Cache-Control: no-store".
    const form = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret, audience: 'zeebe.camunda.io' });
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.headers.get('pragma')).toBe('no-cache');
    const body = await form.json();
    expect(body).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'Bearer', expires_in: 600, scope: 'worker process-owner' });
    const json = await server.http().post('/oauth/token').send({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret }).expect(200);
    expect(json.body.token_type).toBe('Bearer');
    // https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1: client_id and client_secret as HTTP Basic, each form-encoded.
    const basic = await server.http().post('/oauth/token').type('form').send({ grant_type: 'client_credentials' }).auth(c.clientId, c.clientSecret).expect(200);
    expect(basic.body.expires_in).toBe(600);
    // The token works on /api too, for what the client's roles allow; a person's own-account actions are refused.
    const me = await server.http().get('/api/me').auth(body.access_token, { type: 'bearer' }).expect(200);
    expect(me.body).toMatchObject({ username: 'client:token-shapes', roles: ['worker', 'process-owner'] });
    const logout = await server.http().post('/api/auth/logout').auth(body.access_token, { type: 'bearer' }).expect(403);
    expect(logout.body).toMatchObject({ code: 'NOT_A_PERSON' });
    await server.http().get('/api/users').auth(body.access_token, { type: 'bearer' }).expect(403);
    expect((await asAdmin().get(`/api/clients/${c.id}`).expect(200)).body.lastTokenAt).toEqual(expect.any(String));
  });

  it('refuses bad token requests as RFC 6749 §5.2 says: invalid_client 401, unsupported_grant_type and invalid_request 400', async () => {
    const c = await createClient('wrong-secret', ['worker']);
    // https://www.rfc-editor.org/rfc/rfc6749#section-5.2: "invalid_client: Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
    const wrong = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'The client id or secret is not correct, or the client was revoked' });
    const unknown = await requestToken({ grant_type: 'client_credentials', client_id: 'nobody-aaaaaaaaaa', client_secret: c.clientSecret });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toBe('invalid_client');
    // §5.2: with HTTP Basic, 401 names the scheme (WWW-Authenticate).
    const basic = await server.http().post('/oauth/token').type('form').send({ grant_type: 'client_credentials' }).auth(c.clientId, 'wrong').expect(401);
    expect(basic.headers['www-authenticate']).toMatch(/^Basic realm="mustafid"/);
    expect(basic.body.error).toBe('invalid_client');
    // "unsupported_grant_type: The authorization grant type is not supported by the authorization server."
    const password = await requestToken({ grant_type: 'password', username: 'admin', password: DEMO_PASSWORD });
    expect(password.status).toBe(400);
    expect(await password.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'Mustafid issues tokens only for grant_type=client_credentials (RFC 6749 section 4.4), not password' });
    // "invalid_request: The request is missing a required parameter … repeats a parameter … or is otherwise malformed."
    const missing = await requestToken({ client_id: c.clientId, client_secret: c.clientSecret });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('invalid_request');
    const twice = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${c.clientId}&client_id=${c.clientId}&client_secret=x`,
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ error: 'invalid_request', error_description: 'The parameter client_id was sent more than once; send it once' });
    const text = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
    expect(text.status).toBe(400);
    expect((await text.json()).error).toBe('invalid_request');
    const malformed = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'invalid_request', error_description: 'The request body is not valid JSON' });
    const huge = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error).toBe('invalid_request');
    // Failures are audited under the client id that was tried.
    const audit = await asAdmin().get(`/api/audit/events?action=auth.client-token-refused&actor=client:${c.clientId}`).expect(200);
    expect(audit.body.items.length).toBeGreaterThanOrEqual(2);
  });

  it('throttles repeated bad secrets for a client id and address, as sign-ins are (429 with Retry-After)', async () => {
    const c = await createClient('guessed', ['worker']);
    // LOGIN_MAX_FAILURES (5) failures per client id and address within LOGIN_LOCK_SECONDS, then a pause.
    for (let i = 0; i < 5; i++) {
      expect((await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: `guess-${i}` })).status).toBe(401);
    }
    const paused = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
    expect(paused.status).toBe(429);
    expect(Number(paused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await paused.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/^Too many failed attempts for this client id from this address: try again in \d+ minute\(s\)$/) });
    // Another client from the same address is not paused.
    const other = await createClient('not-guessed', ['worker']);
    await tokenFor(other);
  });

  it("Camunda's TypeScript client with CAMUNDA_AUTH_STRATEGY=OAUTH deploys, starts an instance and completes its job", async () => {
    const c = await createClient('orders-app', ['process-owner', 'worker']);
    const camunda = camundaFor(c);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-authentication/: the caller is the client,
    // which has no username (Camunda's CamundaUserResult allows null there; a client's authentication carries a client id instead).
    expect(await camunda.getAuthentication()).toMatchObject({ username: null, displayName: 'Machine client orders-app', roles: ['process-owner', 'worker'], canLogout: false });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/
    const deployed = await camunda.createDeployment({ resources: [file('work.bpmn', WORK)] });
    expect(deployed.deployments[0].processDefinition).toMatchObject({ processDefinitionId: 'oauth-work', processDefinitionVersion: 1 });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('oauth-work'), variables: { orderId: 'O-1' } });
    expect(processInstanceKey).toMatch(KEY);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/ and complete-job/
    const [job] = (await camunda.activateJobs({ type: 'oauth-charge', worker: 'orders-app', maxJobsToActivate: 1, timeout: 60_000, requestTimeout: 10_000 })).jobs;
    expect(job.processInstanceKey).toBe(processInstanceKey);
    await camunda.completeJob({ jobKey: job.jobKey, variables: { charged: true } });
    expect(await camunda.getProcessInstance({ processInstanceKey }, { consistency: { waitUpToMs: 0 } })).toMatchObject({ state: 'COMPLETED' });
    // The deployment is audited under the client's name.
    const audit = await asAdmin().get('/api/audit/events?action=process.deployed&actor=client:orders-app').expect(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it('a worker-role client activates and completes jobs, and deploying is 403 as a problem detail', async () => {
    const worker = await createClient('job-worker', ['worker']);
    const camunda = camundaFor(worker);
    const owner = await server.login('process-owner');
    await server.http().post('/v2/deployments').auth(owner, { type: 'bearer' }).attach('resources', Buffer.from(WORK), 'work.bpmn').expect(200);
    const started = await server.http().post('/v2/process-instances').auth('process-owner', DEMO_PASSWORD).send({ processDefinitionId: 'oauth-work' }).expect(200);
    const processInstanceKey: string = started.body.processInstanceKey;
    // Camunda's own job worker, authenticated by the client's token.
    const done = new Promise<string>((resolve) => {
      camunda.createJobWorker({
        jobType: 'oauth-charge',
        maxParallelJobs: 1,
        jobTimeoutMs: 30_000,
        pollTimeoutMs: 5_000,
        workerName: 'job-worker',
        jobHandler: async (job) => {
          const receipt = await job.complete({ charged: 'by worker' });
          if (job.processInstanceKey === processInstanceKey) resolve(job.processInstanceKey);
          return receipt;
        },
      });
    });
    expect(await done).toBe(processInstanceKey);
    // The completion ran the instance to its end in the same command.
    const finished = await server.http().get(`/v2/process-instances/${processInstanceKey}`).auth('admin', DEMO_PASSWORD).expect(200);
    expect(finished.body.state).toBe('COMPLETED');
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/: 403 "Forbidden. The request is not allowed."
    const token = await tokenFor(worker);
    const refused = await server.http().post('/v2/deployments').auth(token, { type: 'bearer' }).attach('resources', Buffer.from(WORK), 'work.bpmn').expect(403);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.body).toEqual({
      type: 'about:blank',
      title: 'FORBIDDEN',
      status: 403,
      detail: 'This needs one of these roles: Process owner (process-owner), Administrator (admin)',
      instance: '/v2/deployments',
    });
    await expect(camunda.createDeployment({ resources: [file('work.bpmn', WORK)] })).rejects.toMatchObject({ status: 403 });
  });

  it('a revoked client is refused at once: its token at the next request, its secret at the token endpoint', async () => {
    const c = await createClient('to-revoke', ['worker']);
    const token = await tokenFor(c);
    await server.http().get('/v2/topology').auth(token, { type: 'bearer' }).expect(200);
    await asAdmin().delete(`/api/clients/${c.id}`).expect(204);
    const refused = await server.http().get('/v2/topology').auth(token, { type: 'bearer' }).expect(401);
    expect(refused.body).toEqual({ type: 'about:blank', title: 'UNAUTHORIZED', status: 401, detail: 'The machine client to-revoke was revoked: its tokens no longer work', instance: '/v2/topology' });
    const api = await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(401);
    expect(api.body).toMatchObject({ code: 'CLIENT_REVOKED' });
    const again = await requestToken({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
    expect(again.status).toBe(401);
    expect((await again.json()).error).toBe('invalid_client');
    // Revoking twice changes nothing; the record stays, listed with includeRevoked; the name is free again.
    await asAdmin().delete(`/api/clients/${c.id}`).expect(204);
    expect((await asAdmin().get('/api/clients').expect(200)).body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    const all = await asAdmin().get('/api/clients?includeRevoked=true').expect(200);
    expect(all.body.items.find((i: { id: string }) => i.id === c.id)).toMatchObject({ revokedAt: expect.any(String), revokedBy: 'admin' });
    const successor = await createClient('to-revoke', ['worker']);
    expect(successor.clientId).not.toBe(c.clientId);
    const audit = await asAdmin().get('/api/audit/events?action=client.revoked').expect(200);
    expect(audit.body.items).toHaveLength(1);
  });

  it("@camunda8/sdk's REST client (getCamundaRestClient) with OAuth completes a call", async () => {
    const c = await createClient('sdk-client', ['worker']);
    const c8 = new Camunda8({
      ZEEBE_REST_ADDRESS: server.url,
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_OAUTH_URL: `${server.url}/oauth/token`,
      ZEEBE_CLIENT_ID: c.clientId,
      ZEEBE_CLIENT_SECRET: c.clientSecret,
      CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
      CAMUNDA_LOG_LEVEL: 'none',
    });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-topology/
    const topology = await c8.getCamundaRestClient().getTopology();
    expect(topology).toMatchObject({ clusterSize: 1, partitionsCount: 1, gatewayVersion: '8.8.0' });
  });

  // Last: it moves the test clock an hour forward, past every token issued above.
  it('an expired token is 401 with a message that says so, and a new token works', async () => {
    const c = await createClient('short-lived', ['worker']);
    const token = await tokenFor(c);
    await server.http().get('/v2/topology').auth(token, { type: 'bearer' }).expect(200);
    await asAdmin().post('/api/test/clock').send({ advance: 'PT1H' }).expect(200);
    const expired = await server.http().get('/v2/topology').auth(token, { type: 'bearer' }).expect(401);
    expect(expired.body).toMatchObject({ title: 'UNAUTHORIZED', status: 401, detail: expect.stringMatching(/^This access token expired at \d{4}-.+Z: get a new one from POST \/oauth\/token/) });
    const api = await server.http().get('/api/me').auth(token, { type: 'bearer' }).expect(401);
    expect(api.body).toMatchObject({ code: 'TOKEN_EXPIRED' });
    await server.http().get('/v2/topology').auth(await tokenFor(c), { type: 'bearer' }).expect(200);
    // The same token with its expiry moved by hand no longer matches its signature.
    const [head, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 86_400 })).toString('base64url')}.${signature}`;
    expect((await server.http().get('/api/me').auth(forged, { type: 'bearer' }).expect(401)).body.code).toBe('TOKEN_INVALID');
  });

  it('keeps at most 100 active clients: the next is 409 until one is revoked', async () => {
    const active: number = (await asAdmin().get('/api/clients?limit=1').expect(200)).body.total;
    // Created five at a time: the count and the insert are one step, so simultaneous creations cannot pass the limit together.
    const names = Array.from({ length: 100 - active + 3 }, (_, i) => `filler-${i}`);
    const statuses: number[] = [];
    for (let i = 0; i < names.length; i += 5) {
      const batch = await Promise.all(names.slice(i, i + 5).map((name) => asAdmin().post('/api/clients').send({ name, roles: ['worker'] })));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(100 - active);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    const full = await asAdmin().post('/api/clients').send({ name: 'one-too-many', roles: ['worker'] }).expect(409);
    expect(full.body).toMatchObject({ code: 'TOO_MANY_CLIENTS', message: expect.stringContaining('revoke one that is no longer used first') });
    const [first] = (await asAdmin().get('/api/clients?limit=1').expect(200)).body.items;
    await asAdmin().delete(`/api/clients/${first.id}`).expect(204);
    await createClient('one-too-many', ['worker']);
  });
});
