import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { type CamundaClient, createCamundaClient } from '@camunda8/orchestration-cluster-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZeebeGateway } from '@mustafid/zeebe-gateway';
import { bpmn, chain, serviceTask, userTask } from '../engine-contract/harness';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/app';

/**
 * Camunda 8.8's definitions, decisions, forms and resource deletion on the embedded engine, over
 * /v2 with Camunda's own client (@camunda8/orchestration-cluster-api, strict validation) and over
 * gRPC with @camunda8/sdk's ZeebeGrpcClient. Each case cites the docs.camunda.io page it follows.
 * Two answers go over plain HTTP because the 8.8 client's schema differs from what Camunda's server
 * sends: a form's `schema` is JSON text (camunda/camunda#47673, fixed in the 8.8 spec by #47816),
 * and a successful evaluation has an empty failedDecisionDefinitionId, which the client's schema
 * (an id of at least one character) refuses.
 */

const KEY = /^\d{1,19}$/;

/**
 * The dish decision of Camunda's examples (camunda/camunda-8-js-sdk src/__tests__/8.8/resources/dish-decision.dmn
 * at f8be514b, Apache-2.0; test/fixtures/dmn/sources.json records its checksum).
 */
const DISH = readFileSync(join(__dirname, '../fixtures/dmn/sdk-dish-decision.dmn'), 'utf8');
/** A literal expression that fails to evaluate: "Hello " + name is text, not the number its variable declares. */
const GREETING = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs_greetings" name="Greetings" namespace="http://mustafid.test">
  <decision id="defs_greeting" name="Greeting"><variable id="defs_greeting_v" name="greeting" typeRef="number"/>
    <literalExpression id="defs_greeting_e"><text>"Hello " + name</text></literalExpression></decision>
</definitions>`;

/** A form, and a process whose start event and user task both show it. */
const FORM = { id: 'defs-request-form', type: 'default', components: [{ key: 'reason', label: 'Reason', type: 'textfield' }] };
const FORM_V2 = { ...FORM, versionTag: 'v2', components: [...FORM.components, { key: 'urgent', label: 'Urgent', type: 'checkbox' }] };
const REQUEST = bpmn(
  'defs-request',
  `<bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formId="defs-request-form"/></bpmn:extensionElements></bpmn:startEvent>
   ${userTask('review', '<zeebe:formDefinition formId="defs-request-form"/>')}
   ${userTask('tagged', '<zeebe:formDefinition formId="defs-request-form" bindingType="versionTag" versionTag="v2"/>')}
   ${userTask('plain')}
   <bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f1" sourceRef="review" targetRef="tagged"/>
   <bpmn:sequenceFlow id="f2" sourceRef="tagged" targetRef="plain"/><bpmn:sequenceFlow id="f3" sourceRef="plain" targetRef="end"/>`,
);
/** Two versions of one process (the second tagged), a job no worker takes holding instances. */
const VERSIONED = (n: number) =>
  chain(`defs-versioned`, [serviceTask('s1', `defs-hold-${n}`)]).replace('isExecutable="true">', `isExecutable="true">${n === 2 ? '<bpmn:extensionElements><zeebe:versionTag value="release-2"/></bpmn:extensionElements>' : ''}`);

const file = (name: string, text: string) => new File([text], name, { type: name.endsWith('.form') ? 'application/json' : 'application/xml' });

describe('Camunda 8.8 definitions, decisions, forms and resources', () => {
  let server: TestServer;
  let camunda: CamundaClient;
  let sdk: Camunda8;
  const none = { consistency: { waitUpToMs: 0 } };

  const client = (username: string) =>
    createCamundaClient({
      config: {
        CAMUNDA_REST_ADDRESS: server.url,
        CAMUNDA_AUTH_STRATEGY: 'BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME: username,
        CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
        CAMUNDA_SDK_VALIDATION: 'strict',
        CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
      },
    });
  const http = {
    get: (path: string, user = 'admin') => server.http().get(path).auth(user, DEMO_PASSWORD),
    post: (path: string, user = 'admin') => server.http().post(path).auth(user, DEMO_PASSWORD),
  };
  const grpc = () => sdk.getZeebeGrpcApiClient();

  beforeAll(async () => {
    server = await startTestServer({ env: { ZEEBE_GATEWAY_PORT: '0' } });
    camunda = client('admin');
    sdk = new Camunda8({
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${server.app.get(ZeebeGateway).port!}`,
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'admin',
      CAMUNDA_BASIC_AUTH_PASSWORD: DEMO_PASSWORD,
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    });
  });
  afterAll(async () => {
    await sdk?.getZeebeGrpcApiClient().close().catch(() => undefined);
    await server?.close();
  });

  it('deploys a form with the diagram that links it, and answers it as the start form and as the user task form', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/: forms are deployed resources, answered as `form` entries.
    const deployed = await camunda.createDeployment({ resources: [file('request.bpmn', REQUEST), file('request.form', JSON.stringify(FORM))] });
    const process = deployed.deployments[0].processDefinition!;
    const form = deployed.deployments[1].form!;
    expect(form).toEqual({ formId: 'defs-request-form', version: 1, resourceName: 'request.form', tenantId: '<default>', formKey: expect.stringMatching(KEY) });
    // The form again with a version tag: version 2 (content changed).
    const second = await camunda.createDeployment({ resources: [file('request-v2.form', JSON.stringify(FORM_V2))] });
    expect(second.deployments[0].form).toEqual({ formId: 'defs-request-form', version: 2, resourceName: 'request-v2.form', tenantId: '<default>', formKey: expect.stringMatching(KEY) });
    const formV2Key = second.deployments[0].form!.formKey;

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-start-process-form/: the start event's form (its latest version: bindingType latest).
    const start = await http.get(`/v2/process-definitions/${process.processDefinitionKey}/form`);
    expect(start.status).toBe(200);
    // The schema is the form's JSON as text (key order aside: forms are stored as JSON values).
    expect({ ...start.body, schema: JSON.parse(start.body.schema) }).toEqual({ tenantId: '<default>', formId: 'defs-request-form', schema: FORM_V2, version: 2, formKey: formV2Key });

    // https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#user-task-forms: bindingType latest (the default) and versionTag.
    const { processInstanceKey } = await camunda.createProcessInstance({ processDefinitionKey: process.processDefinitionKey });
    const taskOf = async (elementId: string) => {
      const found = await camunda.searchUserTasks({ filter: { processInstanceKey, elementId: elementId as never } }, none);
      return found.items![0];
    };
    const review = await taskOf('review');
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task/: formKey, the key of the linked form.
    expect((await camunda.getUserTask({ userTaskKey: review.userTaskKey }, none)).formKey).toBe(formV2Key);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task-form/
    const reviewForm = await http.get(`/v2/user-tasks/${review.userTaskKey}/form`);
    expect(reviewForm.body).toEqual(start.body);
    await camunda.completeUserTask({ userTaskKey: review.userTaskKey });
    const tagged = await taskOf('tagged');
    expect((await http.get(`/v2/user-tasks/${tagged.userTaskKey}/form`)).body).toMatchObject({ version: 2, formKey: formV2Key });
    await camunda.completeUserTask({ userTaskKey: tagged.userTaskKey });
    // "The user task was found, but no form is associated with it": 204.
    const plain = await taskOf('plain');
    expect(plain.formKey).toBeUndefined();
    const noForm = await http.get(`/v2/user-tasks/${plain.userTaskKey}/form`);
    expect([noForm.status, noForm.text]).toEqual([204, '']);
    expect((await http.get('/v2/user-tasks/2251799813685249/form')).status).toBe(404);
  });

  it('refuses form resources that are not forms, and the same form twice', async () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/ (400: "The provided data is not valid").
    const deploy = (...files: Array<[string, string]>) => {
      const req = http.post('/v2/deployments');
      for (const [name, content] of files) req.attach('resources', Buffer.from(content), name);
      return req;
    };
    const bad = await deploy(['broken.form', '{"id": "x", '] as [string, string]);
    expect([bad.status, bad.body.detail]).toEqual([400, 'broken.form: a form is a form-js schema (JSON), and this is not valid JSON']);
    const noId = await deploy(['anonymous.form', '{"components": []}']);
    expect([noId.status, noId.body.detail]).toEqual([400, 'anonymous.form: the form has no "id" (the formId a user task links with zeebe:formDefinition)']);
    const twice = await deploy(['a.form', JSON.stringify(FORM)], ['b.form', JSON.stringify(FORM)]);
    expect([twice.status, twice.body.detail]).toEqual([400, 'The form id defs-request-form is in more than one resource: deploy each form once']);
    const other = await deploy(['notes.txt', 'hello']);
    expect([other.status, other.body.detail]).toEqual([400, 'notes.txt is neither a BPMN diagram (.bpmn), a DMN decision (.dmn) nor a form (.form): those are the resources Mustafid deploys']);
  });

  it('searches and reads process definitions: by id, version, version tag, latest; XML; 404 and 400', async () => {
    const v1 = (await camunda.createDeployment({ resources: [file('versioned.bpmn', VERSIONED(1))] })).deployments[0].processDefinition!;
    const v2 = (await camunda.createDeployment({ resources: [file('versioned.bpmn', VERSIONED(2))] })).deployments[0].processDefinition!;
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-definitions/
    const all = await camunda.searchProcessDefinitions({ filter: { processDefinitionId: 'defs-versioned' }, sort: [{ field: 'version', order: 'DESC' }] }, none);
    expect(all.items).toEqual([
      {
        name: 'defs-versioned',
        resourceName: 'versioned.bpmn',
        version: 2,
        versionTag: 'release-2',
        processDefinitionId: 'defs-versioned',
        tenantId: '<default>',
        processDefinitionKey: v2.processDefinitionKey,
        hasStartForm: false,
      },
      { name: 'defs-versioned', resourceName: 'versioned.bpmn', version: 1, processDefinitionId: 'defs-versioned', tenantId: '<default>', processDefinitionKey: v1.processDefinitionKey, hasStartForm: false },
    ]);
    expect(all.page.totalItems).toBe(2n);
    const latest = await camunda.searchProcessDefinitions({ filter: { processDefinitionId: 'defs-versioned', isLatestVersion: true } }, none);
    expect(latest.items!.map((d) => d.version)).toEqual([2]);
    expect((await camunda.searchProcessDefinitions({ filter: { versionTag: 'release-2' } }, none)).items!.map((d) => d.processDefinitionKey)).toEqual([v2.processDefinitionKey]);
    expect((await camunda.searchProcessDefinitions({ filter: { processDefinitionId: 'defs-versioned', version: 1 } }, none)).items!.map((d) => d.processDefinitionKey)).toEqual([v1.processDefinitionKey]);
    expect((await camunda.searchProcessDefinitions({ filter: { tenantId: 'acme' as never } }, none)).page.totalItems).toBe(0n);

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition/
    expect(await camunda.getProcessDefinition({ processDefinitionKey: v1.processDefinitionKey }, none)).toMatchObject({ version: 1, processDefinitionId: 'defs-versioned' });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition-xml/
    const xml = await http.get(`/v2/process-definitions/${v2.processDefinitionKey}/xml`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done(null, text));
    });
    expect([xml.status, xml.headers['content-type'], xml.body]).toEqual([200, 'text/xml; charset=utf-8', VERSIONED(2)]);
    // No start form: 204.
    expect((await http.get(`/v2/process-definitions/${v1.processDefinitionKey}/form`)).status).toBe(204);

    // Bad input: unknown key 404, a key that is not a number 400, filters the spec lacks or Mustafid does not take yet 400.
    const unknown = await http.get('/v2/process-definitions/2251799813685249');
    expect([unknown.status, unknown.body.detail]).toEqual([404, 'Process definition 2251799813685249 was not found']);
    const notKey = await http.get('/v2/process-definitions/abc/xml');
    expect([notKey.status, notKey.body.detail]).toEqual([400, 'processDefinitionKey must be a key: a whole number from -9223372036854775808 to 9223372036854775807 (got "abc")']);
    const color = await http.post('/v2/process-definitions/search').send({ filter: { color: 'red' } });
    expect([color.status, color.body.detail]).toEqual([
      400,
      'filter.color is not a filter of the process definition search (its filters are processDefinitionKey, processDefinitionId, name, version, versionTag, resourceName, isLatestVersion, tenantId, hasStartForm)',
    ]);
    const later = await http.post('/v2/process-definitions/search').send({ filter: { hasStartForm: true } });
    expect([later.status, later.body.detail]).toEqual([400, 'filter.hasStartForm is not supported by Mustafid yet (process definition search filters by processDefinitionKey, processDefinitionId, name, version, versionTag, resourceName, isLatestVersion, tenantId)']);
    const sort = await http.post('/v2/process-definitions/search').send({ sort: [{ field: 'color' }] });
    expect(sort.status).toBe(400);
    // A worker is not a reader of definitions (as GET /api/process-definitions).
    expect((await http.get(`/v2/process-definitions/${v1.processDefinitionKey}`, 'worker')).status).toBe(403);
  });

  it('searches and reads decision definitions and decision requirements of a deployed DMN file', async () => {
    const deployed = await camunda.createDeployment({ resources: [file('dish-decision.dmn', DISH)] });
    const decision = deployed.deployments.find((d) => d.decisionDefinition)!.decisionDefinition!;
    const graph = deployed.deployments.find((d) => d.decisionRequirements)!.decisionRequirements!;
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-definitions/
    const found = await camunda.searchDecisionDefinitions({ filter: { decisionDefinitionId: 'dish-decision' as never } }, none);
    expect(found.items).toEqual([
      {
        decisionDefinitionId: 'dish-decision',
        name: 'Dish Decision',
        version: 1,
        decisionRequirementsId: 'Dish_Decision',
        tenantId: '<default>',
        decisionDefinitionKey: decision.decisionDefinitionKey,
        decisionRequirementsKey: graph.decisionRequirementsKey,
      },
    ]);
    expect((await camunda.searchDecisionDefinitions({ filter: { decisionRequirementsKey: graph.decisionRequirementsKey } }, none)).page.totalItems).toBe(1n);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-definition/
    expect(await camunda.getDecisionDefinition({ decisionDefinitionKey: decision.decisionDefinitionKey! }, none)).toEqual(found.items![0]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-definition-xml/: the DMN file it is part of.
    const xml = await http.get(`/v2/decision-definitions/${decision.decisionDefinitionKey}/xml`).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => done(null, text));
    });
    expect([xml.status, xml.headers['content-type'], xml.body]).toEqual([200, 'text/xml; charset=utf-8', DISH]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-requirements/
    const graphs = await camunda.searchDecisionRequirements({ filter: { decisionRequirementsId: 'Dish_Decision' } }, none);
    expect(graphs.items).toEqual([
      { decisionRequirementsName: 'Dish Decision', version: 1, decisionRequirementsId: 'Dish_Decision', resourceName: 'dish-decision.dmn', tenantId: '<default>', decisionRequirementsKey: graph.decisionRequirementsKey },
    ]);
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-decision-requirements/
    expect(await camunda.getDecisionRequirements({ decisionRequirementsKey: graph.decisionRequirementsKey! }, none)).toEqual(graphs.items![0]);
    expect((await http.get(`/v2/decision-requirements/${graph.decisionRequirementsKey}/xml`)).status).toBe(200);
    // Bad input.
    expect((await http.get('/v2/decision-definitions/2251799813685249')).status).toBe(404);
    expect((await http.get('/v2/decision-requirements/x1')).status).toBe(400);
    const unknownFilter = await http.post('/v2/decision-definitions/search').send({ filter: { decisionDefinitionType: 'DECISION_TABLE' } });
    expect([unknownFilter.status, unknownFilter.body.detail]).toEqual([
      400,
      'filter.decisionDefinitionType is not a filter of the decision definition search (its filters are decisionDefinitionKey, decisionDefinitionId, name, version, decisionRequirementsId, decisionRequirementsKey, tenantId)',
    ]);
  });

  it('evaluates a decision by id and by key over /v2 and gRPC with the same answer; a failure is answered, not refused', async () => {
    const deployed = await camunda.createDeployment({ resources: [file('dish-decision.dmn', DISH), file('greetings.dmn', GREETING)] });
    const dish = deployed.deployments.find((d) => d.decisionDefinition?.decisionDefinitionId === 'dish-decision')!.decisionDefinition!;
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/
    const byId = await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'dish-decision', variables: { season: 'Winter', guestCount: 8 } });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({
      decisionDefinitionId: 'dish-decision',
      decisionDefinitionName: 'Dish Decision',
      decisionDefinitionVersion: dish.version,
      decisionRequirementsId: 'Dish_Decision',
      output: '"Roastbeef"',
      failedDecisionDefinitionId: '',
      failureMessage: '',
      tenantId: '<default>',
      decisionDefinitionKey: dish.decisionDefinitionKey,
      decisionRequirementsKey: dish.decisionRequirementsKey,
      decisionInstanceKey: expect.stringMatching(KEY),
      decisionEvaluationKey: byId.body.decisionInstanceKey,
      evaluatedDecisions: [
        {
          decisionDefinitionId: 'dish-decision',
          decisionDefinitionName: 'Dish Decision',
          decisionDefinitionVersion: dish.version,
          decisionDefinitionType: 'DECISION_TABLE',
          output: '"Roastbeef"',
          tenantId: '<default>',
          matchedRules: [{ ruleId: 'DecisionRule_1gpfgn7', ruleIndex: 2, evaluatedOutputs: [{ outputId: 'Output_1', outputName: 'dish', outputValue: '"Roastbeef"' }] }],
          evaluatedInputs: [
            { inputId: 'Input_1', inputName: 'Season', inputValue: '"Winter"' },
            { inputId: 'InputClause_0tymfo2', inputName: 'Guest Count', inputValue: '8' },
          ],
          decisionDefinitionKey: dish.decisionDefinitionKey,
        },
      ],
    });
    const byKey = await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionKey: dish.decisionDefinitionKey, variables: { season: 'Summer', guestCount: 3 } });
    expect([byKey.body.output, byKey.body.evaluatedDecisions[0].matchedRules[0].ruleId]).toEqual(['"Light Salad and a nice Steak"', 'DecisionRule_09z3x97']);

    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "EvaluateDecision RPC": the same evaluation over gRPC.
    const viaGrpc = await grpc().evaluateDecision({ decisionId: 'dish-decision', variables: { season: 'Winter', guestCount: 8 } });
    expect(viaGrpc).toMatchObject({
      decisionKey: dish.decisionDefinitionKey,
      decisionId: 'dish-decision',
      decisionName: 'Dish Decision',
      decisionVersion: dish.version,
      decisionRequirementsId: 'Dish_Decision',
      decisionRequirementsKey: dish.decisionRequirementsKey,
      decisionOutput: '"Roastbeef"',
      failedDecisionId: '',
      failureMessage: '',
      tenantId: '<default>',
    });
    expect(viaGrpc.evaluatedDecisions).toEqual([
      {
        decisionKey: dish.decisionDefinitionKey,
        decisionId: 'dish-decision',
        decisionName: 'Dish Decision',
        decisionVersion: dish.version,
        decisionType: 'DECISION_TABLE',
        decisionOutput: '"Roastbeef"',
        matchedRules: byId.body.evaluatedDecisions[0].matchedRules,
        evaluatedInputs: byId.body.evaluatedDecisions[0].evaluatedInputs,
        tenantId: '<default>',
      },
    ]);

    // A decision that fails to evaluate: 200 with the failed decision and why (Camunda's client, strict, takes this answer).
    const failed = await camunda.evaluateDecision({ decisionDefinitionId: 'defs_greeting' as never, variables: { name: 'Ada' } });
    const greeting = deployed.deployments.find((d) => d.decisionDefinition?.decisionDefinitionId === 'defs_greeting')!.decisionDefinition!;
    expect(failed).toEqual({
      decisionDefinitionId: 'defs_greeting',
      decisionDefinitionName: 'Greeting',
      decisionDefinitionVersion: 1,
      decisionRequirementsId: 'defs_greetings',
      output: 'null',
      failedDecisionDefinitionId: 'defs_greeting',
      failureMessage: `Expected to evaluate decision 'defs_greeting', but expected 'number' but found '"Hello Ada"'`,
      tenantId: '<default>',
      decisionDefinitionKey: greeting.decisionDefinitionKey,
      decisionRequirementsKey: greeting.decisionRequirementsKey,
      decisionInstanceKey: expect.stringMatching(KEY),
      decisionEvaluationKey: failed.decisionInstanceKey,
      evaluatedDecisions: [],
    });

    // Bad input: neither or both, an unknown id or key (404 over /v2; INVALID_ARGUMENT over gRPC, as the RPC's docs list it).
    const neither = await http.post('/v2/decision-definitions/evaluation').send({ variables: {} });
    expect([neither.status, neither.body.detail]).toEqual([400, 'Give exactly one of decisionDefinitionId (its latest version is evaluated) and decisionDefinitionKey']);
    const both = await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'dish-decision', decisionDefinitionKey: dish.decisionDefinitionKey });
    expect(both.status).toBe(400);
    const missing = await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'no-such-decision' });
    expect([missing.status, missing.body.detail]).toEqual([404, 'No decision with the id no-such-decision is deployed']);
    expect((await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionKey: '2251799813685249' })).status).toBe(404);
    expect((await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionKey: 'abc' })).status).toBe(400);
    expect((await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'dish-decision', variables: [1] })).status).toBe(400);
    expect((await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'dish-decision', color: 'red' })).status).toBe(400);
    await expect(grpc().evaluateDecision({ decisionId: 'no-such-decision', variables: {} })).rejects.toMatchObject({ code: 3, details: 'No decision with the id no-such-decision is deployed' });
    // An auditor reads decisions but does not evaluate them.
    expect((await http.post('/v2/decision-definitions/evaluation', 'auditor').send({ decisionDefinitionId: 'dish-decision' })).status).toBe(403);
  });

  it('deletes resources: a process definition with running instances is refused; deleted, it starts nothing and the previous version is the latest', async () => {
    const deploy = async (n: number) =>
      (await camunda.createDeployment({ resources: [file('deleting.bpmn', VERSIONED(n).replaceAll('defs-versioned', 'defs-deleting'))] })).deployments[0].processDefinition!;
    const v1 = await deploy(1);
    const v2 = await deploy(2);
    const running = await camunda.createProcessInstance({ processDefinitionId: 'defs-deleting' as never });
    expect(running.processDefinitionKey).toBe(v2.processDefinitionKey);
    // https://docs.camunda.io/docs/components/concepts/resource-deletion/ "Limitations": "it is not possible to delete a process definition that has one or more running process instances".
    const refused = await http.post(`/v2/resources/${v2.processDefinitionKey}/deletion`);
    expect([refused.status, refused.body.detail]).toEqual([
      409,
      `Expected to delete process definition with key '${v2.processDefinitionKey}' but there are still 1 running instance(s) of it: cancel them or let them complete first`,
    ]);
    await camunda.cancelProcessInstance({ processInstanceKey: running.processInstanceKey });
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/
    await camunda.deleteResource({ resourceKey: v2.processDefinitionKey });
    // "Deleting the latest version": no more instances of version 2; the latest is version 1 again.
    expect((await http.get(`/v2/process-definitions/${v2.processDefinitionKey}`)).status).toBe(404);
    expect((await http.post('/v2/process-instances').send({ processDefinitionKey: v2.processDefinitionKey })).status).toBe(404);
    const again = await camunda.createProcessInstance({ processDefinitionId: 'defs-deleting' as never });
    expect(again.processDefinitionKey).toBe(v1.processDefinitionKey);
    expect((await camunda.searchProcessDefinitions({ filter: { processDefinitionId: 'defs-deleting', isLatestVersion: true } }, none)).items!.map((d) => d.version)).toEqual([1]);
    // "Zeebe will never reuse a process version": the next deployment is version 3.
    expect((await deploy(2)).processDefinitionVersion).toBe(3);
    // Deleted twice, or never deployed: 404; not a key: 400.
    expect((await http.post(`/v2/resources/${v2.processDefinitionKey}/deletion`)).status).toBe(404);
    expect((await http.post('/v2/resources/abc/deletion')).status).toBe(400);
    expect((await http.post(`/v2/resources/${v1.processDefinitionKey}/deletion`, 'auditor')).status).toBe(403);

    // A decision requirements graph, over gRPC (https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "DeleteResource RPC"): its decisions go with it.
    const greetings = await camunda.createDeployment({ resources: [file('greetings-delete.dmn', GREETING.replaceAll('defs_greeting', 'defs_bye'))] });
    const graph = greetings.deployments.find((d) => d.decisionRequirements)!.decisionRequirements!;
    await grpc().deleteResource({ resourceKey: graph.decisionRequirementsKey! });
    expect((await http.post('/v2/decision-definitions/evaluation').send({ decisionDefinitionId: 'defs_bye' })).status).toBe(404);
    expect((await camunda.searchDecisionRequirements({ filter: { decisionRequirementsKey: graph.decisionRequirementsKey } }, none)).page.totalItems).toBe(0n);
    await expect(grpc().deleteResource({ resourceKey: graph.decisionRequirementsKey! })).rejects.toMatchObject({ code: 5 });
    // Running instances over gRPC: FAILED_PRECONDITION.
    const held = await camunda.createProcessInstance({ processDefinitionId: 'defs-deleting' as never });
    await expect(grpc().deleteResource({ resourceKey: held.processDefinitionKey })).rejects.toMatchObject({ code: 9 });
  });
});
