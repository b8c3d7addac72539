import { listRoutes } from '@mustafid/platform';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineAuditFeed } from '@mustafid/audit/feed/engine-audit-feed';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, PDF, applicationFor } from '../support/intake';

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
    await d.signIn('auditor');
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

  it('verifies the chain, names the first row changed behind its back, and refuses UPDATE and DELETE', async () => {
    await server.app.get(EngineAuditFeed).catchUp();
    const ok = await d.as('auditor').get('/api/audit/verify').expect(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.checked).toBeGreaterThan(20);

    const db = server.app.get(DataSource);
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
      const path = `/api${r.path.replace(/:\w+/g, '1')}`;
      const http = server.http();
      const call = r.method === 'PATCH' ? http.patch(path) : r.method === 'DELETE' ? http.delete(path) : r.method === 'PUT' ? http.put(path) : http.post(path);
      const res = await call.auth(d.tokens.auditor, { type: 'bearer' }).send({});
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
    const auditorWrites = listRoutes(server.app).filter((r) => r.method !== 'GET' && r.access?.kind === 'roles' && (r.access.roles as string[]).includes('auditor'));
    expect(auditorWrites).toEqual([]);
  });

  it('filters events by actor, action and time; refuses reversed ranges and pages of a million', async () => {
    const byActor = await d.as('auditor').get('/api/audit/events?actor=reception&action=case.read&limit=5').expect(200);
    expect(byActor.body.items.every((e: AuditItem) => e.actor === 'reception' && e.action === 'case.read')).toBe(true);
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
});
