import { bpmn } from '../engine-contract/harness';
import type { TestServer } from './app';
import { IntakeDriver, REGISTERED, SERVED } from './intake';

export interface Rating {
  overall: number;
  clarity: number;
  timeTaken: number;
  courtesy: number;
  comment?: string;
}

/** The ratings the seed gives the four served requests (a, e, g by C1; b by C7). */
export const RATINGS: Record<'a' | 'e' | 'g' | 'b', Rating> = {
  a: { overall: 5, clarity: 4, timeTaken: 3, courtesy: 5, comment: 'الموظف أحمد كان ممتازًا' },
  e: { overall: 4, clarity: 4, timeTaken: 4, courtesy: 4 },
  g: { overall: 3, clarity: 5, timeTaken: 2, courtesy: 4 },
  b: { overall: 2, clarity: 3, timeTaken: 1, courtesy: 4, comment: 'Khalid at reception was slow' },
};

export interface ServiceQualitySeed {
  /** Case ids: a, e, g (C1, served), c (C1, rejected), b (C7, referred, decided late, served), d (C2, at reception). */
  ids: Record<'a' | 'e' | 'g' | 'c' | 'b' | 'd', string>;
  /** The overdue-tasks report while the committee had not decided b, past its due date. */
  overdueWhileWaiting: unknown;
  /** The server's time at the end. */
  now: Date;
}

/**
 * Answers a served case's survey as its applicant does: through the one-time link in the
 * survey notice (`POST /api/survey/answers`), which stores the answer and ends the case's wait.
 */
export async function answerSurvey(server: TestServer, d: IntakeDriver, id: string, r: Rating): Promise<void> {
  const notice = (await d.notifications(id)).find((n) => n.notice === 'survey');
  if (!notice) throw new Error(`case ${id} has no survey notice`);
  const token = /token=([A-Za-z0-9_-]{43})/.exec(notice.body.en)?.[1];
  if (!token) throw new Error(`the survey notice of case ${id} holds no link: ${notice.body.en}`);
  const { applicationNumber } = await d.view(id);
  const res = await server.http().post('/api/survey/answers').send({ ...r, token, applicationNumber });
  if (res.status !== 201) throw new Error(`survey answer: ${res.status} ${JSON.stringify(res.body)}`);
  await d.until(id, 'completed');
}

/**
 * A set of requests whose report figures are known, driven through the real process with the
 * test clock (the driver must have signed in `process-owner` too):
 * four by C1 (a, e, g accepted early, c rejected early: their answers go out at the minimum
 * period), one by C7 referred to the researcher and decided two days after its minimum (b),
 * one by C2 still at reception (d); a, e, g and b served and rated; two incidents of another
 * process, one of them resolved.
 */
export async function seedServiceQuality(server: TestServer, d: IntakeDriver, overdueQuery: string): Promise<ServiceQualitySeed> {
  const ids = {} as ServiceQualitySeed['ids'];
  for (const name of ['a', 'e', 'g', 'c'] as const) ids[name] = (await d.toCommittee({ channel: 'C1' })).id;
  ids.b = (await d.toCommittee({ channel: 'C7' }, true)).id;
  ids.d = (await d.submit({ channel: 'C2' })).id;
  await d.at(ids.d, 'Task_ReceptionCheck');

  for (const name of ['a', 'e', 'g'] as const) await d.decide(ids[name], 'accepted', 'Meets the conditions of the training programme');
  await d.decide(ids.c, 'rejected', 'Income above the programme threshold');
  await d.advance('P14D');
  for (const name of ['a', 'e', 'g'] as const) await d.at(ids[name], 'Task_RegistrationRequirements');
  await d.until(ids.c, 'rejected');
  await d.advance('P2D');
  // The committee has not decided b two days after its due date (the earliest answer date): its two votes are overdue.
  const overdueWhileWaiting = (await d.as('admin').get(`/api/reports/overdue-tasks?${overdueQuery}`)).body;
  await d.decide(ids.b, 'accepted', 'Meets the conditions of the training programme');
  await d.at(ids.b, 'Task_RegistrationRequirements');
  for (const name of ['a', 'e', 'g', 'b'] as const) {
    await d.complete(ids[name], 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(ids[name], 'Task_DeliverService', SERVED);
  }
  const now = await d.advance('PT1M');
  for (const name of ['a', 'e', 'g', 'b'] as const) await answerSurvey(server, d, ids[name], RATINGS[name]);

  const xml = bpmn(
    'report-incident',
    `<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="s1"/><bpmn:endEvent id="end"/>
     <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="s1"/>
     <bpmn:sequenceFlow id="f1" sourceRef="s1" targetRef="end"><bpmn:conditionExpression>=ok</bpmn:conditionExpression></bpmn:sequenceFlow>`,
  );
  const owner = d.as('process-owner');
  const ok = (res: { status: number; body: unknown }, status: number) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res;
  };
  ok(await owner.post('/api/deployments').send({ xml }), 201);
  for (let i = 0; i < 2; i++) ok(await owner.post('/api/process-instances').send({ bpmnProcessId: 'report-incident', variables: { ok: 'yes' } }), 201);
  const [first] = ok(await owner.get('/api/incidents?state=ACTIVE'), 200).body as Array<{ key: string; processInstanceKey: string }>;
  ok(await owner.post(`/api/process-instances/${first.processInstanceKey}/variables`).send({ variables: { ok: true } }), 204);
  ok(await owner.post(`/api/incidents/${first.key}/resolve`), 204);
  return { ids, overdueWhileWaiting, now };
}
