import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActivatedJob, complete, type DeployResult, type JobWorker } from '@mustafid/workflow';
import { type EngineUnderTest, eventually, openTaskKey, startEngine } from './harness';
import { WAIT_MS } from '../support/budget.mjs';

/**
 * A file saved by camunda-bpmn-js 5.30.2's Camunda 8 modeler (regenerate with
 * `node scripts/make-modeler-fixture.mjs`): diagram interchange, incoming/outgoing refs,
 * generated ids, modeler:* attributes, zeebe:* extensions, Arabic names.
 * start → "تحقق من البيانات / Verify data" (job modeler-verify) → gateway
 *   ├─ `=valid = true` → "مراجعة / Review" (user task, group reception) → timer PT1H → end
 *   └─ default → "غير مكتمل / Incomplete" end
 */
const xml = readFileSync(new URL('../fixtures/bpmn/modeler-made.bpmn', import.meta.url), 'utf8');

describe('engine contract: a diagram produced by camunda-bpmn-js (with its DI and modeler attributes)', () => {
  let t: EngineUnderTest;
  let deployed: DeployResult;
  let bpmnProcessId: string;
  const workers: JobWorker[] = [];
  const jobs: ActivatedJob[] = [];

  beforeAll(async () => {
    t = await startEngine();
    deployed = await t.engine.deploy({ resourceName: 'modeler-made.bpmn', xml });
    bpmnProcessId = deployed.processes[0]?.bpmnProcessId;
    workers.push(
      t.engine.createWorker({
        type: 'modeler-verify',
        handler: async (job) => {
          jobs.push(job);
          return complete({ valid: job.variables.documentsComplete === true });
        },
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await t?.close();
  });

  it('deploys the file as the modeler saved it: one process, only the form warning, stored unchanged', async () => {
    // The one warning is camunda-compat's own (Camunda Modeler shows it too): the review task has no form.
    // Listing every warning in the assertion shows them all when this fails.
    const reviewId = /<bpmn:userTask id="([^"]+)"/.exec(xml)![1];
    expect(deployed.warnings.map((w) => `${w.rule} @ ${w.elementId ?? '-'}: ${w.message}`)).toEqual([
      `camunda-compat/user-task-definition @ ${reviewId}: Element of type <bpmn:UserTask> must have one extension element of type <zeebe:FormDefinition>`,
    ]);
    expect(deployed.processes).toMatchObject([
      { bpmnProcessId: 'modeler-made', version: 1, isNewVersion: true, resourceName: 'modeler-made.bpmn', name: 'عملية من المصمم / Modeler-made process' },
    ]);
    expect(await t.engine.getProcessDefinitionXml(deployed.processes[0].key)).toBe(xml);
    const again = await t.engine.deploy({ resourceName: 'modeler-made.bpmn', xml });
    expect(again.processes[0]).toMatchObject({ version: 1, isNewVersion: false, key: deployed.processes[0].key });
  });

  it('valid data: the job, then the review task for reception, then the one-hour timer, then completed', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId, variables: { applicationNumber: 'M-1', documentsComplete: true } });

    const review = await eventually(async () => {
      const instance = await t.engine.getInstance(processInstanceKey);
      return instance.activeElements.find((e) => /usertask$/i.test(e.elementType));
    }, WAIT_MS, 'the review user task');
    const job = jobs.find((j) => j.processInstanceKey === processInstanceKey);
    expect(job).toMatchObject({
      type: 'modeler-verify',
      bpmnProcessId,
      elementId: expect.stringMatching(/^Activity_/),
      customHeaders: { channel: 'استقبال' },
      variables: { applicationNumber: 'M-1', documentsComplete: true },
      retries: 3,
    });

    const task = await t.engine.getUserTask(await userTaskKey(processInstanceKey, review.elementId));
    expect(task).toMatchObject({ name: 'مراجعة / Review', candidateGroups: ['reception'], state: 'CREATED', elementId: review.elementId });
    await t.engine.completeUserTask(task.key, { reviewed: true });

    const waiting = await t.engine.getInstance(processInstanceKey);
    expect(waiting.state).toBe('ACTIVE');
    expect(waiting.activeElements).toEqual([expect.objectContaining({ elementId: expect.stringMatching(/^Event_/), elementType: expect.stringMatching(/intermediatecatchevent$/i) })]);

    await t.advanceClock('PT1H');
    const done = await t.engine.getInstance(processInstanceKey);
    expect(done.state).toBe('COMPLETED');
    expect(done.activeElements).toEqual([]);
    expect(done.incidents).toEqual([]);
    expect(done.variables).toEqual({ applicationNumber: 'M-1', documentsComplete: true, valid: true, reviewed: true });
  });

  it('invalid data: the gateway takes the default flow to "Incomplete" and the instance completes at once', async () => {
    const { processInstanceKey } = await t.engine.createInstance({ bpmnProcessId, variables: { applicationNumber: 'M-2', documentsComplete: false } });
    // No clock advance: only the default flow's end event, not the review-and-timer path, completes it.
    const done = await eventually(async () => {
      const instance = await t.engine.getInstance(processInstanceKey);
      return instance.state === 'ACTIVE' ? undefined : instance;
    }, WAIT_MS, 'the instance to end');
    expect(done.state).toBe('COMPLETED');
    expect(done.incidents).toEqual([]);
    expect(done.variables).toEqual({ applicationNumber: 'M-2', documentsComplete: false, valid: false });
    expect(jobs.filter((j) => j.processInstanceKey === processInstanceKey)).toHaveLength(1);
    expect(await userTaskKeys(processInstanceKey)).toEqual([]);
  });

  const userTaskKey = (processInstanceKey: string, elementId: string) => openTaskKey(t.engine, processInstanceKey, elementId);

  /** Every user task the instance ever had, in any state. */
  const userTaskKeys = async (processInstanceKey: string) => (await t.engine.listUserTasks(processInstanceKey)).map((task) => task.key);
});
