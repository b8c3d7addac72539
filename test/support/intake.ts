import { expect } from 'vitest';
import { withCheckDigit } from '@mustafid/intake';
import type { TestServer } from './app';
import { eventually } from './budget.mjs';

/** Who completes each user task of the intake diagram: the role its candidate group names. */
export const WORKS: Record<string, string> = {
  Task_ReceptionCheck: 'reception',
  Task_ResearcherClarification: 'researcher',
  Task_CommitteeVote: 'committee',
  Task_ChairDecision: 'committee-chair',
  Task_RegistrationRequirements: 'registrar',
  Task_DeliverService: 'service',
};

/**
 * Form fields that complete registration and service delivery. The service date is a year ahead:
 * never before the committee's decision, however far a test moves the clock (the server refuses
 * a service dated before the decision).
 */
export const REGISTERED = { registrationRequirements: ['identity-seen', 'form-signed', 'contact-confirmed'] };
export const SERVED = { deliveryPlace: 'office', deliveredOn: dayInYears(1), serviceDelivered: 'Enrolled in the January course' };

/**
 * The calendar day (UTC) `years` from today: for dates that must keep their meaning whenever
 * the suite runs (an identity card still valid, a child still under 18), not fixed years that expire.
 */
export function dayInYears(years: number): string {
  const day = new Date();
  day.setUTCFullYear(day.getUTCFullYear() + years);
  return day.toISOString().slice(0, 10);
}

/** An identity card's expiry date that is always five years ahead. */
export const VALID_EXPIRY = dayInYears(5);

let serial = 0;
/** A valid national ID number, different on every call. */
export const nextNationalId = () => withCheckDigit(`1${String(10_000_000 + ++serial * 7919).slice(-8)}`);

/** A complete, valid training request (identity card + qualification); fields may be overridden. */
export function applicationFor(overrides: Record<string, unknown> = {}) {
  const nationalId = (overrides.nationalId as string) ?? nextNationalId();
  return {
    channel: 'C1',
    fullName: 'فاطمة عبدالله الحربي',
    nationalId,
    birthDate: '1990-05-14',
    mobile: '0551234567',
    email: 'fatimah@example.org',
    city: 'الرياض',
    address: 'حي الملز، شارع الستين',
    householdMembers: [{ fullName: 'سارة الحربي', relation: 'daughter', birthDate: '2015-02-01' }],
    monthlyIncome: 3500,
    supportType: 'training',
    documents: [
      { type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY },
      { type: 'qualification', number: 'Q-2020-11' },
    ],
    ...overrides,
  };
}

/** The smallest real PDF header: enough for the type check by content. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export interface CaseView {
  id: string;
  applicationNumber: string;
  status: string;
  currentSteps: Array<{ elementId: string; name: { ar?: string; en?: string } }>;
  openTasks: Array<{ key: string; elementId: string; candidateGroups: string[]; assignee?: string; dueDate?: string }>;
  earliestAnswerAt?: string;
  decision?: { decision: string; reasons: string; communicatedAt: string };
  beneficiaryNumber?: string;
  verification?: { complete: boolean; missing: string[]; problems: string[]; problemsAr?: string[]; summary?: { ar: string; en: string }; duplicateOpenCases: string[] };
  attestation: { id: string; dataHash: string } | null;
  voidedAttestations: unknown[];
  [k: string]: unknown;
}

/** What the engine says of an instance (GET /api/process-instances/:key): a read that records nothing. */
interface InstanceState {
  state: 'ACTIVE' | 'COMPLETED' | 'CANCELED' | string;
  activeElements: Array<{ elementId: string; elementType: string }>;
}

/** Where a case waits, as the case view lists its steps (boundary events are not steps). */
const stepsOf = (instance: InstanceState) => [...new Set(instance.activeElements.filter((e) => e.elementType !== 'bpmn:BoundaryEvent').map((e) => e.elementId))];

/**
 * Drives cases through HTTP as the staff would, waiting for the workers between steps.
 *
 * How it waits: with the embedded engine and ENABLE_TEST_CLOCK, at the engine's own settle point
 * (`POST /api/test/clock/settle`: due timers fired, in-process workers drained, the case, task
 * and audit projections caught up), then it reads the case once and asserts. Elsewhere (no
 * test clock, or ENGINE=zeebe where the test clock is refused) it polls the engine's view of the
 * instance, which records nothing, with backoff and within the suite's budget (budget.mts), and
 * then reads the case once and asserts.
 */
export class IntakeDriver {
  tokens: Record<string, string> = {};
  /** True where the server has the settle point (embedded engine with the test clock). */
  readonly settles: boolean;
  private readonly instanceKeys = new Map<string, string>();

  constructor(readonly server: TestServer) {
    // Workers in other processes (INTAKE_WORKERS=external) are outside the settle point: poll.
    this.settles = server.config.engine.testClock && server.config.engine.kind === 'embedded' && server.config.intake.workers === 'server';
  }

  /** Signs in the demo users named, the users of every intake task, and the second committee member. */
  async signIn(...usernames: string[]): Promise<void> {
    const all = [...new Set(['admin', ...usernames, ...Object.values(WORKS)])];
    for (const u of all) this.tokens[u] = await this.server.login(u);
    this.tokens.committee2 = await this.server.login('committee2');
  }

  as(user: string) {
    const token = this.tokens[user];
    const http = this.server.http();
    const auth = <T extends { auth(token: string, o: { type: 'bearer' }): T }>(r: T) => r.auth(token, { type: 'bearer' });
    return {
      get: (path: string) => auth(http.get(path)),
      post: (path: string) => auth(http.post(path)),
      patch: (path: string) => auth(http.patch(path)),
      put: (path: string) => auth(http.put(path)),
    };
  }

  async submit(overrides: Record<string, unknown> = {}): Promise<{ id: string; applicationNumber: string }> {
    const res = await this.as('reception').post('/api/applications').send(applicationFor(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    if (res.body.processInstanceKey) this.instanceKeys.set(res.body.id, res.body.processInstanceKey);
    return res.body;
  }

  /** The case as staff read it (an audited read: `case.read`); not for polling. */
  async view(id: string): Promise<CaseView> {
    const res = await this.as('admin').get(`/api/cases/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (typeof res.body.processInstanceKey === 'string') this.instanceKeys.set(id, res.body.processInstanceKey);
    return res.body;
  }

  /** Returns once the engine has settled: what was due fired, the workers are idle, the projections hold it. */
  async settle(): Promise<void> {
    const res = await this.as('admin').post('/api/test/clock/settle');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /**
   * Waits until the case's process is where `ready` says, then reads the case once. With the
   * settle point that is one settle (the process can go no further by itself); without it,
   * polls the engine's view of the instance (writes nothing) until `ready` or the budget ends.
   */
  private async settled(id: string, what: string, ready: (instance: InstanceState) => boolean): Promise<CaseView> {
    if (this.settles) {
      await this.settle();
      return this.view(id);
    }
    const key = this.instanceKeys.get(id) ?? (await this.view(id)).processInstanceKey;
    expect(key, `case ${id} has a process instance`).toEqual(expect.any(String));
    let last: InstanceState | undefined;
    await eventually(
      async () => {
        const res = await this.as('admin').get(`/api/process-instances/${key}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        last = res.body as InstanceState;
        return ready(last) || last.state !== 'ACTIVE';
      },
      `case ${id} ${what}`,
      { describe: () => `its process is ${last?.state} at ${JSON.stringify(last ? stepsOf(last) : undefined)}` },
    );
    return this.view(id);
  }

  private where(view: CaseView): string {
    return `case ${view.applicationNumber} (${view.id}) is ${view.status} at ${JSON.stringify(view.currentSteps.map((s) => s.elementId))}`;
  }

  /** The case once it waits at the step (the workers run in the background); fails saying where it is instead. */
  async at(id: string, elementId: string): Promise<CaseView> {
    const view = await this.settled(id, `to reach ${elementId}`, (i) => stepsOf(i).includes(elementId));
    expect(
      view.currentSteps.map((s) => s.elementId),
      `${this.where(view)}, not at ${elementId}${this.settles ? ' (the engine has settled)' : ''}`,
    ).toContain(elementId);
    return view;
  }

  /** The case once it has the status; fails saying where it is instead. */
  async until(id: string, status: string): Promise<CaseView> {
    const view = await this.settled(id, `to be ${status}`, (i) => (status === 'open') === (i.state === 'ACTIVE'));
    expect(view.status, `${this.where(view)}, not ${status}${this.settles ? ' (the engine has settled)' : ''}`).toBe(status);
    return view;
  }

  /**
   * Completes the open task at the element through the staff task API, as the user whose
   * role the diagram gives it (or another user), with the form's fields.
   */
  async complete(id: string, elementId: string, variables: Record<string, unknown>, user = WORKS[elementId] ?? 'admin'): Promise<void> {
    const view = await this.at(id, elementId);
    const task = view.openTasks.find((t) => t.elementId === elementId && !t.assignee) ?? view.openTasks.find((t) => t.elementId === elementId);
    expect(task, `open task ${elementId}`).toBeDefined();
    const res = await this.as(user).post(`/api/tasks/${task!.key}/complete`).send({ variables });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** The committee's votes (one task each), then the chair's decision. */
  async decide(id: string, decision: 'accepted' | 'rejected', reasons: string, voters = ['committee', 'committee2']): Promise<void> {
    for (const voter of voters) await this.complete(id, 'Task_CommitteeVote', { vote: decision === 'accepted' ? 'accept' : 'reject' }, voter);
    await this.complete(id, 'Task_ChairDecision', { decision, decisionReasons: reasons });
  }

  async sign(id: string, typedName = 'فاطمة عبدالله الحربي') {
    await this.at(id, 'Task_Attestation');
    const res = await this.as('reception')
      .post(`/api/cases/${id}/attestation`)
      .field('attestation', JSON.stringify({ typedName, consent: true, method: 'paper' }))
      .attach('scan', PDF, 'signed-form.pdf');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; dataHash: string };
  }

  /** Moves the server's clock forward; returns the server's time after it. */
  /** Pins the test clock (time then moves only by `advance`), or lets it flow again; returns the clock's time. */
  async pinClock(pinned = true): Promise<Date> {
    const res = await this.as('admin').put('/api/test/clock').send({ pinned });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.pinned).toBe(pinned);
    return new Date(res.body.now);
  }

  async advance(duration: string): Promise<Date> {
    const res = await this.as('admin').post('/api/test/clock').send({ advance: duration });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return new Date(res.body.now);
  }

  /** The case once it waits exactly at these steps (e.g. its committee has finished deliberating); fails saying where it is instead. */
  async onlyAt(id: string, ...elementIds: string[]): Promise<CaseView> {
    const expected = [...elementIds].sort();
    const view = await this.settled(id, `to wait only at ${elementIds.join(', ')}`, (i) => JSON.stringify(stepsOf(i).sort()) === JSON.stringify(expected));
    expect(
      view.currentSteps.map((s) => s.elementId).sort(),
      `${this.where(view)}, not only at ${elementIds.join(', ')}${this.settles ? ' (the engine has settled)' : ''}`,
    ).toEqual(expected);
    return view;
  }

  async notifications(id: string): Promise<Array<{ notice: string; recipient: string; subject: { ar: string; en: string }; body: { ar: string; en: string } }>> {
    const res = await this.as('admin').get(`/api/cases/${id}/notifications`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** From submission to the committee: complete data, no referral, signed. */
  async toCommittee(overrides: Record<string, unknown> = {}, referral = false) {
    const c = await this.submit(overrides);
    await this.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: referral });
    if (referral) await this.complete(c.id, 'Task_ResearcherClarification', { clarification: 'Explained how the committee studies requests' });
    await this.sign(c.id);
    await this.at(c.id, 'Task_CommitteeVote');
    return c;
  }
}
