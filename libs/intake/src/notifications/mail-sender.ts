import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { CLOCK, type Clock } from '@mustafid/workflow';
import { createTransport, type Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';

const BATCH = 20;
const MAX_ATTEMPTS = 8;
/** Wait before attempt n+1: 1 min, 2, 4, … capped at 6 hours. */
export const retryDelayMs = (attempts: number) => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Sends the outbox's e-mail notices through SMTP_URL (nodemailer). A notice is claimed by
 * moving its next attempt into the future in a short transaction, then sent outside any
 * transaction (the embedded database has one connection, which a slow mail server must not
 * hold), then marked sent. A crash between sending and marking may send one notice twice;
 * nothing is lost. Failures are retried with a growing pause, up to eight attempts.
 */
@Injectable()
export class MailSender implements OnModuleDestroy {
  private readonly logger = new Logger('MailSender');
  private transport?: Transporter;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  start(intervalMs = 2_000): void {
    if (!this.config.mail.smtpUrl || this.timer) return;
    this.transport = createTransport(this.config.mail.smtpUrl);
    this.timer = setInterval(() => void this.sendDue().catch((e) => this.logger.warn(`Sending notices failed: ${e}`)), intervalMs).unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.transport?.close();
  }

  /** Sends the notices that are due; returns how many were sent. One pass at a time. */
  sendDue(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.transport) return 0;
    const now = this.clock.now();
    const claimed: Array<Record<string, string>> = await this.db.transaction(async (em) => {
      const rows = await em.query(
        `SELECT id, to_email, subject_ar, subject_en, body_ar, body_en, attempts FROM intake_notification
          WHERE delivery = 'smtp' AND sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $3
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS, BATCH, now],
      );
      for (const r of rows) {
        const next = new Date(now.getTime() + retryDelayMs(Number(r.attempts) + 1));
        await em.query('UPDATE intake_notification SET attempts = attempts + 1, next_attempt_at = $2 WHERE id = $1', [r.id, next]);
      }
      return rows;
    });
    let sent = 0;
    for (const n of claimed) {
      try {
        await this.transport.sendMail({
          from: this.config.mail.from,
          to: n.to_email,
          subject: `${n.subject_ar} | ${n.subject_en}`,
          text: `${n.body_ar}\n\n—\n\n${n.body_en}\n`,
          html:
            `<div dir="rtl" lang="ar" style="font-family: 'Noto Naskh Arabic', Tahoma, sans-serif">${escapeHtml(n.body_ar)}</div>` +
            `<hr><div dir="ltr" lang="en" style="font-family: sans-serif">${escapeHtml(n.body_en)}</div>`,
        });
        await this.db.query('UPDATE intake_notification SET sent_at = $2, last_error = NULL WHERE id = $1', [n.id, this.clock.now()]);
        sent++;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        await this.db.query('UPDATE intake_notification SET last_error = $2 WHERE id = $1', [n.id, message.slice(0, 500)]);
        this.logger.warn(`Notice ${n.id} was not sent: ${message}`); // the address stays out of the log (personal data)
      }
    }
    return sent;
  }
}
