import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentVariableNames } from '@mustafid/platform';

// No Docker engine runs on these machines, so the files are checked for what can go wrong
// without one: unknown variables, a root user, a missing health check, the wrong Node.
describe('docker/ files', () => {
  const compose = parse(readFileSync('docker/docker-compose.yml', 'utf8'));
  const dockerfile = readFileSync('docker/Dockerfile', 'utf8');

  it('compose runs PostgreSQL and the server, each with a health check, the server after the database is healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'server']);
    expect(compose.services.postgres.image).toMatch(/^postgres:15/);
    for (const service of Object.values<{ healthcheck?: { test: unknown } }>(compose.services)) {
      expect(service.healthcheck?.test).toBeTruthy();
    }
    expect(compose.services.server.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.server.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
  });

  it('compose sets only variables the server reads', () => {
    const known = new Set(environmentVariableNames());
    for (const name of Object.keys(compose.services.server.environment)) expect(known).toContain(name);
    expect(compose.services.server.environment.DATABASE_URL).toMatch(/^postgres:\/\/mustafid:.*@postgres:5432\/mustafid$/);
  });

  it('the image is multi-stage on Node 24 slim, runs as a non-root user, and checks its health', () => {
    const stages = dockerfile.match(/^FROM .*/gm) ?? [];
    expect(stages.length).toBe(2);
    for (const from of stages) expect(from).toMatch(/^FROM node:24-[a-z]+-slim\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toContain('IBM_TELEMETRY_DISABLED=true');
    const known = new Set(environmentVariableNames());
    const envBlock = dockerfile.slice(dockerfile.lastIndexOf('ENV '), dockerfile.indexOf('WORKDIR', dockerfile.lastIndexOf('ENV ')));
    for (const [, name] of envBlock.matchAll(/([A-Z_]+)=/g)) {
      if (name !== 'NODE_ENV' && name !== 'IBM_TELEMETRY_DISABLED') expect(known).toContain(name);
    }
  });
});
