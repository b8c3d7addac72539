import 'reflect-metadata';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DatabaseModule, openDatabase } from '@mustafid/database';
import { ConfigModule, loadConfig } from '@mustafid/platform';
import { WORKFLOW_ENGINE, type WorkflowEngine, WorkflowModule, ZeebeConnection, ZeebeWorkflowEngine, durationMs } from '@mustafid/workflow';
import type { EngineUnderTest } from '../engine-contract/harness';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** `npm run test:zeebe` sets this; the engine-contract harness then starts the Zeebe adapter against ZEEBE_ADDRESS. */
export const LIVE_ZEEBE = process.env.MUSTAFID_CONTRACT_ENGINE === 'zeebe';

/**
 * The Zeebe adapter against a live broker (docker compose), over a fresh database for its
 * mirror. Time moves through the broker's clock actuator (`ZEEBE_CLOCK_CONTROLLED=true`,
 * POST /actuator/clock/add on its management port).
 */
export async function startLiveZeebeEngine(shared?: TestDatabase, env: Record<string, string> = {}): Promise<EngineUnderTest> {
  const address = process.env.ZEEBE_ADDRESS;
  if (!address) throw new Error('The live Zeebe suite needs ZEEBE_ADDRESS (host:26500) and ZEEBE_REST_ADDRESS (http://host:8080)');
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({
    ...database.env,
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    ENGINE: 'zeebe',
    ZEEBE_ADDRESS: address,
    ZEEBE_REST_ADDRESS: process.env.ZEEBE_REST_ADDRESS ?? `http://${address.split(':')[0]}:8080`,
    // docker/docker-compose.yml runs the cluster with basic authentication: ZEEBE_AUTH=basic, ZEEBE_USERNAME, ZEEBE_PASSWORD.
    ...Object.fromEntries(['ZEEBE_AUTH', 'ZEEBE_USERNAME', 'ZEEBE_PASSWORD'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : []))),
    ...env,
  });
  const endpoint = await openDatabase(config.database);
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(endpoint), WorkflowModule] })
  class LiveModule {}
  let context: INestApplicationContext;
  try {
    context = await NestFactory.createApplicationContext(LiveModule, { logger: false, abortOnError: false });
    await context.get(ZeebeConnection).waitForGateway({ tries: 3 });
  } catch (e) {
    await endpoint.close();
    if (!shared) await database.drop();
    throw e;
  }
  const engine = context.get<WorkflowEngine>(WORKFLOW_ENGINE);
  const zeebe = context.get(ZeebeWorkflowEngine);
  zeebe.followUserTasks(200);
  const clockUrl = process.env.ZEEBE_CLOCK_URL ?? `http://${address.split(':')[0]}:9600/actuator/clock/add`;
  return {
    engine,
    async advanceClock(duration) {
      const response = await fetch(clockUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ offsetMilli: durationMs(duration, 'advance') }),
      });
      if (!response.ok) throw new Error(`Moving Zeebe's clock failed (${response.status} from ${clockUrl}); start the broker with ZEEBE_CLOCK_CONTROLLED=true`);
      await zeebe.syncUserTasks();
    },
    async close() {
      try {
        await context.close();
      } finally {
        await endpoint.close();
        if (!shared) await database.drop();
      }
    },
  };
}
