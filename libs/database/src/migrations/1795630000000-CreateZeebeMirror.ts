import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Mustafid sees of a Zeebe cluster (ENGINE=zeebe), kept so the port's read side — the
 * definitions, an instance's variables and waits, its events, user tasks and incidents — answers
 * without Operate. Rows come from the commands this side sent and the jobs and user tasks its
 * workers observed; see docs/decisions/0012-what-the-zeebe-mirror-knows.md for what it cannot know.
 */
export class CreateZeebeMirror1795630000000 implements MigrationInterface {
  name = 'CreateZeebeMirror1795630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE zb_process (
        key varchar(20) PRIMARY KEY,
        bpmn_process_id varchar(255) NOT NULL,
        version int NOT NULL,
        resource_name varchar(255) NOT NULL,
        name varchar(255),
        checksum char(64) NOT NULL,
        xml text NOT NULL,
        deployed_at timestamptz NOT NULL,
        deployed_by varchar(100),
        UNIQUE (bpmn_process_id, version)
      )`);
    await q.query(`
      CREATE TABLE zb_instance (
        key varchar(20) PRIMARY KEY,
        process_definition_key varchar(20) NOT NULL,
        bpmn_process_id varchar(255) NOT NULL,
        version int NOT NULL,
        state varchar(10) NOT NULL CHECK (state IN ('ACTIVE','COMPLETED','CANCELED')),
        variables jsonb NOT NULL DEFAULT '{}',
        started_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE zb_job (
        key varchar(20) PRIMARY KEY,
        type varchar(255) NOT NULL,
        process_instance_key varchar(20) NOT NULL,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(20) NOT NULL,
        state varchar(12) NOT NULL CHECK (state IN ('ACTIVATED','COMPLETED','FAILED','ERROR_THROWN','INCIDENT')),
        retries int NOT NULL,
        worker varchar(255) NOT NULL,
        error_message text,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX zb_job_instance_idx ON zb_job (process_instance_key)');
    await q.query(`
      CREATE TABLE zb_user_task (
        key varchar(20) PRIMARY KEY,
        process_instance_key varchar(20) NOT NULL,
        bpmn_process_id varchar(255) NOT NULL,
        process_definition_version int NOT NULL,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(20) NOT NULL,
        name varchar(255),
        assignee varchar(100),
        candidate_groups text[] NOT NULL DEFAULT '{}',
        candidate_users text[] NOT NULL DEFAULT '{}',
        form_key varchar(255),
        due_date timestamptz,
        follow_up_date timestamptz,
        priority int NOT NULL DEFAULT 50,
        state varchar(10) NOT NULL CHECK (state IN ('CREATED','COMPLETED','CANCELED')),
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by varchar(100)
      )`);
    await q.query('CREATE INDEX zb_user_task_instance_idx ON zb_user_task (process_instance_key)');
    await q.query(`
      CREATE TABLE zb_incident (
        key varchar(40) PRIMARY KEY,
        process_instance_key varchar(20) NOT NULL,
        bpmn_process_id varchar(255) NOT NULL,
        element_id varchar(255) NOT NULL,
        error_type varchar(30) NOT NULL,
        error_message text NOT NULL,
        job_key varchar(20),
        state varchar(10) NOT NULL CHECK (state IN ('ACTIVE','RESOLVED')),
        created_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    await q.query('CREATE INDEX zb_incident_instance_idx ON zb_incident (process_instance_key)');
    await q.query(`
      CREATE TABLE zb_event (
        position bigserial PRIMARY KEY,
        process_instance_key varchar(20) NOT NULL,
        element_id varchar(255),
        element_type varchar(40),
        element_instance_key varchar(20),
        intent varchar(40) NOT NULL,
        payload jsonb,
        actor varchar(100),
        at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX zb_event_instance_idx ON zb_event (process_instance_key, position)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['zb_event', 'zb_incident', 'zb_user_task', 'zb_job', 'zb_instance', 'zb_process']) await q.query(`DROP TABLE ${table}`);
  }
}
