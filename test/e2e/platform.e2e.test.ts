import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertEveryRouteDeclaresAccess, listRoutes } from '@mustafid/platform';
import { startTestServer, type TestServer } from '../support/app';

describe('API surface: health, docs, access declarations, headers, limits, errors', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { BODY_LIMIT: '64kb' } });
  });
  afterAll(() => server?.close());

  it('GET /api/health reports the database up, without signing in', async () => {
    const res = await server.http().get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves a valid OpenAPI document listing every route, with bearer and cookie auth', async () => {
    const res = await server.http().get('/api/docs-json').expect(200);
    const validation = await new Validator().validate(res.body);
    expect(validation.errors).toBeUndefined();
    expect(validation.valid).toBe(true);
    expect(res.body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      cookie: { type: 'apiKey', in: 'cookie', name: 'mustafid_session' },
      // Machine clients: RFC 6749 client credentials at /oauth/token.
      oauth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } } },
    });
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, unknown>>(res.body.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    // Camunda's API (libs/camunda-api) is served under /v2, and the OAuth token endpoint at /oauth/token, outside the /api prefix.
    const routes = listRoutes(server.app).map((r) => `${r.method} ${r.path.startsWith('/v2/') || r.path === '/oauth/token' ? '' : '/api'}${r.path}`);
    expect(routes).toContain('POST /oauth/token');
    expect(routes).toContain('POST /v2/jobs/activation');
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const route of routes) expect(documented).toContain(route);
    expect(res.body.paths['/api/users'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
  });

  it('serves Swagger UI at /api/docs', async () => {
    const res = await server.http().get('/api/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('every route of the server declares who may call it', () => {
    const routes = listRoutes(server.app);
    expect(routes.filter((r) => !r.access)).toEqual([]);
    expect(routes.find((r) => r.path === '/auth/login')?.access).toEqual({ kind: 'public' });
    expect(routes.find((r) => r.path === '/users' && r.method === 'POST')?.access).toEqual({ kind: 'roles', roles: ['admin'] });
  });

  it('an application with an undeclared route is refused at start', async () => {
    @Controller('forgotten')
    class ForgottenController {
      @Get()
      open() {
        return 'anyone?';
      }
    }
    @Module({ imports: [DiscoveryModule], controllers: [ForgottenController] })
    class ForgottenModule {}
    const app = await NestFactory.create(ForgottenModule, { logger: false });
    try {
      await app.init();
      expect(() => assertEveryRouteDeclaresAccess(app)).toThrow(/GET \/forgotten \(ForgottenController\.open\)/);
    } finally {
      await app.close();
    }
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await server.http().get('/api/health').expect(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('echoes a sane X-Request-Id and makes one up otherwise; errors carry it', async () => {
    const given = await server.http().get('/api/nowhere').set('X-Request-Id', 'trace-42').expect(404);
    expect(given.headers['x-request-id']).toBe('trace-42');
    expect(given.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot GET /api/nowhere', requestId: 'trace-42' });
    const made = await server.http().get('/api/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a body over BODY_LIMIT with 413 and a malformed one with 400, in the JSON error shape', async () => {
    const big = await server
      .http()
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(70_000), password: 'y' }))
      .expect(413);
    expect(big.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    const broken = await server.http().post('/api/auth/login').set('Content-Type', 'application/json').send('{"username": ').expect(400);
    expect(broken.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    await server.http().get('/api/health').expect(200);
  });
});
