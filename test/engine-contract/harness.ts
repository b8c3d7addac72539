import 'reflect-metadata';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DatabaseModule, openDatabase } from '@mustafid/database';
import { ConfigModule, loadConfig } from '@mustafid/platform';
import { DataSource } from 'typeorm';
import { AdjustableClock, CLOCK, EmbeddedWorkflowEngine, type JobWorker, WORKFLOW_ENGINE, type WorkflowEngine, WorkflowModule } from '@mustafid/workflow';
import { afterAll, beforeAll } from 'vitest';
import { eventually as waitUntil, WAIT_MS } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { durationMs } from '../../libs/workflow/src/embedded/duration';
import { LIVE_ZEEBE, startLiveZeebeEngine } from '../zeebe/live-engine';

/**
 * The engine under test, seen only through the port. The contract tests use nothing else,
 * so the Zeebe adapter can run the same suite by providing its own `startEngine`.
 */
export interface EngineUnderTest {
  engine: WorkflowEngine;
  /** Moves the engine's time forward and returns once due timers fired and workers settled. */
  advanceClock(duration: string): Promise<void>;
  close(): Promise<void>;
  /** The embedded engine itself, for the tests of its own machinery (e.g. its engine cache); not part of the contract. */
  embedded?: EmbeddedWorkflowEngine;
  /** Stops the embedded engine's clock so only advanceClock moves it (a test that counts firings of a wall-clock schedule); not part of the contract. */
  pinClock?: () => Date;
  /** SQL on the embedded engine's database (to stand in for what a crash leaves behind); not part of the contract. */
  sql?: (text: string, params?: unknown[]) => Promise<unknown>;
  /** The embedded engine's TypeORM data source (its machinery's own tests); not part of the contract. */
  dataSource?: DataSource;
}

/**
 * The embedded engine over a fresh database (PostgreSQL with DATABASE_URL, else PGlite), or
 * over `shared` (which the caller drops) to run several engines on one database.
 */
export async function startEngine(shared?: TestDatabase, env: Record<string, string> = {}): Promise<EngineUnderTest> {
  // `npm run test:zeebe`: the same contract against the Zeebe adapter and a live broker.
  if (LIVE_ZEEBE) return startLiveZeebeEngine(shared, env);
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent', ENABLE_TEST_CLOCK: 'true', SEED_DEMO: 'false', ...env });
  const endpoint = await openDatabase(config.database);
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(endpoint), WorkflowModule] })
  class ContractModule {}
  let context: INestApplicationContext;
  try {
    context = await NestFactory.createApplicationContext(ContractModule, { logger: false });
  } catch (e) {
    await endpoint.close();
    if (!shared) await database.drop();
    throw e;
  }
  const engine = context.get<WorkflowEngine>(WORKFLOW_ENGINE);
  const embedded = context.get(EmbeddedWorkflowEngine);
  embedded.start();
  const clock = context.get<AdjustableClock>(CLOCK);
  const dataSource = context.get(DataSource);
  return {
    engine,
    embedded,
    sql: (text, params) => dataSource.query(text, params),
    dataSource,
    pinClock: () => clock.pin(),
    async advanceClock(duration) {
      clock.advance(durationMs(duration, 'advance'));
      await embedded.settle();
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

/**
 * Polls until `check` returns a value (not undefined/false), backing off, or fails after
 * `timeoutMs` (the suite's wait budget unless given: test/support/budget.mts).
 */
export function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = WAIT_MS, what = 'condition'): Promise<T> {
  return waitUntil(check, what, { timeoutMs });
}

/**
 * One engine for a test file: started before its tests, closed after them with the workers
 * the tests registered in `workers`.
 */
export function useEngine(): { readonly t: EngineUnderTest; workers: JobWorker[] } {
  const suite = { t: undefined as unknown as EngineUnderTest, workers: [] as JobWorker[] };
  beforeAll(async () => {
    suite.t = await startEngine();
  });
  afterAll(async () => {
    await Promise.all(suite.workers.map((w) => w.close()));
    await suite.t?.close();
  });
  return suite;
}

/** The key of the open user task at `elementId` of an instance. */
export async function openTaskKey(engine: WorkflowEngine, processInstanceKey: string, elementId: string): Promise<string> {
  const task = (await engine.listUserTasks(processInstanceKey, 'CREATED')).find((x) => x.elementId === elementId);
  if (!task) throw new Error(`no open task ${elementId} on ${processInstanceKey}`);
  return task.key;
}

let counter = 0;
/** A live broker keeps what earlier runs deployed: ids carry the run there. */
const run = LIVE_ZEEBE ? `${Date.now().toString(36)}-` : '';
/** A unique process id per test, so tests sharing one database never meet. */
export const processId = (name: string) => `${name}-${run}${++counter}`;

/** A Camunda 8 BPMN document around one process body. */
export function bpmn(id: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs-${id}" targetNamespace="http://mustafid.test"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${id}" name="${id}" isExecutable="true">${body}</bpmn:process>${extra}
</bpmn:definitions>`;
}

/** start → body elements chained by flows → end. `steps` are element XML strings with ids s1, s2, … */
export function chain(id: string, steps: string[], extra = ''): string {
  const ids = ['start', ...steps.map((_, i) => `s${i + 1}`), 'end'];
  const flows = ids.slice(1).map((to, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${to}"/>`);
  return bpmn(id, `<bpmn:startEvent id="start"/>${steps.join('')}<bpmn:endEvent id="end"/>${flows.join('')}`, extra);
}

export const serviceTask = (id: string, type: string, ext = '') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/>${ext}</bpmn:extensionElements></bpmn:serviceTask>`;
export const userTask = (id: string, ext = '') =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:userTask/>${ext}</bpmn:extensionElements></bpmn:userTask>`;
