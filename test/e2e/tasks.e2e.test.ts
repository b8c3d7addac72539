import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver } from '../support/intake';

interface TaskItem {
  key: string;
  elementId: string;
  name: { ar?: string; en?: string };
  caseNumber?: string;
  assignee?: string;
  candidateGroups: string[];
  dueDate?: string;
  overdue: boolean;
  state: string;
  version: number;
  completedBy?: string;
}

/** The staff task list over the real intake diagram: the store, the API, the forms on the server. */
describe('staff task API', () => {
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('auditor', 'applicant', 'process-owner');
  });
  afterAll(() => server?.close());

  const tasksOf = async (user: string, query = '') => {
    const res = await d.as(user).get(`/api/tasks${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: TaskItem[]; nextCursor?: string };
  };
  const receptionTask = async (applicationNumber: string) => {
    await d.at((await d.as('admin').get(`/api/cases/${applicationNumber}`)).body.id, 'Task_ReceptionCheck');
    const { items } = await tasksOf('reception', `?case=${applicationNumber}`);
    expect(items).toHaveLength(1);
    return items[0];
  };

  it('mirrors each task once, named in both languages, visible to its group and not to others', async () => {
    const c = await d.submit();
    const task = await receptionTask(c.applicationNumber);
    expect(task).toMatchObject({ elementId: 'Task_ReceptionCheck', candidateGroups: ['reception'], state: 'open', caseNumber: c.applicationNumber });
    expect(task.name).toEqual({ ar: 'استقبال المستفيد ومطابقة بياناته', en: 'Receive the applicant and match the data' });
    expect((await tasksOf('researcher', `?case=${c.applicationNumber}`)).items).toEqual([]);
    await d.as('researcher').get(`/api/tasks/${task.key}`).expect(404);
    expect((await tasksOf('auditor', `?case=${c.applicationNumber}`)).items).toHaveLength(1);
    await d.as('applicant').get('/api/tasks').expect(403);
    await d.as('process-owner').get('/api/tasks').expect(403);
    await d.as('admin').get('/api/tasks/123456789').expect(404);
    await d.as('admin').get('/api/tasks/not-a-key').expect(404);
  });

  it('shows the task with its form, the variables the form needs and the case beside it', async () => {
    const c = await d.submit();
    const task = await receptionTask(c.applicationNumber);
    const res = await d.as('reception').get(`/api/tasks/${task.key}`).expect(200);
    expect(res.body.form.id).toBe('reception-intake-check');
    expect(res.body.form.components.map((x: { key?: string }) => x.key).filter(Boolean)).toEqual(['dataComplete', 'missingItems', 'referToResearcher', 'inquiryNotes']);
    expect(res.body.variables.verification).toMatchObject({ complete: true });
    expect(Object.keys(res.body.variables)).not.toContain('applicationId');
    expect(res.body.case).toMatchObject({ applicationNumber: c.applicationNumber, applicant: { fullName: 'فاطمة عبدالله الحربي' }, status: 'open' });
  });

  it('checks the submitted fields against the form: unknown fields, wrong types, missing required ones → 400 naming them, task unchanged', async () => {
    const c = await d.toCommittee();
    await d.complete(c.id, 'Task_CommitteeVote', { vote: 'accept' }, 'committee');
    await d.complete(c.id, 'Task_CommitteeVote', { vote: 'accept' }, 'committee2');
    const chair = (await tasksOf('committee-chair', `?case=${c.applicationNumber}`)).items.find((t) => t.elementId === 'Task_ChairDecision')!;
    const bad = await d.as('committee-chair').post(`/api/tasks/${chair.key}/complete`).send({ variables: { decision: 'maybe', decisionReasons: 42, salary: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual({
      salary: ['salary is not a field of the form chair-decision'],
      decision: ['decision must be one of accepted, rejected'],
      decisionReasons: ['decisionReasons must be text'],
    });
    // Each problem also as a code the web app words in Arabic or English (issue 19 point 4).
    expect(bad.body.details.codes).toEqual({ salary: [{ code: 'unknownField' }], decision: [{ code: 'isIn' }], decisionReasons: [{ code: 'isString' }] });
    const missing = await d.as('committee-chair').post(`/api/tasks/${chair.key}/complete`).send({ variables: { decision: 'accepted' } });
    expect(missing.body.details.fields.decisionReasons[0]).toMatch(/is required/);
    expect(missing.body.details.codes.decisionReasons).toEqual([{ code: 'required' }]);
    const notObject = await d.as('committee-chair').post(`/api/tasks/${chair.key}/complete`).send({ variables: ['accepted'] });
    expect(notObject.status).toBe(400);
    const still = (await tasksOf('committee-chair', `?case=${c.applicationNumber}`)).items.find((t) => t.key === chair.key)!;
    expect(still).toMatchObject({ state: 'open', version: chair.version });
    // A committee member's task is not the chair's to complete, nor the reception's.
    await d.as('reception').post(`/api/tasks/${chair.key}/complete`).send({ variables: { decision: 'accepted', decisionReasons: 'Eligible' } }).expect(404);
  });

  it('claim, unclaim and assign; a task someone else holds, a done task or a stale version → 409 saying who holds it', async () => {
    const c = await d.submit();
    const task = await receptionTask(c.applicationNumber);
    const claimed = await d.as('reception').post(`/api/tasks/${task.key}/claim`).expect(200);
    expect(claimed.body).toMatchObject({ assignee: 'reception', version: task.version + 1 });
    expect((await tasksOf('reception', '?mine=true')).items.map((t) => t.key)).toContain(task.key);
    // Another officer of the group cannot take or complete it.
    const created = await d.as('admin').post('/api/users').send({ username: 'reception2', displayName: 'موظف ثان', password: 'reception-two-pass', roles: ['reception'] });
    expect(created.status).toBe(201);
    d.tokens.reception2 = await server.login('reception2', 'reception-two-pass');
    const taken = await d.as('reception2').post(`/api/tasks/${task.key}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'TASK_HELD', message: `Task ${task.key} is claimed by reception`, details: { assignee: 'reception' } });
    const theirs = await d.as('reception2').post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true } });
    expect(theirs.status).toBe(409);
    expect(theirs.body.details.assignee).toBe('reception');
    // A stale version.
    const stale = await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true }, version: task.version });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_TASK');
    // Assigning is for the chair and administrators, and only to a member of the task's groups.
    await d.as('reception').post(`/api/tasks/${task.key}/assign`).send({ assignee: 'reception2' }).expect(403);
    const outsider = await d.as('admin').post(`/api/tasks/${task.key}/assign`).send({ assignee: 'researcher' });
    expect(outsider.status).toBe(400);
    expect(outsider.body.details.fields.assignee[0]).toContain("not in the task's groups");
    await d.as('admin').post(`/api/tasks/${task.key}/assign`).send({ assignee: 'nobody-here' }).expect(400);
    const reassigned = await d.as('admin').post(`/api/tasks/${task.key}/assign`).send({ assignee: 'reception2' }).expect(200);
    expect(reassigned.body.assignee).toBe('reception2');
    await d.as('reception2').post(`/api/tasks/${task.key}/unclaim`).expect(200);
    const done = await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true, referToResearcher: false } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ state: 'completed', completedBy: 'reception' });
    const again = await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'TASK_COMPLETED', message: `Task ${task.key} was already completed by reception` });
  });

  it('two simultaneous completions: exactly one succeeds', async () => {
    const c = await d.submit();
    const task = await receptionTask(c.applicationNumber);
    const results = await Promise.all(
      ['reception', 'admin', 'reception', 'admin'].map((u) => d.as(u).post(`/api/tasks/${task.key}/complete`).send({ variables: { dataComplete: true, referToResearcher: false } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    await d.at(c.id, 'Task_Attestation');
    const events = await d.as('admin').get(`/api/process-instances/${(await d.view(c.id)).processInstanceKey}/events`).expect(200);
    expect(events.body.filter((e: { intent: string; elementId: string }) => e.intent === 'USER_TASK_COMPLETED' && e.elementId === 'Task_ReceptionCheck')).toHaveLength(1);
  });

  it('the signature task is completed through its own endpoint; a committee member votes once per case', async () => {
    const c = await d.submit();
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.at(c.id, 'Task_Attestation');
    const sign = (await tasksOf('reception', `?case=${c.applicationNumber}`)).items[0];
    const direct = await d.as('reception').post(`/api/tasks/${sign.key}/complete`).send({ variables: { typedName: 'فاطمة عبدالله الحربي', consent: true } });
    expect(direct.status).toBe(409);
    expect(direct.body.message).toContain('POST /api/cases/:id/attestation');
    await d.sign(c.id);
    await d.at(c.id, 'Task_CommitteeVote');
    const signed = (await tasksOf('reception', `?case=${c.applicationNumber}&state=completed`)).items.find((t) => t.elementId === 'Task_Attestation');
    expect(signed).toMatchObject({ state: 'completed', completedBy: 'reception' });
    const votes = (await tasksOf('committee', `?case=${c.applicationNumber}`)).items;
    expect(votes.map((t) => t.elementId)).toEqual(['Task_CommitteeVote', 'Task_CommitteeVote']);
    await d.as('committee').post(`/api/tasks/${votes[0].key}/complete`).send({ variables: { vote: 'accept', voteNotes: 'Seen the bank letter' } }).expect(200);
    // Each member's vote is local to that member's iteration (the diagram maps vote and voteNotes
    // in as locals; docs.camunda.io/docs/components/concepts/variables/#variable-propagation): the
    // second member's task never shows the first member's vote or notes.
    const other = await d.as('committee2').get(`/api/tasks/${votes[1].key}`).expect(200);
    expect(other.body.variables).not.toHaveProperty('vote');
    expect(other.body.variables).not.toHaveProperty('voteNotes');
    const twice = await d.as('committee').post(`/api/tasks/${votes[1].key}/complete`).send({ variables: { vote: 'accept' } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_VOTED');
    await d.as('committee2').post(`/api/tasks/${votes[1].key}/complete`).send({ variables: { vote: 'reject', voteNotes: 'Income close to the limit' } }).expect(200);
    const chair = await d.at(c.id, 'Task_ChairDecision');
    const detail = await d.as('committee-chair').get(`/api/tasks/${chair.openTasks.find((t) => t.elementId === 'Task_ChairDecision')!.key}`).expect(200);
    // Each vote names the member who cast it: the server sets the iteration's local `voter`.
    expect(detail.body.variables.committeeVotes).toEqual([
      { vote: 'accept', notes: 'Seen the bank letter', member: { username: 'committee', name: expect.any(String) } },
      { vote: 'reject', notes: 'Income close to the limit', member: { username: 'committee2', name: expect.any(String) } },
    ]);
    // A member cannot name someone else as the voter: `voter` is not a field of the form.
    expect(other.body.variables).not.toHaveProperty('voter');
    expect(detail.body.variables.earliestAnswerAt).toBe(chair.earliestAnswerAt);
  });

  it('due dates from the diagram: the committee tasks are due on the earliest answer date, overdue after it, and sort and filter by it', async () => {
    const first = await d.toCommittee();
    await d.advance('P1D');
    const second = await d.toCommittee();
    const mine = (await tasksOf('committee', '?myGroups=true&sort=due')).items.filter((t) => [first.applicationNumber, second.applicationNumber].includes(t.caseNumber!));
    expect(mine.map((t) => t.caseNumber)).toEqual([first.applicationNumber, first.applicationNumber, second.applicationNumber, second.applicationNumber]);
    expect(mine[0].dueDate).toBe((await d.view(first.id)).earliestAnswerAt);
    expect(mine.every((t) => !t.overdue)).toBe(true);
    await d.advance('P14D');
    const overdue = (await tasksOf('committee', '?overdue=true')).items.filter((t) => t.caseNumber === first.applicationNumber);
    expect(overdue).toHaveLength(2);
    expect(overdue.every((t) => t.overdue)).toBe(true);
    const counts = await d.as('committee').get('/api/tasks/counts').expect(200);
    expect(counts.body.overdue).toBeGreaterThanOrEqual(4);
    expect(counts.body).not.toHaveProperty('all');
    const chairCounts = await d.as('committee-chair').get('/api/tasks/counts').expect(200);
    expect(chairCounts.body.all).toBeGreaterThanOrEqual(counts.body.myGroups);
  });

  it('the chair sets a due date; it shows on the task and makes it overdue once passed; others may not', async () => {
    const c = await d.submit();
    const task = await receptionTask(c.applicationNumber);
    expect(task.dueDate).toBeUndefined();
    const now = await d.advance('PT0S');
    const due = new Date(now.getTime() + 2 * 86_400_000).toISOString();
    await d.as('reception').post(`/api/tasks/${task.key}/schedule`).send({ dueDate: due }).expect(403);
    await d.as('committee-chair').post(`/api/tasks/${task.key}/schedule`).send({ dueDate: 'next week' }).expect(400);
    await d.as('committee-chair').post(`/api/tasks/${task.key}/schedule`).send({}).expect(400);
    const set = await d.as('committee-chair').post(`/api/tasks/${task.key}/schedule`).send({ dueDate: due }).expect(200);
    expect(set.body).toMatchObject({ dueDate: due, overdue: false });
    await d.advance('P3D');
    const late = (await tasksOf('reception', `?case=${c.applicationNumber}`)).items[0];
    expect(late).toMatchObject({ dueDate: due, overdue: true });
    const events = await d.as('admin').get(`/api/process-instances/${(await d.view(c.id)).processInstanceKey}/events`).expect(200);
    expect(events.body.find((e: { intent: string }) => e.intent === 'USER_TASK_UPDATED')).toMatchObject({ actor: 'committee-chair' });
    const cleared = await d.as('admin').post(`/api/tasks/${task.key}/schedule`).send({ dueDate: null }).expect(200);
    expect(cleared.body.dueDate).toBeUndefined();
  });

  it('pages with a cursor through every open task exactly once', async () => {
    // Three cases at the committee: at least six open vote tasks, whatever ran before.
    for (let i = 0; i < 3; i++) await d.toCommittee();
    const all = (await tasksOf('admin', '?limit=200')).items.map((t) => t.key);
    expect(all.length).toBeGreaterThan(5);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasksOf('admin', `?limit=2&sort=created${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((t) => t.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...all].sort());
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await d.as('admin').get('/api/tasks?cursor=bm9wZQ').expect(400);
    expect(bad.body.details.fields.cursor[0]).toContain('nextCursor');
    await d.as('admin').get('/api/tasks?sort=name').expect(400);
    await d.as('admin').get('/api/tasks?dueBefore=tomorrow').expect(400);
  });
});
