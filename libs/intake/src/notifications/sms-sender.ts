import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { CLOCK, type Clock } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { retryDelayMs } from './mail-sender';
import { LinkLost, type Receipt, SmppLink, SmscRefused } from './smpp-link';
import { encodeSms, internationalMobile, smsText } from './sms-text';

const BATCH = 20;
/** Attempts at one notice before it is given up as failed (1 + 2 + 4 + … minutes: about four hours). */
export const SMS_MAX_ATTEMPTS = 8;
/** Receipt states that end a message undelivered. */
const UNDELIVERED = new Set(['EXPIRED', 'DELETED', 'UNDELIV', 'UNKNOWN', 'REJECTD']);

/** The concatenation reference of a notice's parts: the same on every attempt, so parts sent again join the first. */
export const referenceOf = (notificationId: string) => parseInt(notificationId.replace(/-/g, '').slice(-2), 16);

/** A notice no SMSC could take: it has no number SMS can reach (none, anonymised, or not a mobile number). */
class NoDestination extends Error {}

/** Alternative spellings of a message id: SMSCs that answer submit_sm in hex often write receipts in decimal, and the reverse. */
function spellings(id: string): string[] {
  const out = new Set([id]);
  if (/^\d{1,30}$/.test(id)) out.add(BigInt(id).toString(16));
  if (/^[0-9a-f]{1,24}$/i.test(id)) out.add(BigInt(`0x${id}`).toString(10));
  return [...out];
}

/**
 * Sends the outbox's SMS notices through SMS_URL's SMPP account (SmppLink: one bound
 * transceiver session). Mirrors MailSender: only while bound, a notice is claimed by moving its
 * next attempt into the future in a short transaction (FOR UPDATE SKIP LOCKED: another server on
 * the same database skips it), its parts are submitted outside any transaction, and each part the
 * SMSC accepts is recorded with its message id at once — a retry sends only the parts not yet
 * accepted, with the same concatenation reference. Transient refusals (throttled, queue full) and
 * a lost connection are retried after 1, 2, 4 … minutes, up to eight attempts; a permanent
 * refusal (an invalid number) fails the notice with the reason. Delivery receipts mark it
 * delivered, or failed with the receipt's state.
 */
@Injectable()
export class SmsSender implements OnModuleDestroy {
  private readonly logger = new Logger('SmsSender');
  private link?: SmppLink;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(intervalMs = 1_000): void {
    if (!this.config.sms || this.timer) return;
    this.link = new SmppLink(this.config.sms, (receipt) => this.record(receipt));
    this.link.start();
    this.timer = setInterval(() => void this.sendDue().catch((e) => this.logger.warn(`Sending SMS notices failed: ${e}`)), intervalMs).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.link?.close();
  }

  /** Sends the notices that are due; returns how many were sent. One pass at a time. */
  sendDue(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.link?.bound) return 0; // nothing is claimed (nor an attempt spent) while the SMSC is out of reach
    const now = this.clock.now();
    const claimed: Array<Record<string, string>> = await this.db.transaction(async (em) => {
      const rows = await em.query(
        `SELECT id, to_mobile, body_ar, body_en, attempts FROM intake_notification
          WHERE delivery = 'sms' AND sent_at IS NULL AND failed_at IS NULL AND attempts < $1 AND next_attempt_at <= $3
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [SMS_MAX_ATTEMPTS, BATCH, now],
      );
      for (const r of rows) {
        const next = new Date(now.getTime() + retryDelayMs(Number(r.attempts) + 1));
        await em.query('UPDATE intake_notification SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1', [r.id, next]);
      }
      return rows;
    });
    let sent = 0;
    for (const [i, n] of claimed.entries()) {
      try {
        await this.send(n);
        await this.db.query('UPDATE intake_notification SET sent_at = $2, last_error = NULL WHERE id = $1', [n.id, this.clock.now()]);
        sent++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const attempt = Number(n.attempts) + 1;
        if ((e instanceof SmscRefused && !e.transient) || e instanceof NoDestination) {
          await this.fail(n.id, message);
        } else if (attempt >= SMS_MAX_ATTEMPTS) {
          await this.fail(n.id, `Gave up after ${attempt} attempts; the last: ${message}`);
        } else {
          await this.db.query('UPDATE intake_notification SET last_error = $2 WHERE id = $1', [n.id, message.slice(0, 500)]);
        }
        this.logger.warn(`SMS notice ${n.id} was not sent (attempt ${attempt}): ${message}`); // the number stays out of the log (personal data)
        if (e instanceof LinkLost || (e instanceof SmscRefused && e.transient)) {
          // The link or the SMSC is not taking messages now: the rest of the batch was not tried, so it keeps its attempt.
          const rest = claimed.slice(i + 1).map((r) => r.id);
          if (rest.length) await this.db.query('UPDATE intake_notification SET attempts = attempts - 1, next_attempt_at = $2 WHERE id = ANY($1::uuid[])', [rest, now]);
          break;
        }
      }
    }
    return sent;
  }

  private async fail(id: string, reason: string): Promise<void> {
    await this.db.query('UPDATE intake_notification SET failed_at = $2, last_error = $3 WHERE id = $1', [id, this.clock.now(), reason.slice(0, 500)]);
  }

  /** Submits the parts of the notice the SMSC has not accepted yet, recording each as it is accepted. */
  private async send(n: Record<string, string>): Promise<void> {
    const sms = this.config.sms!;
    const destination = n.to_mobile ? internationalMobile(n.to_mobile) : undefined;
    if (!destination) throw new NoDestination('The notice has no mobile number SMS can reach');
    const text = smsText(n.body_ar, n.body_en, `${this.config.publicUrl}/portal`);
    const encoded = encodeSms(text, referenceOf(n.id));
    const done: Array<{ part: number }> = await this.db.query('SELECT part FROM intake_sms_part WHERE notification_id = $1', [n.id]);
    const accepted = new Set(done.map((d) => Number(d.part)));
    for (const [i, message] of encoded.parts.entries()) {
      if (accepted.has(i + 1)) continue;
      const messageId = await this.link!.submit({
        source_addr_ton: sms.sourceTon,
        source_addr_npi: sms.sourceNpi,
        source_addr: sms.source,
        dest_addr_ton: 1, // international
        dest_addr_npi: 1, // E.164
        destination_addr: destination,
        esm_class: encoded.esmClass,
        registered_delivery: 1, // a receipt on final delivery or failure
        data_coding: encoded.dataCoding,
        short_message: message,
      });
      await this.db.query(
        `INSERT INTO intake_sms_part (notification_id, part, parts, message_id, submitted_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (notification_id, part) DO NOTHING`,
        [n.id, i + 1, encoded.parts.length, messageId, this.clock.now()],
      );
    }
  }

  /** A delivery receipt: the part's state; the notice is delivered when every part is, failed when one part cannot be. */
  async record(receipt: Receipt): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const [part] = await em.query(
        `UPDATE intake_sms_part SET receipt_state = $2, receipt_error = $3, receipt_at = $4 WHERE message_id = ANY($1::text[])
         RETURNING notification_id, part, parts`,
        [spellings(receipt.messageId), receipt.state.slice(0, 10), receipt.error?.slice(0, 10) ?? null, now],
      ).then((r: unknown[]) => (Array.isArray(r[0]) ? (r[0] as Array<Record<string, string>>) : (r as Array<Record<string, string>>)));
      if (!part) {
        this.logger.warn(`A delivery receipt names message ${receipt.messageId}, which no notice has`);
        return;
      }
      if (UNDELIVERED.has(receipt.state)) {
        await em.query('UPDATE intake_notification SET failed_at = COALESCE(failed_at, $2), last_error = $3 WHERE id = $1', [
          part.notification_id,
          now,
          `The SMSC reports part ${part.part} of ${part.parts} ${receipt.state}${receipt.error ? ` (error ${receipt.error})` : ''}`,
        ]);
      } else if (receipt.state === 'DELIVRD') {
        await em.query(
          `UPDATE intake_notification SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL AND failed_at IS NULL
             AND (SELECT count(*) FROM intake_sms_part WHERE notification_id = $1 AND receipt_state = 'DELIVRD') = $3`,
          [part.notification_id, now, Number(part.parts)],
        );
      }
    });
  }
}
