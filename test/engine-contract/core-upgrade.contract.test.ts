import { describe, expect, it } from 'vitest';
import type { WorkflowEngine } from '@mustafid/workflow';
import { LIVE_ZEEBE } from '../zeebe/live-engine';
import { createTestDatabase } from '../support/database';
import { bpmn, eventually, openTaskKey, serviceTask, startEngine, userTask } from './harness';

// The embedded engine's own upgrade path, not the port's contract (docs/decisions/0020):
// instances started by the bpmn-engine core finish there after an upgrade, parked at any kind of
// wait, while new instances start on our own core; both run on one database side by side.

const ID = 'upgrade-waits';
const timer = (d: string) => `<bpmn:timerEventDefinition><bpmn:timeDuration>${d}</bpmn:timeDuration></bpmn:timerEventDefinition>`;
const XML = bpmn(
  ID,
  `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="which"/>
   ${userTask('review')}
   <bpmn:intermediateCatchEvent id="hold">${timer('P14D')}</bpmn:intermediateCatchEvent>
   <bpmn:intermediateCatchEvent id="docs"><bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>
   ${serviceTask('work', `${ID}-work`)}
   <bpmn:userTask id="votes"><bpmn:extensionElements><zeebe:userTask/></bpmn:extensionElements>
     <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=members" inputElement="member"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
   <bpmn:exclusiveGateway id="merge"/>${userTask('last')}<bpmn:endEvent id="end"/>
   <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="which"/>
   <bpmn:sequenceFlow id="toReview" sourceRef="which" targetRef="review"><bpmn:conditionExpression>=wait = "task"</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="toHold" sourceRef="which" targetRef="hold"><bpmn:conditionExpression>=wait = "timer"</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="toDocs" sourceRef="which" targetRef="docs"><bpmn:conditionExpression>=wait = "message"</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="toWork" sourceRef="which" targetRef="work"><bpmn:conditionExpression>=wait = "job"</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="toVotes" sourceRef="which" targetRef="votes"><bpmn:conditionExpression>=wait = "votes"</bpmn:conditionExpression></bpmn:sequenceFlow>
   <bpmn:sequenceFlow id="m1" sourceRef="review" targetRef="merge"/><bpmn:sequenceFlow id="m2" sourceRef="hold" targetRef="merge"/>
   <bpmn:sequenceFlow id="m3" sourceRef="docs" targetRef="merge"/><bpmn:sequenceFlow id="m4" sourceRef="work" targetRef="merge"/>
   <bpmn:sequenceFlow id="m5" sourceRef="votes" targetRef="merge"/><bpmn:sequenceFlow id="m6" sourceRef="merge" targetRef="last"/>
   <bpmn:sequenceFlow id="m7" sourceRef="last" targetRef="end"/>`,
  `<bpmn:message id="m" name="${ID}-docs"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`,
);
const WAITS = ['task', 'timer', 'message', 'job', 'votes'] as const;

/** Drives one instance from its wait to the `last` task and completes it. */
async function finish(engine: WorkflowEngine, advance: (d: string) => Promise<void>, key: string, wait: (typeof WAITS)[number], caseId: string): Promise<void> {
  if (wait === 'task') await engine.completeUserTask(await openTaskKey(engine, key, 'review'), { reviewed: true });
  if (wait === 'timer') await advance('P14D');
  if (wait === 'message') await engine.publishMessage({ name: `${ID}-docs`, correlationKey: caseId, variables: { docs: 2 } });
  if (wait === 'job') {
    const worker = engine.createWorker({ type: `${ID}-work`, handler: async () => ({ outcome: 'complete', variables: { worked: true } }) });
    await eventually(async () => ((await engine.listUserTasks(key, 'CREATED')).some((t) => t.elementId === 'last') ? true : undefined));
    await worker.close();
  }
  if (wait === 'votes') for (const task of await engine.listUserTasks(key, 'CREATED')) await engine.completeUserTask(task.key, { vote: 'yes' });
  await engine.completeUserTask(await openTaskKey(engine, key, 'last'));
  expect((await engine.getInstance(key)).state, `${wait} instance ${key}`).toBe('COMPLETED');
}

describe.skipIf(LIVE_ZEEBE)('upgrading the embedded engine to its own core', () => {
  it('instances parked under bpmn-engine at a task, a timer, a message, a job and a multi-instance body finish after the upgrade; new ones start on the new core', async () => {
    const database = await createTestDatabase();
    try {
      const old = await startEngine(database, { ENGINE_CORE: 'bpmn-engine' });
      const parked = new Map<string, (typeof WAITS)[number]>();
      try {
        await old.engine.deploy({ resourceName: 'upgrade.bpmn', xml: XML });
        for (const wait of WAITS) {
          const { processInstanceKey } = await old.engine.createInstance({ bpmnProcessId: ID, variables: { wait, caseId: `old-${wait}`, members: ['a', 'b'] } });
          parked.set(processInstanceKey, wait);
        }
      } finally {
        await old.close();
      }
      const upgraded = await startEngine(database);
      try {
        const fresh = new Map<string, (typeof WAITS)[number]>();
        for (const wait of WAITS) {
          const { processInstanceKey } = await upgraded.engine.createInstance({ bpmnProcessId: ID, variables: { wait, caseId: `new-${wait}`, members: ['a', 'b'] } });
          fresh.set(processInstanceKey, wait);
        }
        // The old ones still hold bpmn-engine's state; the new ones hold ours (its element instance keys are sequence numbers).
        const newKeys = (await upgraded.engine.getInstance([...fresh.keys()][0])).activeElements.map((e) => e.elementInstanceKey);
        expect(newKeys.every((k) => /^\d+$/.test(k))).toBe(true);
        const oldKeys = (await upgraded.engine.getInstance([...parked.keys()][0])).activeElements.map((e) => e.elementInstanceKey);
        expect(oldKeys.some((k) => !/^\d+$/.test(k))).toBe(true);
        const advance = (d: string) => upgraded.advanceClock(d);
        for (const [key, wait] of parked) await finish(upgraded.engine, advance, key, wait, `old-${wait}`);
        for (const [key, wait] of fresh) await finish(upgraded.engine, advance, key, wait, `new-${wait}`);
      } finally {
        await upgraded.close();
      }
    } finally {
      await database.drop();
    }
  });
});
