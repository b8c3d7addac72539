import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What process owners keep beside the engine's deployments (issue 6): task forms as
 * versioned resources and which form versions each process version uses; the comment a
 * deployment was made with; named drafts. Process definition keys are not foreign keys:
 * on ENGINE=zeebe they are Zeebe's.
 */
export class CreateModeling1795620000000 implements MigrationInterface {
  name = 'CreateModeling1795620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wf_form (
        form_id varchar(100) NOT NULL,
        version integer NOT NULL,
        schema jsonb NOT NULL,
        checksum char(64) NOT NULL,
        deployed_at timestamptz NOT NULL,
        deployed_by varchar(64),
        PRIMARY KEY (form_id, version)
      )`);
    await q.query(`
      CREATE TABLE wf_definition_form (
        process_definition_key bigint NOT NULL,
        form_id varchar(100) NOT NULL,
        form_version integer NOT NULL,
        PRIMARY KEY (process_definition_key, form_id),
        FOREIGN KEY (form_id, form_version) REFERENCES wf_form (form_id, version)
      )`);
    await q.query(`
      CREATE TABLE wf_deployment_note (
        process_definition_key bigint PRIMARY KEY,
        bpmn_process_id varchar(255) NOT NULL,
        comment varchar(500) NOT NULL,
        deployed_by varchar(64),
        deployed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE process_draft (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bpmn_process_id varchar(255) NOT NULL,
        name varchar(120) NOT NULL,
        xml text NOT NULL,
        forms jsonb NOT NULL DEFAULT '{}',
        base_version integer,
        author varchar(64) NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT process_draft_name_key UNIQUE (bpmn_process_id, name)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['process_draft', 'wf_deployment_note', 'wf_definition_form', 'wf_form']) await q.query(`DROP TABLE ${table}`);
  }
}
