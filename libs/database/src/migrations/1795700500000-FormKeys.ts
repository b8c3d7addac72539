import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every form version gets a key from the engine's key sequence, as Zeebe gives each deployed form
 * one (the gateway protocol's FormMetadata.formKey, Camunda's formKey): forms deployed through
 * the Zeebe gateway (gRPC) are answered with it. Versions stored before get theirs now.
 */
export class FormKeys1795700500000 implements MigrationInterface {
  name = 'FormKeys1795700500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_form ADD COLUMN key bigint NOT NULL DEFAULT nextval('wf_key')`);
    await q.query(`ALTER TABLE wf_form ADD CONSTRAINT wf_form_key UNIQUE (key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE wf_form DROP COLUMN key`);
  }
}
