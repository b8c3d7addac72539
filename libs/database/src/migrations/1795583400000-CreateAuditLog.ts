import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: append-only, one row per event, each carrying the SHA-256 of the previous
 * row's hash and its own canonical content. A trigger refuses UPDATE, DELETE and TRUNCATE.
 * `audit_chain_head` holds the last sequence number and hash; appends lock it, so the chain
 * has one order even with several server processes.
 */
export class CreateAuditLog1795583400000 implements MigrationInterface {
  name = 'CreateAuditLog1795583400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor varchar(64) NOT NULL,
        action varchar(60) NOT NULL,
        case_id uuid,
        process_instance_key bigint,
        element_id varchar(255),
        details jsonb NOT NULL DEFAULT '{}',
        engine_position bigint UNIQUE,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    await q.query('CREATE INDEX audit_event_case_idx ON audit_event (case_id, seq)');
    await q.query('CREATE INDEX audit_event_actor_idx ON audit_event (actor, seq)');
    await q.query('CREATE INDEX audit_event_action_idx ON audit_event (action, seq)');
    await q.query('CREATE INDEX audit_event_at_idx ON audit_event (at)');
    await q.query(`CREATE TABLE audit_chain_head (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash char(64) NOT NULL)`);
    await q.query(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64))`);
    // Rows past their retention are pruned only up to a checkpoint that keeps the hash of the
    // last pruned row, so the chain still verifies from there; the checkpoints are append-only too.
    await q.query(`
      CREATE TABLE audit_checkpoint (
        seq bigint PRIMARY KEY,
        hash char(64) NOT NULL,
        at timestamptz NOT NULL,
        pruned_before timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_event' AND current_setting('mustafid.audit_prune', true) = 'on'
           AND OLD.seq <= (SELECT max(seq) FROM audit_checkpoint) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_checkpoint');
    await q.query('DROP TABLE audit_chain_head');
    await q.query('DROP TABLE audit_event');
    await q.query('DROP FUNCTION audit_event_append_only()');
  }
}
