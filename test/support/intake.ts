import { expect } from 'vitest';
import { withCheckDigit } from '@mustafid/intake';
import type { TestServer } from './app';

/** Who completes each user task of the intake diagram: the role its candidate group names. */
export const WORKS: Record<string, string> = {
  Task_ReceptionCheck: 'reception',
  Task_ResearcherClarification: 'researcher',
  Task_CommitteeVote: 'committee',
  Task_ChairDecision: 'committee-chair',
  Task_RegistrationRequirements: 'registrar',
  Task_DeliverService: 'service',
};

/** Form fields that complete registration and service delivery. */
export const REGISTERED = { registrationRequirements: ['identity-seen', 'form-signed', 'contact-confirmed'] };
export const SERVED = { deliveryPlace: 'office', deliveredOn: '2026-12-20', serviceDelivered: 'Enrolled in the January course' };

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
      { type: 'national-id', number: nationalId, expiryDate: '2030-01-01' },
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
  verification?: { complete: boolean; missing: string[]; problems: string[]; duplicateOpenCases: string[] };
  attestation: { id: string; dataHash: string } | null;
  voidedAttestations: unknown[];
  [k: string]: unknown;
}

/** Drives cases through HTTP as the staff would, waiting for the workers between steps. */
export class IntakeDriver {
  tokens: Record<string, string> = {};

  constructor(readonly server: TestServer) {}

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
    };
  }

  async submit(overrides: Record<string, unknown> = {}): Promise<{ id: string; applicationNumber: string }> {
    const res = await this.as('reception').post('/api/applications').send(applicationFor(overrides));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async view(id: string): Promise<CaseView> {
    const res = await this.as('admin').get(`/api/cases/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  /** Waits until the case is at the step (workers run in the background). */
  async at(id: string, elementId: string, timeoutMs = 15_000): Promise<CaseView> {
    const until = Date.now() + timeoutMs;
    let last: CaseView | undefined;
    while (Date.now() < until) {
      last = await this.view(id);
      if (last.currentSteps.some((s) => s.elementId === elementId)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${id} did not reach ${elementId}; it is at ${JSON.stringify(last?.currentSteps.map((s) => s.elementId))} (${last?.status})`);
  }

  /** Waits until the case has the status. */
  async until(id: string, status: string, timeoutMs = 15_000): Promise<CaseView> {
    const until = Date.now() + timeoutMs;
    let last: CaseView | undefined;
    while (Date.now() < until) {
      last = await this.view(id);
      if (last.status === status) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${id} is ${last?.status} at ${JSON.stringify(last?.currentSteps.map((s) => s.elementId))}, not ${status}`);
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
  async advance(duration: string): Promise<Date> {
    const res = await this.as('admin').post('/api/test/clock').send({ advance: duration });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return new Date(res.body.now);
  }

  /** Waits until the case waits exactly at these steps (e.g. its committee has finished deliberating). */
  async onlyAt(id: string, ...elementIds: string[]): Promise<CaseView> {
    const until = Date.now() + 15_000;
    let last: CaseView | undefined;
    while (Date.now() < until) {
      last = await this.view(id);
      const steps = last.currentSteps.map((s) => s.elementId).sort();
      if (JSON.stringify(steps) === JSON.stringify([...elementIds].sort())) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${id} is at ${JSON.stringify(last?.currentSteps.map((s) => s.elementId))}, not only ${elementIds.join(', ')}`);
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
