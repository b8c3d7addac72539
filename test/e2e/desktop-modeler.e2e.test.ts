import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';

/**
 * Camunda Desktop Modeler's "Deploy" and "Run" against `npm start`, as the Modeler does them.
 * The Modeler (an Electron app) cannot run here, so this replays its calls with the same client
 * and configuration: camunda/camunda-modeler `app/lib/zeebe-api/zeebe-api.js` and
 * `camunda-client-factory.js` at commit 90c55a6cb0e9 (MIT). For an `http://` cluster URL the
 * Modeler tries REST first (`getCamundaRestClient().getTopology()`), deploys with
 * `deployResources([{ content, name }], tenantId)` and starts with `createProcessInstance`
 * ({ processDefinitionId, variables, startInstructions, runtimeInstructions, tenantId }); for a
 * `grpc://` URL it uses `getZeebeGrpcApiClient()` with retries off: `topology()`,
 * `deployResource({ name, process })`, `createProcessInstance({ bpmnProcessId, variables, ... })`.
 * After a run it reads the instance and its incidents with `searchProcessInstances` and
 * `searchIncidents`. Docs: https://docs.camunda.io/docs/components/modeler/desktop-modeler/deploy-to-self-managed/
 *
 * The diagram is a real one written by others: berndruecker/customer-onboarding-camunda-8-springboot
 * `src/main/resources/customer-onboarding.bpmn` (commit cd15f064aed6, Apache-2.0), as the
 * conformance suite keeps it (test/conformance/SOURCES.md).
 */
const DIAGRAM = readFileSync(join(__dirname, '../conformance/diagrams/customer-onboarding.bpmn'));

describe('Camunda Desktop Modeler deploys and runs against Mustafid', () => {
  let server: TestServer;
  const clients: Camunda8[] = [];

  /** The client the Modeler builds for a self-managed endpoint with Basic authentication (camunda-client-factory.js `_getClientConfig`). */
  const modeler = (settings: Record<string, unknown>) => {
    const c8 = new Camunda8({
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'process-owner',
      CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
      CAMUNDA_LOG_LEVEL: 'none',
      ...settings,
    });
    clients.push(c8);
    return c8;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { ZEEBE_GATEWAY_PORT: '0' } });
  });
  afterAll(async () => {
    for (const c8 of clients) await c8.closeAllClients?.();
    await server?.close();
  });

  it('over REST (an http:// cluster URL): checks the connection, deploys the file, starts an instance with variables, and reads it back', async () => {
    // The Modeler strips a trailing /v2 from the URL the user typed (utils.js removeV2OrSlashes).
    const rest = modeler({ ZEEBE_REST_ADDRESS: server.url }).getCamundaRestClient();
    const topology = await rest.getTopology();
    expect(topology.gatewayVersion).toMatch(/^8\.8\./);

    const deployed = await rest.deployResources([{ content: DIAGRAM.toString(), name: 'customer-onboarding.bpmn' }], undefined);
    expect(deployed.deploymentKey).toMatch(/^\d+$/);
    expect(deployed.deployments).toHaveLength(1);
    const [entry] = deployed.deployments;
    const definition = 'processDefinition' in entry ? entry.processDefinition : undefined;
    // The Modeler maps these fields to its gRPC-shaped answer (bpmnProcessId, version): they must be there.
    expect(definition).toMatchObject({ processDefinitionId: 'customer-onboarding', processDefinitionVersion: 1, resourceName: 'customer-onboarding.bpmn', tenantId: '<default>' });

    const started = await rest.createProcessInstance({
      processDefinitionId: 'customer-onboarding',
      variables: { paymentType: 'prepaid', monthlyPayment: 50 },
      startInstructions: undefined,
      runtimeInstructions: undefined,
      tenantId: undefined,
    } as never);
    expect(started).toMatchObject({ processDefinitionId: 'customer-onboarding', processDefinitionVersion: 1, processInstanceKey: expect.stringMatching(/^\d+$/) });

    const instances = await rest.searchProcessInstances({ filter: { processInstanceKey: started.processInstanceKey } } as never);
    expect(instances.items).toHaveLength(1);
    expect(instances.items[0]).toMatchObject({ processInstanceKey: started.processInstanceKey, state: 'ACTIVE', processDefinitionId: 'customer-onboarding' });
    const incidents = await rest.searchIncidents({ filter: { processInstanceKey: started.processInstanceKey } } as never);
    expect(incidents.items).toEqual([]);
  });

  it('over gRPC (a grpc:// cluster URL, ZEEBE_GATEWAY_PORT): checks the connection, deploys the file and starts an instance', async () => {
    const port = server.app.get(ZeebeGateway).port!;
    const grpc = modeler({ ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${port}`, zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' } }).getZeebeGrpcApiClient();
    const topology = await grpc.topology();
    expect(topology.gatewayVersion).toMatch(/^8\.8\./);

    const deployed = await grpc.deployResource({ name: 'customer-onboarding.bpmn', process: DIAGRAM });
    expect(deployed.deployments).toHaveLength(1);
    expect(deployed.deployments[0].process).toMatchObject({ bpmnProcessId: 'customer-onboarding', resourceName: 'customer-onboarding.bpmn' });

    const started = await grpc.createProcessInstance({ bpmnProcessId: 'customer-onboarding', variables: { paymentType: 'invoice' }, startInstructions: undefined, tenantId: undefined } as never);
    expect(started).toMatchObject({ bpmnProcessId: 'customer-onboarding', processInstanceKey: expect.stringMatching(/^\d+$/) });
    expect(started.version).toBe(deployed.deployments[0].process!.version);
  });

  it('a wrong password is refused as the Modeler reads it (401 Unauthorized), and nothing is deployed', async () => {
    const engine = server.app.get<WorkflowEngine>(WORKFLOW_ENGINE);
    const before = (await engine.listProcessDefinitions()).length;
    const rest = modeler({ ZEEBE_REST_ADDRESS: server.url, CAMUNDA_BASIC_AUTH_PASSWORD: 'not-the-password' }).getCamundaRestClient();
    // zeebe-api.js getErrorReason: a message with "Unauthorized" is the Modeler's UNAUTHORIZED reason.
    await expect(rest.getTopology()).rejects.toThrow(/401|Unauthorized/i);
    const other = DIAGRAM.toString().replaceAll('customer-onboarding', 'customer-onboarding-refused');
    await expect(rest.deployResources([{ content: other, name: 'refused.bpmn' }], undefined)).rejects.toThrow(/401|Unauthorized/i);
    expect((await engine.listProcessDefinitions()).length).toBe(before);
  });
});
