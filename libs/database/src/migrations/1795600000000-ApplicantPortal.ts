import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The applicant portal (channel C7): an applicant's account is an app_user with the
 * `applicant` role, keyed by a Saudi mobile number kept here (not in the username, so the
 * audit log, which names accounts, holds no phone numbers). One-time sign-in codes are
 * stored only as salted hashes, with their expiry, single use and failed attempts. A
 * request submitted through the portal names the account that submitted it. The sign-in
 * code notice goes through the notification outbox, which therefore takes notices that
 * belong to no case.
 */
export class ApplicantPortal1795600000000 implements MigrationInterface {
  name = 'ApplicantPortal1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portal_account (
        user_id uuid PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
        mobile varchar(13) NOT NULL UNIQUE CHECK (mobile ~ '^\\+9665[0-9]{8}$'),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE portal_sign_in_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mobile varchar(13) NOT NULL,
        salt char(32) NOT NULL,
        code_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        failed_attempts integer NOT NULL DEFAULT 0
      )`);
    await q.query('CREATE INDEX portal_sign_in_code_mobile_idx ON portal_sign_in_code (mobile, created_at DESC)');
    await q.query('ALTER TABLE intake_application ADD COLUMN applicant_account_id uuid REFERENCES app_user (id)');
    await q.query('CREATE INDEX intake_application_account_idx ON intake_application (applicant_account_id) WHERE applicant_account_id IS NOT NULL');
    await q.query('ALTER TABLE intake_notification ALTER COLUMN application_id DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM intake_notification WHERE application_id IS NULL');
    await q.query('ALTER TABLE intake_notification ALTER COLUMN application_id SET NOT NULL');
    await q.query('DROP INDEX intake_application_account_idx');
    await q.query('ALTER TABLE intake_application DROP COLUMN applicant_account_id');
    await q.query('DROP TABLE portal_sign_in_code');
    await q.query('DROP TABLE portal_account');
  }
}
