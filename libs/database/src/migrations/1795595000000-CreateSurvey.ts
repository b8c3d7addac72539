import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The satisfaction survey (policy O5, T3): one answer per case, reachable from the
 * applicant's portal or a one-time link in the survey notice. Ratings are 1–5; the
 * comment is free text the applicant wrote. Nothing here names a staff member: managers
 * see only aggregates by channel, step and period, joined to the case.
 */
export class CreateSurvey1795595000000 implements MigrationInterface {
  name = 'CreateSurvey1795595000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intake_survey_invitation (
        token_hash char(64) PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES intake_application (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query('CREATE INDEX intake_survey_invitation_application_idx ON intake_survey_invitation (application_id)');
    await q.query(`
      CREATE TABLE intake_survey_answer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL UNIQUE REFERENCES intake_application (id) ON DELETE CASCADE,
        overall smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
        clarity smallint NOT NULL CHECK (clarity BETWEEN 1 AND 5),
        time_taken smallint NOT NULL CHECK (time_taken BETWEEN 1 AND 5),
        courtesy smallint NOT NULL CHECK (courtesy BETWEEN 1 AND 5),
        comment varchar(2000),
        answered_via varchar(10) NOT NULL CHECK (answered_via IN ('portal','link')),
        answered_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX intake_survey_answer_answered_idx ON intake_survey_answer (answered_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE intake_survey_answer');
    await q.query('DROP TABLE intake_survey_invitation');
  }
}
