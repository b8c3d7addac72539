import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';
import { IntakeDriver, VALID_EXPIRY } from '../support/intake';

/** The message with its quoted-printable parts decoded (what a mail client shows). */
function quotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8').replace(/&#39;/g, "'");
}

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Notices reach the applicant by e-mail when SMTP_URL is set: a real SMTP server in the test. */
describe('notices delivered by SMTP', () => {
  let smtp: SMTPServer;
  let server: TestServer;
  let d: IntakeDriver;
  const received: Received[] = [];
  let refuse = false;
  /** Deliveries the server refused (450), so a test can see that an attempt was made. */
  let refused = 0;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (refuse) {
            refused++;
            return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 450 }));
          }
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Mustafid <notices@hrs.example>' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  /** The outbox rows of a case, read from the database: polling the notices API would audit every look. */
  const outbox = (caseId: string): Promise<Array<{ delivery: string; sent_at: Date | null }>> =>
    server.app.get(DataSource).query('SELECT delivery, sent_at FROM intake_notification WHERE application_id = $1 ORDER BY created_at, id', [caseId]);

  it('sends the notice in Arabic and English to the applicant\'s address, marks it sent, and retries when the server refuses [O3]', async () => {
    const nationalId = (await import('../support/intake')).nextNationalId();
    refuse = true;
    const c = await d.submit({ nationalId, email: 'applicant@example.org', documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] });
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: false });
    // Settled: the notify worker has written the notice (its first try at the mail server is the mailer's, not the engine's).
    await d.at(c.id, 'Event_DocumentsProvided');
    const notices = await d.notifications(c.id);
    expect(notices.map((n) => [n.notice, (n as unknown as { delivery: string }).delivery])).toEqual([['acknowledgment', 'smtp'], ['missing-documents', 'smtp']]);
    // The mailer tried, was refused, and keeps the notices for a later try.
    await eventually(async () => refused >= 2 || undefined, 'delivery attempts the mail server refused');
    expect(received).toEqual([]);
    for (const n of await d.notifications(c.id)) expect(n).not.toHaveProperty('sentAt');

    refuse = false;
    await d.advance('PT2M'); // past the first retry pause
    await eventually(async () => received.length === 2 || undefined, 'both notices to reach the mail server');
    for (const notice of notices) {
      const mail = received.find((m) => quotedPrintable(m.raw).includes(notice.body.ar));
      expect(mail, notice.notice).toBeDefined();
      expect(mail!.from).toBe('notices@hrs.example');
      expect(mail!.to).toEqual(['applicant@example.org']);
      expect(mail!.raw).toMatch(/Content-Type: text\/html/);
      const text = quotedPrintable(mail!.raw);
      expect(text).toContain(notice.body.en);
      expect(text).toContain('<div dir="rtl" lang="ar"');
    }
    await eventually(async () => (await outbox(c.id)).every((n) => n.sent_at) || undefined, 'the notices to be marked sent');
    for (const n of await d.notifications(c.id)) expect((n as unknown as { sentAt?: string }).sentAt).toBeTruthy();
  });
});
