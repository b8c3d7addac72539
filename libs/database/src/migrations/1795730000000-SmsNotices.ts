import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices by SMS through an SMPP aggregator (issue 19 point 2): a notice's delivery may be 'sms';
 * each part of its text, once the SMSC accepted it, is a row with the SMSC's message id, which the
 * delivery receipt names; the notice records when all its parts were delivered, or that it failed
 * and why. An applicant may choose SMS or e-mail for notices.
 */
export class SmsNotices1795730000000 implements MigrationInterface {
  name = 'SmsNotices1795730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_notification ADD COLUMN delivered_at timestamptz');
    await q.query('ALTER TABLE intake_notification ADD COLUMN failed_at timestamptz');
    await q.query(`CREATE INDEX intake_notification_sms_pending_idx ON intake_notification (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL AND delivery = 'sms'`);
    await q.query(`
      CREATE TABLE intake_sms_part (
        notification_id uuid NOT NULL REFERENCES intake_notification (id) ON DELETE CASCADE,
        part smallint NOT NULL,
        parts smallint NOT NULL,
        message_id varchar(65) NOT NULL,
        submitted_at timestamptz NOT NULL,
        receipt_state varchar(10),
        receipt_error varchar(10),
        receipt_at timestamptz,
        PRIMARY KEY (notification_id, part)
      )`);
    await q.query('CREATE INDEX intake_sms_part_message_idx ON intake_sms_part (message_id)');
    await q.query('ALTER TABLE intake_application ADD COLUMN preferred_contact varchar(5)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE intake_application DROP COLUMN preferred_contact');
    await q.query('DROP TABLE intake_sms_part');
    await q.query('DROP INDEX intake_notification_sms_pending_idx');
    await q.query('ALTER TABLE intake_notification DROP COLUMN failed_at');
    await q.query('ALTER TABLE intake_notification DROP COLUMN delivered_at');
  }
}
