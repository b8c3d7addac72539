import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  getMetadataStorage,
  registerDecorator,
} from 'class-validator';

import { CRASH_POINTS, type CrashPoint } from '../crash-point';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SEED_DEMO_MODES = ['auto', 'true', 'false'] as const;
export const ENGINES = ['embedded', 'zeebe'] as const;
export const ZEEBE_AUTH_MODES = ['none', 'basic', 'oauth'] as const;

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A URL of one of the given schemes with a host, e.g. the database's or the mail server's. */
function IsUrlOf(protocols: string[], example: string) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isUrlOf',
      target: target.constructor,
      propertyName,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return protocols.includes(url.protocol) && url.hostname !== '';
          } catch {
            return false;
          }
        },
        defaultMessage: () => `${propertyName} must be ${example}`,
      },
    });
}

/**
 * Every environment variable Mustafid reads. One class, validated once at boot;
 * the README's configuration table lists exactly these (a test checks it).
 * Each property's comment is its documentation.
 */
export class EnvironmentVariables {
  /** HTTP port of the server (0 picks a free port). */
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number between 0 and 65535' })
  @Min(0, { message: 'PORT must be a whole number between 0 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 0 and 65535' })
  PORT = 3000;

  /**
   * Port of the Zeebe gateway (gRPC) on the embedded engine, for Camunda's gRPC clients and job
   * workers (0 picks a free port), on the same address as HTTP. Unset: not served.
   */
  @Transform(emptyToUndefined)
  @Transform(toInt)
  @IsOptional()
  @IsInt({ message: 'ZEEBE_GATEWAY_PORT must be a whole number between 0 and 65535' })
  @Min(0, { message: 'ZEEBE_GATEWAY_PORT must be a whole number between 0 and 65535' })
  @Max(65535, { message: 'ZEEBE_GATEWAY_PORT must be a whole number between 0 and 65535' })
  ZEEBE_GATEWAY_PORT?: number;

  /** Address the server listens on; 0.0.0.0 to accept other machines. */
  @IsString()
  @MinLength(1)
  HOST = '127.0.0.1';

  /**
   * Which reverse proxies to believe about the client's address (X-Forwarded-For), for sign-in
   * limits and the audit log: false (none, the default), true (any: only when nothing reaches the
   * server except through the proxy), a number of proxy hops, or addresses and subnets separated
   * by commas (loopback, uniquelocal, 10.0.0.0/8, …), as Express's `trust proxy` takes them.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^(true|false|\d{1,2}|(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?))*)$/, {
    message: 'TRUST_PROXY must be true, false, a number of proxy hops, or addresses/subnets separated by commas (e.g. loopback, 10.0.0.0/8)',
  })
  TRUST_PROXY = 'false';

  /** PostgreSQL connection URL. Unset: the embedded database in DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrlOf(['postgres:', 'postgresql:'], 'a PostgreSQL URL such as postgres://user:password@host:5432/database')
  DATABASE_URL?: string;

  /** Folder of the embedded database (used only when DATABASE_URL is unset). */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Largest number of pooled database connections per process. */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number between 1 and 100' })
  @Min(1, { message: 'DATABASE_POOL_SIZE must be a whole number between 1 and 100' })
  @Max(100, { message: 'DATABASE_POOL_SIZE must be a whole number between 1 and 100' })
  DATABASE_POOL_SIZE = 10;

  /** Secret that signs session tokens (at least 32 characters). Unset: one is generated and kept in the database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  /** How long a login lasts, in hours. */
  @Transform(toInt)
  @IsInt({ message: 'SESSION_HOURS must be a whole number between 1 and 720' })
  @Min(1, { message: 'SESSION_HOURS must be a whole number between 1 and 720' })
  @Max(720, { message: 'SESSION_HOURS must be a whole number between 1 and 720' })
  SESSION_HOURS = 8;

  /** Mark the session cookie Secure (set to true when served over HTTPS). */
  @Transform(toBool)
  @IsBoolean({ message: 'COOKIE_SECURE must be true or false' })
  COOKIE_SECURE = false;

  /**
   * Inquiries the website's form (no account) takes in an hour from one address, and sends
   * acknowledgments to one mobile number or e-mail address: a bound on messages sent to strangers.
   */
  @Transform(toInt)
  @IsInt({ message: 'PUBLIC_INQUIRIES_PER_HOUR must be a whole number between 1 and 100000' })
  @Min(1, { message: 'PUBLIC_INQUIRIES_PER_HOUR must be a whole number between 1 and 100000' })
  @Max(100000, { message: 'PUBLIC_INQUIRIES_PER_HOUR must be a whole number between 1 and 100000' })
  PUBLIC_INQUIRIES_PER_HOUR = 10;

  /** Failed logins allowed per username and address before a pause. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_MAX_FAILURES must be a whole number between 1 and 1000' })
  @Min(1, { message: 'LOGIN_MAX_FAILURES must be a whole number between 1 and 1000' })
  @Max(1000, { message: 'LOGIN_MAX_FAILURES must be a whole number between 1 and 1000' })
  LOGIN_MAX_FAILURES = 5;

  /** Length of that pause, and the window failures are counted in, in seconds. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_LOCK_SECONDS must be a whole number between 1 and 86400' })
  @Min(1, { message: 'LOGIN_LOCK_SECONDS must be a whole number between 1 and 86400' })
  @Max(86400, { message: 'LOGIN_LOCK_SECONDS must be a whole number between 1 and 86400' })
  LOGIN_LOCK_SECONDS = 900;

  /**
   * How long an access token from POST /oauth/token (a machine client's) lasts, in minutes.
   * Revoking a client ends its tokens at once whatever this is; it bounds how long a token copied
   * out of a log or a proxy stays useful while the client is not revoked.
   */
  @Transform(toInt)
  @IsInt({ message: 'OAUTH_TOKEN_MINUTES must be a whole number between 1 and 60' })
  @Min(1, { message: 'OAUTH_TOKEN_MINUTES must be a whole number between 1 and 60' })
  @Max(60, { message: 'OAUTH_TOKEN_MINUTES must be a whole number between 1 and 60' })
  OAUTH_TOKEN_MINUTES = 10;

  /** Seed one demo user per role: auto (only with the embedded database, never with NODE_ENV=production), true (refused in production), false. */
  @IsIn(SEED_DEMO_MODES, { message: 'SEED_DEMO must be one of auto, true, false' })
  SEED_DEMO: (typeof SEED_DEMO_MODES)[number] = 'auto';

  /** Password of the demo users. */
  @IsString()
  @MinLength(8, { message: 'DEMO_PASSWORD must be at least 8 characters long' })
  @MaxLength(200, { message: 'DEMO_PASSWORD must be at most 200 characters long' })
  DEMO_PASSWORD = 'mustafid-demo';

  /** If set and no admin exists yet, an `admin` user is created with this password at start. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(10, { message: 'INITIAL_ADMIN_PASSWORD must be at least 10 characters long' })
  @MaxLength(200, { message: 'INITIAL_ADMIN_PASSWORD must be at most 200 characters long' })
  INITIAL_ADMIN_PASSWORD?: string;

  /** Largest accepted request body (bytes, or a size such as 1mb). */
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsBodyLimit()
  BODY_LIMIT = '1mb';

  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Largest BPMN file accepted by a deployment (bytes, or a size such as 5mb). */
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsBodyLimit()
  DEPLOYMENT_MAX_BYTES = '5mb';

  /** Folder for the documents applicants provide. Unset: DATA_DIR/documents. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DOCUMENTS_DIR?: string;

  /** Largest document file accepted (PDF, JPEG or PNG; bytes, or a size such as 5mb). */
  @ValidateIf((_, v) => v !== undefined)
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsBodyLimit()
  DOCUMENT_MAX_BYTES = '5mb';

  /** SMTP server for notifications, e.g. smtp://user:pass@mail.example.org:587. Unset: notifications stay in the outbox. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrlOf(['smtp:', 'smtps:'], 'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587')
  SMTP_URL?: string;

  /**
   * SMPP 3.4 account at an SMS aggregator for notices to applicants by SMS, e.g.
   * smpp://system_id:password@smpp.example.sa:2775?source=Mustafid (smpps:// for TLS); the
   * parameters are in docs/operations.md. Unset: SMS notices stay in the outbox.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrlOf(['smpp:', 'smpps:'], 'an smpp:// or smpps:// URL, e.g. smpp://system_id:password@smpp.example.sa:2775?source=Mustafid')
  SMS_URL?: string;

  /** Sender address of notification e-mails. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Mustafid <no-reply@localhost>';

  /** Address applicants reach the web UI at; links in notices (the survey link) start with it. */
  @IsUrlOf(['http:', 'https:'], 'an http:// or https:// URL, e.g. https://mustafid.example.org')
  PUBLIC_URL = 'http://localhost:3000';

  /** Days a closed case's personal data is kept before `retention:apply` anonymises it (see docs/operations.md for why 1825). */
  @Transform(toInt)
  @IsInt({ message: 'RETENTION_PERSONAL_DATA_DAYS must be a whole number of days between 0 and 36500' })
  @Min(0, { message: 'RETENTION_PERSONAL_DATA_DAYS must be a whole number of days between 0 and 36500' })
  @Max(36500, { message: 'RETENTION_PERSONAL_DATA_DAYS must be a whole number of days between 0 and 36500' })
  RETENTION_PERSONAL_DATA_DAYS = 1825;

  /** Days audit rows are kept before `retention:apply` prunes them behind a checkpoint (see docs/operations.md for why 3650). */
  @Transform(toInt)
  @IsInt({ message: 'RETENTION_AUDIT_DAYS must be a whole number of days between 1 and 36500' })
  @Min(1, { message: 'RETENTION_AUDIT_DAYS must be a whole number of days between 1 and 36500' })
  @Max(36500, { message: 'RETENTION_AUDIT_DAYS must be a whole number of days between 1 and 36500' })
  RETENTION_AUDIT_DAYS = 3650;

  /**
   * Backpressure: the clients' commands (instance creation and cancellation, job and user-task
   * commands, messages, signals, variables, incident resolution) the embedded engine takes at
   * once; past it a command is refused with 503 RESOURCE_EXHAUSTED (gRPC: RESOURCE_EXHAUSTED), as
   * Zeebe's backpressure answers, and Camunda's clients retry it. Timers and in-process workers
   * are never refused.
   */
  @Transform(toInt)
  @IsInt({ message: 'ENGINE_MAX_PENDING_COMMANDS must be a whole number between 1 and 1000000' })
  @Min(1, { message: 'ENGINE_MAX_PENDING_COMMANDS must be a whole number between 1 and 1000000' })
  @Max(1_000_000, { message: 'ENGINE_MAX_PENDING_COMMANDS must be a whole number between 1 and 1000000' })
  ENGINE_MAX_PENDING_COMMANDS = 1000;

  /**
   * Group commit (issue 15): the lanes the embedded engine runs steps in on PostgreSQL, each a
   * connection that runs the commands queued while its last transaction ran as one transaction.
   * An instance always goes to the same lane. The embedded database (PGlite) has one lane.
   */
  @Transform(toInt)
  @IsInt({ message: 'ENGINE_LANES must be a whole number between 1 and 16' })
  @Min(1, { message: 'ENGINE_LANES must be a whole number between 1 and 16' })
  @Max(16, { message: 'ENGINE_LANES must be a whole number between 1 and 16' })
  ENGINE_LANES = 2;

  /**
   * Live engine objects the embedded engine keeps between steps (an LRU by instance; each holds
   * ~0.5–1 MB of heap); 0 turns the cache off, so every step recovers its instance from the
   * stored state.
   */
  @Transform(toInt)
  @IsInt({ message: 'ENGINE_CACHE_SIZE must be a whole number between 0 and 100000' })
  @Min(0, { message: 'ENGINE_CACHE_SIZE must be a whole number between 0 and 100000' })
  @Max(100_000, { message: 'ENGINE_CACHE_SIZE must be a whole number between 0 and 100000' })
  ENGINE_CACHE_SIZE = 64;

  /**
   * The shortest interval a timer cycle (R/PT…) may repeat at; a diagram with a shorter one is
   * refused at deploy (an unbounded cycle every second starts 86,400 instances a day).
   */
  @Matches(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/i, { message: 'ENGINE_MIN_TIMER_CYCLE must be an ISO-8601 duration such as PT1M or PT30S' })
  ENGINE_MIN_TIMER_CYCLE = 'PT1M';

  /**
   * Which execution core starts new instances of the embedded engine: `mustafid` (our own, on
   * Zeebe's model; docs/decisions/0020) or `bpmn-engine` (the earlier one, kept while instances it
   * started still run). Instances always finish on the core that started them.
   */
  @IsIn(['mustafid', 'bpmn-engine'], { message: 'ENGINE_CORE must be mustafid or bpmn-engine' })
  ENGINE_CORE: 'mustafid' | 'bpmn-engine' = 'mustafid';

  /**
   * Where the intake job workers run with the embedded engine: `server` (in this process, the
   * default) or `external` (none here: `npm run start:worker` processes, pointed at this server's
   * Zeebe gateway and /v2 with a machine client, work the jobs, as they would on a Camunda cluster).
   * With ENGINE=zeebe the workers always run outside the server.
   */
  @IsIn(['server', 'external'], { message: 'INTAKE_WORKERS must be server or external' })
  INTAKE_WORKERS: 'server' | 'external' = 'server';

  /** Test clock: POST /api/test/clock moves the engine's time forward. Refused with NODE_ENV=production. */
  @Transform(toBool)
  @IsBoolean({ message: 'ENABLE_TEST_CLOCK must be true or false' })
  ENABLE_TEST_CLOCK = false;

  /** Tests only: the named point where the process kills itself (SIGKILL) to test recovery. Refused with NODE_ENV=production. */
  @IsOptional()
  @IsIn(CRASH_POINTS, { message: `TEST_CRASH_POINT must be one of ${CRASH_POINTS.join(', ')}` })
  TEST_CRASH_POINT?: CrashPoint;

  /** Deployment environment; `production` seeds no demo account, shows no demo code and forbids the test clock. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** Port of the worker process's health endpoint (apps/worker). */
  @Transform(toInt)
  @IsInt({ message: 'WORKER_PORT must be a whole number between 0 and 65535' })
  @Min(0, { message: 'WORKER_PORT must be a whole number between 0 and 65535' })
  @Max(65535, { message: 'WORKER_PORT must be a whole number between 0 and 65535' })
  WORKER_PORT = 3001;

  /** Which engine runs the processes: `embedded` (in this process) or `zeebe` (a Camunda 8 cluster; workers run in apps/worker). */
  @IsIn(ENGINES, { message: `ENGINE must be one of ${ENGINES.join(', ')}` })
  ENGINE: (typeof ENGINES)[number] = 'embedded';

  /** Zeebe gateway's gRPC address, host:port (needed with ENGINE=zeebe). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ENGINE === 'zeebe' || o.ZEEBE_ADDRESS !== undefined)
  @IsHostPort({ message: 'ZEEBE_ADDRESS must be host:port of the Zeebe gateway, e.g. zeebe:26500 (needed with ENGINE=zeebe)' })
  ZEEBE_ADDRESS?: string;

  /** Camunda 8 REST address for user tasks and incident look-ups, e.g. http://zeebe:8080 (needed with ENGINE=zeebe). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ENGINE === 'zeebe' || o.ZEEBE_REST_ADDRESS !== undefined)
  @IsUrlOf(['http:', 'https:'], 'the Camunda REST address such as http://zeebe:8080 (needed with ENGINE=zeebe)')
  ZEEBE_REST_ADDRESS?: string;

  /**
   * How Mustafid signs in to Zeebe: `none` (a cluster whose API is unprotected), `basic` (a user of the orchestration
   * cluster's own basic authentication, as docker/docker-compose.yml runs it) or `oauth` (client credentials).
   */
  @IsIn(ZEEBE_AUTH_MODES, { message: `ZEEBE_AUTH must be one of ${ZEEBE_AUTH_MODES.join(', ')}` })
  ZEEBE_AUTH: (typeof ZEEBE_AUTH_MODES)[number] = 'none';

  /** The orchestration cluster user Mustafid signs in as (ZEEBE_AUTH=basic). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ZEEBE_AUTH === 'basic')
  @IsString({ message: 'ZEEBE_USERNAME is needed with ZEEBE_AUTH=basic' })
  @MinLength(1, { message: 'ZEEBE_USERNAME is needed with ZEEBE_AUTH=basic' })
  ZEEBE_USERNAME?: string;

  /** That user's password (ZEEBE_AUTH=basic). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ZEEBE_AUTH === 'basic')
  @IsString({ message: 'ZEEBE_PASSWORD is needed with ZEEBE_AUTH=basic' })
  @MinLength(1, { message: 'ZEEBE_PASSWORD is needed with ZEEBE_AUTH=basic' })
  ZEEBE_PASSWORD?: string;

  /** OAuth token endpoint (ZEEBE_AUTH=oauth). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ZEEBE_AUTH === 'oauth' || o.ZEEBE_OAUTH_URL !== undefined)
  @IsUrlOf(['http:', 'https:'], 'the OAuth token URL, e.g. https://login.example.org/oauth/token (needed with ZEEBE_AUTH=oauth)')
  ZEEBE_OAUTH_URL?: string;

  /** OAuth client id (ZEEBE_AUTH=oauth). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ZEEBE_AUTH === 'oauth')
  @IsString({ message: 'ZEEBE_CLIENT_ID is needed with ZEEBE_AUTH=oauth' })
  @MinLength(1, { message: 'ZEEBE_CLIENT_ID is needed with ZEEBE_AUTH=oauth' })
  ZEEBE_CLIENT_ID?: string;

  /** OAuth client secret (ZEEBE_AUTH=oauth). */
  @Transform(emptyToUndefined)
  @ValidateIf((o: EnvironmentVariables) => o.ZEEBE_AUTH === 'oauth')
  @IsString({ message: 'ZEEBE_CLIENT_SECRET is needed with ZEEBE_AUTH=oauth' })
  @MinLength(1, { message: 'ZEEBE_CLIENT_SECRET is needed with ZEEBE_AUTH=oauth' })
  ZEEBE_CLIENT_SECRET?: string;

  /** OAuth audience of the Zeebe API (ZEEBE_AUTH=oauth). */
  @IsString()
  ZEEBE_TOKEN_AUDIENCE = 'zeebe-api';

  /** TLS to the gateway; `true` for any cluster reached over a network you do not own. */
  @Transform(toBool)
  @IsBoolean({ message: 'ZEEBE_TLS must be true or false' })
  ZEEBE_TLS = false;
}

/** host:port, as Zeebe clients write a gateway address. */
function IsHostPort(options: { message: string }) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isHostPort',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[A-Za-z0-9.-]+:\d{1,5}$/.test(value) && Number(value.split(':')[1]) <= 65535,
        defaultMessage: () => options.message,
      },
    });
}

function IsBodyLimit() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBodyLimit',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d+(b|kb|mb)?$/.test(value),
        defaultMessage: () => `${propertyName} must be a size such as 100kb or 1mb`,
      },
    });
}

/** The names of all variables, in declaration order. */
export function environmentVariableNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}
