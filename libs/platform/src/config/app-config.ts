import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { CrashPoint } from '../crash-point';
import { durationMs } from '../duration';
import { EnvironmentVariables, environmentVariableNames } from './environment';

/** The typed configuration every part of Mustafid reads; built once at boot by `loadConfig`. */
export interface AppConfig {
  /** NODE_ENV=production: no demo accounts, no demo code route, no test clock, no crash point. */
  production: boolean;
  /** Tests only: where the process kills itself to prove recovery (TEST_CRASH_POINT). */
  testCrashPoint?: CrashPoint;
  /** trustProxy: Express's `trust proxy` (false, true, a hop count, or addresses/subnets). */
  http: { port: number; host: string; bodyLimit: string; trustProxy: boolean | number | string };
  /** The Zeebe gateway (gRPC) beside HTTP, on HOST (ZEEBE_GATEWAY_PORT; embedded engine only); undefined when not served. */
  zeebeGateway?: { port: number };
  database:
    | { kind: 'postgres'; url: string; poolSize: number }
    | { kind: 'embedded'; dataDir: string; poolSize: number };
  auth: {
    jwtSecret?: string;
    sessionHours: number;
    cookieSecure: boolean;
    loginMaxFailures: number;
    loginLockSeconds: number;
    /** Inquiries the website's form takes per hour from one address, and acknowledges to one mobile or e-mail. */
    publicInquiriesPerHour: number;
    /** Lifetime of a machine client's access token (POST /oauth/token), in seconds. */
    clientTokenSeconds: number;
  };
  seed: {
    /** Seed the demo accounts (one per role, one known password) on an empty database; never in production. */
    demoUsers: boolean;
    demoPassword: string;
    initialAdminPassword?: string;
  };
  log: { level: EnvironmentVariables['LOG_LEVEL'] };
  worker: { port: number };
  engine: { kind: 'embedded' | 'zeebe'; core: 'mustafid' | 'bpmn-engine'; deploymentMaxBytes: number; testClock: boolean; cacheSize: number; minTimerCycleMs: number; maxPendingCommands: number; lanes: number };
  /** The Camunda 8 cluster (ENGINE=zeebe); undefined in embedded mode. */
  zeebe?: ZeebeConfig;
  intake: { documentsDir: string; documentMaxBytes: number; retentionDays: number; auditRetentionDays: number; workers: 'server' | 'external' };
  mail: { smtpUrl?: string; from: string };
  /** The SMPP account SMS notices go through (SMS_URL); undefined: SMS notices stay in the outbox. */
  sms?: SmsConfig;
  /** Where applicants reach the web UI (links in notices), without a trailing slash. */
  publicUrl: string;
}

export interface SmsConfig {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
  systemType: string;
  /** The sender the applicant sees: a registered sender name (TON 5) or a number. */
  source: string;
  sourceTon: number;
  sourceNpi: number;
  /** Seconds between enquire_link keepalives on an idle session. */
  enquireLinkSeconds: number;
}

export interface ZeebeConfig {
  /** gRPC gateway, host:port */
  address: string;
  /** Camunda REST API base, e.g. http://zeebe:8080 (user tasks, incident keys) */
  restAddress: string;
  tls: boolean;
  auth: { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'oauth'; url: string; clientId: string; clientSecret: string; audience: string };
}

/** A configuration value was wrong; `message` is one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment. Throws a ConfigError for the first bad
 * variable, with a one-line message that names it and the value it got.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = new Set(environmentVariableNames());
  const plain: Record<string, string> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined) plain[name] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, plain);
  const [first] = validateSync(vars, { whitelist: true, forbidUnknownValues: true });
  if (first) {
    const reason = Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`;
    const shown = /SECRET|PASSWORD|DATABASE_URL|SMTP_URL|SMS_URL/.test(first.property)
      ? ''
      : ` (got ${JSON.stringify(plain[first.property])})`;
    throw new ConfigError(first.property, `Invalid configuration: ${reason}${shown}`);
  }
  if (vars.ENGINE === 'zeebe' && vars.ENABLE_TEST_CLOCK) {
    throw new ConfigError('ENABLE_TEST_CLOCK', 'Invalid configuration: ENABLE_TEST_CLOCK=true works only with ENGINE=embedded (Zeebe keeps its own time)');
  }
  if (vars.ENABLE_TEST_CLOCK && vars.NODE_ENV === 'production') {
    throw new ConfigError('ENABLE_TEST_CLOCK', 'Invalid configuration: ENABLE_TEST_CLOCK=true is refused when NODE_ENV=production');
  }
  if (vars.ENGINE === 'zeebe' && vars.ZEEBE_GATEWAY_PORT !== undefined) {
    throw new ConfigError(
      'ZEEBE_GATEWAY_PORT',
      'Invalid configuration: ZEEBE_GATEWAY_PORT serves the embedded engine; with ENGINE=zeebe, point Camunda\'s gRPC clients at the Zeebe gateway itself (ZEEBE_ADDRESS)',
    );
  }
  const production = vars.NODE_ENV === 'production';
  if (production && vars.TEST_CRASH_POINT) {
    throw new ConfigError('TEST_CRASH_POINT', 'Invalid configuration: TEST_CRASH_POINT is for tests and is refused when NODE_ENV=production');
  }
  if (production && vars.SEED_DEMO === 'true') {
    throw new ConfigError(
      'SEED_DEMO',
      'Invalid configuration: SEED_DEMO=true is refused when NODE_ENV=production (demo accounts share a password anyone can read in the README); create the first administrator with INITIAL_ADMIN_PASSWORD instead',
    );
  }
  const poolSize = vars.DATABASE_POOL_SIZE;
  return {
    production,
    testCrashPoint: vars.TEST_CRASH_POINT,
    http: { port: vars.PORT, host: vars.HOST, bodyLimit: vars.BODY_LIMIT, trustProxy: trustProxy(vars.TRUST_PROXY) },
    zeebeGateway: vars.ZEEBE_GATEWAY_PORT === undefined ? undefined : { port: vars.ZEEBE_GATEWAY_PORT },
    database: vars.DATABASE_URL
      ? { kind: 'postgres', url: vars.DATABASE_URL, poolSize }
      : { kind: 'embedded', dataDir: resolve(vars.DATA_DIR), poolSize },
    auth: {
      jwtSecret: vars.JWT_SECRET,
      sessionHours: vars.SESSION_HOURS,
      cookieSecure: vars.COOKIE_SECURE,
      loginMaxFailures: vars.LOGIN_MAX_FAILURES,
      loginLockSeconds: vars.LOGIN_LOCK_SECONDS,
      publicInquiriesPerHour: vars.PUBLIC_INQUIRIES_PER_HOUR,
      clientTokenSeconds: vars.OAUTH_TOKEN_MINUTES * 60,
    },
    seed: {
      // auto: a demo on the embedded database, never in production, whatever the database.
      demoUsers: vars.SEED_DEMO === 'auto' ? !production && !vars.DATABASE_URL : vars.SEED_DEMO === 'true',
      demoPassword: vars.DEMO_PASSWORD,
      initialAdminPassword: vars.INITIAL_ADMIN_PASSWORD,
    },
    log: { level: vars.LOG_LEVEL },
    worker: { port: vars.WORKER_PORT },
    engine: {
      kind: vars.ENGINE,
      core: vars.ENGINE_CORE,
      deploymentMaxBytes: bytes(vars.DEPLOYMENT_MAX_BYTES),
      testClock: vars.ENABLE_TEST_CLOCK,
      cacheSize: vars.ENGINE_CACHE_SIZE,
      maxPendingCommands: vars.ENGINE_MAX_PENDING_COMMANDS,
      lanes: vars.ENGINE_LANES,
      minTimerCycleMs: durationMs(vars.ENGINE_MIN_TIMER_CYCLE, 'ENGINE_MIN_TIMER_CYCLE'),
    },
    zeebe:
      vars.ENGINE === 'zeebe'
        ? {
            address: vars.ZEEBE_ADDRESS!,
            restAddress: vars.ZEEBE_REST_ADDRESS!.replace(/\/+$/, ''),
            tls: vars.ZEEBE_TLS,
            auth:
              vars.ZEEBE_AUTH === 'oauth'
                ? { kind: 'oauth', url: vars.ZEEBE_OAUTH_URL!, clientId: vars.ZEEBE_CLIENT_ID!, clientSecret: vars.ZEEBE_CLIENT_SECRET!, audience: vars.ZEEBE_TOKEN_AUDIENCE }
                : vars.ZEEBE_AUTH === 'basic'
                  ? { kind: 'basic', username: vars.ZEEBE_USERNAME!, password: vars.ZEEBE_PASSWORD! }
                  : { kind: 'none' },
          }
        : undefined,
    intake: {
      documentsDir: resolve(vars.DOCUMENTS_DIR ?? join(vars.DATA_DIR, 'documents')),
      documentMaxBytes: bytes(vars.DOCUMENT_MAX_BYTES),
      retentionDays: vars.RETENTION_PERSONAL_DATA_DAYS,
      auditRetentionDays: vars.RETENTION_AUDIT_DAYS,
      workers: vars.INTAKE_WORKERS,
    },
    mail: { smtpUrl: vars.SMTP_URL, from: vars.MAIL_FROM },
    sms: vars.SMS_URL === undefined ? undefined : smsConfig(vars.SMS_URL),
    publicUrl: vars.PUBLIC_URL.replace(/\/+$/, ''),
  };
}

const SMS_PARAMETERS = ['source', 'source_ton', 'source_npi', 'system_type', 'enquire_link'];

/** SMS_URL's parts (docs/operations.md, "SMS through an aggregator"); a wrong part is a ConfigError naming it, never echoing the URL. */
export function smsConfig(value: string): SmsConfig {
  const fail = (reason: string) => new ConfigError('SMS_URL', `Invalid configuration: SMS_URL ${reason}`);
  const url = new URL(value);
  const query = url.searchParams;
  const unknown = [...query.keys()].filter((k) => !SMS_PARAMETERS.includes(k));
  if (unknown.length) throw fail(`has unknown parameters (${unknown.join(', ')}); it takes ${SMS_PARAMETERS.join(', ')}`);
  const systemId = decodeURIComponent(url.username);
  if (!systemId) throw fail('needs the account\'s system_id as its user name, e.g. smpp://system_id:password@host:2775?source=Mustafid');
  const password = decodeURIComponent(url.password);
  const source = query.get('source') ?? '';
  if (!source) throw fail('needs ?source= with the sender name registered with the aggregator (or a sender number)');
  const alphanumeric = /[^\d+]/.test(source);
  if (alphanumeric && source.length > 11) throw fail('source is a sender name: at most 11 characters');
  if (!alphanumeric && !/^\+?\d{3,20}$/.test(source)) throw fail('source must be a sender name or a number');
  const byte = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,3}$/.test(raw) || Number(raw) > 255) throw fail(`${name} must be a whole number from 0 to 255`);
    return Number(raw);
  };
  const enquire = query.get('enquire_link') ?? '30';
  if (!/^\d{1,4}$/.test(enquire) || Number(enquire) < 5 || Number(enquire) > 3600) throw fail('enquire_link must be a number of seconds from 5 to 3600');
  const systemType = query.get('system_type') ?? '';
  if (systemType.length > 12) throw fail('system_type must be at most 12 characters');
  const tls = url.protocol === 'smpps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 3550 : 2775,
    tls,
    systemId,
    password,
    systemType,
    source: source.replace(/^\+/, ''),
    sourceTon: byte('source_ton', alphanumeric ? 5 : 1),
    sourceNpi: byte('source_npi', alphanumeric ? 0 : 1),
    enquireLinkSeconds: Number(enquire),
  };
}

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Bytes of a size such as 5mb, 100kb or 2048. */
export function bytes(size: string): number {
  const match = /^(\d+)(b|kb|mb)?$/.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  return Number(match[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 } as const)[(match[2] ?? 'b') as 'b'];
}

/** Injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
