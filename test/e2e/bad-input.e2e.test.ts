import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { applicationFor } from '../support/intake';
import { type Running, SERVER_MAIN, runBuilt } from '../support/processes';

/**
 * Issue 18.9: the nine kinds of bad input that answered 500 (and logged a stack trace), each
 * now a 4xx in the API's error shape with a message a person can act on. Against the built
 * server, whose log is read at the end: none of them may log an error.
 */
describe('bad input answers 4xx, not 500 (issue 18.9, found by the fuzz)', () => {
  let db: TestDatabase;
  let server: Running;
  let url: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    server = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', SEED_DEMO: 'true', LOG_LEVEL: 'warn' });
    await server.waitFor(/listening on (http:\/\/\S+)/, 120_000);
    url = /listening on (http:\/\/\S+)/.exec(server.output())![1];
    for (const username of ['admin', 'reception', 'process-owner']) {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'mustafid-demo' }) });
      tokens[username] = ((await res.json()) as { accessToken: string }).accessToken;
    }
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** Sends a request; `body` as a string goes as it is (for JSON that JSON.stringify cannot write). */
  const call = async (method: string, path: string, options: { as?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = {};
    if (options.as) headers.authorization = `Bearer ${tokens[options.as]}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body) });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: JSON.parse(text) as any };
  };

  it('1. JSON nested 2,000 levels deep on an anonymous route: 400 BODY_TOO_DEEP', async () => {
    for (const deep of ['['.repeat(2_000) + ']'.repeat(2_000), '{"username":'.repeat(2_000) + '"x"' + '}'.repeat(2_000)]) {
      const res = await call('POST', '/api/auth/login', { body: deep });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BODY_TOO_DEEP' });
      expect(res.body.message).toMatch(/^The request body nests objects or lists more than 64 levels deep \(at .+\); send a flatter body$/);
    }
  });

  it('2. a NUL byte in a username: 400 INVALID_CHARACTER naming the field', async () => {
    const res = await call('POST', '/api/auth/login', { body: { username: 'ad\u0000min', password: 'mustafid-demo' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_CHARACTER',
      message: 'The field "username" contains the NUL character (U+0000), which cannot be stored; send valid Unicode text without it',
    });
  });

  it('3. {"constructor":{"prototype":{}}} as a value: 400 FORBIDDEN_FIELD_NAME', async () => {
    const res = await call('POST', '/api/deployments', { as: 'process-owner', body: { resourceName: 'a.bpmn', xml: '<x/>', file: { constructor: { prototype: {} } } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'FORBIDDEN_FIELD_NAME', message: 'The field name "constructor" is not allowed (at file.constructor): it is reserved' });
  });

  it('4. a lone surrogate in an e-mail: 400 INVALID_CHARACTER naming the field', async () => {
    const res = await call('POST', '/api/applications', { as: 'reception', body: applicationFor({ email: 'fatimah\ud800@example.org' }) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_CHARACTER',
      message: 'The field "email" contains half of a surrogate pair (U+D800) that is not a character, which cannot be stored; send valid Unicode text without it',
    });
  });

  it('5. an array inside documents: 400 VALIDATION_FAILED saying what a document is', async () => {
    const application = applicationFor();
    const res = await call('POST', '/api/applications', { as: 'reception', body: { ...application, documents: [application.documents] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.message).toContain('each of documents must be an object such as {"type": "national-id", "number": "1012345678"}');
  });

  it('6. keys above 2^63 − 1: 404 NOT_FOUND, as for any key that cannot exist', async () => {
    for (const [path, what] of [
      ['/api/tasks/9223372036854775808', 'Task'],
      ['/api/process-instances/9223372036854775808', 'Process instance'],
      ['/api/process-definitions/18446744073709551616/xml', 'Process definition'],
    ]) {
      const res = await call('GET', path, { as: 'admin' });
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: `${what} ${path.split('/')[3]} was not found` });
    }
    const filter = await call('GET', '/api/incidents?processInstanceKey=9223372036854775808', { as: 'admin' });
    expect(filter.status).toBe(400);
    expect(filter.body).toMatchObject({ code: 'VALIDATION_FAILED', message: 'processInstanceKey must be a key: a whole number from 0 to 9223372036854775807' });
  });

  it('7. displayName: null: 400 VALIDATION_FAILED (null is not a name)', async () => {
    const created = await call('POST', '/api/users', { as: 'admin', body: { username: 'nulled', displayName: 'Nulled', password: 'nulled-password-1', roles: ['reception'] } });
    expect(created.status).toBe(201);
    const res = await call('PATCH', `/api/users/${created.body.id}`, { as: 'admin', body: { displayName: null } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.details.fields.displayName).toContain('displayName must be a string');
  });

  it('8. retries: 2147483648: 400 VALIDATION_FAILED naming the largest', async () => {
    const res = await call('POST', '/api/jobs/1/retries', { as: 'admin', body: { retries: 2_147_483_648 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'retries must be a whole number no larger than 2,147,483,647' });
  });

  it('9. a malformed task cursor: 400 VALIDATION_FAILED on the cursor', async () => {
    for (const after of [['abc', '1'], ['2026-01-01T00:00:00.000Z', '9223372036854775808'], [{}, '1']]) {
      const cursor = Buffer.from(JSON.stringify(after)).toString('base64url');
      const res = await call('GET', `/api/tasks?sort=due&cursor=${cursor}`, { as: 'admin' });
      expect(res.status, JSON.stringify(after)).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'cursor must be the nextCursor of a previous page (with the same sort)' });
    }
  });

  it('10. %00 in a process id: 400 INVALID_CHARACTER, in the address and in the body', async () => {
    const inPath = await call('GET', '/api/modeling/processes/beneficiary%00intake/drafts', { as: 'process-owner' });
    expect(inPath.status).toBe(400);
    expect(inPath.body).toMatchObject({ statusCode: 400, code: 'INVALID_CHARACTER', message: 'The address contains the NUL character (%00), which no id or name can hold' });
    const inBody = await call('POST', '/api/process-instances', { as: 'admin', body: { bpmnProcessId: 'beneficiary\u0000intake' } });
    expect(inBody.status).toBe(400);
    expect(inBody.body).toMatchObject({ statusCode: 400, code: 'INVALID_CHARACTER' });
    expect(inBody.body.message).toContain('"bpmnProcessId" contains the NUL character');
  });

  it('an address over 16 KB: 431 in the API error shape (Node answered with an empty body)', async () => {
    const res = await call('GET', `/api/cases?q=${'م'.repeat(5_000)}`, { as: 'reception' });
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ statusCode: 431, code: 'HEADERS_TOO_LARGE' });
    expect(res.body.message).toContain('larger than this server accepts');
  });

  it('logged no error and no stack trace for any of them', () => {
    const errors = server
      .output()
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line) || /Unhandled error/.test(line) || /^\s+at \S/.test(line));
    expect(errors).toEqual([]);
  });
});
