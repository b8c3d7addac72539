import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataDirLock } from './data-dir-lock';

/**
 * PGlite (PostgreSQL compiled to WebAssembly) in DATA_DIR, served on 127.0.0.1 through
 * pglite-socket so TypeORM uses its ordinary postgres driver and the same migrations
 * as a real PostgreSQL server.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly lock: DataDirLock,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
    const lock = DataDirLock.acquire(dataDir);
    let db: PGlite | undefined;
    try {
      db = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
      await server.start();
      const [host, port] = server.getServerConn().split(':');
      return new EmbeddedPostgres(lock, db, server, host, Number(port));
    } catch (e) {
      await db?.close().catch(() => undefined);
      lock.release();
      throw e;
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
