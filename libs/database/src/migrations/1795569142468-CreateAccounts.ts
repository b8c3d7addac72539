import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, their sessions, and server-held secrets (the token-signing key). */
export class CreateAccounts1795569142468 implements MigrationInterface {
  name = 'CreateAccounts1795569142468';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        display_name varchar(200) NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_username_key UNIQUE (username),
        CONSTRAINT app_user_username_lower CHECK (username = lower(username))
      )`);
    await q.query(`
      CREATE TABLE app_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX app_session_user_idx ON app_session (user_id)');
    await q.query(`
      CREATE TABLE app_secret (
        name varchar(64) PRIMARY KEY,
        value text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE app_secret');
    await q.query('DROP TABLE app_session');
    await q.query('DROP TABLE app_user');
  }
}
