import { DataSource } from 'typeorm';
import { InquiryRetention } from '@mustafid/inquiry';
import { CLOCK, type Clock } from '@mustafid/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { WAIT_MS } from '../support/budget.mjs';
import { IntakeDriver } from '../support/intake';

/**
 * Inquiries, suggestions, complaints and compliments (issue 20): the second process
 * (bpmn/beneficiary-inquiry.bpmn) on the real server and database (PostgreSQL with DATABASE_URL,
 * else PGlite), and the officer's reference library (R1) with its Arabic-aware search.
 * Timers: Camunda 8 "Timer events" (https://docs.camunda.io/docs/components/modeler/bpmn/timer-events/):
 * a non-interrupting boundary timer fires while its activity stays active.
 */
describe('inquiries and the reference library (issue 20)', () => {
  let server: TestServer;
  let d: IntakeDriver;

  const inquiry = (overrides: Record<string, unknown> = {}) => ({
    kind: 'question',
    topic: 'application',
    channel: 'C2',
    body: 'ما المستندات المطلوبة لتقديم طلب مساعدة مالية؟',
    personName: 'نورة سعد القحطاني',
    mobile: '0551234567',
    ...overrides,
  });

  async function record(overrides: Record<string, unknown> = {}, user = 'reception') {
    const res = await d.as(user).post('/api/inquiries').send(inquiry(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await d.settle();
    return res.body as { id: string; number: string; trackingToken: string };
  }

  async function fromWebsite(overrides: Record<string, unknown> = {}) {
    const { channel: _, ...body } = inquiry(overrides);
    const res = await server.http().post('/api/public/inquiries').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await d.settle();
    const [row] = await db().query('SELECT id FROM inquiry WHERE inquiry_number = $1', [res.body.number]);
    return { id: row.id as string, number: res.body.number as string, trackingToken: res.body.trackingToken as string };
  }

  const db = () => server.app.get(DataSource) as { query(q: string, p?: unknown[]): Promise<Array<Record<string, never>>> };

  const view = async (id: string, user = 'reception') => {
    const res = await d.as(user).get(`/api/inquiries/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  async function answer(id: string, body: Record<string, unknown>, user = 'reception') {
    const res = await d.as(user).post(`/api/inquiries/${id}/answer`).send({ answer: 'نرجو إحضار الهوية الوطنية وسجل الأسرة وإثبات الدخل.', method: 'sms', ...body });
    return res;
  }

  async function article(slug: string, overrides: Record<string, unknown> = {}) {
    const res = await d.as('process-owner').post('/api/library/articles').send({
      slug,
      kind: 'faq',
      public: true,
      titleAr: 'تجديد الإقامة قبل التقديم',
      titleEn: 'Renewing the iqama before applying',
      bodyAr: 'يجب أن تكون الإقامة سارية وقت التقديم، ويُمهَل المستفيد ٣٠ يومًا لاستكمال الطلب.',
      bodyEn: 'The iqama must be valid on the day of submission; the beneficiary has 30 days to complete the request.',
      ...overrides,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; slug: string; version: number };
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('manager', 'process-owner', 'auditor');
  }, 4 * WAIT_MS);
  afterAll(() => server?.close());

  describe.each([
    ['C2', 'reception (a phone call)'],
    ['C7', 'the website, without an account'],
  ])('through %s, %s', (channel) => {
    it.each(['question', 'suggestion', 'complaint', 'compliment'])('records a %s, assigns it to beneficiary relations, answers it and sends the answer by the person\'s channel [S1, O3, G1]', async (kind) => {
      const body = `${kind} ${channel}: ${'أرجو الإفادة عن مواعيد استقبال الطلبات في الفرع.'}`;
      const rec = channel === 'C7' ? await fromWebsite({ kind, topic: 'services', body }) : await record({ kind, topic: 'services', body, channel });
      expect(rec.number).toMatch(/^INQ-\d{4}-\d{6}$/);
      const open = await view(rec.id);
      expect(open).toMatchObject({ kind, channel, status: 'open', topic: 'services', body, mayAnswer: true });
      expect(open.recordedBy).toBe(channel === 'C7' ? undefined : 'reception');
      // The diagram's target for the kind (Task_SetResponseTarget's input mapping), kept with the inquiry.
      expect(open.responseTarget).toBe(kind === 'question' ? 'P2D' : kind === 'complaint' ? 'P3D' : 'P7D');
      expect(new Date(open.dueAt).getTime()).toBeGreaterThan(new Date(open.receivedAt).getTime());
      expect(open.notices.map((n: { notice: string }) => n.notice)).toEqual(['inquiry-received']);

      // The task is offered to the beneficiary-relations group (reception) and completed only through the answer.
      const tasks = await d.as('reception').get('/api/tasks?process=beneficiary-inquiry&state=open');
      expect(tasks.status, JSON.stringify(tasks.body)).toBe(200);
      const task = tasks.body.items.find((t: { processInstanceKey: string }) => t.processInstanceKey === open.processInstanceKey);
      expect(task?.elementId).toBe('Task_AnswerInquiry');
      expect(task.candidateGroups).toEqual(['reception']);
      const generic = await d.as('reception').post(`/api/tasks/${task.key}/complete`).send({ variables: {} });
      expect(generic.status).toBe(409);
      expect(generic.body.code).toBe('USE_OWN_ENDPOINT');

      const res = await answer(rec.id, { answer: `شكرًا لتواصلكم بخصوص ${kind}.`, method: 'sms', ...(kind === 'complaint' || kind === 'suggestion' ? { actionTaken: 'عُدّلت مواعيد الاستقبال' } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await d.settle();
      const done = await view(rec.id);
      expect(done).toMatchObject({ status: 'answered', answerMethod: 'sms', answeredBy: 'reception' });
      const sent = done.notices.find((n: { notice: string }) => n.notice === 'inquiry-answer');
      expect(sent).toMatchObject({ recipient: 'inquirer', toMobile: '+966551234567' });
      expect(sent.body.ar).toContain(`شكرًا لتواصلكم بخصوص ${kind}.`);
      const instance = await d.as('admin').get(`/api/process-instances/${open.processInstanceKey}`);
      expect(instance.body.state).toBe('COMPLETED');
    });
  });

  it('records an answer given in person without sending anything, and a portal answer left for the person\'s link [O3]', async () => {
    const inPerson = await record({ channel: 'C1' });
    expect((await answer(inPerson.id, { method: 'in-person' })).status).toBe(200);
    await d.settle();
    const said = await view(inPerson.id);
    expect(said.answerMethod).toBe('in-person');
    expect(said.notices.map((n: { notice: string }) => n.notice)).toEqual(['inquiry-received']);

    const portal = await fromWebsite({ mobile: undefined, email: 'noura@example.com' });
    expect((await answer(portal.id, { method: 'portal', answer: 'الرد متاح في صفحة متابعة الاستفسار.' })).status).toBe(200);
    await d.settle();
    const left = (await view(portal.id)).notices.find((n: { notice: string }) => n.notice === 'inquiry-answer');
    expect(left).toMatchObject({ delivery: 'outbox' });
    const track = await server.http().get(`/api/public/inquiries/${portal.trackingToken}`).expect(200);
    expect(track.body).toMatchObject({ number: portal.number, status: 'answered', answer: 'الرد متاح في صفحة متابعة الاستفسار.', mayRate: true });
    expect(JSON.stringify(track.body)).not.toContain('reception');
    // Asking for SMS where the person gave no number is refused.
    const noNumber = await fromWebsite({ mobile: undefined, email: 'x@example.com' });
    const sms = await answer(noNumber.id, { method: 'sms' });
    expect(sms.status).toBe(400);
    expect(sms.body.details.fields.method[0]).toContain('no mobile number');
  });

  it('reminds the officers and escalates to a supervisor by the test clock, the answer still open [S1, G1]', async () => {
    const q = await record({ kind: 'question' });
    const first = await view(q.id);
    expect(first.remindedAt).toBeUndefined();
    await d.advance('PT25H'); // past the question's reminder (P1D), before its target (P2D)
    const reminded = await view(q.id);
    expect(reminded.remindedAt).toBeDefined();
    expect(reminded.escalatedAt).toBeUndefined();
    expect(reminded.notices.map((n: { notice: string; recipient: string }) => `${n.notice}:${n.recipient}`)).toEqual(['inquiry-received:inquirer', 'inquiry-reminder:reception']);
    await d.advance('PT24H'); // past the target
    const escalated = await view(q.id);
    expect(escalated.escalatedAt).toBeDefined();
    expect(escalated.overdue).toBe(true);
    expect(escalated.notices.map((n: { notice: string; recipient: string }) => `${n.notice}:${n.recipient}`)).toEqual([
      'inquiry-received:inquirer',
      'inquiry-reminder:reception',
      'inquiry-escalation:supervisor',
    ]);
    // Non-interrupting: the answer task is still there, and the supervisor may answer.
    expect(escalated.status).toBe('open');
    expect((await answer(q.id, {}, 'manager')).status).toBe(200);
    await d.settle();
    expect((await view(q.id)).status).toBe('answered');
  });

  it('refuses the answer to a complaint from the member of staff it names; a colleague or supervisor closes it [S1]', async () => {
    const c = await record({ kind: 'complaint', topic: 'staff', concernsUsername: 'reception', body: 'لم يتم الرد على اتصالي في الفرع بشكل لائق.' });
    expect((await view(c.id)).mayAnswer).toBe(false);
    const own = await answer(c.id, {});
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('COMPLAINT_NAMES_YOU');
    expect((await view(c.id)).status).toBe('open');
    const bySupervisor = await answer(c.id, { actionTaken: 'نوقشت الملاحظة مع الفريق' }, 'manager');
    expect(bySupervisor.status, JSON.stringify(bySupervisor.body)).toBe(200);
    // A complaint names staff only as a complaint, and only someone who exists.
    const notComplaint = await d.as('reception').post('/api/inquiries').send(inquiry({ kind: 'question', concernsUsername: 'reception' }));
    expect(notComplaint.status).toBe(400);
    const nobody = await d.as('reception').post('/api/inquiries').send(inquiry({ kind: 'complaint', concernsUsername: 'nobody-here' }));
    expect(nobody.status).toBe(400);
  });

  it('loads the policy as the first article of the library [R1]', async () => {
    const res = await d.as('reception').get('/api/library/articles').expect(200);
    expect(res.body[0]).toMatchObject({ slug: 'beneficiary-relations-policy', kind: 'policy', version: 1, public: false });
    const policy = await d.as('reception').get('/api/library/articles/beneficiary-relations-policy').expect(200);
    expect(policy.body.body.ar).toContain('سياسة تنظيم العلاقة مع المستفيدين');
    expect(policy.body.body.en).toContain('**R1**');
  });

  it('finds articles whatever the Arabic spelling: alef and hamza forms, taa marbuta, diacritics, Arabic-Indic digits; ranked [R1]', async () => {
    const iqama = await article('iqama-renewal');
    await article('iqama-mention', { titleAr: 'مواعيد العمل', titleEn: 'Opening hours', bodyAr: 'نستقبل طلبات تجديد الاقامه وغيرها من الأحد إلى الخميس.', bodyEn: 'We are open Sunday to Thursday.' });
    for (const q of ['الإقامة', 'الاقامه', 'إقامة', 'الإِقَامَةُ', 'اقامة']) {
      const res = await d.as('reception').get('/api/library/articles').query({ q }).expect(200);
      const slugs = res.body.map((h: { slug: string }) => h.slug);
      expect(slugs, q).toContain('iqama-mention');
      // In the title ranks above in the text only.
      expect(slugs.indexOf('iqama-renewal'), q).toBeLessThan(slugs.indexOf('iqama-mention'));
      expect(res.body[slugs.indexOf('iqama-renewal')].rank).toBeGreaterThan(res.body[slugs.indexOf('iqama-mention')].rank);
    }
    const digits = await d.as('reception').get('/api/library/articles').query({ q: '٣٠ يوما' }).expect(200);
    expect(digits.body.map((h: { id: string }) => h.id)).toContain(iqama.id);
    const western = await d.as('reception').get('/api/library/articles').query({ q: '30' }).expect(200);
    expect(western.body.map((h: { id: string }) => h.id)).toContain(iqama.id);
    const english = await d.as('reception').get('/api/library/articles').query({ q: 'Iqama' }).expect(200);
    expect(english.body[0].slug).toBe('iqama-renewal');
    const nothing = await d.as('reception').get('/api/library/articles').query({ q: 'زرافة' }).expect(200);
    expect(nothing.body).toEqual([]);
    const operators = await d.as('reception').get('/api/library/articles').query({ q: "'&|!():*" }).expect(200);
    expect(operators.body).toEqual([]);
  });

  it('keeps the article version an answer cited after the article changes, and links a public one [R1, T1]', async () => {
    const a = await article('cited-article', { titleAr: 'مدة الرد على الطلب', titleEn: 'When the answer comes', bodyAr: 'لا تقل عن أسبوعين.', bodyEn: 'No less than two weeks.' });
    const q = await fromWebsite({ body: 'متى يصلني الرد على طلبي؟' });
    const res = await answer(q.id, { citation: { articleId: a.id, version: 1 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await d.settle();
    const edit = await d.as('process-owner').put(`/api/library/articles/${a.id}`).send({
      version: 1, public: true, titleAr: 'مدة الرد على الطلب', titleEn: 'When the answer comes', bodyAr: 'أربعة عشر يومًا على الأقل من الإحالة.', bodyEn: 'At least fourteen days after the hand-over.', note: 'clearer',
    });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    expect(edit.body.version).toBe(2);
    const after = await view(q.id);
    expect(after.citation).toMatchObject({ articleId: a.id, version: 1, currentVersion: 2, body: { ar: 'لا تقل عن أسبوعين.' }, publicLink: expect.stringContaining('/portal/questions#cited-article') });
    const sent = after.notices.find((n: { notice: string }) => n.notice === 'inquiry-answer');
    expect(sent.body.ar).toContain('/portal/questions#cited-article');
    const track = await server.http().get(`/api/public/inquiries/${q.trackingToken}`).expect(200);
    expect(track.body.article).toMatchObject({ slug: 'cited-article', link: expect.stringContaining('#cited-article') });
    const history = await d.as('reception').get(`/api/library/articles/${a.id}/versions`).expect(200);
    expect(history.body.map((v: { version: number; editedBy: string }) => [v.version, v.editedBy])).toEqual([[2, 'process-owner'], [1, 'process-owner']]);
  });

  it('refuses an article edit made on an old version: of two edits at once one is saved [R1]', async () => {
    const a = await article('raced-article');
    const edit = (text: string) =>
      d.as('process-owner').put(`/api/library/articles/${a.id}`).send({ version: 1, public: true, titleAr: 'عنوان', titleEn: 'Title', bodyAr: text, bodyEn: text });
    const results = await Promise.all([edit('النص الأول للتعديل'), edit('النص الثاني للتعديل')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.code).toBe('ARTICLE_CHANGED');
    expect(refused.body.message).toContain('version 2');
    const history = await d.as('reception').get(`/api/library/articles/${a.id}/versions`).expect(200);
    expect(history.body).toHaveLength(2);
    // Only process owners write the library.
    expect((await d.as('reception').put(`/api/library/articles/${a.id}`).send({ version: 2, public: true, titleAr: 'عنوان', titleEn: 'Title', bodyAr: 'نص', bodyEn: 'text' })).status).toBe(403);
  });

  it('shows the published questions to anyone, never the private articles [T1]', async () => {
    const res = await server.http().get('/api/public/questions').expect(200);
    const slugs = res.body.map((h: { slug: string }) => h.slug);
    expect(slugs).toContain('how-to-apply');
    expect(slugs).not.toContain('beneficiary-relations-policy');
    const apply = res.body.find((h: { slug: string }) => h.slug === 'how-to-apply');
    expect(apply.body.ar).toContain('بوابة المستفيدين');
    expect(apply.body.en).toContain('applicant portal');
    const searched = await server.http().get('/api/public/questions').query({ q: 'الهويه المنتهيه' }).expect(200);
    expect(searched.body[0].slug).toBe('documents-validity');
    await server.http().get('/api/public/questions/beneficiary-relations-policy').expect(404);
    await server.http().get('/api/public/questions/how-to-apply').expect(200);
  });

  it('lets the person rate the answer once, after it is given, and keeps no staff name with the rating [T3]', async () => {
    const q = await fromWebsite();
    const early = await server.http().post(`/api/public/inquiries/${q.trackingToken}/rating`).send({ rating: 5 });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NOT_ANSWERED_YET');
    expect((await answer(q.id, {})).status).toBe(200);
    await d.settle();
    await server.http().post(`/api/public/inquiries/${q.trackingToken}/rating`).send({ rating: 4 }).expect(201);
    const again = await server.http().post(`/api/public/inquiries/${q.trackingToken}/rating`).send({ rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_RATED');
    const bad = await server.http().post(`/api/public/inquiries/${q.trackingToken}/rating`).send({ rating: 6 });
    expect(bad.status).toBe(400);
    const columns = await db().query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'inquiry_rating' ORDER BY column_name`);
    expect(columns.map((c) => c.column_name)).toEqual(['inquiry_id', 'rated_at', 'rating']);
    await server.http().get('/api/public/inquiries/not-a-token').expect(404);
  });

  it('links an inquiry to the person\'s request, and lists a request\'s inquiries by its id or number for the case page [G1]', async () => {
    const app = await d.submit();
    const q = await record({ applicationNumber: app.applicationNumber, kind: 'question' });
    const linked = await d.as('researcher').get('/api/inquiries').query({ application: app.id }).expect(200);
    expect(linked.body.map((i: { id: string }) => i.id)).toEqual([q.id]);
    expect(linked.body[0].applicationNumber).toBe(app.applicationNumber);
    const byNumber = await d.as('reception').get('/api/inquiries').query({ application: app.applicationNumber }).expect(200);
    expect(byNumber.body).toHaveLength(1);
    const unknown = await d.as('reception').post('/api/inquiries').send(inquiry({ applicationNumber: 'REQ-2020-999999' }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.fields.applicationNumber[0]).toContain('REQ-2020-999999');
  });

  it('refuses empty, oversized or marked-up inquiries, an unknown channel, a website inquiry with no way to answer, and an answer to a closed one, writing nothing [S1]', async () => {
    const before = await db().query('SELECT count(*)::int AS n FROM inquiry');
    for (const [body, field] of [
      [inquiry({ body: '' }), 'body'],
      [inquiry({ body: 'ا'.repeat(4001) }), 'body'],
      [inquiry({ body: '<script>alert(1)</script>' }), 'body'],
      [inquiry({ channel: 'C9' }), 'channel'],
      [inquiry({ kind: 'praise' }), 'kind'],
      [inquiry({ mobile: '12345' }), 'mobile'],
    ] as const) {
      const res = await d.as('reception').post('/api/inquiries').send(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.details.fields[field], JSON.stringify(res.body)).toBeDefined();
    }
    const anonymous = await server.http().post('/api/public/inquiries').send({ kind: 'question', topic: 'other', body: 'سؤال بلا وسيلة للرد' });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.message).toContain('mobile number or an e-mail');
    const asChannel = await server.http().post('/api/public/inquiries').send({ ...inquiry(), channel: 'C1' });
    expect(asChannel.status).toBe(400);
    expect(await db().query('SELECT count(*)::int AS n FROM inquiry')).toEqual(before);

    const q = await record();
    expect((await answer(q.id, {})).status).toBe(200);
    const again = await answer(q.id, { answer: 'رد ثانٍ' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INQUIRY_CLOSED');
    expect((await view(q.id)).answer).not.toBe('رد ثانٍ');
    expect((await d.as('committee').post('/api/inquiries').send(inquiry())).status).toBe(403);
    expect((await d.as('reception').get('/api/inquiries/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('lets exactly one of two officers answering at once through [S1]', async () => {
    const q = await record();
    const results = await Promise.all([answer(q.id, { answer: 'الرد الأول' }), answer(q.id, { answer: 'الرد الثاني' }, 'manager')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    await d.settle();
    const done = await view(q.id);
    expect(done.notices.filter((n: { notice: string }) => n.notice === 'inquiry-answer')).toHaveLength(1);
  });

  it('retention:apply removes what names the person from an inquiry answered longer ago than RETENTION_PERSONAL_DATA_DAYS, keeps what the reports count, and keeps open and recent ones', async () => {
    const old = await fromWebsite({ kind: 'complaint', topic: 'services', personName: 'ريم المنسية', mobile: '0551239876', email: 'reem@example.org', body: 'تأخر الرد على طلبي يا ريم' });
    expect((await answer(old.id, { answer: 'نعتذر يا ريم، عولج التأخير.', method: 'sms', actionTaken: 'تذكير الباحثين بالمهلة' })).status).toBe(200);
    await server.http().post(`/api/public/inquiries/${old.trackingToken}/rating`).send({ rating: 4 }).expect(201);
    const open = await record({ personName: 'هيفاء المفتوحة' });
    await d.settle();
    const retention = server.app.get(InquiryRetention);
    const days = server.config.intake.retentionDays;
    // The engine's clock (moved by the earlier tests' timers) dated the answer.
    const today = (server.app.get(CLOCK) as Clock).now();
    expect(await retention.apply(today)).not.toContain(old.number); // answered today: kept
    const later = new Date(today.getTime() + (days + 1) * 86_400_000);
    const anonymised = await retention.apply(later);
    expect(anonymised).toContain(old.number);
    expect(anonymised).not.toContain(open.number);

    const [row] = await db().query('SELECT kind, channel, topic, status, person_name, mobile, email, body, answer_text, action_taken, tracking_hash, answered_at FROM inquiry WHERE id = $1', [old.id]);
    expect(row).toMatchObject({ kind: 'complaint', channel: 'C7', topic: 'services', status: 'answered', person_name: null, mobile: null, email: null, body: 'محذوف — Anonymised', answer_text: 'محذوف — Anonymised', action_taken: 'تذكير الباحثين بالمهلة', tracking_hash: null });
    expect(row.answered_at).not.toBeNull();
    const [{ rating }] = await db().query('SELECT rating FROM inquiry_rating WHERE inquiry_id = $1', [old.id]);
    expect(rating).toBe(4);
    const notices = await db().query('SELECT to_mobile, to_email, body_ar, body_en FROM intake_notification WHERE inquiry_id = $1', [old.id]);
    expect(notices.length).toBeGreaterThanOrEqual(2); // received and answered
    expect(JSON.stringify(notices)).not.toMatch(/ريم|reem@|0551239876|\+966551239876/);
    // The person's link no longer opens it; the open inquiry is untouched.
    expect((await server.http().get(`/api/public/inquiries/${old.trackingToken}`)).status).toBe(404);
    expect(await view(open.id)).toMatchObject({ personName: 'هيفاء المفتوحة', status: 'open' });
    // Once is enough: a second run finds nothing new.
    expect(await retention.apply(later)).not.toContain(old.number);
  });
});

/**
 * The website's form needs no account and makes the Society send an SMS or e-mail: it is bounded
 * per address and per contact (PUBLIC_INQUIRIES_PER_HOUR); staff recording an inquiry are not.
 */
describe('the public inquiry form is bounded (PUBLIC_INQUIRIES_PER_HOUR)', () => {
  let server: TestServer;
  let d: IntakeDriver;
  const ask = (contact: Record<string, string>) =>
    server.http().post('/api/public/inquiries').send({ kind: 'question', topic: 'other', body: 'متى تفتح الجمعية؟', ...contact });
  const count = async () => Number((await (server.app.get(DataSource) as DataSource).query('SELECT count(*)::int AS n FROM inquiry'))[0].n);

  beforeAll(async () => {
    server = await startTestServer({ env: { PUBLIC_INQUIRIES_PER_HOUR: '3' } });
    d = new IntakeDriver(server);
    await d.signIn('reception');
  }, 4 * WAIT_MS);
  afterAll(() => server?.close());

  it('takes three an hour to one mobile, then answers 429 in words with Retry-After and records nothing; other people and reception are not held back', async () => {
    const before = await count();
    for (let i = 0; i < 3; i++) expect((await ask({ mobile: '0551110001' })).status).toBe(201);
    const refused = await ask({ mobile: '0551110001' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_INQUIRIES', message: expect.stringMatching(/try again in \d+ minute/) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(await count()).toBe(before + 3);
    // Staff recording by phone are not limited.
    const byPhone = await d.as('reception').post('/api/inquiries').send({ kind: 'question', topic: 'other', channel: 'C2', body: 'متى تفتح الجمعية؟', mobile: '0551110001' });
    expect(byPhone.status, JSON.stringify(byPhone.body)).toBe(201);
  });

  it('bounds one address whatever the contact, and two sent at once for the last place take it once', async () => {
    // The address (127.0.0.1) has used 4 of its 3: every contact is refused now.
    expect((await ask({ email: 'someone.else@example.org' })).status).toBe(429);
    await server.restart(); // the counts live in the process: a fresh one starts empty
    await d.signIn('reception');
    const results = await Promise.all([ask({ email: 'a@example.org' }), ask({ email: 'b@example.org' }), ask({ email: 'c@example.org' }), ask({ email: 'd@example.org' })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 429]);
  });
});
