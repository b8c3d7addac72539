import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Version binding of call activities and business rule tasks (docs.camunda.io/docs/components/best-practices/modeling/choosing-the-resource-binding-type/):
 * every process and decision version remembers the deployment it came from (`deployment`
 * binding: the version deployed together with the calling process) and its `zeebe:versionTag`
 * (`versionTag` binding: the latest version carrying the tag). Versions deployed before this each
 * came from a deployment of their own: their deployment key is their own key.
 */
export class ResourceBinding1795680000000 implements MigrationInterface {
  name = 'ResourceBinding1795680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_process_definition ADD COLUMN deployment_key bigint, ADD COLUMN version_tag varchar(255)`);
    await q.query(`UPDATE wf_process_definition SET deployment_key = key`);
    await q.query(`ALTER TABLE wf_process_definition ALTER COLUMN deployment_key SET NOT NULL`);
    await q.query(`CREATE INDEX wf_process_definition_deployment ON wf_process_definition (deployment_key)`);
    await q.query(`CREATE INDEX wf_process_definition_version_tag ON wf_process_definition (bpmn_process_id, version_tag, version DESC) WHERE version_tag IS NOT NULL`);
    await q.query(`ALTER TABLE wf_decision_requirements ADD COLUMN deployment_key bigint`);
    await q.query(`UPDATE wf_decision_requirements SET deployment_key = key`);
    await q.query(`ALTER TABLE wf_decision_requirements ALTER COLUMN deployment_key SET NOT NULL`);
    await q.query(`ALTER TABLE wf_decision ADD COLUMN deployment_key bigint, ADD COLUMN version_tag varchar(255)`);
    await q.query(`UPDATE wf_decision SET deployment_key = decision_requirements_key`);
    await q.query(`ALTER TABLE wf_decision ALTER COLUMN deployment_key SET NOT NULL`);
    await q.query(`CREATE INDEX wf_decision_deployment ON wf_decision (deployment_key)`);
    await q.query(`CREATE INDEX wf_decision_version_tag ON wf_decision (decision_id, version_tag, version DESC) WHERE version_tag IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_decision DROP COLUMN deployment_key, DROP COLUMN version_tag`);
    await q.query(`ALTER TABLE wf_decision_requirements DROP COLUMN deployment_key`);
    await q.query(`ALTER TABLE wf_process_definition DROP COLUMN deployment_key, DROP COLUMN version_tag`);
  }
}
