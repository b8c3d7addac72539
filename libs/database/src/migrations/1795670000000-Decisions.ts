import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DMN decisions for business rule tasks (zeebe:calledDecision), stored as Zeebe stores them: a
 * deployed DMN file is a decision requirements graph (its `definitions`), versioned by its id,
 * holding the file; each decision in it is versioned by its decision id, and a business rule task
 * evaluates the latest version of a decision id, in the graph that version belongs to.
 */
export class Decisions1795670000000 implements MigrationInterface {
  name = 'Decisions1795670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wf_decision_requirements (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        decision_requirements_id varchar(255) NOT NULL,
        version integer NOT NULL,
        name text,
        namespace text,
        resource_name varchar(255) NOT NULL,
        checksum char(64) NOT NULL,
        xml text NOT NULL,
        deployed_at timestamptz NOT NULL DEFAULT now(),
        deployed_by varchar(64),
        CONSTRAINT wf_decision_requirements_version_key UNIQUE (decision_requirements_id, version)
      )`);
    await q.query(`
      CREATE TABLE wf_decision (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        decision_id varchar(255) NOT NULL,
        version integer NOT NULL,
        name text,
        decision_requirements_key bigint NOT NULL REFERENCES wf_decision_requirements(key),
        decision_requirements_id varchar(255) NOT NULL,
        deployed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT wf_decision_version_key UNIQUE (decision_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE wf_decision');
    await q.query('DROP TABLE wf_decision_requirements');
  }
}
