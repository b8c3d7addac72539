import type { AppConfig } from '@mustafid/platform';
import type { DataSourceOptions } from 'typeorm';
import { EmbeddedPostgres } from './embedded-postgres';
import { MIGRATIONS } from './migrations';

/** Where the database is, and how to let it go once TypeORM has closed. */
export interface DatabaseEndpoint {
  kind: 'postgres' | 'embedded';
  connection: { url: string } | { host: string; port: number; username: string; database: string };
  poolSize: number;
  close(): Promise<void>;
}

/**
 * Opens the database the configuration names: PostgreSQL at DATABASE_URL, or the
 * embedded PGlite in DATA_DIR (locked against a second process).
 */
export async function openDatabase(config: AppConfig['database']): Promise<DatabaseEndpoint> {
  if (config.kind === 'postgres') {
    return { kind: 'postgres', connection: { url: config.url }, poolSize: config.poolSize, close: async () => undefined };
  }
  // All socket connections share PGlite's one session, and outside a transaction the socket
  // server interleaves protocol messages of different connections: one connection's Bind
  // can meet another's Parse. So the embedded pool has exactly one connection (PGlite runs
  // one statement at a time anyway); a spare socket slot serves the operations commands.
  const embedded = await EmbeddedPostgres.start(config.dataDir, 2);
  return {
    kind: 'embedded',
    connection: { host: embedded.host, port: embedded.port, username: 'postgres', database: 'postgres' },
    poolSize: 1,
    close: () => embedded.stop(),
  };
}

/** TypeORM options for an endpoint: never synchronize; the one migration set serves both kinds. */
export function dataSourceOptions(endpoint: DatabaseEndpoint, migrationsRun: boolean): DataSourceOptions {
  return {
    type: 'postgres',
    ...endpoint.connection,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsRun,
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: endpoint.poolSize },
  };
}
