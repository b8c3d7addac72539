import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, PDF, REGISTERED, SERVED, VALID_EXPIRY, nextNationalId } from '../support/intake';

/** The intake diagram (bpmn/beneficiary-intake.bpmn) run end to end through HTTP, with the test clock. */
describe('the intake process, through HTTP on the real diagram', () => {
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin', 'auditor', 'process-owner', 'applicant', 'researcher');
  });
  afterAll(() => server?.close());

  it('deploys the diagram at start: one version, names in Arabic and English', async () => {
    const defs = await d.as('admin').get('/api/process-definitions').expect(200);
    const intake = defs.body.find((p: { bpmnProcessId: string }) => p.bpmnProcessId === 'beneficiary-intake');
    expect(intake.versions).toHaveLength(1);
    expect(intake.name).toBe('استقبال طلب المستفيد وخدمته');
    // Any signed-in person's UI can name the elements in both languages.
    const elements = await d.as('applicant').get(`/api/process-definitions/${intake.versions[0].key}/elements`).expect(200);
    expect(elements.body.Event_MinimumResponsePeriod).toEqual({
      ar: 'مضى الحد الأدنى لمدة الرد',
      en: 'Minimum response period elapsed',
      type: 'bpmn:IntermediateCatchEvent',
      clauses: ['S5'],
    });
    const named = Object.values(elements.body as Record<string, { type: string; ar?: string; en?: string }>).filter((e) => /Task|Event$/.test(e.type));
    expect(named.filter((e) => !e.ar || !e.en)).toEqual([]);
  });

  it('(a) accepted with referral and attestation → registered → served → survey answered [S3, S6, S7, T3]', async () => {
    const c = await d.submit({ channel: 'C7' });
    expect(c.applicationNumber).toMatch(/^REQ-\d{4}-\d{6}$/);
    const check = await d.at(c.id, 'Task_ReceptionCheck');
    expect(check.verification).toMatchObject({ complete: true, missing: [], problems: [] });
    expect(check.currentSteps).toEqual([{ elementId: 'Task_ReceptionCheck', name: { ar: 'استقبال المستفيد ومطابقة بياناته', en: 'Receive the applicant and match the data' } }]);
    expect(check.openTasks[0]).toMatchObject({ elementId: 'Task_ReceptionCheck', candidateGroups: ['reception'] });

    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: true });
    const referred = await d.at(c.id, 'Task_ResearcherClarification');
    expect(referred.openTasks[0].candidateGroups).toEqual(['researcher']);
    await d.complete(c.id, 'Task_ResearcherClarification', { clarification: 'Explained the committee and the two-week minimum' });

    const signature = await d.sign(c.id);
    expect(signature.dataHash).toMatch(/^[0-9a-f]{64}$/);
    const atCommittee = await d.at(c.id, 'Task_CommitteeVote');
    expect(atCommittee.attestation).toMatchObject({ id: signature.id, dataHash: signature.dataHash });
    const earliest = new Date(atCommittee.earliestAnswerAt!);
    const handOver = (await d.notifications(c.id)).find((n) => n.notice === 'hand-over')!;
    expect(handOver.body.en).toContain('in no less than two weeks');
    expect(handOver.body.ar).toContain('لا تقل عن أسبوعين');
    // The committee's tasks are due on the earliest answer date.
    expect(new Date(atCommittee.openTasks[0].dueDate!).getTime()).toBe(earliest.getTime());

    await d.decide(c.id, 'accepted', 'Meets the training programme criteria');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    const registered = await d.at(c.id, 'Task_DeliverService');
    expect(registered.beneficiaryNumber).toMatch(/^BEN-\d{7}$/);
    expect(registered.decision).toMatchObject({ decision: 'accepted', reasons: 'Meets the training programme criteria' });
    await d.complete(c.id, 'Task_DeliverService', SERVED);
    await d.at(c.id, 'Event_SurveyAnswered');
    await d.as('admin').post('/api/messages').send({ name: 'survey-answered', correlationKey: c.applicationNumber, variables: { surveyAnswered: true } }).expect(201);
    const done = await d.until(c.id, 'completed');
    expect(done.currentSteps).toEqual([]);
    expect((await d.notifications(c.id)).map((n) => n.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over', 'decision', 'registration', 'survey']);
    const survey = (await d.notifications(c.id)).find((n) => n.notice === 'survey')!;
    expect(survey.body.en).toContain('never to punish or expose anyone');
  });

  it('(a′) the service cannot be dated before the committee decided: 400 in words, the task stays open [S5, S7]', async () => {
    const c = await d.toCommittee();
    await d.decide(c.id, 'accepted', 'Meets the training programme criteria');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    const atService = await d.at(c.id, 'Task_DeliverService');
    const [{ decided_at: decidedAt }] = await server.app.get(DataSource).query('SELECT decided_at FROM intake_committee_decision WHERE application_id = $1', [c.id]);
    const decisionDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh' }).format(new Date(decidedAt));
    const dayBefore = new Date(Date.parse(`${decisionDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const task = atService.openTasks.find((t) => t.elementId === 'Task_DeliverService')!;

    const early = await d.as('service').post(`/api/tasks/${task.key}/complete`).send({ variables: { ...SERVED, deliveredOn: dayBefore } });
    expect(early.status).toBe(400);
    expect(early.body).toMatchObject({
      code: 'SERVICE_DATE_BEFORE_DECISION',
      message: `The service date ${dayBefore} is before the committee's decision on ${decisionDay}: the service is provided after the decision`,
      details: { fields: { deliveredOn: [expect.stringContaining(decisionDay)] }, decisionDay, deliveredOn: dayBefore },
    });
    // Nothing moved: the task is open and the case still waits for the service.
    expect((await d.as('service').get(`/api/tasks/${task.key}`).expect(200)).body.task.state).toBe('open');
    await d.onlyAt(c.id, 'Task_DeliverService');

    // The day of the decision itself is fine.
    await d.as('service').post(`/api/tasks/${task.key}/complete`).send({ variables: { ...SERVED, deliveredOn: decisionDay } }).expect(200);
    await d.at(c.id, 'Event_SurveyAnswered');
  });

  it('(b) rejected with reasons: communicated after the minimum period, the case closes as rejected [S5]', async () => {
    const c = await d.toCommittee();
    await d.decide(c.id, 'rejected', 'Household income is above the programme limit');
    const waiting = await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    expect(waiting.decision).toBeUndefined();
    await d.advance('P14D');
    const rejected = await d.until(c.id, 'rejected');
    expect(rejected.decision).toMatchObject({ decision: 'rejected', reasons: 'Household income is above the programme limit' });
    expect(rejected.beneficiaryNumber).toBeUndefined();
    const notice = (await d.notifications(c.id)).find((n) => n.notice === 'decision')!;
    expect(notice.body.en).toContain('Household income is above the programme limit');
    expect(notice.body.ar).toContain('Household income is above the programme limit');
  });

  it('(c) missing documents → asked for → provided → the case continues [S2, O1]', async () => {
    const nationalId = nextNationalId();
    const c = await d.submit({ nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] });
    const check = await d.at(c.id, 'Task_ReceptionCheck');
    expect(check.verification).toMatchObject({ complete: false, missing: ['qualification'] });
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: false, missingItems: 'Certificate of the last qualification' });
    await d.at(c.id, 'Event_DocumentsProvided');
    const asked = (await d.notifications(c.id)).find((n) => n.notice === 'missing-documents')!;
    expect(asked.body.en).toContain('Educational qualification');
    expect(asked.body.en).toContain('Certificate of the last qualification');
    const provided = await d
      .as('reception')
      .post(`/api/cases/${c.id}/documents`)
      .field('documents', JSON.stringify([{ type: 'qualification', number: 'Q-77', file: 'document-0' }]))
      .attach('document-0', PDF, 'diploma.pdf');
    expect(provided.status, JSON.stringify(provided.body)).toBe(201);
    expect(provided.body).toEqual({ added: 1, resumedProcess: true });
    const again = await d.at(c.id, 'Task_ReceptionCheck');
    expect(again.verification).toMatchObject({ complete: true, missing: [] });
    const doc = (again.documents as Array<{ id: string; type: string; fileName?: string }>).find((x) => x.type === 'qualification')!;
    expect(doc.fileName).toBe('diploma.pdf');
    const file = await d.as('researcher').get(`/api/cases/${c.id}/documents/${doc.id}/file`).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(file.body).subarray(0, 5).toString()).toBe('%PDF-');
    await d.as('process-owner').get(`/api/cases/${c.id}/documents/${doc.id}/file`).expect(403);
  });

  it('(d) missing documents → the deadline passes → closed as incomplete, and told so [S2]', async () => {
    const nationalId = nextNationalId();
    const c = await d.submit({ nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] });
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(c.id, 'Event_DocumentsDeadline');
    await d.advance('P29D');
    expect((await d.view(c.id)).status).toBe('open');
    await d.advance('P1D');
    const closed = await d.until(c.id, 'closed-incomplete');
    expect(closed.closedAt).toBeTruthy();
    expect((await d.notifications(c.id)).map((n) => n.notice)).toEqual(['acknowledgment', 'missing-documents', 'closed-incomplete']);
    const late = await d.as('reception').post(`/api/cases/${c.id}/documents`).send({ documents: [{ type: 'qualification', number: 'Q-1' }] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('CASE_CLOSED');
  });

  it('(e) the two-week hold: decided on day 1, no decision on day 13, told on day 14; registration waits for it [S5]', async () => {
    const c = await d.toCommittee();
    const earliest = new Date((await d.view(c.id)).earliestAnswerAt!);
    await d.advance('P1D');
    await d.decide(c.id, 'accepted', 'Eligible');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P12D'); // day 13
    const day13 = await d.view(c.id);
    expect(day13.decision).toBeUndefined();
    expect(day13.currentSteps.map((s) => s.elementId)).toEqual(['Event_MinimumResponsePeriod']);
    expect(day13.beneficiaryNumber).toBeUndefined();
    expect((await d.notifications(c.id)).map((n) => n.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over']);
    const tasks = await d.as('admin').get(`/api/user-tasks?processInstanceKey=${day13.processInstanceKey}`).expect(200);
    expect(tasks.body.map((t: { elementId: string }) => t.elementId)).not.toContain('Task_RegistrationRequirements');
    await d.advance('P1D'); // day 14
    const day14 = await d.at(c.id, 'Task_RegistrationRequirements');
    expect(day14.decision).toMatchObject({ decision: 'accepted' });
    expect(new Date(day14.decision!.communicatedAt).getTime()).toBeGreaterThanOrEqual(earliest.getTime());
  });

  it('(e′) a committee without a decision after 12 days reminds the chair, and the minimum still holds [S5]', async () => {
    const c = await d.toCommittee();
    await d.advance('P12D');
    for (const voter of ['committee', 'committee2']) await d.complete(c.id, 'Task_CommitteeVote', { vote: 'accept' }, voter);
    await d.at(c.id, 'Task_ChairDecision');
    const notices = await d.notifications(c.id);
    expect(notices.filter((n) => n.recipient === 'committee-chair').map((n) => n.notice)).toEqual(['chair-reminder']);
    await d.complete(c.id, 'Task_ChairDecision', { decision: 'accepted', decisionReasons: 'Eligible' });
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    expect((await d.view(c.id)).decision).toBeUndefined();
    await d.advance('P2D');
    await d.at(c.id, 'Task_RegistrationRequirements');
  });

  it('(f) an identity card expired on the submission date is refused with the reason; one that expires later is accepted [S2]', async () => {
    const nationalId = nextNationalId();
    const expired = await d.submit({ nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: '2020-01-01' }, { type: 'qualification', number: 'Q-1' }] });
    const check = await d.at(expired.id, 'Task_ReceptionCheck');
    expect(check.verification!.complete).toBe(false);
    expect(check.verification!.missing).toEqual(['national-id']);
    expect(check.verification!.problems[0]).toMatch(/^The National ID card expired on 2020-01-01, before it was submitted on \d{4}-\d{2}-\d{2}$/);
    await d.complete(expired.id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(expired.id, 'Event_DocumentsProvided');
    const asked = (await d.notifications(expired.id)).find((n) => n.notice === 'missing-documents')!;
    expect(asked.body.en).toContain('expired on 2020-01-01');
    // The Arabic notice says it in Arabic (issue 19 point 4), and the officer's form reads one sentence, not a JSON list.
    expect(asked.body.ar).toContain('انتهت صلاحية بطاقة الهوية الوطنية في 2020-01-01');
    expect(asked.body.ar).not.toContain('expired');
    expect(check.verification!.summary).toMatchObject({ ar: expect.stringContaining('ينقص: بطاقة الهوية الوطنية.'), en: expect.stringContaining('Missing: National ID card.') });

    // Valid on the submission date, expired by the time the case is checked again: still valid.
    const serverNow = await d.advance('PT0S');
    const soon = new Date(serverNow.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const laterId = nextNationalId();
    const later = await d.submit({ nationalId: laterId, documents: [{ type: 'national-id', number: laterId, expiryDate: soon }] });
    await d.complete(later.id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(later.id, 'Event_DocumentsProvided');
    await d.advance('P10D');
    await d.as('reception').post(`/api/cases/${later.id}/documents`).send({ documents: [{ type: 'qualification', number: 'Q-2' }] }).expect(201);
    const rechecked = await d.at(later.id, 'Task_ReceptionCheck');
    expect(rechecked.verification).toMatchObject({ complete: true, problems: [] });
  });

  it('(g) a second open case for the same ID number is flagged [S2]', async () => {
    const nationalId = nextNationalId();
    const first = await d.submit({ nationalId });
    await d.at(first.id, 'Task_ReceptionCheck');
    const second = await d.submit({ nationalId, channel: 'C2' });
    const check = await d.at(second.id, 'Task_ReceptionCheck');
    expect(check.verification!.duplicateOpenCases).toEqual([first.applicationNumber]);
    const search = await d.as('reception').get(`/api/cases?q=${nationalId}`).expect(200);
    expect(search.body.items.map((i: { applicationNumber: string }) => i.applicationNumber).sort()).toEqual([first.applicationNumber, second.applicationNumber].sort());
  });

  it('a change to the signed data voids the signature and sends the case back to be signed; the minimum period starts again [S4, O6]', async () => {
    const c = await d.toCommittee();
    const before = await d.view(c.id);
    await d.advance('P3D');
    const change = await d.as('reception').patch(`/api/cases/${c.id}/applicant`).send({ monthlyIncome: 5200, reason: 'New salary certificate' });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(change.body).toEqual({ attestationVoided: true, backToSignature: true });
    const back = await d.at(c.id, 'Task_Attestation');
    expect(back.attestation).toBeNull();
    expect(back.voidedAttestations).toHaveLength(1);
    await d.sign(c.id);
    const again = await d.at(c.id, 'Task_CommitteeVote');
    expect(new Date(again.earliestAnswerAt!).getTime() - new Date(before.earliestAnswerAt!).getTime()).toBeGreaterThanOrEqual(3 * 86_400_000);
    // Data that is not signed yet changes freely; nothing to void.
    const fresh = await d.submit();
    await d.at(fresh.id, 'Task_ReceptionCheck');
    const edit = await d.as('reception').patch(`/api/cases/${fresh.id}/applicant`).send({ city: 'جدة', reason: 'Moved' }).expect(200);
    expect(edit.body).toEqual({ attestationVoided: false, backToSignature: false });
  });

  it('[S1, T2] a request is received at reception first, and every notice to the applicant addresses them by name, courteously, in Arabic and English', async () => {
    const fullName = 'سارة محمد القحطاني';
    // One case the whole way through (hand-over, decision, registration, survey) …
    const served = await d.submit({ fullName });
    const received = await d.at(served.id, 'Task_ReceptionCheck');
    expect(received.currentSteps.map((s) => s.elementId)).toEqual(['Task_ReceptionCheck']);
    expect(received.openTasks).toMatchObject([{ elementId: 'Task_ReceptionCheck', candidateGroups: ['reception'] }]);
    // … and one that waits for documents, then closes (missing-documents, closed-incomplete).
    const nationalId = nextNationalId();
    const incomplete = await d.submit({ fullName, nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] });
    await d.complete(incomplete.id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(incomplete.id, 'Event_DocumentsDeadline');

    await d.complete(served.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.sign(served.id, fullName);
    await d.decide(served.id, 'accepted', 'Eligible');
    await d.onlyAt(served.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(served.id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(served.id, 'Task_DeliverService', SERVED);
    await d.at(served.id, 'Event_SurveyAnswered');
    await d.advance('P16D'); // 30 days after the request for documents
    await d.until(incomplete.id, 'closed-incomplete');

    const notices = [...(await d.notifications(served.id)), ...(await d.notifications(incomplete.id))];
    expect(notices.map((n) => n.notice).sort()).toEqual(['acknowledgment', 'acknowledgment', 'closed-incomplete', 'decision', 'hand-over', 'missing-documents', 'please-sign', 'registration', 'survey']);
    for (const n of notices) {
      expect(n.recipient, n.notice).toBe('applicant');
      expect(n.body.ar.startsWith(`عزيزنا ${fullName}، `), `${n.notice}: ${n.body.ar}`).toBe(true);
      expect(n.body.en.startsWith(`Dear ${fullName}, `), `${n.notice}: ${n.body.en}`).toBe(true);
    }
    const handOver = notices.find((n) => n.notice === 'hand-over')!;
    expect(handOver.body.en).toContain('thank you for your trust');
    expect(handOver.body.ar).toContain('نشكر لكم ثقتكم');
    const closed = notices.find((n) => n.notice === 'closed-incomplete')!;
    expect(closed.body.en).toContain('You are welcome to apply again at any time');
    expect(closed.body.ar).toContain('يسعدنا استقبال طلب جديد منكم');
  });

  it('[T1, S3] a referred applicant\'s questions are answered by the social researcher, and the answer is kept in the case\'s history', async () => {
    const clarification = 'The committee studies every request; support is not decided at the desk, and the answer comes in no less than two weeks';
    const c = await d.submit();
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: true });
    const referred = await d.at(c.id, 'Task_ResearcherClarification');
    expect(referred.openTasks).toMatchObject([{ elementId: 'Task_ResearcherClarification', candidateGroups: ['researcher'] }]);
    await d.complete(c.id, 'Task_ResearcherClarification', { clarification });
    await d.at(c.id, 'Task_Attestation');
    const history = await d.as('auditor').get(`/api/cases/${c.id}/history`).expect(200);
    const answered = (history.body.timeline as Array<{ action: string; actor: string; elementId: string; changes: { after: Record<string, unknown> } }>).filter(
      (t) => t.action === 'task.completed' && t.elementId === 'Task_ResearcherClarification',
    );
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ actor: 'researcher', changes: { after: { clarification } } });
  });

  it('lists and filters cases for staff; applicants and process owners cannot read them', async () => {
    const c = await d.submit({ channel: 'C8' });
    // Two more requests by the same name, so a page of two is full and more remain, whatever ran before.
    await d.submit();
    await d.submit();
    await d.at(c.id, 'Task_ReceptionCheck');
    const byStep = await d.as('auditor').get('/api/cases?step=Task_ReceptionCheck&channel=C8').expect(200);
    expect(byStep.body.items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect(byStep.body.items[0]).toMatchObject({ channel: { code: 'C8', name: { en: 'Outreach office representatives' } }, status: 'open' });
    const byNumber = await d.as('auditor').get(`/api/cases?q=${c.applicationNumber}`).expect(200);
    expect(byNumber.body).toMatchObject({ total: 1, items: [{ id: c.id }] });
    const byName = await d.as('auditor').get(`/api/cases?q=${encodeURIComponent('عبدالله')}&limit=2`).expect(200);
    expect(byName.body.items).toHaveLength(2);
    expect(byName.body.total).toBeGreaterThan(2);
    await d.as('admin').get(`/api/cases/${c.applicationNumber}`).expect(200);
    await d.as('applicant').get('/api/cases').expect(403);
    await d.as('process-owner').get(`/api/cases/${c.id}`).expect(403);
    await d.as('admin').get('/api/cases/00000000-0000-4000-8000-000000000000').expect(404);
    await d.as('admin').get('/api/cases/REQ-1999-000001').expect(404);
  });
});
