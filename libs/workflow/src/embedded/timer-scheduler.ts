import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock';

export interface DueTimer {
  key: string;
  /** null for a timer start event's timer (it belongs to a deployed version). */
  processInstanceKey: string | null;
  elementInstanceKey: string;
}

const BATCH = 200;
const MAX_SLEEP_MS = 1000;

/**
 * Fires durable timers. Timers are rows with `due_at`; nothing waits on a long setTimeout.
 * The loop sleeps until the next due time (at most a second, so timers stored by another
 * process are seen) and fires what is due, one instance transaction each. Firing locks the
 * instance first, then the timer row FOR UPDATE SKIP LOCKED: two processes never fire one
 * timer twice.
 */
export class TimerScheduler {
  private readonly logger = new Logger('Timers');
  private running = false;
  private sleeper?: NodeJS.Timeout;
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  /** Lag (ms) of each timer fired since the last read: due → fired. */
  readonly lags: number[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly fire: (timer: DueTimer) => Promise<void>,
    private readonly onFired: (lagMs: number) => void = () => undefined,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.fireDue();
      } catch (e) {
        this.logger.error(`Firing timers failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      const [next] = await this.db
        .query(`SELECT min(due_at) AS due FROM wf_timer WHERE state = 'CREATED'`)
        .catch(() => [{ due: null }]);
      const wait = next?.due ? Math.max(0, new Date(next.due).getTime() - this.clock.now().getTime()) : MAX_SLEEP_MS;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.sleeper = setTimeout(resolve, Math.min(wait, MAX_SLEEP_MS));
      });
      clearTimeout(this.sleeper);
      this.wakeUp = undefined;
    }
  }

  /** Fires every timer due now; returns how many fired. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now();
      const due: Array<DueTimer & { dueAt: Date }> = await this.db.query(
        `SELECT key::text AS key, process_instance_key::text AS "processInstanceKey", element_instance_key AS "elementInstanceKey", due_at AS "dueAt"
           FROM wf_timer WHERE state = 'CREATED' AND due_at <= $1 ORDER BY due_at LIMIT $2`,
        [now, BATCH],
      );
      if (due.length === 0) return fired;
      for (const timer of due) {
        await this.fire(timer);
        const lag = this.clock.now().getTime() - new Date(timer.dueAt).getTime();
        this.lags.push(lag);
        this.onFired(lag);
        fired++;
      }
      if (this.lags.length > 100_000) this.lags.splice(0, this.lags.length - 100_000);
    }
  }
}
