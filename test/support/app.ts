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
  /** Stops the server and starts it again on the same database and configuration. */
  restart(): Promise<void>;
}

export interface TestServerOptions {
  /** Folder of the built web UI to serve. */
  webDir?: string;
  /** Seed the demo accounts (one per role); default true. */
  seedDemo?: boolean;
  /** Further environment variables, as a deployment would set them. */
  env?: Record<string, string>;
}

/**
 * The real server (apps/server) on a free port over a database of its own: a new
 * PostgreSQL database when DATABASE_URL is set, else a fresh embedded PGlite folder.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  // Uploaded documents go beside the embedded database, or to a folder of the test's own.
  const documentsDir = database.kind === 'postgres' ? mkdtempSync(join(tmpdir(), 'mustafid-documents-')) : undefined;
  const config = loadConfig({
    ...(documentsDir ? { DOCUMENTS_DIR: documentsDir } : {}),
    PORT: '0',
    LOG_LEVEL: 'silent',
    SEED_DEMO: options.seedDemo === false ? 'false' : 'true',
    DEMO_PASSWORD,
    ...database.env,
    ...options.env,
  });
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
    async restart() {
      await server.close();
      server = await startServer({ ...config, http: { ...config.http, port: Number(new URL(server.url).port) } }, { webDir: options.webDir ?? false });
    },
    config,
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
