import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { DataSource } from 'typeorm';

export const ANONYMISED = 'محذوف — Anonymised';

/**
 * Removes the personal data of cases closed longer ago than RETENTION_PERSONAL_DATA_DAYS:
 * names, ID numbers, contact details, household, income, notes, document numbers and files,
 * the data as signed, and the notices' texts. What stays: the case's number, channel, kind of
 * support, status and dates, its decision, and the audit log — which names people by their
 * staff username and cases by id, never an applicant's data, so its hash chain stays whole.
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async apply(now = new Date()): Promise<{ anonymised: string[]; filesRemoved: number; auditRowsPruned: number }> {
    const cutoff = new Date(now.getTime() - this.config.intake.retentionDays * 86_400_000);
    const files: string[] = [];
    const anonymised = await this.db.transaction(async (em) => {
      const cases: Array<{ id: string; application_number: string }> = await em.query(
        `SELECT id, application_number FROM intake_application
          WHERE status <> 'open' AND closed_at IS NOT NULL AND closed_at <= $1 AND full_name <> $2 FOR UPDATE`,
        [cutoff, ANONYMISED],
      );
      if (cases.length === 0) return [];
      const ids = cases.map((c) => c.id);
      const keys = await em.query('SELECT storage_key FROM intake_document WHERE application_id = ANY($1) AND storage_key IS NOT NULL', [ids]);
      files.push(...keys.map((r: { storage_key: string }) => r.storage_key));
      await em.query(
        `UPDATE intake_application SET full_name = $2, national_id = '0000000000', birth_date = date_trunc('year', birth_date)::date,
                mobile = '+966500000000', email = NULL, city = '-', address = '-', household_members = '[]', monthly_income = 0,
                notes = NULL, verification = NULL, updated_at = $3
          WHERE id = ANY($1)`,
        [ids, ANONYMISED, now],
      );
      await em.query(
        `UPDATE intake_document SET doc_number = '-', file_name = NULL, media_type = NULL, size_bytes = NULL, sha256 = NULL, storage_key = NULL
          WHERE application_id = ANY($1)`,
        [ids],
      );
      await em.query(`UPDATE intake_attestation SET typed_name = $2, signed_data = '{}' WHERE application_id = ANY($1)`, [ids, ANONYMISED]);
      await em.query(
        `UPDATE intake_notification SET to_mobile = NULL, to_email = NULL, subject_ar = $2, subject_en = $2, body_ar = $2, body_en = $2
          WHERE application_id = ANY($1)`,
        [ids, ANONYMISED],
      );
      await this.audit.append(
        em,
        cases.map((c) => ({
          at: now,
          actor: 'system',
          action: 'retention.anonymised',
          caseId: c.id,
          details: { applicationNumber: c.application_number, retentionDays: this.config.intake.retentionDays },
        })),
      );
      return cases.map((c) => c.application_number);
    });
    // Files go after the commit: a failed run leaves them for the next one rather than rows pointing at nothing.
    await Promise.all(files.map((key) => rm(join(this.config.intake.documentsDir, key), { force: true })));
    const { pruned } = await this.audit.prune(new Date(now.getTime() - this.config.intake.auditRetentionDays * 86_400_000), now);
    return { anonymised, filesRemoved: files.length, auditRowsPruned: pruned };
  }
}
