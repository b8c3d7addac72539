import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Jobs of ad-hoc subprocesses with a job worker implementation
 * (docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/, "Job worker implementation"):
 * the subprocess's one element instance gets a new job each time a path inside it completes, so
 * an element instance may have had several jobs; at most one is open at a time ("There is only
 * one active job for the ad-hoc sub-process at a time"). `kind` is Zeebe's JobKind, which workers
 * read in the activated job (BPMN_ELEMENT, AD_HOC_SUB_PROCESS).
 */
export class AdHocJobs1795690000000 implements MigrationInterface {
  name = 'AdHocJobs1795690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_job ADD COLUMN kind varchar(32) NOT NULL DEFAULT 'BPMN_ELEMENT'`);
    await q.query(`ALTER TABLE wf_job DROP CONSTRAINT wf_job_element_key`);
    await q.query(
      `CREATE UNIQUE INDEX wf_job_open_per_element ON wf_job (process_instance_key, element_instance_key) WHERE state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED')`,
    );
    await q.query(`CREATE INDEX wf_job_element ON wf_job (process_instance_key, element_instance_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX wf_job_element`);
    await q.query(`DROP INDEX wf_job_open_per_element`);
    await q.query(`ALTER TABLE wf_job ADD CONSTRAINT wf_job_element_key UNIQUE (process_instance_key, element_instance_key)`);
    await q.query(`ALTER TABLE wf_job DROP COLUMN kind`);
  }
}
