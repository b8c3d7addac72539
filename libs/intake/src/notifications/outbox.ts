import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { EntityManager } from 'typeorm';
import type { PreferredContact } from '../applications/vocabulary';
import { type NoticeFacts, type NoticeText, type OutboxNotice, noticeText } from './notice-texts';

interface OutboxEntryBase {
  /** The case; null for a notice about no case (the portal's sign-in code, an inquiry of someone with no request). */
  applicationId: string | null;
  /** The inquiry the notice is about (libs/inquiry), if any. */
  inquiryId?: string | null;
  /** One notification per key: a job delivered twice writes it once. */
  dedupeKey: string;
  /** Who it is for: the applicant, a person who sent an inquiry, or staff by role. */
  recipient: 'applicant' | 'committee-chair' | 'inquirer' | 'reception' | 'supervisor';
  toMobile?: string | null;
  toEmail?: string | null;
  /** The applicant's choice of channel for notices, if they made one. */
  preferredContact?: PreferredContact | null;
  at: Date;
}

/** A notice of the intake process (worded by notice-texts.ts), or one another domain worded itself (an inquiry's). */
export type OutboxEntry = OutboxEntryBase & ({ notice: OutboxNotice; facts: NoticeFacts } | { notice: string; text: NoticeText });

export type { PreferredContact };
export type Delivery = 'outbox' | 'smtp' | 'sms';

export interface NotificationView {
  id: string;
  recipient: string;
  notice: string;
  subject: { ar: string; en: string };
  body: { ar: string; en: string };
  toMobile?: string;
  toEmail?: string;
  createdAt: Date;
  delivery: Delivery;
  /** Sent: accepted by the mail server, or every SMS part by the SMSC. */
  sentAt?: Date;
  /** SMS: the delivery receipts of every part said delivered. */
  deliveredAt?: Date;
  /** Given up: the SMSC refused it for good, a receipt said it was not delivered, or every attempt failed; `failure` says why. */
  failedAt?: Date;
  failure?: string;
}

/**
 * How a notice goes: by e-mail when the applicant gave an address and a mail server is set, by
 * SMS when there is a mobile number and an SMS account but no way to mail, or when the applicant
 * chose SMS; otherwise it stays in the outbox, readable through the case API and the portal.
 */
export function deliveryOf(entry: Pick<OutboxEntry, 'toEmail' | 'toMobile' | 'preferredContact'>, config: Pick<AppConfig, 'mail' | 'sms'>): Delivery {
  const byMail = Boolean(config.mail.smtpUrl && entry.toEmail);
  const bySms = Boolean(config.sms && entry.toMobile);
  if (bySms && entry.preferredContact === 'sms') return 'sms';
  if (byMail) return 'smtp';
  return bySms ? 'sms' : 'outbox';
}

/**
 * The notification outbox: every notice is a row, in Arabic and English, written in the same
 * transaction as the step that causes it. With SMTP_URL set, e-mail is sent from here (MailSender),
 * with SMS_URL, SMS (SmsSender); either way the notices stay readable through the case API.
 */
@Injectable()
export class NotificationOutbox {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Writes the notice unless one with its key exists; returns whether it wrote one. */
  async write(em: EntityManager, entry: OutboxEntry): Promise<boolean> {
    const text = 'text' in entry ? entry.text : noticeText(entry.notice, entry.facts);
    const delivery = deliveryOf(entry, this.config);
    const rows = await em.query(
      `INSERT INTO intake_notification (application_id, dedupe_key, recipient, notice, to_mobile, to_email, subject_ar, subject_en, body_ar, body_en, created_at, delivery, next_attempt_at, inquiry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $13)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [entry.applicationId, entry.dedupeKey, entry.recipient, entry.notice, entry.toMobile ?? null, entry.toEmail ?? null,
        text.subjectAr, text.subjectEn, text.bodyAr, text.bodyEn, entry.at, delivery, entry.inquiryId ?? null],
    );
    return rows.length > 0;
  }

  async list(em: EntityManager, applicationId: string): Promise<NotificationView[]> {
    return this.listWhere(em, 'application_id', applicationId);
  }

  /** The notices about one inquiry (libs/inquiry). */
  listForInquiry(em: EntityManager, inquiryId: string): Promise<NotificationView[]> {
    return this.listWhere(em, 'inquiry_id', inquiryId);
  }

  private async listWhere(em: EntityManager, column: 'application_id' | 'inquiry_id', id: string): Promise<NotificationView[]> {
    const rows = await em.query(
      `SELECT id, recipient, notice, subject_ar, subject_en, body_ar, body_en, to_mobile, to_email, created_at, delivery, sent_at, delivered_at, failed_at, last_error
         FROM intake_notification WHERE ${column} = $1 ORDER BY created_at, id`,
      [id],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      recipient: r.recipient,
      notice: r.notice,
      subject: { ar: r.subject_ar, en: r.subject_en },
      body: { ar: r.body_ar, en: r.body_en },
      toMobile: r.to_mobile ?? undefined,
      toEmail: r.to_email ?? undefined,
      createdAt: r.created_at,
      delivery: r.delivery,
      sentAt: r.sent_at ?? undefined,
      deliveredAt: r.delivered_at ?? undefined,
      failedAt: r.failed_at ?? undefined,
      failure: r.failed_at ? (r.last_error ?? undefined) : undefined,
    }));
  }
}
