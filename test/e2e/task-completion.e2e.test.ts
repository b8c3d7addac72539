import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver } from '../support/intake';

/**
 * Issue 18.6: a completion is checked against the task's form, so a decisive answer cannot be
 * skipped. Issue 18.2: one vote per committee member, enforced by the database (the case's vote tasks are
 * locked while a completion claims one), so two completions sent together by one member cannot
 * both pass. Before the fix, 25 of 25 such races let one member cast both votes.
 */
describe('task completions the process depends on', () => {
  let server: TestServer;
  let d: IntakeDriver;
  const RACES = 5;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn();
  });
  afterAll(() => server?.close());

  const voteTasks = async (applicationNumber: string, state = '') => {
    const res = await d.as('admin').get(`/api/tasks?case=${applicationNumber}${state}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as Array<{ key: string; elementId: string; state: string; completedBy?: string }>).filter((t) => t.elementId === 'Task_CommitteeVote');
  };

  it('the reception check completed with {} is a 400 naming the answer it lacks; the case stays at the check', async () => {
    const c = await d.submit();
    await d.at(c.id, 'Task_ReceptionCheck');
    const [task] = (await d.as('reception').get(`/api/tasks?case=${c.applicationNumber}`)).body.items as Array<{ key: string }>;
    const empty = await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: {} });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { dataComplete: ['dataComplete (The data is complete and valid on the submission date) is required: answer true or false'] } },
    });
    const view = await d.view(c.id);
    expect(view.currentSteps.map((s) => s.elementId)).toEqual(['Task_ReceptionCheck']);
    expect(view.status).not.toBe('incident');
    await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true } }).expect(200);
    await d.at(c.id, 'Task_Attestation');
  });

  it(`one member completing both vote tasks at once: one vote counts, the other is ALREADY_VOTED (${RACES} races)`, async () => {
    for (let race = 0; race < RACES; race++) {
      const c = await d.toCommittee();
      const open = await voteTasks(c.applicationNumber);
      expect(open).toHaveLength(2);
      const results = await Promise.all(open.map((t) => d.as('committee').post(`/api/tasks/${t.key}/complete`).send({ variables: { vote: 'accept' } })));
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body).toMatchObject({ code: 'ALREADY_VOTED' });

      // The refused task is still open for the other member, and the chair gets two members' votes.
      const left = (await voteTasks(c.applicationNumber)).filter((t) => t.state === 'open');
      expect(left).toHaveLength(1);
      await d.as('committee2').post(`/api/tasks/${left[0].key}/complete`).send({ variables: { vote: 'reject' } }).expect(200);
      await d.at(c.id, 'Task_ChairDecision');
      const done = await voteTasks(c.applicationNumber, '&state=completed');
      expect(done.map((t) => t.completedBy).sort()).toEqual(['committee', 'committee2']);
    }
  });

  it('two different members completing the two vote tasks at once both count', async () => {
    const c = await d.toCommittee();
    const open = await voteTasks(c.applicationNumber);
    expect(open).toHaveLength(2);
    const results = await Promise.all(
      open.map((t, i) => d.as(i === 0 ? 'committee' : 'committee2').post(`/api/tasks/${t.key}/complete`).send({ variables: { vote: 'accept' } })),
    );
    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual([200, 200]);
    await d.at(c.id, 'Task_ChairDecision');
  });
});
