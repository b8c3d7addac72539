import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportDay } from '@mustafid/reports/report-range';
import { startTestServer, type TestServer } from '../support/app';
import { WAIT_MS } from '../support/budget.mjs';
import { IntakeDriver } from '../support/intake';

/**
 * The managers' inquiries report (issue 20 point 4) over a seed whose every figure is known: seven
 * inquiries recorded at one pinned instant, five answered at once, a complaint answered four days
 * later (past its three-day target), a question never answered; four ratings.
 */
describe('inquiries report (issue 20)', () => {
  let server: TestServer;
  let d: IntakeDriver;
  let range: string;

  async function record(kind: string, channel: string, topic: string) {
    const body = { kind, topic, body: `${kind} عن ${topic} عبر ${channel}`, mobile: '0551234567', personName: 'سلمان العتيبي' };
    const res = channel === 'C7' ? await server.http().post('/api/public/inquiries').send(body) : await d.as('reception').post('/api/inquiries').send({ ...body, channel });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { number: string; trackingToken: string };
  }
  async function answer(number: string, actionTaken?: string) {
    const res = await d.as('reception').post(`/api/inquiries/${number}/answer`).send({ answer: 'شكرًا لكم، تم الاطلاع.', method: 'sms', ...(actionTaken ? { actionTaken } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const rate = (token: string, rating: number) => server.http().post(`/api/public/inquiries/${token}/rating`).send({ rating }).expect(201);

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('manager');
    const t0 = await d.pinClock();
    range = `from=${reportDay(new Date(t0.getTime() - 86_400_000))}&to=${reportDay(new Date(t0.getTime() + 5 * 86_400_000))}`;
    const q1 = await record('question', 'C2', 'documents');
    const q2 = await record('question', 'C7', 'documents');
    const c1 = await record('complaint', 'C1', 'staff');
    const s1 = await record('suggestion', 'C7', 'website');
    const s2 = await record('suggestion', 'C2', 'website');
    const s3 = await record('suggestion', 'C7', 'website');
    const k1 = await record('compliment', 'C1', 'staff');
    await d.settle();
    await answer(q1.number);
    await answer(s1.number, 'أضفنا صفحة الأسئلة الشائعة إلى البوابة');
    await answer(s2.number);
    await answer(s3.number);
    await answer(k1.number);
    await d.advance('P4D');
    await answer(c1.number, 'تدريب فريق الاستقبال على حسن الاستقبال');
    await d.settle();
    await rate(q1.trackingToken, 5);
    await rate(s1.trackingToken, 4);
    await rate(s2.trackingToken, 3);
    await rate(s3.trackingToken, 5);
    expect(q2.number).toMatch(/^INQ-/);
  }, 10 * WAIT_MS);
  afterAll(() => server?.close());

  it('counts inquiries by channel, kind and topic, and time to answer against the target of each kind [G1, T4]', async () => {
    const res = await d.as('manager').get(`/api/reports/inquiries?${range}&bucket=week`).expect(200);
    expect(res.body.total).toBe(7);
    expect(res.body.byChannel).toEqual([{ channel: 'C1', inquiries: 2 }, { channel: 'C2', inquiries: 2 }, { channel: 'C7', inquiries: 3 }]);
    expect(res.body.byKind).toEqual([{ kind: 'complaint', inquiries: 1 }, { kind: 'compliment', inquiries: 1 }, { kind: 'question', inquiries: 2 }, { kind: 'suggestion', inquiries: 3 }]);
    expect(res.body.byTopic).toEqual([{ topic: 'documents', inquiries: 2 }, { topic: 'staff', inquiries: 2 }, { topic: 'website', inquiries: 3 }]);
    expect(res.body.timeToAnswer).toEqual([
      { kind: 'complaint', received: 1, answered: 1, withinTarget: 0, late: 1, openOverdue: 0, medianHours: 96, reminded: 1, escalated: 1 },
      { kind: 'compliment', received: 1, answered: 1, withinTarget: 1, late: 0, openOverdue: 0, medianHours: 0, reminded: 0, escalated: 0 },
      { kind: 'question', received: 2, answered: 1, withinTarget: 1, late: 0, openOverdue: 1, medianHours: 0, reminded: 1, escalated: 1 },
      { kind: 'suggestion', received: 3, answered: 3, withinTarget: 3, late: 0, openOverdue: 0, medianHours: 0, reminded: 0, escalated: 0 },
    ]);
    // Only managers and administrators read it.
    expect((await d.as('reception').get(`/api/reports/inquiries?${range}`)).status).toBe(403);
  });

  it('lists complaints and suggestions by topic with what was done, and the ratings only in groups of three or more [T5, T3]', async () => {
    const res = await d.as('manager').get(`/api/reports/inquiries?${range}`).expect(200);
    expect(res.body.feedback).toEqual([
      { kind: 'complaint', topic: 'staff', received: 1, answered: 1, withAction: 1, actions: ['تدريب فريق الاستقبال على حسن الاستقبال'] },
      { kind: 'suggestion', topic: 'website', received: 3, answered: 3, withAction: 1, actions: ['أضفنا صفحة الأسئلة الشائعة إلى البوابة'] },
    ]);
    expect(res.body.minimumGroupSize).toBe(3);
    expect(res.body.ratings).toEqual([
      { kind: 'question', ratings: 1, withheld: true, average: null },
      { kind: 'suggestion', ratings: 3, withheld: false, average: 4 },
    ]);
    // Aggregates only: nobody who answered is named.
    expect(JSON.stringify(res.body)).not.toMatch(/reception|manager|سلمان/);
  });

  it('gives the same figures as CSV [G1]', async () => {
    const res = await d.as('manager').get(`/api/reports/inquiries.csv?${range}`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = res.text.replace(/^\uFEFF/, '');
    // Cells are quoted (csvDocument); read them back plain.
    const lines = text.trim().split(/\r?\n/).map((l) => l.replace(/"/g, ''));
    expect(lines[0]).toBe('measure,period,channel,kind,topic,count,answered,within_target,late,open_overdue,median_hours,with_action,average_rating');
    expect(lines).toContain('time_to_answer,,,complaint,,1,1,0,1,0,96,,');
    expect(lines).toContain('rating,,,suggestion,,3,,,,,,,4');
    expect(lines.filter((l) => l.startsWith('received,')).reduce((n, l) => n + Number(l.split(',')[5]), 0)).toBe(7);
  });
});
