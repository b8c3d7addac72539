import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded engine's state: deployed versions, instances (slim engine state), jobs,
 * durable timers, message subscriptions and buffered messages, user tasks, incidents,
 * and the append-only event log. Keys come from one sequence, like Zeebe's.
 */
export class CreateWorkflowEngine1795570511940 implements MigrationInterface {
  name = 'CreateWorkflowEngine1795570511940';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SEQUENCE wf_key START 2251799813685249');
    await q.query(`
      CREATE TABLE wf_process_definition (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        bpmn_process_id varchar(255) NOT NULL,
        version integer NOT NULL,
        name text,
        resource_name varchar(255) NOT NULL,
        checksum char(64) NOT NULL,
        xml text NOT NULL,
        deployed_at timestamptz NOT NULL DEFAULT now(),
        deployed_by varchar(64),
        CONSTRAINT wf_process_definition_version_key UNIQUE (bpmn_process_id, version)
      )`);
    await q.query(`
      CREATE TABLE wf_process_instance (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_definition_key bigint NOT NULL REFERENCES wf_process_definition(key),
        bpmn_process_id varchar(255) NOT NULL,
        version integer NOT NULL,
        state varchar(16) NOT NULL,
        variables jsonb NOT NULL DEFAULT '{}',
        engine_state jsonb,
        -- The message or timer start event it began at (NULL: the none start event).
        start_element_id varchar(255),
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX wf_process_instance_process_idx ON wf_process_instance (bpmn_process_id, state)');
    await q.query(`
      CREATE TABLE wf_job (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        type varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        retries integer NOT NULL,
        custom_headers jsonb NOT NULL DEFAULT '{}',
        local_variables jsonb NOT NULL DEFAULT '{}',
        worker varchar(255),
        deadline timestamptz,
        retry_at timestamptz,
        error_message text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT wf_job_element_key UNIQUE (process_instance_key, element_instance_key)
      )`);
    await q.query(`CREATE INDEX wf_job_activatable_idx ON wf_job (type, key) WHERE state IN ('ACTIVATABLE', 'ACTIVATED')`);
    await q.query(`
      CREATE TABLE wf_timer (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        -- A timer start event's timer belongs to a deployed version, not to an instance.
        process_definition_key bigint REFERENCES wf_process_definition(key),
        repetitions integer,
        cycle text,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        due_at timestamptz NOT NULL,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        triggered_at timestamptz,
        CONSTRAINT wf_timer_element_key UNIQUE (process_instance_key, element_instance_key),
        CONSTRAINT wf_timer_owner CHECK ((process_instance_key IS NULL) <> (process_definition_key IS NULL))
      )`);
    await q.query(`CREATE INDEX wf_timer_due_idx ON wf_timer (due_at) WHERE state = 'CREATED'`);
    await q.query(`
      CREATE TABLE wf_message_subscription (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        message_name varchar(255) NOT NULL,
        correlation_key varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT wf_message_subscription_element_key UNIQUE (process_instance_key, element_instance_key)
      )`);
    await q.query(`CREATE INDEX wf_message_subscription_open_idx ON wf_message_subscription (message_name, correlation_key) WHERE state = 'OPEN'`);
    await q.query(`
      CREATE TABLE wf_message (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        name varchar(255) NOT NULL,
        correlation_key varchar(255) NOT NULL,
        message_id varchar(255),
        variables jsonb NOT NULL DEFAULT '{}',
        state varchar(16) NOT NULL,
        expires_at timestamptz NOT NULL,
        correlated_instance_key bigint,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX wf_message_buffered_idx ON wf_message (name, correlation_key, key) WHERE state = 'BUFFERED'`);
    await q.query(`CREATE UNIQUE INDEX wf_message_id_idx ON wf_message (name, message_id) WHERE message_id IS NOT NULL AND state = 'BUFFERED'`);
    await q.query(`
      CREATE TABLE wf_user_task (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        name text,
        assignee varchar(255),
        candidate_groups text[] NOT NULL DEFAULT '{}',
        candidate_users text[] NOT NULL DEFAULT '{}',
        form_key varchar(255),
        due_date timestamptz,
        follow_up_date timestamptz,
        priority integer NOT NULL DEFAULT 50,
        local_variables jsonb NOT NULL DEFAULT '{}',
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by varchar(64),
        CONSTRAINT wf_user_task_element_key UNIQUE (process_instance_key, element_instance_key)
      )`);
    await q.query(`CREATE INDEX wf_user_task_open_idx ON wf_user_task (state, due_date)`);
    await q.query(`
      CREATE TABLE wf_incident (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128),
        job_key bigint,
        error_type varchar(40) NOT NULL,
        error_message text NOT NULL,
        command jsonb,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by varchar(64)
      )`);
    await q.query(`CREATE INDEX wf_incident_instance_idx ON wf_incident (process_instance_key, state)`);
    await q.query(`
      CREATE TABLE wf_event (
        position bigserial PRIMARY KEY,
        process_instance_key bigint,
        process_definition_key bigint,
        element_id varchar(255),
        element_type varchar(64),
        element_instance_key varchar(128),
        intent varchar(40) NOT NULL,
        payload jsonb,
        actor varchar(64),
        created_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX wf_event_instance_idx ON wf_event (process_instance_key, position)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['wf_event', 'wf_incident', 'wf_user_task', 'wf_message', 'wf_message_subscription', 'wf_timer', 'wf_job', 'wf_process_instance', 'wf_process_definition']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query('DROP SEQUENCE wf_key');
  }
}
