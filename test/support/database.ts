import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { inject } from 'vitest';

/** Environment for one isolated database, and how to throw it away. */
export interface TestDatabase {
  env: Record<string, string>;
  kind: 'postgres' | 'embedded';
  drop(): Promise<void>;
}

/** A fresh embedded data folder (a copy of the initialised template). */
export function embeddedTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'mustafid-test-'));
  cpSync(join(inject('pgliteTemplate'), 'pgdata'), join(dir, 'pgdata'), { recursive: true });
  return { kind: 'embedded', env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The PostgreSQL server the tests use (README: 127.0.0.1:5432, trust, database `test`), for the
 * tests that need one whatever DATABASE_URL says: two processes sharing one database.
 */
export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A database of its own for one test file: with DATABASE_URL set, a new database on that
 * PostgreSQL server (dropped afterwards); otherwise a fresh embedded data folder, unless `kind`
 * asks for PostgreSQL.
 */
export async function createTestDatabase(kind?: 'postgres'): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL ?? (kind === 'postgres' ? TEST_POSTGRES_URL : undefined);
  if (!base) return embeddedTestDatabase();
  const name = `mustafid_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
