import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Call activities (issue 14.4): a process instance created by a call activity knows its parent
 * instance and the call activity's element instance, as Zeebe's process instance record does
 * (parentProcessInstanceKey, parentElementInstanceKey). The parent waits at the call activity
 * until the child completes; cancelling or interrupting the parent cancels the child.
 */
export class CallActivities1795650000000 implements MigrationInterface {
  name = 'CallActivities1795650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_process_instance ADD COLUMN parent_process_instance_key bigint REFERENCES wf_process_instance(key), ADD COLUMN parent_element_instance_key bigint`);
    await q.query(`CREATE INDEX wf_process_instance_parent_idx ON wf_process_instance (parent_process_instance_key) WHERE parent_process_instance_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX wf_process_instance_parent_idx');
    await q.query('ALTER TABLE wf_process_instance DROP COLUMN parent_element_instance_key, DROP COLUMN parent_process_instance_key');
  }
}
