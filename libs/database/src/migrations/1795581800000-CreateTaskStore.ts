import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff task store: the engine's user tasks mirrored as they appear and close, with the
 * case they belong to, so the task list filters, sorts and pages in one indexed query.
 */
export class CreateTaskStore1795581800000 implements MigrationInterface {
  name = 'CreateTaskStore1795581800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task (
        key bigint PRIMARY KEY,
        process_instance_key bigint NOT NULL,
        process_definition_key bigint NOT NULL,
        bpmn_process_id varchar(255) NOT NULL,
        process_version integer NOT NULL,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        name text,
        case_id uuid,
        case_number varchar(40),
        assignee varchar(64),
        candidate_groups text[] NOT NULL DEFAULT '{}',
        candidate_users text[] NOT NULL DEFAULT '{}',
        form_key varchar(255),
        due_date timestamptz,
        follow_up_date timestamptz,
        priority integer NOT NULL DEFAULT 50,
        state varchar(10) NOT NULL CHECK (state IN ('open','completing','completed','cancelled')),
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        completed_by varchar(64),
        version integer NOT NULL DEFAULT 1
      )`);
    // The task list walks an index in the order asked for and filters by who may see each
    // task, so the first page costs a few hundred index entries whatever the store holds.
    const open = `WHERE state IN ('open', 'completing')`;
    await q.query(`CREATE INDEX task_open_due_idx ON task ((COALESCE(due_date, 'infinity'::timestamptz)), key) ${open}`);
    await q.query(`CREATE INDEX task_open_follow_up_idx ON task ((COALESCE(follow_up_date, 'infinity'::timestamptz)), key) ${open}`);
    await q.query(`CREATE INDEX task_open_created_idx ON task (created_at, key) ${open}`);
    await q.query(`CREATE INDEX task_open_priority_idx ON task (priority, key) ${open}`);
    await q.query(`CREATE INDEX task_open_assignee_idx ON task (assignee, (COALESCE(due_date, 'infinity'::timestamptz)), key) ${open}`);
    await q.query(`CREATE INDEX task_open_groups_idx ON task USING gin (candidate_groups) ${open}`);
    await q.query('CREATE INDEX task_instance_idx ON task (process_instance_key)');
    await q.query('CREATE INDEX task_case_idx ON task (case_number)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE task');
  }
}
