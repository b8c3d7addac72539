import { type AddressInfo, createServer as createNetServer } from 'node:net';
import * as smpp from 'smpp';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsText } from '../../libs/intake/src/notifications/sms-text';
import { startTestServer, type TestServer } from '../support/app';
import { eventually } from '../support/budget.mjs';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { IntakeDriver, applicationFor } from '../support/intake';
import { startServerOn } from '../support/promises';

/*
 * Notices to applicants by SMS through SMPP 3.4 (issue 19 point 2), against a local SMSC: the
 * smpp package's own server, over a real TCP socket. The Camunda docs do not cover SMS; the steps
 * whose notices these are follow the intake diagram, a Camunda 8 process:
 * https://docs.camunda.io/docs/components/modeler/bpmn/send-tasks/ (notices are sent as jobs) and
 * https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/ ("please sign" when the user task opens).
 */

interface Submit {
  session: smpp.Session;
  status: number;
  messageId: string;
  destination: string;
  destTon: number;
  destNpi: number;
  source: string;
  sourceTon: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** The concatenation header's reference, part count and part number (1, 1 for a single message). */
  ref: number;
  total: number;
  seq: number;
  text: string;
}

const SYSTEM_ID = 'mustafid';
const PASSWORD = 's3cret';

/** A test SMSC: binds the one account, answers submit_sm as told per number, reassembles split messages, sends receipts. */
class TestSmsc {
  readonly submits: Submit[] = [];
  /** Statuses to answer the next submits to a number with, in order (then ESME_ROK). */
  readonly answers = new Map<string, number[]>();
  binds = 0;
  unbinds = 0;
  private ids = 0;
  private readonly server: smpp.Server;

  constructor() {
    this.server = smpp.createServer((session) => {
      session.on('error', () => undefined);
      session.on('bind_transceiver', (pdu: smpp.PDU) => {
        if (pdu.system_id !== SYSTEM_ID || pdu.password !== PASSWORD) {
          session.send(pdu.response({ command_status: smpp.errors.ESME_RBINDFAIL }));
          session.close();
          return;
        }
        this.binds++;
        session.send(pdu.response({ system_id: 'TestSMSC' }));
      });
      session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
      session.on('unbind', (pdu: smpp.PDU) => {
        this.unbinds++;
        session.send(pdu.response());
        session.close();
      });
      session.on('submit_sm', (pdu: smpp.PDU) => {
        const destination = pdu.destination_addr as string;
        const status = this.answers.get(destination)?.shift() ?? 0;
        const messageId = status === 0 ? `5A${(++this.ids).toString(16).toUpperCase().padStart(6, '0')}` : '';
        const message = pdu.short_message as { udh?: Buffer[]; message: string };
        const udh = message.udh?.find((h) => h[0] === 0x00);
        this.submits.push({
          session,
          status,
          messageId,
          destination,
          destTon: pdu.dest_addr_ton as number,
          destNpi: pdu.dest_addr_npi as number,
          source: pdu.source_addr as string,
          sourceTon: pdu.source_addr_ton as number,
          dataCoding: pdu.data_coding as number,
          esmClass: pdu.esm_class as number,
          registeredDelivery: pdu.registered_delivery as number,
          ref: udh ? udh[2] : 0,
          total: udh ? udh[3] : 1,
          seq: udh ? udh[4] : 1,
          text: message.message,
        });
        session.send(pdu.response(status === 0 ? { message_id: messageId } : { command_status: status }));
      });
    });
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const s of this.server.sessions) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  accepted(destination: string): Submit[] {
    return this.submits.filter((s) => s.destination === destination && s.status === 0);
  }

  /** The whole messages to a number, each from all its parts in order. */
  messages(destination: string): Array<{ text: string; parts: Submit[] }> {
    // Parts join the open message of their reference and count, unless it has their number already (then a new message begins).
    const messages: Submit[][] = [];
    const open = new Map<string, Submit[]>();
    for (const s of this.accepted(destination)) {
      const key = `${s.ref}/${s.total}`;
      let parts = open.get(key);
      if (!parts || parts.some((p) => p.seq === s.seq)) {
        parts = [];
        open.set(key, parts);
        messages.push(parts);
      }
      parts.push(s);
    }
    return messages
      .filter((parts) => new Set(parts.map((p) => p.seq)).size === parts[0].total)
      .map((parts) => {
        const ordered = [...parts].sort((a, b) => a.seq - b.seq);
        return { text: ordered.map((p) => p.text).join(''), parts: ordered };
      });
  }

  /** A delivery receipt for a part, as SMSCs write them (the receipt's text; no TLVs). */
  receipt(part: Submit, stat: 'DELIVRD' | 'UNDELIV', err = '000'): void {
    part.session.deliver_sm({
      source_addr: part.destination,
      destination_addr: part.source,
      esm_class: 0x04,
      short_message: `id:${part.messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2601011200 done date:2601011201 stat:${stat} err:${err} text:`,
    });
  }
}

const smsUrl = (port: number) => `smpp://${SYSTEM_ID}:${PASSWORD}@127.0.0.1:${port}?source=Mustafid`;

/** A walk-in applicant (C1) who gave a mobile number and no e-mail address. */
const walkIn = (mobile: string) => ({ channel: 'C1', mobile, email: undefined });

interface Row {
  delivery: string;
  attempts: number;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

/** A notice's outbox row, read from the database: polling the notices API would audit every look. */
function row(server: TestServer, caseId: string, notice: string): Promise<Row | undefined> {
  return server.app
    .get(DataSource)
    .query('SELECT delivery, attempts, sent_at, delivered_at, failed_at, last_error FROM intake_notification WHERE application_id = $1 AND notice = $2', [caseId, notice])
    .then((rows: Row[]) => rows[0]);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notices by SMS through SMPP', () => {
  const smsc = new TestSmsc();
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    const port = await smsc.listen();
    // A mail server too (one that never answers): e-mail goes first where the applicant gave an address.
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true', SMS_URL: smsUrl(port), SMTP_URL: 'smtp://127.0.0.1:9' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
  });
  afterAll(async () => {
    await server?.close();
    await smsc.close();
  });

  it('acknowledges a walk-in applicant\'s request by SMS with its number, in UCS-2 split and reassembled exactly, and records the delivery receipts [S1, O3, T2]', async () => {
    const c = await d.submit(walkIn('٠٥٥٠٠٠٠٠٠١')); // typed in Arabic-Indic digits at the desk
    const message = await eventually(async () => smsc.messages('966550000001')[0], 'the acknowledgment at the SMSC');
    const [ack] = await d.notifications(c.id);
    expect(ack).toMatchObject({ notice: 'acknowledgment', recipient: 'applicant', delivery: 'sms', toMobile: '+966550000001' });
    expect(ack).not.toHaveProperty('toEmail');
    expect(ack.body.ar).toContain(`عزيزنا فاطمة عبدالله الحربي`);
    expect(ack.body.ar).toContain(c.applicationNumber);
    expect(ack.body.en).toBe(
      `Dear فاطمة عبدالله الحربي, thank you for contacting the Society. We have received your request, number ${c.applicationNumber}; please quote it in any inquiry. We will tell you of each step.`,
    );
    // Arabic then English, in UCS-2 (data_coding 8), split with a concatenation header on every part.
    expect(message.text).toBe(`${ack.body.ar}\n\n${ack.body.en}`);
    expect(message.parts.length).toBe(Math.ceil(message.text.length / 67));
    expect(message.parts.length).toBeGreaterThan(1);
    for (const part of message.parts) {
      expect(part).toMatchObject({ dataCoding: 8, source: 'Mustafid', sourceTon: 5, destTon: 1, destNpi: 1, registeredDelivery: 1, total: message.parts.length });
      expect(part.esmClass & 0x40).toBe(0x40);
    }
    expect(smsc.submits.filter((s) => s.destination === '966550000001')).toHaveLength(message.parts.length); // each part once
    const sent = await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.sent_at ?? undefined, 'the acknowledgment marked sent');

    // Receipts for all but the last part: not yet delivered; the last one completes it.
    for (const part of message.parts.slice(0, -1)) smsc.receipt(part, 'DELIVRD');
    await pause(500);
    expect((await row(server, c.id, 'acknowledgment'))?.delivered_at).toBeNull();
    smsc.receipt(message.parts.at(-1)!, 'DELIVRD');
    const deliveredAt = await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.delivered_at ?? undefined, 'the delivery recorded on the notice');
    const [after] = await d.notifications(c.id);
    expect(after).toMatchObject({ sentAt: sent!.toISOString(), deliveredAt: deliveredAt!.toISOString() });
    expect(after).not.toHaveProperty('failedAt');
  });

  it('asks the applicant by SMS to sign when the attestation task opens [S4, O3]', async () => {
    const c = await d.submit(walkIn('0550000005'));
    await eventually(async () => smsc.messages('966550000005')[0], 'the acknowledgment at the SMSC');
    await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.at(c.id, 'Task_Attestation');
    const notices = await d.notifications(c.id);
    expect(notices.map((n) => n.notice)).toEqual(['acknowledgment', 'please-sign']);
    const pleaseSign = notices[1];
    expect(pleaseSign).toMatchObject({ delivery: 'sms', subject: { ar: `طلبكم ${c.applicationNumber} بانتظار توقيعكم`, en: `Your request ${c.applicationNumber} awaits your signature` } });
    const message = await eventually(async () => smsc.messages('966550000005')[1], 'the please-sign notice at the SMSC');
    expect(message.text).toBe(smsText(pleaseSign.body.ar, pleaseSign.body.en, `${server.config.publicUrl}/portal`));
    expect(message.text).toContain(c.applicationNumber);
  });

  it('retries a throttled part after the pause, sending only the parts the SMSC has not taken [O3]', async () => {
    smsc.answers.set('966550000002', [0, smpp.errors.ESME_RTHROTTLED]); // part 1 taken, part 2 throttled
    const c = await d.submit(walkIn('0550000002'));
    await eventually(async () => smsc.submits.some((s) => s.destination === '966550000002' && s.status !== 0), 'the throttled submit');
    await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.last_error ?? undefined, 'the refusal recorded');
    expect(await row(server, c.id, 'acknowledgment')).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, last_error: 'The SMSC refused the message: ESME_RTHROTTLED (0x00000058)' });
    expect(smsc.messages('966550000002')).toEqual([]);

    await d.advance('PT2M'); // past the first retry pause (one minute)
    const message = await eventually(async () => smsc.messages('966550000002')[0], 'the whole acknowledgment at the SMSC');
    await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.sent_at ?? undefined, 'the acknowledgment marked sent');
    const [ack] = await d.notifications(c.id);
    expect(message.text).toBe(`${ack.body.ar}\n\n${ack.body.en}`);
    const submits = smsc.submits.filter((s) => s.destination === '966550000002');
    expect(submits.map((s) => [s.seq, s.status])).toEqual([[1, 0], [2, 0x58], ...message.parts.slice(1).map((p) => [p.seq, 0])]);
    expect(await row(server, c.id, 'acknowledgment')).toMatchObject({ attempts: 2, last_error: null });
  });

  it('records a notice the SMSC refuses for good (an invalid number) as failed, with the reason, and never tries it again [O3]', async () => {
    smsc.answers.set('966550000003', [smpp.errors.ESME_RINVDSTADR]);
    const c = await d.submit(walkIn('0550000003'));
    const failedAt = await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.failed_at ?? undefined, 'the notice marked failed');
    await d.advance('PT2H');
    await pause(2500); // the sender looks every second
    expect(smsc.submits.filter((s) => s.destination === '966550000003').map((s) => s.status)).toEqual([0x0b]);
    const [ack] = await d.notifications(c.id);
    expect(ack).toMatchObject({ delivery: 'sms', failedAt: failedAt!.toISOString(), failure: 'The SMSC refused the message: ESME_RINVDSTADR (0x0000000B)' });
    expect(ack).not.toHaveProperty('sentAt');
  });

  it('records a receipt that says undelivered as the notice\'s failure [O3]', async () => {
    const c = await d.submit(walkIn('0550000004'));
    const message = await eventually(async () => smsc.messages('966550000004')[0], 'the acknowledgment at the SMSC');
    await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.sent_at ?? undefined, 'the acknowledgment marked sent');
    smsc.receipt(message.parts[0], 'DELIVRD');
    smsc.receipt(message.parts[1], 'UNDELIV', '001');
    await eventually(async () => (await row(server, c.id, 'acknowledgment'))?.failed_at ?? undefined, 'the failure recorded');
    const [ack] = await d.notifications(c.id);
    expect(ack).toMatchObject({ failure: `The SMSC reports part 2 of ${message.parts.length} UNDELIV (error 001)` });
    expect(ack).not.toHaveProperty('deliveredAt');
  });

  it('sends by e-mail when the applicant gave an address, and by SMS when they chose it, whatever the address [O3]', async () => {
    const withMail = await d.submit({ channel: 'C2', mobile: '0550000006', email: 'applicant@example.org' });
    const chose = await d.submit({ channel: 'C2', mobile: '0550000007', email: 'applicant@example.org', preferredContact: 'sms' });
    expect((await d.notifications(withMail.id))[0]).toMatchObject({ notice: 'acknowledgment', delivery: 'smtp' });
    expect((await d.notifications(chose.id))[0]).toMatchObject({ notice: 'acknowledgment', delivery: 'sms' });
    await eventually(async () => smsc.messages('966550000007')[0], 'the chosen SMS at the SMSC');
    const bad = await d.as('reception').post('/api/applications').send({ ...applicationFor(), preferredContact: 'pigeon' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('preferredContact must be sms or email (how the applicant wants notices)');
  });
});

describe('notices by SMS when the SMSC is out of reach at first', () => {
  let smsc: TestSmsc | undefined;
  let server: TestServer | undefined;

  afterAll(async () => {
    await server?.close();
    await smsc?.close();
  });

  it('waits without spending attempts while the SMSC is down, sends once when it comes up, and unbinds on shutdown [O3]', async () => {
    // A port nothing listens on yet.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    server = await startTestServer({ env: { SMS_URL: smsUrl(port) } });
    const d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
    const c = await d.submit(walkIn('0550000010'));
    await pause(2500);
    expect(await row(server, c.id, 'acknowledgment')).toMatchObject({ delivery: 'sms', attempts: 0, sent_at: null, failed_at: null });

    smsc = new TestSmsc();
    await smsc.listen(port);
    const message = await eventually(async () => smsc!.messages('966550000010')[0], 'the acknowledgment once the SMSC is up', { timeoutMs: 30_000 });
    await eventually(async () => (await row(server!, c.id, 'acknowledgment'))?.sent_at ?? undefined, 'the acknowledgment marked sent');
    await pause(2500);
    expect(smsc.submits.filter((s) => s.destination === '966550000010')).toHaveLength(message.parts.length);
    expect(await row(server, c.id, 'acknowledgment')).toMatchObject({ attempts: 1 });
    expect(smsc.binds).toBe(1);

    await server.close();
    server = undefined;
    expect(smsc.unbinds).toBe(1);
  });
});

describe('notices by SMS from two servers on one database', () => {
  const smsc = new TestSmsc();
  let database: TestDatabase;
  const servers: TestServer[] = [];

  afterAll(async () => {
    for (const s of servers) await s.close();
    await database?.drop();
    await smsc.close();
  });

  it('never sends one notice twice when two servers send from the same outbox [O3]', async () => {
    const port = await smsc.listen();
    database = await createTestDatabase('postgres');
    servers.push(await startServerOn(database, { SMS_URL: smsUrl(port) }));
    servers.push(await startServerOn(database, { SMS_URL: smsUrl(port) }));
    await eventually(async () => smsc.binds === 2, 'both servers bound');
    const d = new IntakeDriver(servers[0]);
    await d.signIn('reception', 'admin');
    const mobiles = Array.from({ length: 8 }, (_, i) => `05500001${String(i).padStart(2, '0')}`);
    const cases = [];
    for (const mobile of mobiles) cases.push(await d.submit(walkIn(mobile)));
    for (const [i, mobile] of mobiles.entries()) {
      const message = await eventually(async () => smsc.messages(`966${mobile.slice(1)}`)[0], `the acknowledgment to ${mobile}`);
      expect(message.text).toContain(cases[i].applicationNumber);
    }
    await pause(2500);
    for (const mobile of mobiles) {
      const submits = smsc.submits.filter((s) => s.destination === `966${mobile.slice(1)}`);
      expect(submits.map((s) => s.seq).sort(), mobile).toEqual(Array.from({ length: submits[0].total }, (_, i) => i + 1));
    }
  });
});
