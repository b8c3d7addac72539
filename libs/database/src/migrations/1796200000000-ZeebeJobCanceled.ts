import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Zeebe mirror's job may be CANCELED (issue 17 point 1): when Zeebe refuses a worker's outcome, the mirror
 * follows what Zeebe's job search says of the job, and a job cancelled with its instance or by an interrupting
 * event is neither completed nor still in a worker's hands.
 */
export class ZeebeJobCanceled1796200000000 implements MigrationInterface {
  name = 'ZeebeJobCanceled1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE zb_job DROP CONSTRAINT zb_job_state_check');
    await q.query(`ALTER TABLE zb_job ADD CONSTRAINT zb_job_state_check CHECK (state IN ('ACTIVATED','COMPLETED','FAILED','ERROR_THROWN','INCIDENT','CANCELED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE zb_job SET state = 'COMPLETED' WHERE state = 'CANCELED'`);
    await q.query('ALTER TABLE zb_job DROP CONSTRAINT zb_job_state_check');
    await q.query(`ALTER TABLE zb_job ADD CONSTRAINT zb_job_state_check CHECK (state IN ('ACTIVATED','COMPLETED','FAILED','ERROR_THROWN','INCIDENT'))`);
  }
}
