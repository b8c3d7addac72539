import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { openDatabase } from '@mustafid/database';
import { IntakeWorkers } from '@mustafid/intake';
import { InquiryWorkers } from '@mustafid/inquiry/workers/inquiry-workers';
import { ConfigError, assertEveryRouteDeclaresAccess, configureHttpApp, loadConfig } from '@mustafid/platform';
import { ZeebeConnection } from '@mustafid/workflow';
import { WorkerModule } from './worker.module';

/**
 * Starts a worker (ENGINE=zeebe): database, health at GET /api/health and /api/health/zeebe on
 * WORKER_PORT, then — once the gateway answers — every intake job worker. SIGTERM stops asking
 * for jobs, lets those in hand finish (or hands them back after a grace period), closes the
 * Zeebe client and the database, and exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.engine.kind !== 'zeebe') {
    throw new ConfigError('ENGINE', 'Invalid configuration: the worker runs job workers against Zeebe; set ENGINE=zeebe, ZEEBE_ADDRESS and ZEEBE_REST_ADDRESS (with ENGINE=embedded the server runs the workers itself)');
  }
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
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing the jobs in hand, then stopping`);
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
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await app.get(ZeebeConnection).waitForGateway();
  if (!stopping) {
    app.get(IntakeWorkers).start();
    app.get(InquiryWorkers).start();
    console.log(`Mustafid worker: job workers started against ${config.zeebe!.address}`);
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError || (e instanceof Error && 'code' in e && e.code === 'DATA_DIR_LOCKED')) {
    console.error(`mustafid-worker: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
