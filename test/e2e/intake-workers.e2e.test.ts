import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeWorkers } from '@mustafid/intake';
import type { ActivatedJob } from '@mustafid/workflow';
import { DataSource } from 'typeorm';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, REGISTERED } from '../support/intake';

/** (h) Workers are idempotent: a job delivered again (after a crash or a lost completion) changes nothing. */
describe('intake workers receiving the same job twice', () => {
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
  });
  afterAll(() => server?.close());

  /** The job as the engine delivered it, read back from the engine's job table. */
  async function deliveredJob(processInstanceKey: string, elementId: string): Promise<ActivatedJob> {
    const [row] = await server.app.get(DataSource).query(
      `SELECT j.key::text, j.type, j.element_id, j.element_instance_key, j.custom_headers, j.retries, i.variables, i.process_definition_key::text AS pdk
         FROM wf_job j JOIN wf_process_instance i ON i.key = j.process_instance_key
        WHERE j.process_instance_key = $1 AND j.element_id = $2 AND j.state = 'COMPLETED'`,
      [processInstanceKey, elementId],
    );
    expect(row, `completed job at ${elementId}`).toBeDefined();
    return {
      key: row.key,
      type: row.type,
      processInstanceKey,
      processDefinitionKey: row.pdk,
      bpmnProcessId: 'beneficiary-intake',
      processDefinitionVersion: 1,
      elementId: row.element_id,
      elementInstanceKey: row.element_instance_key,
      customHeaders: row.custom_headers,
      variables: row.variables,
      retries: row.retries,
      deadline: new Date(Date.now() + 60_000),
      worker: 'test',
      kind: 'BPMN_ELEMENT',
    };
  }

  it('(h) one beneficiary number and one notification, however often registration and its notice run [S6]', async () => {
    const c = await d.toCommittee();
    await d.decide(c.id, 'accepted', 'Eligible');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    const served = await d.at(c.id, 'Task_DeliverService');
    const number = served.beneficiaryNumber;
    expect(number).toMatch(/^BEN-\d{7}$/);
    const pik = served.processInstanceKey as string;
    const workers = server.app.get(IntakeWorkers);

    const registration = await deliveredJob(pik, 'Task_CompleteRegistration');
    const again = await Promise.all([workers.handle('complete-registration', registration), workers.handle('complete-registration', registration)]);
    expect(again).toEqual([
      { outcome: 'complete', variables: { beneficiaryNumber: number } },
      { outcome: 'complete', variables: { beneficiaryNumber: number } },
    ]);
    const notice = await deliveredJob(pik, 'Task_NotifyRegistered');
    expect(await workers.handle('notify-applicant', notice)).toEqual({ outcome: 'complete', variables: {} });
    const decision = await deliveredJob(pik, 'Task_NotifyAccepted');
    await workers.handle('notify-applicant', decision);
    const handOver = await deliveredJob(pik, 'Task_HandOverNotice');
    const before = (await d.view(c.id)).earliestAnswerAt;
    await d.advance('P1D');
    expect(await workers.handle('notify-applicant', handOver)).toEqual({ outcome: 'complete', variables: { earliestAnswerAt: before } });

    const after = await d.view(c.id);
    expect(after.beneficiaryNumber).toBe(number);
    expect(after.earliestAnswerAt).toBe(before);
    expect((await d.notifications(c.id)).map((n) => n.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over', 'decision', 'registration']);
  });

  it('a job whose case does not exist becomes an incident at once, with the reason', async () => {
    const outcome = await server.app.get(IntakeWorkers).handle('verify-data', {
      key: '1',
      type: 'verify-data',
      processInstanceKey: '1',
      processDefinitionKey: '1',
      bpmnProcessId: 'beneficiary-intake',
      processDefinitionVersion: 1,
      elementId: 'Task_VerifyData',
      elementInstanceKey: 'x',
      customHeaders: {},
      variables: { applicationId: '00000000-0000-4000-8000-000000000000' },
      retries: 3,
      deadline: new Date(),
      worker: 'test',
      kind: 'BPMN_ELEMENT',
    });
    expect(outcome).toEqual({ outcome: 'fail', retries: 0, errorMessage: 'Case 00000000-0000-4000-8000-000000000000 does not exist', retryBackOffMs: undefined });
  });
});
