import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentVariableNames } from '@mustafid/platform';
/* eslint-disable @typescript-eslint/no-explicit-any -- compose is untyped YAML */

// No Docker engine runs on these machines, so the files are checked for what can go wrong
// without one: unknown variables, a root user, a missing health check, the wrong Node, and
// how far the Camunda services stray from Camunda's own compose files.
describe('docker/ files', () => {
  const compose = parse(readFileSync('docker/docker-compose.yml', 'utf8'), { merge: true });
  const dockerfile = readFileSync('docker/Dockerfile', 'utf8');

  // `docker compose config` cannot run here (a docker CLI without the compose plugin, no engine): the file is parsed and checked instead.
  const services = compose.services as Record<string, Record<string, any>>;
  /** What compose makes of `${NAME:-default}` with NAME unset; `${NAME:?message}` stands for a value the operator must give. */
  const interpolated = (text: string) => text.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1').replace(/\$\{[A-Z_]+:\?[^}]*\}/g, '<required>');
  const defaulted = (value: unknown) => interpolated(String(value));
  const orchestrationConfig = parse(interpolated(compose.configs['orchestration-config'].content));

  it('compose runs the orchestration cluster with its Elasticsearch, PostgreSQL, the server and two workers, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['elasticsearch', 'orchestration', 'postgres', 'server', 'worker']);
    expect(services.postgres.image).toMatch(/^postgres:15/);
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test, `${name} has a health check`).toBeTruthy();
    expect(services.server.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, orchestration: { condition: 'service_healthy' } });
    expect(services.server.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    expect(services.worker.image).toBe(services.server.image);
    expect(services.worker.command).toContain('dist/apps/worker/main.js');
    expect(services.worker.deploy.replicas).toBe(2);
    expect(services.worker.stop_grace_period).toBe('30s');
    expect(services.worker.healthcheck.test.join(' ')).toContain('/api/health/zeebe');
    expect(services.orchestration.depends_on.elasticsearch.condition).toBe('service_healthy');
  });

  it('pins every image to an exact version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build || service.image === services.server.image) continue;
      expect(defaulted(service.image), name).toMatch(/:[0-9][\w.-]*$/);
      expect(service.image, name).not.toMatch(/:latest$/);
    }
  });

  it('the server and the workers use the Zeebe adapter with only variables Mustafid reads, signed in to the cluster, on one PostgreSQL', () => {
    const known = new Set(environmentVariableNames());
    for (const name of ['server', 'worker']) {
      const env = services[name].environment;
      for (const variable of Object.keys(env)) expect(known, `${name} sets ${variable}`).toContain(variable);
      expect(env).toMatchObject({ ENGINE: 'zeebe', ZEEBE_ADDRESS: 'orchestration:26500', ZEEBE_REST_ADDRESS: 'http://orchestration:8080', ZEEBE_AUTH: 'basic' });
      expect(defaulted(env.ZEEBE_USERNAME)).toBe(orchestrationConfig.camunda.security.initialization.users[0].username);
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/mustafid:.*@postgres:5432\/mustafid$/);
    }
  });

  /**
   * Camunda's own compose files (test/fixtures/camunda-distributions, copied from camunda/camunda-distributions):
   * `docker compose config` cannot run here (no compose plugin, no engine), so both are parsed and compared.
   */
  describe("against Camunda's own compose", () => {
    const fixture = (file: string) => readFileSync(`test/fixtures/camunda-distributions/${file}`, 'utf8');
    const official89 = parse(fixture('camunda-8.9-docker-compose.yaml')).services as Record<string, Record<string, any>>;
    const official88 = parse(fixture('camunda-8.8-docker-compose.yaml')) as { services: Record<string, Record<string, any>>; configs: Record<string, { content: string }> };
    const versions = (file: string) => Object.fromEntries(fixture(file).trim().split('\n').map((line) => line.split('=') as [string, string]));
    const v89 = versions('camunda-8.9.env');
    const v88 = versions('camunda-8.8.env');
    const override = parse(readFileSync('docker/docker-compose.camunda-8.8.yml', 'utf8')) as { services: Record<string, Record<string, any>>; configs: Record<string, { content: string }> };

    it('runs one camunda/camunda node with the web apps, at the newest 8.9 patch (8.8: the newest 8.8 patch, in the override file)', () => {
      const ours = services.orchestration;
      const theirs = official89.orchestration;
      expect(theirs.image).toBe('camunda/camunda:${CAMUNDA_VERSION}');
      expect(defaulted(ours.image)).toBe(`camunda/camunda:${v89.CAMUNDA_VERSION}`);
      expect(defaulted(override.services.orchestration.image)).toBe(`camunda/camunda:${v88.CAMUNDA_VERSION}`);
      expect(defaulted(services.elasticsearch.image)).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${v89.ELASTIC_VERSION}`);
      expect(defaulted(override.services.elasticsearch.image)).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${v88.ELASTIC_VERSION}`);
      // One node of the orchestration image: no separate Operate, Tasklist or web-app node (8.8 and 8.9 alike).
      for (const compose of [services, official89, official88.services]) {
        expect(Object.values(compose).filter((s) => String(s.image).startsWith('camunda/camunda:') && !s.entrypoint)).toHaveLength(1);
      }
      expect(ours.profiles).toBeUndefined();
      expect(ours.environment.SPRING_PROFILES_ACTIVE).toBeUndefined();
      // The same mounts: the broker's data, and the configuration file where Camunda reads it.
      expect(ours.volumes.map((v: string) => v.split(':')[1])).toEqual(expect.arrayContaining([theirs.volumes[0].split(':')[1]]));
      expect(ours.configs).toEqual(theirs.configs);
      expect(ours.ports.map((p: string) => p.split(':').at(-1)).sort()).toEqual(theirs.ports.map((p: string) => p.split(':').at(-1)).sort());
    });

    it('checks health as Camunda does, over /dev/tcp: no image of Camunda ships curl', () => {
      const test = services.orchestration.healthcheck.test.join(' ');
      expect(official89.orchestration.healthcheck.test.join(' ')).toContain('/dev/tcp/127.0.0.1/9600');
      expect(test).toContain('/dev/tcp/127.0.0.1/9600');
      expect(test).toContain('GET /actuator/health/status');
      for (const [name, service] of Object.entries(services)) {
        if (!String(service.image).startsWith('camunda/')) continue;
        expect(service.healthcheck.test.join(' '), name).not.toMatch(/\b(curl|wget)\b/);
      }
    });

    it('turns authentication on: basic, as Camunda configures it, but with the API protected, authorizations on and the first user an admin', () => {
      const official = parse(fixture('camunda-8.9-application-h2.yaml')).camunda.security;
      const ours = orchestrationConfig.camunda.security;
      expect(ours.authentication.method).toBe(official.authentication.method);
      expect(official.authentication.unprotectedApi).toBe(true);
      expect(ours.authentication['unprotected-api']).toBe(false);
      expect(ours.authorizations.enabled).toBe(true);
      const [user] = ours.initialization.users;
      expect(user.password).toBe('<required>');
      expect(ours.initialization['default-roles'].admin.users).toEqual([user.username]);
      const ours88 = parse(interpolated(override.configs['orchestration-config'].content)).camunda.security;
      expect(ours88.authentication).toEqual({ method: 'basic', unprotectedApi: false });
      expect(ours88.initialization['defaultRoles.admin.users']).toEqual([user.username]);
    });

    it('binds every published port to 127.0.0.1 unless BIND_ADDRESS is set', () => {
      for (const [name, service] of Object.entries(services)) {
        for (const port of service.ports ?? []) expect(String(port), name).toMatch(/^(127\.0\.0\.1|\$\{BIND_ADDRESS:-127\.0\.0\.1\}):/);
      }
    });

    it('creates the indices without replicas, as Camunda does for one Elasticsearch node (8.9 key; 8.8 key in the override)', () => {
      const theirs88 = parse(official88.configs['orchestration-config'].content).camunda;
      expect(theirs88['database.index.numberOfReplicas']).toBe(0);
      expect(orchestrationConfig.camunda.data['secondary-storage']).toMatchObject({ type: 'elasticsearch', elasticsearch: { url: 'http://elasticsearch:9200', 'number-of-replicas': 0 } });
      const ours88 = parse(interpolated(override.configs['orchestration-config'].content)).camunda;
      expect(ours88['database.index.numberOfReplicas']).toBe(theirs88['database.index.numberOfReplicas']);
      expect(ours88.data['secondary-storage']).toEqual(theirs88.data['secondary-storage']);
      expect(services.elasticsearch.environment['discovery.type']).toBe('single-node');
    });
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
