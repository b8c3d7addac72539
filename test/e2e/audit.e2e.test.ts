import { listRoutes } from '@mustafid/platform';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '@mustafid/audit';
import { EngineAuditFeed } from '@mustafid/audit/feed/engine-audit-feed';
import { startTestServer, type TestServer } from '../support/app';
import { RetentionService } from '@mustafid/intake';
import { IntakeDriver, PDF, VALID_EXPIRY, applicationFor, nextNationalId } from '../support/intake';

interface AuditItem {
  seq: string;
  actor: string;
  action: string;
  caseId?: string;
  elementId?: string;
  details: Record<string, unknown>;
}

/** The tamper-evident audit log: what it records, that it cannot be rewritten unseen, and who may read it. */
describe('audit log', () => {
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('auditor', 'process-owner');
  });
  afterAll(() => server?.close());

  const eventsOf = async (caseId: string) => {
    await server.app.get(EngineAuditFeed).catchUp();
    const res = await d.as('auditor').get(`/api/audit/events?case=${caseId}&limit=500`).expect(200);
    return (res.body.items as AuditItem[]).reverse();
  };

  it('records the staff\'s actions in order, who did them and what changed, beside the engine\'s own events', async () => {
    const app = applicationFor();
    (app.documents as Array<Record<string, unknown>>)[0].file = 'document-0';
    const created = await d.as('reception').post('/api/applications').field('application', JSON.stringify(app)).attach('document-0', PDF, 'id.pdf').expect(201);
    const id = created.body.id as string;
    await d.complete(id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.sign(id);
    await d.at(id, 'Task_CommitteeVote');
    const view = await d.view(id);
    const doc = (view.documents as Array<{ id: string; fileName?: string }>).find((x) => x.fileName)!;
    await d.as('researcher').get(`/api/cases/${id}/documents/${doc.id}/file`).expect(200);
    await d.as('reception').get(`/api/cases/${id}`).expect(200);

    const events = await eventsOf(id);
    const staff = events.filter((e) => !e.action.startsWith('engine.'));
    expect(staff.map((e) => `${e.actor} ${e.action}`)).toEqual(
      expect.arrayContaining(['reception application.submitted', 'reception task.completed', 'reception attestation.recorded', 'researcher document.read', 'reception case.read']),
    );
    const order = (action: string) => events.findIndex((e) => e.action === action);
    expect(order('application.submitted')).toBeLessThan(order('task.completed'));
    expect(order('task.completed')).toBeLessThan(order('attestation.recorded'));
    const completed = events.find((e) => e.action === 'task.completed')!;
    expect(completed).toMatchObject({ elementId: 'Task_ReceptionCheck', details: { form: 'reception-intake-check', variablesAfter: { dataComplete: true, referToResearcher: false } } });
    expect(events.find((e) => e.action === 'document.read')!.details).toMatchObject({ documentId: doc.id, fileName: 'id.pdf' });
    // The engine's path is there too, with the person who moved it.
    const engine = events.filter((e) => e.action.startsWith('engine.'));
    expect(engine.find((e) => e.action === 'engine.USER_TASK_COMPLETED' && e.elementId === 'Task_ReceptionCheck')?.actor).toBe('reception');
    expect(engine.some((e) => e.action === 'engine.ELEMENT_COMPLETED' && e.elementId === 'Task_VerifyData')).toBe(true);
    // Personal data stays out of the log: the name is nowhere in it.
    expect(JSON.stringify(events)).not.toContain('فاطمة');
  });

  it('a case\'s history and path, on both ways through the committee: order, actors, variable changes, the elements taken', async () => {
    const accepted = await d.toCommittee({}, true);
    await d.decide(accepted.id, 'accepted', 'Eligible');
    await d.onlyAt(accepted.id, 'Event_MinimumResponsePeriod');
    const rejected = await d.toCommittee();
    await d.decide(rejected.id, 'rejected', 'Income above the limit');
    await d.onlyAt(rejected.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.at(accepted.id, 'Task_RegistrationRequirements');
    await d.until(rejected.id, 'rejected');
    await server.app.get(EngineAuditFeed).catchUp();

    const h = await d.as('auditor').get(`/api/cases/${accepted.applicationNumber}/history`).expect(200);
    const staff = h.body.timeline.filter((t: { action: string }) => t.action === 'task.completed');
    expect(staff.map((t: { actor: string; elementId: string }) => `${t.actor}:${t.elementId}`)).toEqual([
      'reception:Task_ReceptionCheck',
      'researcher:Task_ResearcherClarification',
      'committee:Task_CommitteeVote',
      'committee2:Task_CommitteeVote',
      'committee-chair:Task_ChairDecision',
    ]);
    const chair = staff.at(-1);
    expect(chair.element).toEqual({ ar: 'قرار رئيس اللجنة وأسبابه', en: "Chair's decision with reasons" });
    expect(chair.changes.after).toEqual({ decision: 'accepted', decisionReasons: 'Eligible' });
    const seqs = h.body.timeline.map((t: { seq: string }) => Number(t.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const actions = h.body.timeline.map((t: { action: string }) => t.action);
    expect(actions.indexOf('application.submitted')).toBeLessThan(actions.indexOf('attestation.recorded'));
    expect(actions.filter((a: string) => a === 'engine.TIMER_TRIGGERED').length).toBeGreaterThanOrEqual(1);

    const acceptedPath = await d.as('auditor').get(`/api/cases/${accepted.id}/path`).expect(200);
    expect(acceptedPath.body).toMatchObject({ bpmnProcessId: 'beneficiary-intake', version: 1, state: 'ACTIVE', current: ['Task_RegistrationRequirements'], incidents: [] });
    // The votes' multi-instance body is one visit; its two votes are two task completions in the history.
    expect(acceptedPath.body.visited).toMatchObject({ Task_ResearcherClarification: 1, Task_CommitteeVote: 1, Task_NotifyAccepted: 1 });
    expect(acceptedPath.body.flowsTaken).toMatchObject({ Flow_Refer: 1, Flow_Accepted: 1 });
    expect(acceptedPath.body.flowsTaken.Flow_Rejected).toBeUndefined();
    const rejectedPath = await d.as('auditor').get(`/api/cases/${rejected.id}/path`).expect(200);
    expect(rejectedPath.body).toMatchObject({ state: 'COMPLETED', current: [] });
    expect(rejectedPath.body.flowsTaken).toMatchObject({ Flow_NoReferral: 1, Flow_Rejected: 1 });
    expect(rejectedPath.body.visited.Task_ResearcherClarification).toBeUndefined();
    expect(rejectedPath.body.completed.End_Rejected).toBe(1);

    const csv = await d.as('auditor').get(`/api/cases/${accepted.id}/history.csv`).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const text = csv.text.replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('seq,at,actor,action,element_id,element_ar,element_en,changes,details');
    expect(text).toContain('"قرار رئيس اللجنة وأسبابه"');
    const json = await d.as('auditor').get(`/api/cases/${accepted.id}/history.json`).expect(200);
    // Reading is recorded: since the first timeline, the path, the CSV and this export were read.
    expect(JSON.parse(json.text).timeline.length).toBe(h.body.timeline.length + 3);
    expect(JSON.parse(json.text).timeline.slice(-3).map((t: { action: string }) => t.action)).toEqual(['case.path.read', 'case.history.read', 'case.history.read']);
    await d.as('auditor').get('/api/cases/REQ-2000-000000/history').expect(404);
    await d.as('process-owner').get(`/api/cases/${accepted.id}/path`).expect(403);
  });

  it('retention: a case closed longer ago than its period loses its personal data and files; the chain stays verifiable', async () => {
    const nationalId = nextNationalId();
    const app = applicationFor({ nationalId, documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY, file: 'document-0' }] });
    const created = await d.as('reception').post('/api/applications').field('application', JSON.stringify(app)).attach('document-0', PDF, 'id.pdf').expect(201);
    const id = created.body.id as string;
    await d.complete(id, 'Task_ReceptionCheck', { dataComplete: false });
    await d.at(id, 'Event_DocumentsDeadline');
    await d.advance('P30D');
    await d.until(id, 'closed-incomplete');
    const open = await d.submit();
    const retention = server.app.get(RetentionService);
    const now = await d.advance('PT0S');
    expect((await retention.apply(now)).anonymised).not.toContain(created.body.applicationNumber); // closed today: kept
    const later = new Date(now.getTime() + (server.config.intake.retentionDays + 1) * 86_400_000);
    const result = await retention.apply(later);
    expect(result.anonymised).toContain(created.body.applicationNumber);
    expect(result.anonymised).not.toContain(open.applicationNumber);
    expect(result.filesRemoved).toBeGreaterThanOrEqual(1);
    const gone = await d.view(id);
    expect(gone).toMatchObject({ status: 'closed-incomplete', applicationNumber: created.body.applicationNumber, applicant: { nationalId: '0000000000', mobile: '+966500000000' } });
    expect(gone.applicant).not.toHaveProperty('email');
    expect((gone.applicant as { fullName: string }).fullName).toContain('Anonymised');
    const documents = gone.documents as Array<{ fileName?: string; number: string }>;
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((x) => !x.fileName && x.number === '-')).toBe(true);
    expect(JSON.stringify(await d.notifications(id))).not.toContain('فاطمة');
    expect(await d.view(open.id)).toMatchObject({ applicant: { nationalId: expect.not.stringMatching(/^0+$/) } });
    const events = await eventsOf(id);
    expect(events.some((e) => e.action === 'retention.anonymised' && e.actor === 'system')).toBe(true);
    await server.app.get(EngineAuditFeed).catchUp();
    expect((await d.as('auditor').get('/api/audit/verify').expect(200)).body).toMatchObject({ ok: true });
  });

  it('verifies the chain, names the first row changed behind its back, and refuses UPDATE and DELETE', async () => {
    await server.app.get(EngineAuditFeed).catchUp();
    const db = server.app.get(DataSource);
    const ok = await d.as('auditor').get('/api/audit/verify').expect(200);
    const [{ rows }] = await db.query('SELECT count(*)::int AS rows FROM audit_event');
    expect(rows).toBeGreaterThan(7);
    expect(ok.body).toMatchObject({ ok: true, checked: rows });
    await expect(db.query(`UPDATE audit_event SET actor = 'someone-else' WHERE seq = 5`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(db.query('DELETE FROM audit_event WHERE seq = 5')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only: TRUNCATE refused/);

    // Someone with the power to switch the trigger off rewrites row 7: verify finds it.
    await db.transaction(async (em) => {
      await em.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
      await em.query(`UPDATE audit_event SET actor = 'someone-else' WHERE seq = 7`);
      await em.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
    });
    const broken = await d.as('auditor').get('/api/audit/verify').expect(200);
    expect(broken.body).toMatchObject({ ok: false, seq: '7', reason: 'row 7 was changed after it was written' });
  });

  it('an auditor reads but changes nothing: every write route answers 403', async () => {
    const writes = listRoutes(server.app).filter((r) => r.method !== 'GET' && r.access?.kind === 'roles' && !(r.access.roles as string[]).includes('auditor'));
    expect(writes.length).toBeGreaterThan(15);
    for (const r of writes) {
      const path = `${r.path.startsWith('/v2/') ? '' : '/api'}${r.path.replace(/:\w+/g, '1')}`;
      const http = server.http();
      const call = r.method === 'PATCH' ? http.patch(path) : r.method === 'DELETE' ? http.delete(path) : r.method === 'PUT' ? http.put(path) : http.post(path);
      const res = await call.auth(d.tokens.auditor, { type: 'bearer' }).send({});
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    // Camunda's searches (/v2/…/search, also a user task's variables: /v2/user-tasks/{key}/variables/search) are POSTs that read: the only non-GET routes an auditor may call.
    const auditorWrites = listRoutes(server.app).filter(
      (r) => r.method !== 'GET' && r.access?.kind === 'roles' && (r.access.roles as string[]).includes('auditor') && !/^\/v2\/[\w-]+(\/:\w+\/[\w-]+)?\/search$/.test(r.path),
    );
    expect(auditorWrites).toEqual([]);
  });

  it('filters events by actor, action and time; refuses reversed ranges and pages of a million', async () => {
    const read = await d.submit();
    await d.as('reception').get(`/api/cases/${read.id}`).expect(200);
    const byActor = await d.as('auditor').get('/api/audit/events?actor=reception&action=case.read&limit=5').expect(200);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    expect(byActor.body.items.every((e: AuditItem) => e.actor === 'reception' && e.action === 'case.read')).toBe(true);
    await d.as('reception').get('/api/cases?limit=3').expect(200);
    const listed = await d.as('auditor').get('/api/audit/events?action=cases.listed&actor=reception&limit=1').expect(200);
    expect(listed.body.items[0].details).toMatchObject({ fields: ['fullName', 'nationalId'], caseIds: expect.any(Array) });
    const logins = await d.as('admin').get('/api/audit/events?action=auth.login').expect(200);
    expect(logins.body.items.map((e: AuditItem) => e.actor)).toContain('auditor');
    const reversed = await d.as('auditor').get('/api/audit/events?from=2026-12-01&to=2026-11-01').expect(400);
    expect(reversed.body.details.fields.to[0]).toContain('not be before');
    const huge = await d.as('auditor').get('/api/audit/events?limit=1000000').expect(400);
    expect(huge.body.details.fields.limit[0]).toContain('at most 500');
    await d.as('auditor').get('/api/audit/events?case=not-a-case').expect(400);
    await d.as('reception').get('/api/audit/events').expect(403);
    await d.as('reception').get('/api/audit/verify').expect(403);
  });

  it('audit rows past their retention are pruned behind a checkpoint; the rest still verifies; nothing else can be deleted', async () => {
    const audit = server.app.get(AuditLog);
    const db = server.app.get(DataSource);
    await server.app.get(EngineAuditFeed).catchUp();
    // A row rewritten behind the log's back (the trigger switched off): verify fails until that row is past its retention and gone.
    const [{ first }] = await db.query('SELECT min(seq)::text AS first FROM audit_event');
    await db.transaction(async (em) => {
      await em.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete');
      await em.query(`UPDATE audit_event SET actor = 'someone-else' WHERE seq = $1`, [first]);
      await em.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_delete');
    });
    expect(await audit.verify()).toMatchObject({ ok: false, seq: first });
    const [{ rows }] = await db.query('SELECT count(*)::int AS rows FROM audit_event');
    // A century on, every row is past its retention: all are pruned, the checkpoint keeps the last hash.
    const cut = new Date(Date.now() + 100 * 365 * 86_400_000);
    const { pruned, checkpoint } = await audit.prune(cut);
    expect(pruned).toBe(rows);
    expect(checkpoint).toBeDefined();
    await audit.record({ at: new Date(), actor: 'auditor', action: 'test.after-prune' });
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
    // Only rows up to a checkpoint go, and only through prune; checkpoints stay.
    await expect(db.query(`SELECT set_config('mustafid.audit_prune', 'on', false); DELETE FROM audit_event`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(db.query('DELETE FROM audit_checkpoint WHERE seq = $1', [checkpoint])).rejects.toThrow(/audit_checkpoint is append-only/);
    expect((await audit.prune(new Date(0))).pruned).toBe(0);
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 1 });
  });
});
