import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { bpmn, chain, userTask } from '../engine-contract/harness';

const timerChain = (id: string) =>
  chain(id, [
    userTask('s1'),
    `<bpmn:intermediateCatchEvent id="s2"><bpmn:timerEventDefinition><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
  ]);

describe('workflow HTTP API: deployments, instances, messages, signals, incidents, test clock', () => {
  let server: TestServer;
  let owner: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true', DEPLOYMENT_MAX_BYTES: '200kb' } });
    owner = await server.login('process-owner');
    admin = await server.login('admin');
  });
  afterAll(() => server?.close());

  const post = (path: string, token = owner) => server.http().post(path).auth(token, { type: 'bearer' });

  it('deploys a multipart .bpmn upload, an XML body and a JSON body; same content keeps its version', async () => {
    const xml = timerChain('api-intake');
    const upload = await post('/api/deployments').attach('file', Buffer.from(xml), 'intake.bpmn').expect(201);
    expect(upload.body.processes).toMatchObject([{ bpmnProcessId: 'api-intake', version: 1, isNewVersion: true, resourceName: 'intake.bpmn', deployedBy: 'process-owner' }]);
    const asXml = await post('/api/deployments?resourceName=intake.bpmn').set('Content-Type', 'application/xml').send(xml).expect(201);
    expect(asXml.body.processes[0]).toMatchObject({ version: 1, isNewVersion: false });
    const changed = xml.replace('P14D', 'P15D');
    const asJson = await post('/api/deployments').send({ resourceName: 'intake.bpmn', xml: changed }).expect(201);
    expect(asJson.body.processes[0]).toMatchObject({ version: 2, isNewVersion: true });
    const list = await server.http().get('/api/process-definitions').auth(owner, { type: 'bearer' }).expect(200);
    const intake = list.body.find((d: { bpmnProcessId: string }) => d.bpmnProcessId === 'api-intake');
    expect(intake.versions.map((v: { version: number; deployedBy: string }) => [v.version, v.deployedBy])).toEqual([
      [2, 'process-owner'],
      [1, 'process-owner'],
    ]);
    const source = await server.http().get(`/api/process-definitions/${intake.versions[1].key}/xml`).auth(owner, { type: 'bearer' }).expect(200);
    expect(source.headers['content-type']).toContain('application/xml');
    expect(source.text).toBe(xml);
  });

  it.each([
    ['broken XML', '<bpmn:definitions', /not valid BPMN XML|not a BPMN diagram/],
    ['a non-BPMN XML file', '<?xml version="1.0"?><invoice><total>5</total></invoice>', /not a BPMN diagram|not valid BPMN/],
    ['an XXE payload', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', /DOCTYPE or entities/],
    ['billion laughs', '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>', /DOCTYPE or entities/],
  ])('refuses %s with 400 and nothing deployed', async (_, xml, message) => {
    const before = (await server.http().get('/api/process-definitions').auth(owner, { type: 'bearer' })).body.length;
    const res = await post('/api/deployments').attach('file', Buffer.from(xml), 'bad.bpmn').expect(400);
    expect(res.body.code).toBe('INVALID_BPMN');
    expect(res.body.message).toMatch(message);
    expect((await server.http().get('/api/process-definitions').auth(owner, { type: 'bearer' })).body.length).toBe(before);
  });

  it('lists each blocking problem with the element id, for lint errors and unsupported elements', async () => {
    const xml = chain('api-bad', [
      '<bpmn:serviceTask id="s1"/>',
      '<bpmn:businessRuleTask id="s2"><bpmn:extensionElements><zeebe:calledDecision decisionId="d" resultVariable="r" bindingType="versionTag"/></bpmn:extensionElements></bpmn:businessRuleTask>',
    ]);
    const res = await post('/api/deployments').send({ xml }).expect(400);
    const problems = res.body.details.problems as Array<{ elementId: string; rule: string; message: string }>;
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 's1', rule: expect.stringContaining('camunda-compat') }));
    expect(problems).toContainEqual({
      elementId: 's2',
      rule: 'binding-type',
      message: "zeebe:calledDecision: Attribute 'versionTag' must be present and not empty if 'bindingType' is 'versionTag'",
    });
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/ : "When the process instance arrives at a business
  // rule task, a decision is evaluated using the internal DMN decision engine. Once the decision is made, the process instance continues."
  it('deploys a .dmn upload, a DMN XML body and a DMN JSON body, and a business rule task evaluates its decision', async () => {
    const dmn = (output: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="api_fees" name="Fees" namespace="http://mustafid.test">
  <decision id="api_fee" name="Fee">
    <decisionTable id="t" hitPolicy="FIRST">
      <input id="i1" label="Channel"><inputExpression id="e1"><text>channel</text></inputExpression></input>
      <output id="o1" name="fee"/>
      <rule id="r1"><inputEntry id="r1i"><text>"C1", "C2"</text></inputEntry><outputEntry id="r1o"><text>${output}</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2i"><text>-</text></inputEntry><outputEntry id="r2o"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;
    const upload = await post('/api/deployments').attach('file', Buffer.from(dmn('10')), 'fees.dmn').expect(201);
    expect(upload.body).toMatchObject({
      processes: [],
      decisionRequirements: [{ decisionRequirementsId: 'api_fees', name: 'Fees', version: 1, resourceName: 'fees.dmn', deployedBy: 'process-owner', isNewVersion: true }],
      decisions: [{ decisionId: 'api_fee', name: 'Fee', version: 1, decisionRequirementsId: 'api_fees', isNewVersion: true }],
    });
    const asXml = await post('/api/deployments?resourceName=fees.dmn').set('Content-Type', 'application/xml').send(dmn('10')).expect(201);
    expect(asXml.body.decisions).toMatchObject([{ decisionId: 'api_fee', version: 1, isNewVersion: false }]);
    // A JSON body without a name: the DMN namespace of its root makes it decisions.dmn.
    const asJson = await post('/api/deployments').send({ xml: dmn('15') }).expect(201);
    expect(asJson.body.decisionRequirements).toMatchObject([{ version: 2, resourceName: 'decisions.dmn' }]);
    expect(asJson.body.decisions).toMatchObject([{ decisionId: 'api_fee', version: 2 }]);

    const rule = '<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="api_fee" resultVariable="fee"/></bpmn:extensionElements></bpmn:businessRuleTask>';
    await post('/api/deployments').send({ resourceName: 'api-fee.bpmn', xml: chain('api-fee', [rule, userTask('s2')]) }).expect(201);
    const created = await post('/api/process-instances').send({ bpmnProcessId: 'api-fee', variables: { channel: 'C2' } }).expect(201);
    const read = await server.http().get(`/api/process-instances/${created.body.processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(read.body).toMatchObject({ state: 'ACTIVE', variables: { channel: 'C2', fee: 15 }, activeElements: [{ elementId: 's2' }] });
  });

  it('refuses a DMN with problems with 400 INVALID_DMN listing them by element id, and nothing deployed', async () => {
    const bad = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="api_bad" name="Bad" namespace="http://mustafid.test">
  <decision id="api_bad_d" name="Bad"><literalExpression id="le"><text>amount &gt;</text></literalExpression></decision>
</definitions>`;
    const res = await post('/api/deployments').attach('file', Buffer.from(bad), 'bad.dmn').expect(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_DMN',
      details: { problems: [{ elementId: 'le', rule: 'feel-syntax', message: "The literal expression 'amount >' is not valid FEEL: it does not parse at character 9" }] },
    });
    const broken = await post('/api/deployments').attach('file', Buffer.from('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"'), 'broken.dmn').expect(400);
    expect(broken.body).toMatchObject({ code: 'INVALID_DMN', message: expect.stringContaining('not valid DMN XML') });
    const rule = '<bpmn:businessRuleTask id="s1"><bpmn:extensionElements><zeebe:calledDecision decisionId="api_bad_d" resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>';
    await post('/api/deployments').send({ resourceName: 'api-bad-call.bpmn', xml: chain('api-bad-call', [rule]) }).expect(201);
    const created = await post('/api/process-instances').send({ bpmnProcessId: 'api-bad-call' }).expect(201);
    const read = await server.http().get(`/api/process-instances/${created.body.processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(read.body.incidents).toMatchObject([
      { elementId: 's1', errorType: 'CALLED_DECISION_ERROR', errorMessage: "Expected to evaluate decision 'api_bad_d', but no decision found for id 'api_bad_d'" },
    ]);
    // Cancelling resolves its incident (the metrics test below counts none open).
    await server.http().delete(`/api/process-instances/${created.body.processInstanceKey}`).auth(admin, { type: 'bearer' }).expect(204);
  });

  it('refuses an upload over DEPLOYMENT_MAX_BYTES with 413, and a file that is not .bpmn with 400', async () => {
    const huge = Buffer.alloc(300 * 1024, 'a');
    const big = await post('/api/deployments').attach('file', huge, 'huge.bpmn').expect(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    const pdf = await post('/api/deployments').attach('file', Buffer.from('%PDF'), 'notes.pdf').expect(400);
    expect(pdf.body.message).toContain('.bpmn');
    await server.http().get('/api/health').expect(200);
  });

  it('allows only process owners and admins to deploy', async () => {
    const staff = await server.login('reception');
    const res = await post('/api/deployments', staff).send({ xml: timerChain('api-nope') }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('creates, reads and cancels instances; bad input gets clear 4xx answers', async () => {
    await post('/api/deployments').send({ xml: timerChain('api-run') }).expect(201);
    const created = await post('/api/process-instances').send({ bpmnProcessId: 'api-run', variables: { applicationNumber: 'A-100' } }).expect(201);
    const key = created.body.processInstanceKey;
    const read = await server.http().get(`/api/process-instances/${key}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(read.body).toMatchObject({ state: 'ACTIVE', version: 1, variables: { applicationNumber: 'A-100' }, activeElements: [{ elementId: 's1', elementType: 'bpmn:UserTask' }] });

    expect((await post('/api/process-instances').send({ bpmnProcessId: 'no-such-process' }).expect(404)).body.code).toBe('PROCESS_NOT_FOUND');
    expect((await post('/api/process-instances').send({ bpmnProcessId: 'api-run', version: 9 }).expect(404)).body.message).toContain('version 9');
    expect((await post('/api/process-instances').send({ bpmnProcessId: 'api-run', variables: [1, 2] }).expect(400)).body.message).toContain('variables must be a JSON object');
    expect((await post('/api/process-instances').send({ bpmnProcessId: 'api-run', variables: 'x' }).expect(400)).body.message).toContain('variables must be a JSON object');
    await server.http().get('/api/process-instances/not-a-key').auth(owner, { type: 'bearer' }).expect(404);
    await server.http().get('/api/process-instances/123').auth(owner, { type: 'bearer' }).expect(404);

    await server.http().delete(`/api/process-instances/${key}`).auth(admin, { type: 'bearer' }).expect(204);
    const again = await server.http().delete(`/api/process-instances/${key}`).auth(admin, { type: 'bearer' }).expect(409);
    expect(again.body.code).toBe('INSTANCE_NOT_ACTIVE');
  });

  it('publishes messages with validation of name, key and time to live', async () => {
    const ok = await post('/api/messages').send({ name: 'nobody-waits', correlationKey: 'X', timeToLive: 'PT1H', messageId: 'm-1' }).expect(201);
    expect(ok.body).toMatchObject({ buffered: true });
    const dup = await post('/api/messages').send({ name: 'nobody-waits', correlationKey: 'X', timeToLive: 'PT1H', messageId: 'm-1' }).expect(409);
    // Camunda 8 docs, "Message uniqueness" (https://docs.camunda.io/docs/components/concepts/messages/):
    // refused while a message with the same name, correlation key and id is buffered.
    expect(dup.body.code).toBe('MESSAGE_ALREADY_PUBLISHED');
    expect(dup.body.message).toMatch(/messageId 'm-1' was already published and stays buffered until \S+Z/);
    await post('/api/messages').send({ name: 'nobody-waits', correlationKey: 'Y', timeToLive: 'PT1H', messageId: 'm-1' }).expect(201);
    const ttl = await post('/api/messages').send({ name: 'n', correlationKey: 'X', timeToLive: 'next week' }).expect(400);
    expect(ttl.body.message).toContain('ISO-8601');
    await post('/api/messages').send({ correlationKey: 'X' }).expect(400);
  });

  // Camunda 8 docs, "Signals" (https://docs.camunda.io/docs/components/concepts/signals/): "When you broadcast a signal it
  // triggers all signal subscriptions that match the signal name." Bad input is refused before anything is broadcast.
  it('broadcasts signals to waiting instances; an empty or overlong name, or variables that are not an object, get 400 and nothing broadcast', async () => {
    await post('/api/deployments')
      .send({ xml: chain('api-signal', [`<bpmn:intermediateCatchEvent id="s1"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateCatchEvent>`], `<bpmn:signal id="sig" name="api-go"/>`) })
      .expect(201);
    const { processInstanceKey } = (await post('/api/process-instances').send({ bpmnProcessId: 'api-signal' }).expect(201)).body;
    const db = server.app.get(DataSource);
    const broadcasts = async () => Number((await db.query(`SELECT count(*)::int AS n FROM wf_signal`))[0].n);
    const before = await broadcasts();

    const bad: Array<[unknown, string]> = [
      [{}, 'signalName must not be empty: give the name of the signal to broadcast'],
      [{ signalName: '' }, 'signalName must not be empty: give the name of the signal to broadcast'],
      [{ signalName: 'x'.repeat(256) }, 'signalName must be at most 255 characters long'],
      [{ signalName: 'api-go', variables: [1] }, 'variables must be a JSON object'],
      [{ signalName: 'api-go', correlationKey: 'A-1' }, 'property correlationKey should not exist'],
    ];
    for (const [body, message] of bad) {
      const res = await post('/api/signals').send(body as object).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.message).toContain(message);
    }
    expect((await post('/api/signals', await server.login('reception')).send({ signalName: 'api-go' }).expect(403)).body.code).toBe('FORBIDDEN');
    expect(await broadcasts()).toBe(before);
    const instance = await server.http().get(`/api/process-instances/${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(instance.body).toMatchObject({ state: 'ACTIVE', activeElements: [{ elementId: 's1', elementType: 'bpmn:IntermediateCatchEvent' }] });

    const ok = await post('/api/signals').send({ signalName: 'api-go', variables: { go: true } }).expect(200);
    expect(Object.keys(ok.body)).toEqual(['signalKey']);
    expect(ok.body.signalKey).toMatch(/^\d+$/);
    const after = await server.http().get(`/api/process-instances/${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(after.body).toMatchObject({ state: 'COMPLETED', variables: { go: true } });
    expect(await broadcasts()).toBe(before + 1);

    // In the OpenAPI document, with the body's rules.
    const doc = (await server.http().get('/api/docs-json').expect(200)).body;
    expect(doc.paths['/api/signals'].post.responses['200'].content['application/json'].schema).toEqual({
      type: 'object',
      required: ['signalKey'],
      properties: { signalKey: { type: 'string', example: '2251799813685321' } },
    });
    expect(doc.paths['/api/signals'].post.responses['400'].description).toContain('VALIDATION_FAILED');
    expect(doc.paths['/api/signals'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/BroadcastSignalDto' });
  });

  it('moves time with the test clock: a 14-day timer fires and the instance completes', async () => {
    await post('/api/deployments').send({ xml: chain('api-clock', [`<bpmn:intermediateCatchEvent id="s1"><bpmn:timerEventDefinition><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`]) }).expect(201);
    const { processInstanceKey } = (await post('/api/process-instances').send({ bpmnProcessId: 'api-clock' }).expect(201)).body;
    const moved = await post('/api/test/clock', admin).send({ advance: 'P14D' }).expect(200);
    expect(moved.body.timersFired).toBeGreaterThanOrEqual(1);
    const instance = await server.http().get(`/api/process-instances/${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(instance.body.state).toBe('COMPLETED');
    expect((await post('/api/test/clock', admin).send({ advance: 'yesterday' }).expect(400)).body.code).toBe('INVALID_DURATION');
  });

  it('pins the test clock: time stands still until advanced, then flows on from there; bad input is a 400, others a 403', async () => {
    const put = (body: unknown, token = admin) => server.http().put('/api/test/clock').auth(token, { type: 'bearer' }).send(body as object);
    const pinned = (await put({ pinned: true }).expect(200)).body;
    expect(pinned.pinned).toBe(true);
    await new Promise((r) => setTimeout(r, 20)); // real time passes ...
    const still = (await post('/api/test/clock/settle', admin).expect(200)).body;
    expect(still.now).toBe(pinned.now); // ... the pinned clock does not
    const moved = (await post('/api/test/clock', admin).send({ advance: 'PT1H' }).expect(200)).body;
    expect(new Date(moved.now).getTime() - new Date(pinned.now).getTime()).toBe(3_600_000);
    const released = (await put({ pinned: false }).expect(200)).body;
    expect(released).toEqual({ now: expect.any(String), pinned: false });
    expect(new Date(released.now).getTime()).toBeGreaterThanOrEqual(new Date(moved.now).getTime());
    const bad = await put({ pinned: 'yes' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('pinned must be true or false');
    await put({ pinned: true }, owner).expect(403);
  });

  it('settles without moving time: returns once the projections read from the engine feed (task list, audit log) hold what the engine did', async () => {
    await post('/api/deployments').send({ xml: chain('api-settle', [userTask('s1')]) }).expect(201);
    const before = (await post('/api/test/clock/settle', admin).expect(200)).body;
    const { processInstanceKey } = (await post('/api/process-instances').send({ bpmnProcessId: 'api-settle' }).expect(201)).body;
    const settled = await post('/api/test/clock/settle', admin).expect(200);
    expect(settled.body.timersFired).toBe(0);
    // Time went on as real time does, no further: nothing like a moved clock (minutes or days).
    expect(new Date(settled.body.now).getTime() - new Date(before.now).getTime()).toBeLessThan(60_000);
    // Straight from the tables, with no read endpoint (each catches up by itself) in between.
    const db = server.app.get(DataSource);
    const tasks = await db.query(`SELECT element_id, state FROM task WHERE process_instance_key = $1`, [processInstanceKey]);
    expect(tasks).toEqual([{ element_id: 's1', state: 'open' }]);
    const audited = await db.query(`SELECT action FROM audit_event WHERE process_instance_key = $1 AND action = 'engine.USER_TASK_CREATED'`, [processInstanceKey]);
    expect(audited).toHaveLength(1);
    await post('/api/test/clock/settle', owner).expect(403);
  });

  it('lists incidents and resolves them over HTTP', async () => {
    const xml = bpmn(
      'api-incident',
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="s1"/><bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s1"/>
       <bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="end"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>`,
    );
    await post('/api/deployments').send({ xml }).expect(201);
    const { processInstanceKey } = (await post('/api/process-instances').send({ bpmnProcessId: 'api-incident', variables: { ok: 'yes' } }).expect(201)).body;
    const incidents = await server.http().get(`/api/incidents?state=ACTIVE&processInstanceKey=${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(incidents.body).toMatchObject([{ errorType: 'CONDITION_ERROR', elementId: 's1' }]);
    expect(incidents.body[0].errorMessage).toContain('true or false');
    await post(`/api/process-instances/${processInstanceKey}/variables`).send({ variables: { ok: true } }).expect(204);
    await post(`/api/incidents/${incidents.body[0].key}/resolve`).expect(204);
    const instance = await server.http().get(`/api/process-instances/${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(instance.body.state).toBe('COMPLETED');
    expect((await post(`/api/incidents/${incidents.body[0].key}/resolve`).expect(409)).body.code).toBe('INCIDENT_RESOLVED');
    await server.http().get('/api/incidents?state=SOMETIMES').auth(owner, { type: 'bearer' }).expect(400);
  });

  // Camunda 8 docs, "Incidents" (https://docs.camunda.io/docs/components/concepts/incidents/): a job out of
  // retries has an incident; it is not completed until it has retries again and the incident is resolved.
  it('refuses to complete a job that failed into an incident, over HTTP, until retries and resolving', async () => {
    await post('/api/deployments').send({ xml: chain('api-job-incident', [`<bpmn:serviceTask id="s1"><bpmn:extensionElements><zeebe:taskDefinition type="api-charge"/></bpmn:extensionElements></bpmn:serviceTask>`]) }).expect(201);
    const { processInstanceKey } = (await post('/api/process-instances').send({ bpmnProcessId: 'api-job-incident' }).expect(201)).body;
    const activate = () => post('/api/jobs/activation', admin).send({ type: 'api-charge', maxJobsToActivate: 1, timeout: 60_000 }).expect(200);
    const [job] = (await activate()).body.jobs;
    await post(`/api/jobs/${job.key}/failure`, admin).send({ retries: 0, errorMessage: 'card declined' }).expect(204);
    const refused = await post(`/api/jobs/${job.key}/completion`, admin).send({ variables: { paid: true } }).expect(409);
    expect(refused.body.code).toBe('JOB_NOT_ACTIVE');
    expect(refused.body.message).toContain('no retries left and has an incident');
    const [incident] = (await server.http().get(`/api/incidents?state=ACTIVE&processInstanceKey=${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200)).body;
    expect((await post(`/api/incidents/${incident.key}/resolve`).expect(409)).body.code).toBe('NO_RETRIES');
    await post(`/api/jobs/${job.key}/retries`).send({ retries: 1 }).expect(204);
    await post(`/api/incidents/${incident.key}/resolve`).expect(204);
    const [again] = (await activate()).body.jobs;
    expect(again.key).toBe(job.key);
    await post(`/api/jobs/${job.key}/completion`, admin).send({ variables: { paid: true } }).expect(204);
    const instance = await server.http().get(`/api/process-instances/${processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(instance.body).toMatchObject({ state: 'COMPLETED', variables: { paid: true } });
  });

  it('reports Prometheus metrics: instances by process and state, timers, incidents, step timings, group commit', async () => {
    const res = await server.http().get('/api/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('mustafid_process_instances{process="api-clock",state="COMPLETED"} 1');
    expect(res.text).toContain('mustafid_process_instances{process="api-run",state="CANCELED"} 1');
    expect(res.text).toMatch(/^mustafid_incidents_open 0$/m);
    expect(res.text).toMatch(/^mustafid_timers_waiting \d+$/m);
    expect(res.text).toMatch(/^mustafid_timer_firing_lag_seconds_count [1-9]\d*$/m);
    expect(res.text).toMatch(/^mustafid_engine_step_seconds_count\{command="start"\} [1-9]\d*$/m);
    // Group commit (issue 15 point 7): every step ran in a lane's batch, and met a queue when it joined.
    expect(res.text).toMatch(/^mustafid_engine_batch_commands_count [1-9]\d*$/m);
    expect(res.text).toMatch(/^mustafid_engine_batch_commands_bucket\{le="200"\} [1-9]\d*$/m);
    expect(res.text).toMatch(/^mustafid_engine_lane_queue_depth_count [1-9]\d*$/m);
    expect(res.text).toMatch(/^mustafid_engine_batch_fallbacks_total \d+$/m);
    expect(res.text).toContain('mustafid_process_resident_memory_bytes');
  });
});

describe('without ENABLE_TEST_CLOCK', () => {
  it('the test clock route does not exist', async () => {
    const server = await startTestServer();
    try {
      const admin = await server.login('admin');
      await server.http().post('/api/test/clock').auth(admin, { type: 'bearer' }).send({ advance: 'P1D' }).expect(404);
      await server.http().post('/api/test/clock/settle').auth(admin, { type: 'bearer' }).expect(404);
    } finally {
      await server.close();
    }
  });
});
