import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config';
import { environmentVariableNames } from './environment';

function failure(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', bodyLimit: '1mb', trustProxy: false });
    expect(config.database).toEqual({ kind: 'embedded', dataDir: resolve('./data'), poolSize: 10 });
    expect(config.seed).toEqual({ demoUsers: true, demoPassword: 'mustafid-demo', initialAdminPassword: undefined });
    expect(config.auth).toMatchObject({ sessionHours: 8, cookieSecure: false, loginMaxFailures: 5, loginLockSeconds: 900 });
  });

  it('uses PostgreSQL when DATABASE_URL is set, and then seeds nothing unless asked', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url, poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: url }).seed.demoUsers).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, SEED_DEMO: 'true' }).seed.demoUsers).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }).seed.demoUsers).toBe(false);
  });

  it('with NODE_ENV=production seeds no demo account on any database, and refuses to be asked for them', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(loadConfig({ NODE_ENV: 'production' }).seed.demoUsers).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: url }).seed.demoUsers).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadConfig({}).production).toBe(false);
    const refused = failure({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    expect(refused.variable).toBe('SEED_DEMO');
    expect(refused.message).toContain('SEED_DEMO=true is refused when NODE_ENV=production');
    expect(refused.message).toContain('INITIAL_ADMIN_PASSWORD');
    expect(failure({ NODE_ENV: 'production', ENABLE_TEST_CLOCK: 'true' }).variable).toBe('ENABLE_TEST_CLOCK');
  });

  it('TRUST_PROXY: false by default, true, a hop count, or addresses and subnets; anything else refused', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(failure({ TRUST_PROXY: 'yes please' }).message).toContain('TRUST_PROXY must be true, false, a number of proxy hops');
  });

  it('parses numbers and booleans, and treats an empty optional value as unset', () => {
    const config = loadConfig({ PORT: ' 8080 ', COOKIE_SECURE: 'yes', DATABASE_URL: '', BODY_LIMIT: '2MB' });
    expect(config.http.port).toBe(8080);
    expect(config.http.bodyLimit).toBe('2mb');
    expect(config.auth.cookieSecure).toBe(true);
    expect(config.database.kind).toBe('embedded');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'PORT must be a whole number between 0 and 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT', 'PORT must be a whole number'],
    [{ PORT: '3.5' }, 'PORT', 'PORT must be a whole number'],
    [{ DATABASE_URL: 'localhost:5432' }, 'DATABASE_URL', 'DATABASE_URL must be a PostgreSQL URL'],
    [{ DATABASE_URL: 'http://example.org/db' }, 'DATABASE_URL', 'DATABASE_URL must be a PostgreSQL URL'],
    [{ COOKIE_SECURE: 'maybe' }, 'COOKIE_SECURE', 'COOKIE_SECURE must be true or false'],
    [{ SEED_DEMO: 'sometimes' }, 'SEED_DEMO', 'SEED_DEMO must be one of auto, true, false'],
    [{ DEMO_PASSWORD: 'short' }, 'DEMO_PASSWORD', 'DEMO_PASSWORD must be at least 8 characters long'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT', 'BODY_LIMIT must be a size such as 100kb or 1mb'],
    [{ SESSION_HOURS: '0' }, 'SESSION_HOURS', 'SESSION_HOURS must be a whole number between 1 and 720'],
    [{ DATABASE_POOL_SIZE: 'many' }, 'DATABASE_POOL_SIZE', 'DATABASE_POOL_SIZE must be a whole number'],
  ])('refuses %o naming %s', (env, variable, message) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  it('ENGINE=zeebe needs the gateway and REST addresses; OAuth needs its credentials; the test clock stays embedded', () => {
    expect(loadConfig({}).engine.kind).toBe('embedded');
    expect(loadConfig({}).zeebe).toBeUndefined();
    const zeebe = { ENGINE: 'zeebe', ZEEBE_ADDRESS: 'zeebe:26500', ZEEBE_REST_ADDRESS: 'http://zeebe:8080/' };
    expect(loadConfig(zeebe).zeebe).toEqual({ address: 'zeebe:26500', restAddress: 'http://zeebe:8080', tls: false, auth: { kind: 'none' } });
    expect(failure({ ENGINE: 'zeebe' }).message).toContain('ZEEBE_ADDRESS must be host:port of the Zeebe gateway');
    expect(failure({ ...zeebe, ZEEBE_ADDRESS: 'http://zeebe:26500' }).variable).toBe('ZEEBE_ADDRESS');
    expect(failure({ ENGINE: 'zeebe', ZEEBE_ADDRESS: 'zeebe:26500' }).variable).toBe('ZEEBE_REST_ADDRESS');
    expect(failure({ ENGINE: 'cluster' }).message).toContain('ENGINE must be one of embedded, zeebe');
    expect(failure({ ...zeebe, ZEEBE_AUTH: 'oauth', ZEEBE_OAUTH_URL: 'https://login.example.org/oauth/token' }).variable).toBe('ZEEBE_CLIENT_ID');
    const oauth = loadConfig({ ...zeebe, ZEEBE_TLS: 'true', ZEEBE_AUTH: 'oauth', ZEEBE_OAUTH_URL: 'https://login.example.org/oauth/token', ZEEBE_CLIENT_ID: 'mustafid', ZEEBE_CLIENT_SECRET: 's3cret' });
    expect(oauth.zeebe).toMatchObject({ tls: true, auth: { kind: 'oauth', clientId: 'mustafid', clientSecret: 's3cret', audience: 'zeebe-api' } });
    // Basic authentication of the orchestration cluster (docker/docker-compose.yml runs it so).
    expect(loadConfig({ ...zeebe, ZEEBE_AUTH: 'basic', ZEEBE_USERNAME: 'mustafid', ZEEBE_PASSWORD: 'pw' }).zeebe?.auth).toEqual({ kind: 'basic', username: 'mustafid', password: 'pw' });
    expect(failure({ ...zeebe, ZEEBE_AUTH: 'basic', ZEEBE_USERNAME: 'mustafid' }).variable).toBe('ZEEBE_PASSWORD');
    expect(failure({ ...zeebe, ENABLE_TEST_CLOCK: 'true' }).variable).toBe('ENABLE_TEST_CLOCK');
  });

  it('never echoes a secret value in its message', () => {
    const error = failure({ JWT_SECRET: 'tiny-secret' });
    expect(error.variable).toBe('JWT_SECRET');
    expect(error.message).not.toContain('tiny-secret');
    expect(failure({ DATABASE_URL: 'mysql://user:hunter2@db/x' }).message).not.toContain('hunter2');
  });

  it('serves the Zeebe gateway only when ZEEBE_GATEWAY_PORT is set, and only on the embedded engine', () => {
    expect(loadConfig({}).zeebeGateway).toBeUndefined();
    expect(loadConfig({ ZEEBE_GATEWAY_PORT: '' }).zeebeGateway).toBeUndefined();
    expect(loadConfig({ ZEEBE_GATEWAY_PORT: '26500' }).zeebeGateway).toEqual({ port: 26500 });
    expect(loadConfig({ ZEEBE_GATEWAY_PORT: '0' }).zeebeGateway).toEqual({ port: 0 });
    expect(failure({ ZEEBE_GATEWAY_PORT: 'grpc' }).message).toBe('Invalid configuration: ZEEBE_GATEWAY_PORT must be a whole number between 0 and 65535 (got "grpc")');
    const zeebe = { ENGINE: 'zeebe', ZEEBE_ADDRESS: 'zeebe:26500', ZEEBE_REST_ADDRESS: 'http://zeebe:8080' };
    expect(failure({ ...zeebe, ZEEBE_GATEWAY_PORT: '26500' }).variable).toBe('ZEEBE_GATEWAY_PORT');
  });

  it('runs the intake workers in the server unless INTAKE_WORKERS=external', () => {
    expect(loadConfig({}).intake.workers).toBe('server');
    expect(loadConfig({ INTAKE_WORKERS: 'external' }).intake.workers).toBe('external');
    expect(failure({ INTAKE_WORKERS: 'both' }).message).toBe('Invalid configuration: INTAKE_WORKERS must be server or external (got "both")');
  });

  it('SMS_URL: an SMPP account with its sender; defaults for TON/NPI by the sender\'s kind; wrong parts refused in words, the password never echoed', () => {
    expect(loadConfig({}).sms).toBeUndefined();
    expect(loadConfig({ SMS_URL: '' }).sms).toBeUndefined();
    expect(loadConfig({ SMS_URL: 'smpp://mustafid:s%40cret@smpp.example.sa:2776?source=Mustafid' }).sms).toEqual({
      host: 'smpp.example.sa', port: 2776, tls: false, systemId: 'mustafid', password: 's@cret', systemType: '', source: 'Mustafid', sourceTon: 5, sourceNpi: 0, enquireLinkSeconds: 30,
    });
    expect(loadConfig({ SMS_URL: 'smpps://id:pw@smpp.example.sa?source=%2B966112345678&system_type=VMA&enquire_link=60' }).sms).toEqual({
      host: 'smpp.example.sa', port: 3550, tls: true, systemId: 'id', password: 'pw', systemType: 'VMA', source: '966112345678', sourceTon: 1, sourceNpi: 1, enquireLinkSeconds: 60,
    });
    expect(loadConfig({ SMS_URL: 'smpp://id:pw@h?source=Mustafid&source_ton=0&source_npi=9' }).sms).toMatchObject({ port: 2775, sourceTon: 0, sourceNpi: 9 });
    expect(failure({ SMS_URL: 'http://id:hunter2@h?source=M' }).message).toBe('Invalid configuration: SMS_URL must be an smpp:// or smpps:// URL, e.g. smpp://system_id:password@smpp.example.sa:2775?source=Mustafid');
    const refused = (url: string) => {
      const e = failure({ SMS_URL: url });
      expect(e.variable).toBe('SMS_URL');
      expect(e.message).not.toContain('hunter2');
      return e.message;
    };
    expect(refused('smpp://:hunter2@h?source=M')).toBe("Invalid configuration: SMS_URL needs the account's system_id as its user name, e.g. smpp://system_id:password@host:2775?source=Mustafid");
    expect(refused('smpp://id:hunter2@h')).toBe('Invalid configuration: SMS_URL needs ?source= with the sender name registered with the aggregator (or a sender number)');
    expect(refused('smpp://id:hunter2@h?source=MustafidSociety')).toBe('Invalid configuration: SMS_URL source is a sender name: at most 11 characters');
    expect(refused('smpp://id:hunter2@h?source=M&sender=x&ton=1')).toBe('Invalid configuration: SMS_URL has unknown parameters (sender, ton); it takes source, source_ton, source_npi, system_type, enquire_link');
    expect(refused('smpp://id:hunter2@h?source=M&source_ton=300')).toBe('Invalid configuration: SMS_URL source_ton must be a whole number from 0 to 255');
    expect(refused('smpp://id:hunter2@h?source=M&enquire_link=1')).toBe('Invalid configuration: SMS_URL enquire_link must be a number of seconds from 5 to 3600');
  });

  it('the README configuration table lists exactly the variables read here', () => {
    const readme = readFileSync(resolve(__dirname, '../../../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(environmentVariableNames().sort());
  });
});
