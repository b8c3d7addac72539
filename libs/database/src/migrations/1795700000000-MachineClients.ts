import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Machine clients (issue 16): programs that take OAuth 2.0 client credentials (RFC 6749 §4.4) to
 * POST /oauth/token, as Camunda's clients do. The secret is kept only as an Argon2id hash; a
 * revoked client keeps its row (the audit log and the list name it) and its name is free again.
 */
export class MachineClients1795700000000 implements MigrationInterface {
  name = 'MachineClients1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_machine_client (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(48) NOT NULL,
        client_id varchar(64) NOT NULL,
        secret_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by varchar(64) NOT NULL,
        last_token_at timestamptz,
        revoked_at timestamptz,
        revoked_by varchar(64),
        CONSTRAINT app_machine_client_client_id_key UNIQUE (client_id),
        CONSTRAINT app_machine_client_name_lower CHECK (name = lower(name))
      )`);
    await q.query('CREATE UNIQUE INDEX app_machine_client_active_name ON app_machine_client (name) WHERE revoked_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE app_machine_client');
  }
}
