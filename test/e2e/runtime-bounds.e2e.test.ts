import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { bpmn, chain, processId } from '../engine-contract/harness';

/** Issue 18.7: run-time bounds turn runaway diagrams into incidents that name the bound; fast timer cycles are refused at deploy. */
const cycleStart = (id: string, cycle: string) =>
  bpmn(
    id,
    `<bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
     <bpmn:endEvent id="end"/><bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="end"/>`,
  );
const cycleBoundary = (id: string, cycle: string) =>
  bpmn(
    id,
    `<bpmn:startEvent id="start"/><bpmn:userTask id="s1"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements></bpmn:userTask>
     <bpmn:boundaryEvent id="remind" attachedToRef="s1" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>${cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
     <bpmn:endEvent id="end"/><bpmn:endEvent id="reminded"/>
     <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s1"/><bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="end"/><bpmn:sequenceFlow id="f2" sourceRef="remind" targetRef="reminded"/>`,
  );

describe('run-time bounds and timer cycles (ENGINE_MIN_TIMER_CYCLE=PT30S)', () => {
  let server: TestServer;
  let owner: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { ENGINE_MIN_TIMER_CYCLE: 'PT30S' } });
    owner = await server.login('process-owner');
  });
  afterAll(() => server?.close());
  const deploy = (xml: string) => server.http().post('/api/deployments').auth(owner, { type: 'bearer' }).send({ resourceName: 'bounds.bpmn', xml });

  it.each([
    ['a timer start event every second', (id: string) => cycleStart(id, 'R/PT1S'), 'R/PT1S'],
    ['a timer start event every 10 s, written as FEEL', (id: string) => cycleStart(id, '="R5/PT10S"'), 'R5/PT10S'],
    ['a non-interrupting reminder every 29 s', (id: string) => cycleBoundary(id, 'R/PT29S'), 'R/PT29S'],
  ])('refuses %s at deploy, naming the setting; nothing deployed', async (_, xml, cycle) => {
    const id = processId('cycle');
    const res = await deploy(xml(id));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('INVALID_BPMN');
    expect(res.body.message).toContain(`The timer cycle ${cycle} repeats more often than every 30 s, the shortest this server allows (ENGINE_MIN_TIMER_CYCLE)`);
    const defs = await server.http().get('/api/process-definitions').auth(owner, { type: 'bearer' }).expect(200);
    expect(defs.body.map((d: { bpmnProcessId: string }) => d.bpmnProcessId)).not.toContain(id);
  });

  it('takes cycles at or above the minimum', async () => {
    expect((await deploy(cycleStart(processId('cycle'), 'R3/PT30S'))).status).toBe(201);
    expect((await deploy(cycleBoundary(processId('cycle'), 'R/PT1M'))).status).toBe(201);
  });

  it('a multi-instance collection past 10,000 items is an incident naming the bound, and the server stays healthy', async () => {
    const id = processId('mi-bound');
    const xml = chain(id, [
      `<bpmn:userTask id="s1"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
         <zeebe:loopCharacteristics inputCollection="=for i in 1..n return i" inputElement="item"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`,
    ]);
    expect((await deploy(xml)).status).toBe(201);
    const start = (n: number) =>
      server.http().post('/api/process-instances').auth(owner, { type: 'bearer' }).send({ bpmnProcessId: id, variables: { n } });
    const big = await start(10_001);
    expect(big.status, JSON.stringify(big.body)).toBe(201);
    const incidents = await server.http().get(`/api/incidents?state=ACTIVE&processInstanceKey=${big.body.processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(incidents.body).toMatchObject([{ errorType: 'EXTRACT_VALUE_ERROR', elementId: 's1' }]);
    expect(incidents.body[0].errorMessage).toBe('The inputCollection of s1 has 10001 items; the most a multi-instance activity may have here is 10000');
    expect((await server.http().get('/api/health')).status).toBe(200);
  });

  it('a gateway looping to itself is an incident naming the bound, not a 500 and an empty instance', async () => {
    const id = processId('loop');
    const xml = bpmn(
      id,
      `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="spin"/><bpmn:endEvent id="end"/>
       <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="spin"/>
       <bpmn:sequenceFlow id="again" sourceRef="spin" targetRef="spin"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
       <bpmn:sequenceFlow id="out" sourceRef="spin" targetRef="end"><bpmn:conditionExpression>=false</bpmn:conditionExpression></bpmn:sequenceFlow>`,
    );
    expect((await deploy(xml)).status).toBe(201);
    const started = await server.http().post('/api/process-instances').auth(owner, { type: 'bearer' }).send({ bpmnProcessId: id, variables: {} });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const incidents = await server.http().get(`/api/incidents?state=ACTIVE&processInstanceKey=${started.body.processInstanceKey}`).auth(owner, { type: 'bearer' }).expect(200);
    expect(incidents.body).toHaveLength(1);
    // bpmn-elements recurses through such a loop: its stack runs out before the element bound (10,000).
    expect(incidents.body[0]).toMatchObject({ elementId: 'spin' });
    expect(incidents.body[0].errorMessage).toMatch(/^One step (went round a loop that never waits until the engine's stack ran out|activated more than 10000 elements) \(the last( element)?: spin\)/);
    expect((await server.http().get('/api/health')).status).toBe(200);
  });
});
