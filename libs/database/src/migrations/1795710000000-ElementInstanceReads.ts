import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Camunda's element instance and variable searches read, without a write on the engine's step:
 *
 * - An index on the element lifecycle events (ELEMENT_ACTIVATED, _COMPLETED, _TERMINATED) by
 *   element instance key: an element instance is found by its key (GET /v2/element-instances/{key},
 *   SetVariables on a local scope) and its end is looked up beside its start. Partial, so only
 *   those events carry its cost (one index entry each, in the step's one INSERT).
 * - `wf_variable_key`: the numeric key of a variable (its scope's key and its name), given the
 *   first time a search or GET lists it (from the wf_key sequence, as Zeebe keys a variable) and
 *   kept, so the same variable answers the same key for ever. Given on read, not by the step:
 *   a step writes no row per variable.
 */
export class ElementInstanceReads1795710000000 implements MigrationInterface {
  name = 'ElementInstanceReads1795710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX wf_event_element_instance_idx ON wf_event (element_instance_key)
        WHERE intent IN ('ELEMENT_ACTIVATED', 'ELEMENT_COMPLETED', 'ELEMENT_TERMINATED')`,
    );
    await q.query(`
      CREATE TABLE wf_variable_key (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        scope_key bigint NOT NULL,
        name text NOT NULL,
        CONSTRAINT wf_variable_key_scope_name UNIQUE (scope_key, name)
      )`);
    await q.query('CREATE INDEX wf_variable_key_instance_idx ON wf_variable_key (process_instance_key)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE wf_variable_key');
    await q.query('DROP INDEX wf_event_element_instance_idx');
  }
}
