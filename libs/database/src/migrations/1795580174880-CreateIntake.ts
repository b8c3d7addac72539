import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake domain: applications (the case), the documents provided with them, the
 * applicant's attestations, referrals to the social researcher, committee decisions and the
 * notification outbox. Personal data lives here, not in the workflow engine's variables.
 */
export class CreateIntake1795580174880 implements MigrationInterface {
  name = 'CreateIntake1795580174880';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SEQUENCE intake_application_number_seq');
    await q.query('CREATE SEQUENCE intake_beneficiary_number_seq');
    await q.query(`
      CREATE TABLE intake_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_number varchar(20) NOT NULL UNIQUE,
        channel varchar(2) NOT NULL CHECK (channel IN ('C1','C2','C3','C4','C5','C6','C7','C8')),
        status varchar(20) NOT NULL DEFAULT 'open',
        current_steps text[] NOT NULL DEFAULT '{}',
        process_instance_key bigint UNIQUE,
        process_definition_key bigint,
        full_name varchar(150) NOT NULL,
        national_id char(10) NOT NULL,
        birth_date date NOT NULL,
        mobile varchar(13) NOT NULL,
        email varchar(254),
        city varchar(100) NOT NULL,
        address varchar(300) NOT NULL,
        household_members jsonb NOT NULL DEFAULT '[]',
        monthly_income numeric(12,2) NOT NULL,
        support_type varchar(20) NOT NULL,
        notes text,
        submitted_at timestamptz NOT NULL,
        submitted_by varchar(64),
        verification jsonb,
        earliest_answer_at timestamptz,
        beneficiary_number varchar(20) UNIQUE,
        registered_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX intake_application_national_id_idx ON intake_application (national_id)');
    await q.query('CREATE INDEX intake_application_submitted_idx ON intake_application (submitted_at DESC)');
    await q.query('CREATE INDEX intake_application_status_idx ON intake_application (status)');
    await q.query(`
      CREATE TABLE intake_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        doc_type varchar(20) NOT NULL,
        doc_number varchar(40) NOT NULL,
        expiry_date date,
        file_name varchar(255),
        media_type varchar(40),
        size_bytes integer,
        sha256 char(64),
        storage_key varchar(120),
        provided_at timestamptz NOT NULL,
        provided_by varchar(64)
      )`);
    await q.query('CREATE INDEX intake_document_application_idx ON intake_document (application_id)');
    await q.query(`
      CREATE TABLE intake_attestation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        typed_name varchar(150) NOT NULL,
        method varchar(10) NOT NULL CHECK (method IN ('paper','electronic')),
        signed_at timestamptz NOT NULL,
        signed_data jsonb NOT NULL,
        data_hash char(64) NOT NULL,
        scan_document_id uuid REFERENCES intake_document (id),
        recorded_by varchar(64),
        voided_at timestamptz,
        void_reason text
      )`);
    await q.query('CREATE UNIQUE INDEX intake_attestation_valid_idx ON intake_attestation (application_id) WHERE voided_at IS NULL');
    await q.query(`
      CREATE TABLE intake_referral (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        job_key varchar(40) NOT NULL UNIQUE,
        referred_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE intake_committee_decision (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        job_key varchar(40) NOT NULL UNIQUE,
        decision varchar(10) NOT NULL CHECK (decision IN ('accepted','rejected')),
        reasons text NOT NULL,
        votes jsonb,
        decided_at timestamptz NOT NULL,
        communicated_at timestamptz
      )`);
    await q.query('CREATE INDEX intake_committee_decision_application_idx ON intake_committee_decision (application_id, decided_at DESC)');
    await q.query(`
      CREATE TABLE intake_notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        dedupe_key varchar(80) NOT NULL UNIQUE,
        recipient varchar(20) NOT NULL,
        notice varchar(30) NOT NULL,
        to_mobile varchar(13),
        to_email varchar(254),
        subject_ar text NOT NULL,
        subject_en text NOT NULL,
        body_ar text NOT NULL,
        body_en text NOT NULL,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        delivery varchar(10) NOT NULL DEFAULT 'outbox',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text
      )`);
    await q.query('CREATE INDEX intake_notification_application_idx ON intake_notification (application_id, created_at)');
    await q.query(`CREATE INDEX intake_notification_pending_idx ON intake_notification (next_attempt_at) WHERE sent_at IS NULL AND delivery = 'smtp'`);
    // Where each projection that follows the engine's event feed has read up to.
    await q.query(`
      CREATE TABLE wf_feed_cursor (
        name varchar(40) PRIMARY KEY,
        position bigint NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'wf_feed_cursor',
      'intake_notification',
      'intake_committee_decision',
      'intake_referral',
      'intake_attestation',
      'intake_document',
      'intake_application',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP SEQUENCE intake_beneficiary_number_seq');
    await q.query('DROP SEQUENCE intake_application_number_seq');
  }
}
