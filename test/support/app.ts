import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@mustafid/platform';
import supertest from 'supertest';
import { type RunningServer, startServer } from '../../apps/server/src/server';
import { createTestDatabase, type TestDatabase } from './database';

export const DEMO_PASSWORD = 'mustafid-demo';

export interface TestServer extends RunningServer {
  config: AppConfig;
  database: TestDatabase;
  /** supertest bound to the running server */
  http(): ReturnType<typeof supertest>;
  /** Signs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /**
   * Stops the server and starts it again on the same database, port and documents folder: with
   * the same configuration, or, given `env`, with that environment in place of the one it was
   * started with (as an operator restarts a new release with other settings).
   */
  restart(env?: Record<string, string>): Promise<void>;
}

export interface TestServerOptions {
  /** Folder of the built web UI to serve. */
  webDir?: string;
  /** Seed the demo accounts (one per role); default true. */
  seedDemo?: boolean;
  /** Further environment variables, as a deployment would set them. */
  env?: Record<string, string>;
  /** PostgreSQL even where DATABASE_URL is unset (a database that other processes share). */
  database?: 'postgres';
}

/**
 * The real server (apps/server) on a free port over a database of its own: a new
 * PostgreSQL database when DATABASE_URL is set, else a fresh embedded PGlite folder.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(options.database);
  // Uploaded documents go beside the embedded database, or to a folder of the test's own.
  const documentsDir = database.kind === 'postgres' ? mkdtempSync(join(tmpdir(), 'mustafid-documents-')) : undefined;
  const configFor = (env: Record<string, string> | undefined, port = '0') =>
    loadConfig({
      ...(documentsDir ? { DOCUMENTS_DIR: documentsDir } : {}),
      PORT: port,
      LOG_LEVEL: 'silent',
      SEED_DEMO: options.seedDemo === false ? 'false' : 'true',
      DEMO_PASSWORD,
      // Test files send many inquiries from 127.0.0.1; the limit's own test sets it low.
      PUBLIC_INQUIRIES_PER_HOUR: '100000',
      ...database.env,
      ...env,
    });
  let config = configFor(options.env);
  let server: RunningServer;
  try {
    server = await startServer(config, { webDir: options.webDir ?? false });
  } catch (e) {
    await database.drop();
    if (documentsDir) rmSync(documentsDir, { recursive: true, force: true });
    throw e;
  }
  const http = () => supertest(server.url);
  return {
    ...server,
    get url() {
      return server.url;
    },
    get app() {
      return server.app;
    },
    async restart(env) {
      await server.close();
      const port = new URL(server.url).port;
      config = env ? configFor(env, port) : { ...config, http: { ...config.http, port: Number(port) } };
      server = await startServer(config, { webDir: options.webDir ?? false });
    },
    get config() {
      return config;
    },
    database,
    http,
    async login(username, password = DEMO_PASSWORD) {
      const res = await http().post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async close() {
      try {
        await server.close();
      } finally {
        await database.drop();
        if (documentsDir) rmSync(documentsDir, { recursive: true, force: true });
      }
    },
  };
}
