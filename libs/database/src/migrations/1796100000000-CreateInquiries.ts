import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inquiries, suggestions, complaints and compliments (policy S1, O3, G1, T1, T5) and the
 * officer's reference library (R1), issue 20.
 *
 * - `library_article` is an article as it stands (its newest version, and the text search over
 *   it); `library_article_version` keeps every version, so an answer that cited version 2 still
 *   shows version 2 after the article changed. `search` is built from the texts as
 *   `libs/inquiry/src/library/arabic-text.ts` normalises them (alef and hamza forms, taa
 *   marbuta, diacritics, tatweel, Arabic-Indic digits), with the 'simple' configuration that both
 *   PostgreSQL and PGlite have; queries are normalised the same way.
 * - `inquiry` is one inquiry from any channel (C1–C8), linked to a request when there is one; the
 *   answer, how it reached the person and the article version it cited are kept on it.
 * - `inquiry_rating` is the person's rating of the answer: a number and when, nothing that names a
 *   member of staff (T3: reports show aggregates only).
 */
export class CreateInquiries1796100000000 implements MigrationInterface {
  name = 'CreateInquiries1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE library_article (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(80) NOT NULL UNIQUE,
        kind varchar(20) NOT NULL CHECK (kind IN ('bylaws','policy','service','faq')),
        public boolean NOT NULL DEFAULT false,
        version integer NOT NULL CHECK (version >= 1),
        search tsvector NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX library_article_search_idx ON library_article USING gin (search)');
    await q.query(`
      CREATE TABLE library_article_version (
        article_id uuid NOT NULL REFERENCES library_article (id) ON DELETE CASCADE,
        version integer NOT NULL,
        title_ar varchar(200) NOT NULL,
        title_en varchar(200) NOT NULL,
        body_ar text NOT NULL,
        body_en text NOT NULL,
        public boolean NOT NULL,
        edited_by varchar(64),
        edited_at timestamptz NOT NULL,
        note varchar(500),
        PRIMARY KEY (article_id, version)
      )`);
    await q.query('CREATE SEQUENCE inquiry_number_seq');
    await q.query(`
      CREATE TABLE inquiry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inquiry_number varchar(20) NOT NULL UNIQUE,
        kind varchar(12) NOT NULL CHECK (kind IN ('question','suggestion','complaint','compliment')),
        channel varchar(2) NOT NULL CHECK (channel IN ('C1','C2','C3','C4','C5','C6','C7','C8')),
        topic varchar(20) NOT NULL,
        body text NOT NULL,
        person_name varchar(120),
        mobile varchar(13),
        email varchar(254),
        preferred_contact varchar(5),
        application_id uuid REFERENCES intake_application (id) ON DELETE SET NULL,
        concerns_username varchar(64),
        recorded_by varchar(64),
        received_at timestamptz NOT NULL,
        tracking_hash char(64) UNIQUE,
        process_instance_key varchar(20),
        response_target varchar(20),
        due_at timestamptz,
        reminded_at timestamptz,
        escalated_at timestamptz,
        status varchar(10) NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered')),
        answer_text text,
        answer_method varchar(10),
        action_taken text,
        answered_by varchar(64),
        answered_at timestamptz,
        cited_article_id uuid REFERENCES library_article (id),
        cited_article_version integer,
        FOREIGN KEY (cited_article_id, cited_article_version) REFERENCES library_article_version (article_id, version)
      )`);
    await q.query('CREATE INDEX inquiry_received_idx ON inquiry (received_at)');
    await q.query('CREATE INDEX inquiry_application_idx ON inquiry (application_id) WHERE application_id IS NOT NULL');
    await q.query(`CREATE INDEX inquiry_open_idx ON inquiry (due_at) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE inquiry_rating (
        inquiry_id uuid PRIMARY KEY REFERENCES inquiry (id) ON DELETE CASCADE,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
        rated_at timestamptz NOT NULL
      )`);
    // A notice about an inquiry belongs to no request when the person has none.
    await q.query('ALTER TABLE intake_notification ADD COLUMN inquiry_id uuid REFERENCES inquiry (id) ON DELETE CASCADE');
    await q.query('CREATE INDEX intake_notification_inquiry_idx ON intake_notification (inquiry_id) WHERE inquiry_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX intake_notification_inquiry_idx');
    await q.query('ALTER TABLE intake_notification DROP COLUMN inquiry_id');
    await q.query('DROP TABLE inquiry_rating');
    await q.query('DROP TABLE inquiry');
    await q.query('DROP SEQUENCE inquiry_number_seq');
    await q.query('DROP TABLE library_article_version');
    await q.query('DROP TABLE library_article');
  }
}
