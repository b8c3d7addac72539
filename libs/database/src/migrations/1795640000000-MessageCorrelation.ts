import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages as the Camunda 8 docs state them (docs.camunda.io/docs/components/concepts/messages/):
 * - a buffered message stays buffered for its whole time to live and correlates at most once
 *   per process (bpmnProcessId): `correlated_process_ids` lists the processes it reached;
 * - a message id is unique per name and correlation key while its message is buffered;
 * - a message start event with a correlation key starts no second instance while one it started
 *   with that key is active: `message_correlation_key` holds that key, at most one active per process.
 */
export class MessageCorrelation1795640000000 implements MigrationInterface {
  name = 'MessageCorrelation1795640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_message ADD COLUMN correlated_process_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query('DROP INDEX wf_message_id_idx');
    await q.query(
      `CREATE UNIQUE INDEX wf_message_id_idx ON wf_message (name, correlation_key, message_id) WHERE message_id IS NOT NULL AND state = 'BUFFERED'`,
    );
    await q.query('ALTER TABLE wf_process_instance ADD COLUMN message_correlation_key varchar(255)');
    await q.query(
      `CREATE UNIQUE INDEX wf_process_instance_message_key_idx ON wf_process_instance (bpmn_process_id, message_correlation_key)
        WHERE state = 'ACTIVE' AND message_correlation_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX wf_process_instance_message_key_idx');
    await q.query('ALTER TABLE wf_process_instance DROP COLUMN message_correlation_key');
    await q.query('DROP INDEX wf_message_id_idx');
    await q.query(`CREATE UNIQUE INDEX wf_message_id_idx ON wf_message (name, message_id) WHERE message_id IS NOT NULL AND state = 'BUFFERED'`);
    await q.query('ALTER TABLE wf_message DROP COLUMN correlated_process_ids');
  }
}
