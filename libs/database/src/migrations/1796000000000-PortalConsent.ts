import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applicant's consent, recorded at reception, to follow a request in the portal (issue 19
 * point 3): a request recorded on any channel with the applicant's consent shows in the portal to
 * whoever signs in with its mobile number (proved by the one-time code). Without it, only the
 * requests submitted through the portal account show. The mobile index serves that look-up and
 * the staff's search by mobile number.
 */
export class PortalConsent1796000000000 implements MigrationInterface {
  name = 'PortalConsent1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_application ADD COLUMN portal_consent_at timestamptz');
    await q.query('CREATE INDEX intake_application_mobile_idx ON intake_application (mobile)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX intake_application_mobile_idx');
    await q.query('ALTER TABLE intake_application DROP COLUMN portal_consent_at');
  }
}
