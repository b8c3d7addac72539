import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock';

export interface DueTimer {
  key: string;
  /** null for a timer start event's timer (it belongs to a deployed version). */
  processInstanceKey: string | null;
  elementInstanceKey: string;
}

/** How many due timers one claim takes (per round of a loop). */
export const CLAIM_BATCH = 128;
/** How long a claim keeps other loops and processes off a timer; a crash leaves it claimable after this. */
const CLAIM_LEASE_MS = 60_000;
const MAX_SLEEP_MS = 1000;
/** Pause when a claim found due timers that all fired elsewhere meanwhile (no busy loop). */
const BACKOFF_MS = 50;

/**
 * Fires durable timers. Timers are rows with `due_at`; nothing waits on a long setTimeout.
 * The loop sleeps until the next due time (at most a second, so timers stored by another
 * process are seen), claims a batch of due timers for a short lease (`FOR UPDATE SKIP
 * LOCKED`: two loops or processes never take the same ones) and fires them with bounded
 * parallelism, one instance transaction each. Firing locks the instance and marks the timer
 * only if it is still waiting, so a timer fires at most once even after a lease ran out.
 */
export class TimerScheduler {
  private readonly logger = new Logger('Timers');
  private running = false;
  private sleeper?: NodeJS.Timeout;
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  /** Batches of claimed timers under way in this process, whichever loop claimed them. */
  private readonly batches = new Set<Promise<unknown>>();
  /** Timers this process has fired since it started (what `settle()` reports the difference of). */
  firedTotal = 0;
  /** Lag (ms) of each timer fired (only those that fired, not attempts): due → fired. */
  readonly lags: number[] = [];

  /**
   * @param fire fires one timer; resolves true if it fired, false if it was gone (fired or
   *   cancelled by someone else meanwhile).
   * @param parallel how many firings run at once (each holds one database connection).
   */
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly fire: (timer: DueTimer) => Promise<boolean>,
    private readonly onFired: (lagMs: number) => void = () => undefined,
    private readonly parallel = 4,
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
    await Promise.allSettled([...this.batches]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let backoff = false;
      try {
        backoff = (await this.fireDue({ stopping: () => !this.running })).backoff;
      } catch (e) {
        this.logger.error(`Firing timers failed: ${(e as Error).message}`);
      }
      if (!this.running) break;
      const [next] = await this.db
        .query(`SELECT min(due_at) AS due FROM wf_timer WHERE state = 'CREATED'`)
        .catch(() => [{ due: null }]);
      let wait = next?.due ? Math.max(0, new Date(next.due).getTime() - this.clock.now().getTime()) : MAX_SLEEP_MS;
      // Due but claimed elsewhere (or just fired by another loop): look again shortly.
      if (backoff || wait === 0) wait = Math.max(wait, BACKOFF_MS);
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.sleeper = setTimeout(resolve, Math.min(wait, MAX_SLEEP_MS));
      });
      clearTimeout(this.sleeper);
      this.wakeUp = undefined;
    }
  }

  /**
   * Fires every timer due now that no other loop or process has claimed, and waits for the
   * batches this process's other loops have under way; returns how many this call fired.
   */
  async fireDue(options: { stopping?: () => boolean } = {}): Promise<{ fired: number; backoff: boolean }> {
    let fired = 0;
    for (;;) {
      if (options.stopping?.()) return { fired, backoff: false };
      const batch = this.claimAndFire(options);
      this.batches.add(batch);
      let result: { claimed: number; fired: number; failed: number };
      try {
        result = await batch;
      } finally {
        this.batches.delete(batch);
      }
      fired += result.fired;
      if (result.claimed === 0) {
        // Nothing left to claim: wait for what this process's other loops claimed (e.g. the
        // scheduler's batch while settle() runs); firing it may make new timers due.
        if (this.batches.size === 0) return { fired, backoff: false };
        await Promise.allSettled([...this.batches]);
        continue;
      }
      // Every claimed timer failed (and was given back): try again after a pause, not at once.
      if (result.failed === result.claimed) return { fired, backoff: true };
    }
  }

  /**
   * One batch: claims due timers, fires them `parallel` at a time, gives back what it did not
   * get to. Registered in `batches` before its claim is sent, so another loop of this process
   * that finds them claimed can wait for them.
   */
  private async claimAndFire(options: { stopping?: () => boolean }): Promise<{ claimed: number; fired: number; failed: number }> {
    const claimed = await this.claim();
    let next = 0;
    let fired = 0;
    let failed = 0;
    const lane = async () => {
      while (next < claimed.length && !options.stopping?.()) {
        const outcome = await this.fireOne(claimed[next++]);
        if (outcome === 'fired') fired++;
        else if (outcome === 'failed') failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, claimed.length) }, lane));
    if (next < claimed.length) await this.release(claimed.slice(next).map((t) => t.key));
    return { claimed: claimed.length, fired, failed };
  }

  /** Takes up to a batch of due, unclaimed timers for this loop. */
  private async claim(): Promise<Array<DueTimer & { dueAt: Date }>> {
    const now = this.clock.now();
    const result = await this.db.query(
      `UPDATE wf_timer t SET claimed_until = $2
        WHERE t.key IN (
          SELECT key FROM wf_timer
           WHERE state = 'CREATED' AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING t.key::text AS key, t.process_instance_key::text AS "processInstanceKey",
                  t.element_instance_key AS "elementInstanceKey", t.due_at AS "dueAt"`,
      [now, new Date(now.getTime() + CLAIM_LEASE_MS), CLAIM_BATCH],
    );
    const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<DueTimer & { dueAt: Date }>;
    return rows.sort((a, b) => new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime());
  }

  /** Gives back claims this loop will not fire (it is stopping). */
  private async release(keys: string[]): Promise<void> {
    await this.db.query(`UPDATE wf_timer SET claimed_until = NULL WHERE key = ANY($1) AND state = 'CREATED'`, [keys]).catch(() => undefined);
  }

  private async fireOne(timer: DueTimer & { dueAt: Date }): Promise<'fired' | 'gone' | 'failed'> {
    let fired: boolean;
    try {
      fired = await this.fire(timer);
    } catch (e) {
      // Claimable again at once: the next round (or loop) tries it again.
      this.logger.error(`Timer ${timer.key} could not fire: ${(e as Error).message}`);
      await this.release([timer.key]);
      return 'failed';
    }
    if (!fired) return 'gone';
    this.firedTotal++;
    const lag = this.clock.now().getTime() - new Date(timer.dueAt).getTime();
    this.lags.push(lag);
    if (this.lags.length > 100_000) this.lags.splice(0, this.lags.length - 100_000);
    this.onFired(lag);
    return 'fired';
  }
}
