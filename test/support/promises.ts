import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@mustafid/platform';
import supertest from 'supertest';
import { type RunningServer, startServer } from '../../apps/server/src/server';
import { DEMO_PASSWORD, type TestServer } from './app';
import type { TestDatabase } from './database';

/**
 * The real server in-process on a database the caller owns: `close()` stops the server and
 * leaves the database (and the documents folder) for a command run afterwards, as an operator
 * stops the server before `retention:apply` on the embedded database. `env` holds what
 * the built commands need to find the same data.
 */
export async function startServerOn(database: TestDatabase, env: Record<string, string> = {}): Promise<TestServer & { env: Record<string, string> }> {
  const documentsDir = database.kind === 'postgres' ? mkdtempSync(join(tmpdir(), 'mustafid-documents-')) : undefined;
  const dataEnv = { ...database.env, ...(documentsDir ? { DOCUMENTS_DIR: documentsDir } : {}) };
  const config: AppConfig = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'true', DEMO_PASSWORD, ...dataEnv, ...env });
  let server: RunningServer = await startServer(config, { webDir: false });
  const http = () => supertest(server.url);
  return {
    get url() {
      return server.url;
    },
    get app() {
      return server.app;
    },
    env: dataEnv,
    config,
    database: {
      ...database,
      drop: async () => {
        await database.drop();
        if (documentsDir) rmSync(documentsDir, { recursive: true, force: true });
      },
    },
    http,
    async login(username, password = DEMO_PASSWORD) {
      const res = await http().post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async restart() {
      server = await startServer(config, { webDir: false });
    },
    close: () => server.close(),
  };
}

/**
 * Node options that make a built process's wall clock read `days` later (Date and Date.now),
 * so a command such as `retention:apply` runs as it would that many days from now.
 */
export function clockLaterBy(days: number): string[] {
  const shift = days * 86_400_000;
  const code = `const D = Date; const shift = ${shift};
class Later extends D { constructor(...a) { if (a.length === 0) super(D.now() + shift); else super(...a); } static now() { return D.now() + shift; } }
globalThis.Date = Later;`;
  return [`--import=data:text/javascript,${encodeURIComponent(code)}`];
}

/** Polls `probe` until it returns a value `done` accepts, for at most `timeoutMs`; returns that value. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`gave up after ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}

/** The calendar day (YYYY-MM-DD) of an instant in Riyadh, as the case list's date filters count days. */
export const riyadhDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
