import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signals as the Camunda 8 docs state them (docs.camunda.io/docs/components/concepts/signals/):
 * - a signal catch event, signal boundary event or signal event subprocess start opens a
 *   subscription (`wf_signal_subscription`, the evaluated name), closed when its element ends;
 *   a non-interrupting one stays open while it waits, so every broadcast triggers it;
 * - a broadcast (`wf_signal`) reaches every subscription open when it is made and starts the
 *   processes whose latest version has a signal start event of its name; it is never buffered.
 *   Its row records how far it got (`delivered_up_to`: subscriptions are handed it in key order;
 *   `starts_done`), so a broadcast a stop interrupted is finished at the next start, nothing twice.
 */
export class Signals1795660000000 implements MigrationInterface {
  name = 'Signals1795660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE wf_signal_subscription (
        key bigint PRIMARY KEY DEFAULT nextval('wf_key'),
        process_instance_key bigint NOT NULL REFERENCES wf_process_instance(key) ON DELETE CASCADE,
        element_id varchar(255) NOT NULL,
        element_instance_key varchar(128) NOT NULL,
        signal_name varchar(255) NOT NULL,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        CONSTRAINT wf_signal_subscription_element_key UNIQUE (process_instance_key, element_instance_key)
      )`);
    await q.query(`CREATE INDEX wf_signal_subscription_open_idx ON wf_signal_subscription (signal_name, key) WHERE state = 'OPEN'`);
    await q.query(`
      CREATE TABLE wf_signal (
        key bigint PRIMARY KEY,
        name varchar(255) NOT NULL,
        variables jsonb NOT NULL DEFAULT '{}',
        state varchar(16) NOT NULL,
        -- The instance whose throw or end event broadcast it (its own subscriptions got it in that step); null from the API.
        process_instance_key bigint REFERENCES wf_process_instance(key) ON DELETE SET NULL,
        delivered_up_to bigint NOT NULL DEFAULT 0,
        starts_done boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX wf_signal_broadcasting_idx ON wf_signal (key) WHERE state = 'BROADCASTING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE wf_signal');
    await q.query('DROP TABLE wf_signal_subscription');
  }
}
