import { describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestServer } from '../support/app';
import { createTestDatabase } from '../support/database';
import { IntakeDriver } from '../support/intake';
import { SERVER_MAIN, runBuilt } from '../support/processes';
import { clockLaterBy, startServerOn } from '../support/promises';

/**
 * Issue 22, "Must show" 4: promises of the README that need a server or a database of their
 * own (no demo accounts; a database a command runs on after the server stops).
 */
describe('promises of the README (own server or database)', () => {
  it('without demo accounts (SEED_DEMO=false, no SMTP_URL) the demo sign-in codes answer 404, even for a number that was just sent a code', async () => {
    const server = await startTestServer({ seedDemo: false });
    try {
      expect(server.config.seed.demoUsers).toBe(false);
      expect(server.config.mail.smtpUrl).toBeUndefined();
      await server.http().post('/api/portal/sign-in/code').send({ mobile: '0551234567' }).expect(202);
      // The code is in the outbox: there is something the demo route could have shown.
      const [{ n }] = await server.app.get(DataSource).query(`SELECT count(*)::int AS n FROM intake_notification WHERE notice = 'sign-in-code'`);
      expect(n).toBe(1);
      const res = await server.http().get('/api/portal/demo/sign-in-codes').query({ mobile: '0551234567' });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/\b\d{6}\b/);
    } finally {
      await server.close();
    }
  });

  it('retention:apply, run by the built server on the stopped server\'s database, anonymises a case closed longer ago than RETENTION_PERSONAL_DATA_DAYS and keeps a recently closed and an open one', async () => {
    const server = await startServerOn(await createTestDatabase(), { ENABLE_TEST_CLOCK: 'true' });
    try {
      const d = new IntakeDriver(server);
      let old: { id: string; applicationNumber: string };
      let recent: { id: string; applicationNumber: string };
      let open: { id: string; applicationNumber: string };
      try {
        await d.signIn('reception', 'admin');
        // Closed (documents never provided) at about now + 30 days on the engine's clock …
        old = await d.submit({ fullName: 'سلمى القديمة', email: 'old@example.org' });
        await d.complete(old.id, 'Task_ReceptionCheck', { dataComplete: false });
        await d.at(old.id, 'Event_DocumentsDeadline');
        await d.advance('P30D');
        await d.until(old.id, 'closed-incomplete');
        // … and this one about 30 days later; this one stays open.
        recent = await d.submit({ fullName: 'هند الحديثة', email: 'recent@example.org' });
        await d.complete(recent.id, 'Task_ReceptionCheck', { dataComplete: false });
        await d.at(recent.id, 'Event_DocumentsDeadline');
        await d.advance('P30D');
        await d.until(recent.id, 'closed-incomplete');
        open = await d.submit({ fullName: 'نورة المفتوحة', email: 'open@example.org' });
      } finally {
        await server.close();
      }

      // 45 days from now with a 10-day period: the first closed 15 days before, the second closes 15 days after.
      const run = runBuilt(SERVER_MAIN, ['retention:apply'], { ...server.env, RETENTION_PERSONAL_DATA_DAYS: '10' }, clockLaterBy(45));
      const result = await run.exited;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n')).toEqual([
        `anonymised the personal data of 1 case(s) closed more than 10 days ago: ${old.applicationNumber}; 0 file(s) removed`,
        'no inquiry was answered more than 10 days ago: nothing to anonymise',
        'no audit row is older than 3650 days',
      ]);

      await server.restart();
      try {
        await d.signIn('admin');
        const gone = await d.view(old.id);
        expect(gone).toMatchObject({ status: 'closed-incomplete', applicationNumber: old.applicationNumber });
        expect(gone.applicant).toMatchObject({ fullName: 'محذوف — Anonymised', nationalId: '0000000000', mobile: '+966500000000', city: '-', address: '-', monthlyIncome: 0, householdMembers: [] });
        expect(gone.applicant).not.toHaveProperty('email');
        expect(JSON.stringify(await d.notifications(old.id))).not.toMatch(/سلمى|old@example\.org/);
        for (const [kept, fullName, email] of [
          [recent, 'هند الحديثة', 'recent@example.org'],
          [open, 'نورة المفتوحة', 'open@example.org'],
        ] as const) {
          const view = await d.view(kept.id);
          expect(view.applicant).toMatchObject({ fullName, email, mobile: '+966551234567', city: 'الرياض' });
          expect((view.applicant as { nationalId: string }).nationalId).not.toBe('0000000000');
        }
      } finally {
        await server.close();
      }
    } finally {
      await server.database.drop();
    }
  }, 240_000);
});
