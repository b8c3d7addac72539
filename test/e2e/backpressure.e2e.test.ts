import { type CamundaClient, ProcessDefinitionId, createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { Camunda8 } from '@camunda8/sdk';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedWorkflowEngine, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { chain, serviceTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';
import { ZEEBE_PROTO } from '../support/fake-zeebe';

const HOLD = chain('bp-hold', [serviceTask('s1', 'bp-hold-work')]);

/**
 * Backpressure, as Zeebe's (issue 16 point 3): with ENGINE_MAX_PENDING_COMMANDS clients' commands
 * in hand, one more is refused at once: `/v2` answers 503 with the title RESOURCE_EXHAUSTED, the
 * gateway RESOURCE_EXHAUSTED; nothing of it is written, and Camunda's clients send it again.
 * https://docs.camunda.io/docs/self-managed/operational-guides/backpressure/ ("If the broker
 * rejects a request due to backpressure, the client receives RESOURCE_EXHAUSTED"); the 8.8 REST
 * API's 503 (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/).
 *
 * The command in hand is made to wait deterministically (withCommandInHand).
 */
describe('backpressure on the clients\' commands (ENGINE_MAX_PENDING_COMMANDS=1)', () => {
  let server: TestServer;
  let engine: EmbeddedWorkflowEngine;
  let port: WorkflowEngine;
  let raw: grpc.Client & Record<string, (request: object, metadata: grpc.Metadata, callback: (e: grpc.ServiceError | null, response: unknown) => void) => void>;
  const sdks: Camunda8[] = [];

  const basic = () => {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Basic ${Buffer.from(`admin:${DEMO_PASSWORD}`).toString('base64')}`);
    return metadata;
  };
  const grpcCall = (method: string, request: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) => raw[method](request, basic(), (e, response) => (e ? reject(e) : resolve(response as Record<string, unknown>))));
  const v2 = (path: string) => server.http().post(path).auth('admin', DEMO_PASSWORD);
  const restClient = (retries: number): CamundaClient =>
    createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: 'admin',
        CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: retries,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  const instancesOf = async () => Number((await server.app.get(DataSource).query(`SELECT count(*)::int AS n FROM wf_process_instance WHERE bpmn_process_id = 'bp-hold'`))[0].n);
  const refused = async () => (await engine['metrics'].commandsRefused.get()).values[0]?.value ?? 0;

  /**
   * Runs `during` while a client's command (setting a variable on a waiting instance) is in the
   * engine's hands and cannot finish; then lets it finish and returns its HTTP status. The command
   * is held at its first read of the database, before any transaction: the engine's database
   * handle is wrapped for that one query (a row lock would also hold the embedded database's one
   * connection, and with it every request's sign-in).
   */
  async function withCommandInHand(during: () => Promise<void>): Promise<number> {
    const { processInstanceKey } = await port.createInstance({ bpmnProcessId: 'bp-hold', variables: {} });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handle = engine as unknown as { db: DataSource };
    const db = handle.db;
    handle.db = new Proxy(db, {
      get(target, name, receiver) {
        if (name !== 'query') return Reflect.get(target, name, receiver);
        return async (sql: string, params?: unknown[]) => {
          if (params?.[0] === processInstanceKey) await released;
          return target.query(sql, params);
        };
      },
    });
    const inHand = server.http().put(`/v2/element-instances/${processInstanceKey}/variables`).auth('admin', DEMO_PASSWORD).send({ variables: { held: true } }).then((r) => r.status);
    try {
      await eventually(async () => engine.admission.pending === 1, 'the command to be in the engine\'s hands');
      await during();
    } finally {
      release();
      handle.db = db;
    }
    return inHand;
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { ENGINE_MAX_PENDING_COMMANDS: '1', ZEEBE_GATEWAY_PORT: '0' } });
    engine = server.app.get(EmbeddedWorkflowEngine);
    port = server.app.get<WorkflowEngine>(WORKFLOW_ENGINE);
    await port.deployResources({ resources: [{ resourceName: 'hold.bpmn', xml: HOLD }] });
    const Gateway = (grpc.loadPackageDefinition(protoLoader.loadSync(ZEEBE_PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true })) as never as {
      gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
    }).gateway_protocol.Gateway;
    raw = new Gateway(`127.0.0.1:${server.app.get(ZeebeGateway).port!}`, grpc.credentials.createInsecure()) as typeof raw;
  });
  afterAll(async () => {
    raw?.close();
    for (const sdk of sdks) await sdk.getZeebeGrpcApiClient().close().catch(() => undefined);
    await server?.close();
  });

  it('refuses one command more than it has in hand: 503 RESOURCE_EXHAUSTED over /v2 and RESOURCE_EXHAUSTED over gRPC, writing nothing', async () => {
    const before = await instancesOf();
    let rest: { status: number; body: Record<string, unknown> } | undefined;
    let rpc: grpc.ServiceError | undefined;
    const status = await withCommandInHand(async () => {
      rest = await v2('/v2/process-instances').send({ processDefinitionId: 'bp-hold', variables: { n: 1 } });
      rpc = await grpcCall('CreateProcessInstance', { bpmnProcessId: 'bp-hold', version: -1, variables: '{}' }).then(
        () => undefined,
        (e: grpc.ServiceError) => e,
      );
    });
    expect(status).toBe(204);
    expect(rest).toMatchObject({ status: 503, body: { title: 'RESOURCE_EXHAUSTED', status: 503, detail: expect.stringContaining('The engine is busy') } });
    expect(rpc).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, details: expect.stringContaining('ENGINE_MAX_PENDING_COMMANDS') });
    // Only the instance the held command worked on was created; the refused ones wrote nothing.
    expect(await instancesOf()).toBe(before + 1);
  });

  it('Camunda\'s REST client and gRPC SDK treat it as backpressure and send the command again until it is taken', async () => {
    const before = await instancesOf();
    const refusedBefore = await refused();
    const sdk = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${server.app.get(ZeebeGateway).port!}`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'admin',
      CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
      CAMUNDA_LOG_LEVEL: 'none',
      // The SDK's default: retry (RESOURCE_EXHAUSTED among the retried codes).
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    });
    sdks.push(sdk);
    let viaRest: Promise<{ processInstanceKey: string }> | undefined;
    let viaGrpc: Promise<{ processInstanceKey: string }> | undefined;
    await withCommandInHand(async () => {
      viaRest = restClient(20).createProcessInstance({ processDefinitionId: ProcessDefinitionId.assumeExists('bp-hold'), variables: { via: 'rest' } }) as never;
      viaGrpc = sdk.getZeebeGrpcApiClient().createProcessInstance({ bpmnProcessId: 'bp-hold', variables: { via: 'grpc' } }) as never;
      // Both were refused at least once while the command was in hand.
      await eventually(async () => (await refused()) >= refusedBefore + 2, 'both clients to meet the backpressure');
    });
    const [a, b] = await Promise.all([viaRest!, viaGrpc!]);
    expect(a.processInstanceKey).toMatch(/^\d+$/);
    expect(b.processInstanceKey).toMatch(/^\d+$/);
    expect(await instancesOf()).toBe(before + 3);
  });

  it('never refuses Mustafid\'s own work: commands the server sends itself are not counted', async () => {
    const before = await instancesOf();
    let own: Promise<unknown> | undefined;
    await withCommandInHand(async () => {
      // Outside a client's call (as the intake, the staff screens, timers and in-process workers call the engine): taken though
      // the client's command is still in hand (a client's would be refused at once); on the embedded database it waits for the connection.
      own = port.createInstance({ bpmnProcessId: 'bp-hold', variables: { own: true } });
    });
    await expect(own).resolves.toMatchObject({ processInstanceKey: expect.stringMatching(/^\d+$/) });
    expect(await instancesOf()).toBe(before + 2);
  });
});
