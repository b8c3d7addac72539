import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resource deletion (docs.camunda.io/docs/components/concepts/resource-deletion/): a deleted
 * process definition, decision requirements graph (with its decisions) or form stays in its table
 * with the time it was deleted, so instances that ran on it keep their history and its version
 * number is never used again, but nothing new starts on it, finds it as the latest version or
 * lists it.
 */
export class ResourceDeletion1795720000000 implements MigrationInterface {
  name = 'ResourceDeletion1795720000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['wf_process_definition', 'wf_decision_requirements', 'wf_decision', 'wf_form']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN deleted_at timestamptz`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['wf_process_definition', 'wf_decision_requirements', 'wf_decision', 'wf_form']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN deleted_at`);
    }
  }
}
