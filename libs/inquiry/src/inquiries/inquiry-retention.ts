import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { ANONYMISED } from '@mustafid/intake';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { DataSource } from 'typeorm';

/**
 * The inquiries' share of `retention:apply`: an inquiry answered longer ago than
 * RETENTION_PERSONAL_DATA_DAYS (the period cases keep personal data) loses what can name the
 * person: the name, mobile and e-mail, what they wrote, the answer's text, the link they followed
 * it by, and the notices' addresses and texts. What stays, for the reports (G1, T4, T5): its
 * number, kind, channel, topic, dates, how it was answered, the article it cited, what was done
 * (written by staff about the Society's services) and the rating (a number, never a person).
 * Open inquiries keep their data until they are answered.
 */
@Injectable()
export class InquiryRetention {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  /** Anonymises what is past its period; answers the inquiries' numbers. */
  async apply(now = new Date()): Promise<string[]> {
    const cutoff = new Date(now.getTime() - this.config.intake.retentionDays * 86_400_000);
    return this.db.transaction(async (em) => {
      const rows: Array<{ id: string; inquiry_number: string; application_id: string | null }> = await em.query(
        `SELECT id, inquiry_number, application_id FROM inquiry
          WHERE status = 'answered' AND answered_at <= $1 AND body <> $2 ORDER BY received_at FOR UPDATE`,
        [cutoff, ANONYMISED],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await em.query(
        `UPDATE inquiry SET body = $2, person_name = NULL, mobile = NULL, email = NULL, answer_text = $2, tracking_hash = NULL
          WHERE id = ANY($1)`,
        [ids, ANONYMISED],
      );
      await em.query(
        `UPDATE intake_notification SET to_mobile = NULL, to_email = NULL, subject_ar = $2, subject_en = $2, body_ar = $2, body_en = $2
          WHERE inquiry_id = ANY($1)`,
        [ids, ANONYMISED],
      );
      await this.audit.append(
        em,
        rows.map((r) => ({
          at: now,
          actor: 'system',
          action: 'retention.anonymised',
          caseId: r.application_id ?? undefined,
          details: { inquiry: r.id, inquiryNumber: r.inquiry_number, retentionDays: this.config.intake.retentionDays },
        })),
      );
      return rows.map((r) => r.inquiry_number);
    });
  }
}
