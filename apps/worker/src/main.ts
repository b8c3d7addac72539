import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { openDatabase } from '@mustafid/database';
import { ConfigError, assertEveryRouteDeclaresAccess, configureHttpApp, loadConfig } from '@mustafid/platform';
import { WorkerModule } from './worker.module';

/** Starts the worker: database (migrated), health at GET /api/health on WORKER_PORT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.database);
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.forRoot(config, database), {
    bufferLogs: true,
    bodyParser: false,
  });
  configureHttpApp(app, config);
  await app.init();
  assertEveryRouteDeclaresAccess(app);
  await app.listen(config.worker.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.worker.port;
  console.log(`Mustafid worker is running; health on http://${config.http.host}:${port}/api/health`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    app
      .close()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || (e instanceof Error && 'code' in e && e.code === 'DATA_DIR_LOCKED')) {
    console.error(`mustafid-worker: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
