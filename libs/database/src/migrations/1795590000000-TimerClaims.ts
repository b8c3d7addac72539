import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A due timer is claimed by one scheduler for a short lease before it fires, so that several
 * loops (the scheduler, the test clock's settle, other server processes) share a burst of due
 * timers instead of all queueing on the same instances. A lease that runs out (a crash)
 * makes the timer claimable again; firing itself stays guarded by the instance lock.
 */
export class TimerClaims1795590000000 implements MigrationInterface {
  name = 'TimerClaims1795590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE wf_timer ADD COLUMN claimed_until timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE wf_timer DROP COLUMN claimed_until');
  }
}
