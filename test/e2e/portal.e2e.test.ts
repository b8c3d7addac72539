import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, PDF, REGISTERED, SERVED, VALID_EXPIRY, applicationFor, nextNationalId } from '../support/intake';
import { PortalApplicant } from '../support/portal';

/** Issue 9, the applicant's half: the portal (C7) and the satisfaction survey, on the real diagram. */
describe('the applicant portal and the satisfaction survey', () => {
  let server: TestServer;
  let d: IntakeDriver;
  let db: DataSource;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true', TRUST_PROXY: 'loopback' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin', 'auditor', 'applicant');
    db = server.app.get(DataSource);
  });
  afterAll(() => server?.close());

  const count = async (table: string) => (await db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  /** What people did, in the audit log (the engine's own events are copied in behind, asynchronously). */
  const peoplesAuditEvents = async () => (await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action NOT LIKE 'engine.%'`))[0].n as number;
  /** What an applicant submits: the staff request without the channel and mobile the portal sets. */
  const request = (overrides: Record<string, unknown> = {}) => {
    const { channel: _c, mobile: _m, ...rest } = applicationFor(overrides);
    return rest;
  };
  const auditOf = async (caseId: string) => {
    const res = await d.as('auditor').get(`/api/audit/events?case=${caseId}&limit=500`).expect(200);
    return res.body.items as Array<{ action: string; actor: string; details?: Record<string, unknown> }>;
  };
  const survey = { overall: 5, clarity: 4, timeTaken: 3, courtesy: 5, comment: 'Clear and kind' };

  /** Drives cases at the committee to the survey (the staff's steps), past one minimum period. */
  const toSurvey = async (...ids: string[]) => {
    for (const id of ids) {
      await d.decide(id, 'accepted', 'Eligible');
      await d.onlyAt(id, 'Event_MinimumResponsePeriod');
    }
    await d.advance('P14D');
    for (const id of ids) {
      await d.complete(id, 'Task_RegistrationRequirements', REGISTERED);
      await d.complete(id, 'Task_DeliverService', SERVED);
      await d.at(id, 'Event_SurveyAnswered');
    }
  };

  it('signs in with a one-time code: wrong, reused and expired codes get 401; the session is an applicant\'s [O4]', async () => {
    const a = new PortalApplicant(server, '0551110001');
    const asked = await a.askCode().expect(202);
    expect(asked.body.sentTo).toBe('+96655*****01');
    const code = await a.latestCode();
    const wrong = await a.tryCode(code === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CODE');
    const ok = await a.tryCode(code).expect(200);
    expect(ok.body.user.roles).toEqual(['applicant']);
    expect(ok.headers['set-cookie']?.[0]).toMatch(/^mustafid_session=.*HttpOnly/);
    expect(ok.body.user.username).toMatch(/^applicant-[0-9a-f]{10}$/); // no phone number in the audit log's actor
    const again = await a.tryCode(code);
    expect(again.status).toBe(401);
    // The code is stored only as a hash, and once used the outbox no longer holds it.
    const rows = await db.query('SELECT code_hash FROM portal_sign_in_code WHERE mobile = $1', ['+966551110001']);
    expect(rows.map((r: { code_hash: string }) => r.code_hash)).not.toContain(code);
    const [notice] = await db.query(`SELECT body_en FROM intake_notification WHERE to_mobile = $1 AND notice = 'sign-in-code'`, ['+966551110001']);
    expect(notice.body_en).not.toContain(code);
    const me = await server.http().get('/api/portal/me').auth(ok.body.accessToken, { type: 'bearer' }).expect(200);
    expect(me.body.mobile).toBe('+966551110001');

    // One code a minute per number, and the applicant is told how long to wait.
    const soon = await a.askCode();
    expect(soon.status).toBe(429);
    expect(soon.body).toMatchObject({ code: 'CODE_COOLDOWN', details: { retryAfterSeconds: expect.any(Number) } });
    expect(soon.body.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(soon.body.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(soon.body.message).toMatch(/You can ask for a new one in \d+ second\(s\)/);
    await d.advance('PT1M');

    // A code works for ten minutes.
    await a.askCode().expect(202);
    const late = await a.latestCode();
    await d.advance('PT11M');
    const expired = await a.tryCode(late);
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('CODE_EXPIRED');
    expect(expired.body.message).toMatch(/expired/);

    // Signing in again later: the same account.
    const b = await new PortalApplicant(server, '+966551110001').signIn();
    expect((await b.get('/api/portal/me').expect(200)).body.mobile).toBe('+966551110001');
  });

  it('[issue 18.5] someone else asking for codes and typing wrong codes for a number cannot lock its applicant out', async () => {
    const attacker = new PortalApplicant(server, '0551110005', '203.0.113.7');
    const applicant = new PortalApplicant(server, '0551110005', '198.51.100.9');
    for (let i = 0; i < server.config.auth.loginMaxFailures; i++) {
      await attacker.askCode().expect(202);
      await d.advance('PT1M');
    }
    expect((await attacker.askCode()).body.code).toBe('TOO_MANY_CODE_ATTEMPTS');
    for (let i = 0; i < server.config.auth.loginMaxFailures; i++) expect((await attacker.tryCode(String(100000 + i))).status).toBe(401);
    expect((await attacker.tryCode('123456')).body.code).toBe('TOO_MANY_CODE_ATTEMPTS');
    // The applicant, from their own address, asks for a code and signs in with it.
    const asked = await applicant.askCode();
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const signedIn = await applicant.tryCode(await applicant.latestCode());
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  });

  it('limits wrong codes and code requests per number (429), and refuses a non-Saudi number with nothing stored', async () => {
    const a = new PortalApplicant(server, '0551110002');
    await a.askCode().expect(202);
    const code = await a.latestCode();
    for (let i = 0; i < server.config.auth.loginMaxFailures; i++) {
      expect((await a.tryCode(code === '111111' ? '222222' : '111111')).status).toBe(401);
    }
    const limited = await a.tryCode(code);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('TOO_MANY_CODE_ATTEMPTS');
    expect(limited.body.message).toMatch(/Too many wrong codes/);

    const c = new PortalApplicant(server, '0551110003');
    for (let i = 0; i < server.config.auth.loginMaxFailures; i++) {
      await c.askCode().expect(202);
      await d.advance('PT1M');
    }
    const tooMany = await c.askCode();
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.message).toMatch(/Too many codes/);

    const before = { codes: await count('portal_sign_in_code'), notices: await count('intake_notification') };
    const bad = await server.http().post('/api/portal/sign-in/code').send({ mobile: '0123' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields.mobile[0]).toMatch(/Saudi mobile number/);
    const letters = await server.http().post('/api/portal/sign-in').send({ mobile: '0551110004', code: 'abcdef' });
    expect(letters.status).toBe(400);
    expect({ codes: await count('portal_sign_in_code'), notices: await count('intake_notification') }).toEqual(before);
  });

  it('an applicant submits, uploads, sees the step in plain words, signs the data shown, hears the decision only on day 14, and answers the survey once [C7, O2, O5, S4]', async () => {
    const a = await new PortalApplicant(server, '0551110010').signIn();
    const app = request();
    (app.documents as Array<Record<string, unknown>>)[1].file = 'document-0';
    const created = await a.post('/api/portal/requests').field('application', JSON.stringify(app)).attach('document-0', PDF, 'diploma.pdf');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    const staffView = await d.at(id, 'Task_ReceptionCheck');
    expect(staffView.channel).toMatchObject({ code: 'C7' });
    expect(staffView.applicant).toMatchObject({ mobile: '+966551110010' });
    const listed = await a.get('/api/portal/requests').expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id, applicationNumber: created.body.applicationNumber, stage: 'checking' })]);
    const first = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(first.body.documents.map((x: { type: string; fileName?: string }) => [x.type, x.fileName ?? null])).toEqual([['national-id', null], ['qualification', 'diploma.pdf']]);

    await d.complete(id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.at(id, 'Task_Attestation');
    const detail = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(detail.body).toMatchObject({ stage: 'signature', awaitingSignature: true, attestation: null });
    // The data to be signed is shown first; a signature names its hash.
    const shown = await a.get(`/api/portal/requests/${id}/attestation`).expect(200);
    expect(shown.body).toMatchObject({ awaitingSignature: true, fullName: 'فاطمة عبدالله الحربي' });
    expect(shown.body.data).toMatchObject({ applicationNumber: created.body.applicationNumber, channel: 'C7', nationalId: app.nationalId, mobile: '+966551110010' });
    expect(shown.body.dataHash).toMatch(/^[0-9a-f]{64}$/);
    const stale = await a.post(`/api/portal/requests/${id}/attestation`).send({ typedName: 'فاطمة عبدالله الحربي', consent: true, dataHash: '0'.repeat(64) });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('SIGNED_DATA_CHANGED');
    const noConsent = await a.post(`/api/portal/requests/${id}/attestation`).send({ typedName: 'فاطمة عبدالله الحربي', consent: false, dataHash: shown.body.dataHash });
    expect(noConsent.status).toBe(400);
    expect(await count(`intake_attestation WHERE application_id = '${id}'`)).toBe(0);
    const signed = await a.post(`/api/portal/requests/${id}/attestation`).send({ typedName: 'فاطمة  عبدالله الحربي', consent: true, dataHash: shown.body.dataHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect(signed.body.method).toBe('electronic');

    const atCommittee = await d.at(id, 'Task_CommitteeVote');
    const waiting = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(waiting.body).toMatchObject({ stage: 'committee', attestation: { method: 'electronic' }, earliestAnswerAt: atCommittee.earliestAnswerAt });
    expect(waiting.body.messages.map((m: { notice: string }) => m.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over']);
    expect(waiting.body.messages[2].body.ar).toContain('لا تقل عن أسبوعين');

    await d.decide(id, 'accepted', 'Meets the training programme criteria');
    await d.onlyAt(id, 'Event_MinimumResponsePeriod');
    await d.advance('P13D');
    const day13 = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(day13.body.decision).toBeUndefined();
    expect(day13.body.stage).toBe('committee');
    expect(day13.body.messages.map((m: { notice: string }) => m.notice)).toEqual(['acknowledgment', 'please-sign', 'hand-over']);
    await d.advance('P1D');
    await d.at(id, 'Task_RegistrationRequirements');
    const day14 = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(day14.body.decision).toMatchObject({ decision: 'accepted', reasons: 'Meets the training programme criteria' });
    expect(day14.body.stage).toBe('registration');
    expect(day14.body.survey).toMatchObject({ open: false, answered: false });
    const early = await a.post(`/api/portal/requests/${id}/survey`).send(survey);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SURVEY_NOT_OPEN');

    await d.complete(id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(id, 'Task_DeliverService', SERVED);
    await d.at(id, 'Event_SurveyAnswered');
    const open = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(open.body).toMatchObject({ stage: 'survey', survey: { open: true, answered: false } });
    const notice = open.body.messages.find((m: { notice: string }) => m.notice === 'survey');
    expect(notice.body.en).toMatch(new RegExp(`http://localhost:3000/survey/${created.body.applicationNumber}\\?token=[A-Za-z0-9_-]{43}`));
    const six = await a.post(`/api/portal/requests/${id}/survey`).send({ ...survey, courtesy: 6 });
    expect(six.status).toBe(400);
    expect(six.body.details.fields.courtesy[0]).toMatch(/from 1 .* to 5/);
    expect(await count('intake_survey_answer')).toBe(0);
    const answered = await a.post(`/api/portal/requests/${id}/survey`).send(survey);
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const second = await a.post(`/api/portal/requests/${id}/survey`).send({ ...survey, overall: 1 });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('SURVEY_ALREADY_ANSWERED');
    // survey-answered reached the process: the case ends at End_Served.
    await d.until(id, 'completed');
    const [row] = await db.query('SELECT overall, courtesy, answered_via FROM intake_survey_answer WHERE application_id = $1', [id]);
    expect(row).toEqual({ overall: 5, courtesy: 5, answered_via: 'portal' });
    // The link of the notice is spent too.
    const token = /token=([A-Za-z0-9_-]{43})/.exec(notice.body.en)![1];
    const viaLink = await server.http().post('/api/survey/answers').send({ ...survey, token, applicationNumber: created.body.applicationNumber });
    expect(viaLink.status).toBe(410);

    const audit = await auditOf(id);
    const mine = audit.filter((e) => /^applicant-/.test(e.actor)).map((e) => e.action);
    expect(mine).toEqual(expect.arrayContaining(['application.submitted', 'attestation.recorded', 'survey.answered']));
    const answeredEvent = audit.find((e) => e.action === 'survey.answered')!;
    expect(answeredEvent.details).toEqual({ via: 'portal', withComment: true });
  });

  it('provides missing documents from the portal; a file of the wrong type gets 400 and nothing is stored [O2]', async () => {
    const a = await new PortalApplicant(server, '0551110020').signIn();
    const nationalId = nextNationalId();
    const created = await a.post('/api/portal/requests').send(request({ nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] })).expect(201);
    const id = created.body.id as string;
    await d.complete(id, 'Task_ReceptionCheck', { dataComplete: false, missingItems: 'Certificate of the last qualification' });
    await d.at(id, 'Event_DocumentsProvided');
    const asked = await a.get(`/api/portal/requests/${id}`).expect(200);
    expect(asked.body).toMatchObject({ stage: 'missing-documents', missing: { documents: ['qualification'] } });
    expect(asked.body.messages.map((m: { notice: string }) => m.notice)).toEqual(['acknowledgment', 'missing-documents']);
    expect(asked.body.messages[1].body.en).toContain('Certificate of the last qualification');

    const before = { documents: await count('intake_document'), audit: await peoplesAuditEvents() };
    const wrongType = await a
      .post(`/api/portal/requests/${id}/documents`)
      .field('documents', JSON.stringify([{ type: 'qualification', number: 'Q-77', file: 'document-0' }]))
      .attach('document-0', Buffer.from('just some text, not a scan'), 'diploma.pdf');
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.message).toMatch(/not a PDF, JPEG or PNG file/);
    const noFile = await a.post(`/api/portal/requests/${id}/documents`).send({ documents: [] });
    expect(noFile.status).toBe(400);
    expect({ documents: await count('intake_document'), audit: await peoplesAuditEvents() }).toEqual(before);

    const provided = await a
      .post(`/api/portal/requests/${id}/documents`)
      .field('documents', JSON.stringify([{ type: 'qualification', number: 'Q-77', file: 'document-0' }]))
      .attach('document-0', PDF, 'diploma.pdf');
    expect(provided.status, JSON.stringify(provided.body)).toBe(201);
    expect(provided.body).toEqual({ added: 1, resumedProcess: true });
    const again = await d.at(id, 'Task_ReceptionCheck');
    expect(again.verification).toMatchObject({ complete: true, missing: [] });
    expect((await auditOf(id)).find((e) => e.action === 'documents.provided')!.actor).toMatch(/^applicant-/);
  });

  it('[issue 19.3] a request recorded at reception with the consent shows in the portal of whoever signs in with its mobile number; without it, 404; numbers in Arabic-Indic digits', async () => {
    const mobile = '0551119003';
    const indic = (text: string) => text.replace(/\d/g, (digit) => String.fromCharCode(0x0660 + Number(digit)));
    const nationalId = nextNationalId();
    // Recorded in person (C1): the ID, mobile, income and document number typed in Arabic-Indic digits.
    const consented = await d.submit({
      nationalId: indic(nationalId),
      mobile: indic(mobile),
      monthlyIncome: '٣٥٠٠٫٥٠',
      portalConsent: true,
      documents: [{ type: 'national-id', number: indic(nationalId), expiryDate: VALID_EXPIRY }, { type: 'qualification', number: 'Q-٢٠٢٠-١١' }],
    });
    const staffView = (await d.as('reception').get(`/api/cases/${consented.id}`).expect(200)).body;
    expect(staffView.applicant).toMatchObject({ nationalId, mobile: '+966551119003', monthlyIncome: 3500.5 });
    expect(staffView.documents.map((x: { number: string }) => x.number)).toEqual([nationalId, 'Q-2020-11']);
    expect(staffView.portalConsentAt).toBeTruthy();
    const without = await d.submit({ mobile, channel: 'C3' });
    // Edge checks carry their constraint as the code: a bad ID number in any digits, a too-young applicant.
    const refused = await d.as('reception').post('/api/applications').send(applicationFor({ nationalId: '١٢٣', birthDate: '2015-01-01' }));
    expect(refused.status).toBe(400);
    expect(refused.body.details.codes.nationalId).toEqual([{ code: 'isSaudiNationalId' }]);
    expect((await d.as('reception').get(`/api/cases/${without.id}`).expect(200)).body.portalConsentAt).toBeUndefined();
    // Staff find both by the mobile number, in any of its forms and digits.
    const found = await d.as('reception').get(`/api/cases?q=${encodeURIComponent(indic('966551119003'))}`).expect(200);
    expect(found.body.items.map((i: { id: string }) => i.id).sort()).toEqual([consented.id, without.id].sort());

    // The applicant signs in with the number and the code typed in Arabic-Indic digits.
    const a = new PortalApplicant(server, indic(mobile));
    await a.askCode().expect(202);
    const signed = await a.tryCode(indic(await a.latestCode())).expect(200);
    a.token = signed.body.accessToken;
    const list = await a.get('/api/portal/requests').expect(200);
    expect(list.body.map((r: { id: string }) => r.id)).toEqual([consented.id]);
    await a.get(`/api/portal/requests/${consented.applicationNumber}`).expect(200);
    await a.get(`/api/portal/requests/${without.id}`).expect(404);
    // Someone else's number sees neither.
    const other = await new PortalApplicant(server, '0551119004').signIn();
    expect((await other.get('/api/portal/requests').expect(200)).body).toEqual([]);
    await other.get(`/api/portal/requests/${consented.id}`).expect(404);
  });

  it("another applicant's request answers 404 to every portal route; staff and password accounts are not portal applicants", async () => {
    const owner = await new PortalApplicant(server, '0551110030').signIn();
    const other = await new PortalApplicant(server, '0551110031').signIn();
    const created = await owner.post('/api/portal/requests').send(request()).expect(201);
    const { id, applicationNumber } = created.body;
    for (const ref of [id, applicationNumber]) {
      for (const [route, res] of [
        ['detail', await other.get(`/api/portal/requests/${ref}`)],
        ['data to sign', await other.get(`/api/portal/requests/${ref}/attestation`)],
        ['sign', await other.post(`/api/portal/requests/${ref}/attestation`).send({ typedName: 'فاطمة عبدالله الحربي', consent: true, dataHash: 'a'.repeat(64) })],
        ['documents', await other.post(`/api/portal/requests/${ref}/documents`).send({ documents: [{ type: 'qualification', number: 'Q-1' }] })],
        ['survey', await other.post(`/api/portal/requests/${ref}/survey`).send(survey)],
      ] as const) {
        expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(404);
        expect(res.body.code).toBe('NOT_FOUND');
      }
    }
    expect((await other.get('/api/portal/requests').expect(200)).body).toEqual([]);
    // A desk request with the same mobile is not in the portal (decision 0013).
    const desk = await d.submit({ mobile: '0551110030' });
    expect((await owner.get('/api/portal/requests').expect(200)).body.map((r: { id: string }) => r.id)).toEqual([id]);
    await owner.get(`/api/portal/requests/${desk.id}`).expect(404);
    // Staff may not use the portal's routes, nor an applicant the staff's.
    await d.as('reception').get('/api/portal/requests').expect(403);
    await owner.get(`/api/cases/${id}`).expect(403);
    await owner.post('/api/applications').send(applicationFor()).expect(403);
    const passwordApplicant = await d.as('applicant').get('/api/portal/requests');
    expect(passwordApplicant.status).toBe(403);
    expect(passwordApplicant.body.code).toBe('NOT_A_PORTAL_ACCOUNT');
  });

  it('the survey link: once, only for its own request, ratings 1–5; answering completes the process [O5, T3]', async () => {
    const first = await d.toCommittee();
    const second = await d.toCommittee();
    await toSurvey(first.id, second.id);
    const linkOf = async (id: string) => {
      const n = (await d.notifications(id)).find((x) => x.notice === 'survey')!;
      expect(n.body.ar).toContain('لا للمحاسبة أو التشهير');
      return /token=([A-Za-z0-9_-]{43})/.exec(n.body.en)![1];
    };
    const token = await linkOf(first.id);
    await linkOf(second.id);
    const invitation = await server.http().get(`/api/survey/invitations/${token}`).expect(200);
    expect(invitation.body).toMatchObject({ applicationNumber: first.applicationNumber, used: false, answered: false });
    await server.http().get(`/api/survey/invitations/${'x'.repeat(43)}`).expect(404);

    const answers = await count('intake_survey_answer');
    const six = await server.http().post('/api/survey/answers').send({ ...survey, overall: 6, token, applicationNumber: first.applicationNumber });
    expect(six.status).toBe(400);
    expect(six.body.details.fields.overall[0]).toMatch(/from 1 .* to 5/);
    const zero = await server.http().post('/api/survey/answers').send({ ...survey, clarity: 0, token, applicationNumber: first.applicationNumber });
    expect(zero.status).toBe(400);
    const otherCase = await server.http().post('/api/survey/answers').send({ ...survey, token, applicationNumber: second.applicationNumber });
    expect(otherCase.status).toBe(403);
    expect(otherCase.body.code).toBe('SURVEY_LINK_OTHER_CASE');
    const unknown = await server.http().post('/api/survey/answers').send({ ...survey, token: 'y'.repeat(43), applicationNumber: first.applicationNumber });
    expect(unknown.status).toBe(404);
    expect(await count('intake_survey_answer')).toBe(answers);

    const ok = await server.http().post('/api/survey/answers').send({ ...survey, token, applicationNumber: first.applicationNumber });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const twice = await server.http().post('/api/survey/answers').send({ ...survey, token, applicationNumber: first.applicationNumber });
    expect(twice.status).toBe(410);
    expect(twice.body.code).toBe('SURVEY_LINK_USED');
    expect(await count('intake_survey_answer')).toBe(answers + 1);
    await d.until(first.id, 'completed');
    expect((await d.view(second.id)).status).toBe('open');
    const event = (await auditOf(first.id)).find((e) => e.action === 'survey.answered')!;
    expect(event).toMatchObject({ actor: 'survey-link', details: { via: 'link', withComment: true } });

    // The survey closes with the diagram's deadline (P14D): an hour before it the case still
    // waits and the link still opens; an hour after it the case is closed and the link answers 410.
    const lateToken = await linkOf(second.id);
    await d.advance('PT335H');
    expect((await d.view(second.id)).status).toBe('open');
    expect((await server.http().get(`/api/survey/invitations/${lateToken}`).expect(200)).body).toMatchObject({ used: false, answered: false });
    await d.advance('PT2H');
    await d.until(second.id, 'completed');
    const late = await server.http().post('/api/survey/answers').send({ ...survey, token: lateToken, applicationNumber: second.applicationNumber });
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('SURVEY_LINK_EXPIRED');
  });
});

describe('the applicant portal with a mail server configured', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { SMTP_URL: 'smtp://127.0.0.1:9', LOGIN_MAX_FAILURES: '1' } });
  });
  afterAll(() => server?.close());

  it('never shows a sign-in code, and limits code requests per address across numbers', async () => {
    const first = await server.http().post('/api/portal/sign-in/code').send({ mobile: '0551119000' });
    expect(first.status).toBe(202);
    const demo = await server.http().get('/api/portal/demo/sign-in-codes').query({ mobile: '0551119000' });
    expect(demo.status).toBe(404);
    expect(demo.body.message).toMatch(/only in the demo setting/);
    // The code waits in the outbox for the phone, never for e-mail.
    const [row] = await server.app.get(DataSource).query(`SELECT delivery, to_email FROM intake_notification WHERE notice = 'sign-in-code'`);
    expect(row).toEqual({ delivery: 'outbox', to_email: null });
    // LOGIN_MAX_FAILURES=1: one code per number, ten per address.
    expect((await server.http().post('/api/portal/sign-in/code').send({ mobile: '0551119000' })).status).toBe(429);
    for (let i = 1; i < 10; i++) {
      expect((await server.http().post('/api/portal/sign-in/code').send({ mobile: `05511190${String(i).padStart(2, '0')}` })).status).toBe(202);
    }
    const eleventh = await server.http().post('/api/portal/sign-in/code').send({ mobile: '0551119099' });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.code).toBe('TOO_MANY_CODE_ATTEMPTS');
  });
});
