import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccountSeeding } from '@mustafid/auth';
import { openDatabase } from '@mustafid/database';
import { EngineAuditFeed } from '@mustafid/audit/feed/engine-audit-feed';
import { IntakeRuntime, bpmnDir } from '@mustafid/intake';
import { InquiryRuntime } from '@mustafid/inquiry';
import { TasksRuntime } from '@mustafid/tasks';
import { EmbeddedWorkflowEngine, ZeebeConnection, ZeebeWorkflowEngine } from '@mustafid/workflow';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { type AppConfig, armCrashPoint, assertEveryRouteDeclaresAccess, configureHttpApp } from '@mustafid/platform';
import { serveApiDocs } from './api-docs';
import { AppModule } from './app.module';

export interface RunningServer {
  app: NestExpressApplication;
  /** http://host:port of the listening server */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Folder of the built web UI; false serves none (API-only tests). Default: DEFAULT_WEB_DIR. */
  webDir?: string | false;
}

/**
 * ENGINE=zeebe: the workers run in apps/worker, not here. The server waits for the gateway
 * (one clear line per failed try, no crash loop), then deploys the intake forms and diagram as
 * they are, starts the intake follow-ups, and follows Zeebe's user tasks into the task list.
 */
function startOnZeebe(app: NestExpressApplication): void {
  const logger = new Logger('Zeebe');
  const zeebe = app.get(ZeebeWorkflowEngine);
  app
    .get(ZeebeConnection)
    .waitForGateway()
    .then(() => {
      const dir = join(bpmnDir(), 'forms');
      const forms = readdirSync(dir).filter((f) => f.endsWith('.form'));
      return zeebe.deployForms(forms.map((f) => ({ resourceName: f, json: readFileSync(join(dir, f), 'utf8') })));
    })
    .then(() => app.get(IntakeRuntime).start())
    .then(() => app.get(InquiryRuntime).start())
    .then(() => zeebe.followUserTasks())
    .catch((e: unknown) => logger.error(`Starting on Zeebe failed: ${e instanceof Error ? e.message : String(e)}`));
}

/** The built web UI beside the built server bundle (dist/apps/web next to dist/apps/server). */
export const DEFAULT_WEB_DIR = join(__dirname, '..', 'web');

/**
 * Opens the database, builds the Nest application, applies migrations, seeds what the
 * configuration asks for (refusing demo accounts in production), and listens: HTTP, and the Zeebe gateway (gRPC) when
 * ZEEBE_GATEWAY_PORT is set. `close()` stops the gateway and HTTP, then TypeORM, then the database.
 */
export async function startServer(config: AppConfig, options: ServerOptions = {}): Promise<RunningServer> {
  armCrashPoint(config.testCrashPoint);
  const database = await openDatabase(config.database);
  let app: NestExpressApplication | undefined;
  try {
    app = await NestFactory.create<NestExpressApplication>(
      AppModule.forRoot({ config, database, webDir: options.webDir === false ? undefined : (options.webDir ?? DEFAULT_WEB_DIR) }),
      { bufferLogs: true, bodyParser: false },
    );
    configureHttpApp(app, config);
    serveApiDocs(app);
    await app.init();
    assertEveryRouteDeclaresAccess(app);
    await app.get(AccountSeeding).atStart();
    if (config.engine.kind === 'embedded') {
      app.get(EmbeddedWorkflowEngine).start();
      await app.get(IntakeRuntime).start();
      await app.get(InquiryRuntime).start();
    }
    app.get(TasksRuntime).start();
    app.get(EngineAuditFeed).start();
    await app.listen(config.http.port, config.http.host);
    // Camunda's gRPC clients (ZEEBE_GATEWAY_PORT; embedded engine only, checked at config).
    await app.get(ZeebeGateway).start();
    if (config.engine.kind === 'zeebe') startOnZeebe(app);
  } catch (e) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw e;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  const running = app;
  let closing: Promise<void> | undefined;
  return {
    app: running,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      (closing ??= (async () => {
        try {
          await running.close();
        } finally {
          await database.close();
        }
      })()),
  };
}
