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
    const c = await d.submit({ nationalId, email: 'applicant@example.org', documents: [{ type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY }] });
    refuse = true;
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: false });
    // Settled: the notify worker has written the notice (its first try at the mail server is the mailer's, not the engine's).
    await d.at(c.id, 'Event_DocumentsProvided');
    const [failed] = await d.notifications(c.id);
    expect((failed as unknown as { delivery: string }).delivery).toBe('smtp');
    // The mailer tried, was refused, and keeps the notice for a later try.
    await eventually(async () => refused >= 1 || undefined, 'a delivery attempt the mail server refused');
    expect(received).toEqual([]);
    expect((await d.notifications(c.id))[0]).not.toHaveProperty('sentAt');

    refuse = false;
    await d.advance('PT2M'); // past the first retry pause
    const mail = await eventually(async () => received[0], 'the notice to reach the mail server');
    expect(mail.from).toBe('notices@hrs.example');
    expect(mail.to).toEqual(['applicant@example.org']);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    const notice = (await d.notifications(c.id))[0];
    const text = quotedPrintable(mail.raw);
    expect(text).toContain(notice.body.ar);
    expect(text).toContain(notice.body.en);
    expect(text).toContain('<div dir="rtl" lang="ar"');
    await eventually(async () => (await outbox(c.id))[0]?.sent_at, 'the notice to be marked sent');
    expect(((await d.notifications(c.id))[0] as unknown as { sentAt?: string }).sentAt).toBeTruthy();
  });
});
