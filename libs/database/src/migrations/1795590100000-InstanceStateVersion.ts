import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version of each instance's stored engine state, raised by every step and every incident.
 * A process keeps live engine objects between steps and reuses one only when the version it
 * was built from is the one it finds under the instance's row lock; otherwise (another
 * process or transaction moved the instance) it recovers from the stored state.
 */
export class InstanceStateVersion1795590100000 implements MigrationInterface {
  name = 'InstanceStateVersion1795590100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE wf_process_instance ADD COLUMN state_version bigint NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE wf_process_instance DROP COLUMN state_version');
  }
}
