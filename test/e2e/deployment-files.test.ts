import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentVariableNames } from '@mustafid/platform';
/* eslint-disable @typescript-eslint/no-explicit-any -- compose is untyped YAML */

// No Docker engine runs on these machines, so the files are checked for what can go wrong
// without one: unknown variables, a root user, a missing health check, the wrong Node.
describe('docker/ files', () => {
  const compose = parse(readFileSync('docker/docker-compose.yml', 'utf8'), { merge: true });
  const dockerfile = readFileSync('docker/Dockerfile', 'utf8');

  // `docker compose config` cannot run here (a docker CLI without the compose plugin, no engine): the file is parsed and checked instead.
  const services = compose.services as Record<string, Record<string, any>>;

  it('compose runs Zeebe with its Elasticsearch, PostgreSQL, the server and two workers, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['elasticsearch', 'operate', 'postgres', 'server', 'worker', 'zeebe']);
    expect(services.postgres.image).toMatch(/^postgres:15/);
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test, `${name} has a health check`).toBeTruthy();
    expect(services.server.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, zeebe: { condition: 'service_healthy' } });
    expect(services.server.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(services.worker.image).toBe(services.server.image);
    expect(services.worker.command).toContain('dist/apps/worker/main.js');
    expect(services.worker.deploy.replicas).toBe(2);
    expect(services.worker.stop_grace_period).toBe('30s');
    expect(services.worker.healthcheck.test.join(' ')).toContain('/api/health/zeebe');
    expect(services.zeebe.depends_on.elasticsearch.condition).toBe('service_healthy');
  });

  it('pins every image to an exact version (Camunda 8.x), and keeps Operate and Tasklist behind a profile', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build || service.image === services.server.image) continue;
      expect(service.image, name).toMatch(/:[0-9][\w.-]*$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
    expect(services.zeebe.image).toMatch(/^camunda\/camunda:8\.\d+\.\d+$/);
    expect(services.operate.image).toBe(services.zeebe.image);
    expect(services.operate.profiles).toEqual(['operate']);
    for (const name of ['postgres', 'elasticsearch', 'zeebe', 'server', 'worker']) expect(services[name].profiles, name).toBeUndefined();
  });

  it('the server and the workers use the Zeebe adapter with only variables Mustafid reads, on one PostgreSQL', () => {
    const known = new Set(environmentVariableNames());
    for (const name of ['server', 'worker']) {
      const env = services[name].environment;
      for (const variable of Object.keys(env)) expect(known, `${name} sets ${variable}`).toContain(variable);
      expect(env).toMatchObject({ ENGINE: 'zeebe', ZEEBE_ADDRESS: 'zeebe:26500', ZEEBE_REST_ADDRESS: 'http://zeebe:8080', ZEEBE_AUTH: 'none' });
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/mustafid:.*@postgres:5432\/mustafid$/);
    }
    expect(services.zeebe.ports).toEqual(expect.arrayContaining([expect.stringContaining(':26500'), expect.stringContaining(':8080')]));
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
