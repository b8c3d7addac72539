import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock';

export interface DueTimer {
  key: string;
  /** null for a timer start event's timer (it belongs to a deployed version). */
  processInstanceKey: string | null;
  elementInstanceKey: string;
}

/** How many due timer start events one round looks at. */
const START_BATCH = 128;
const MAX_SLEEP_MS = 1000;
/** Pause when due timers were found but none fired (claimed elsewhere, or failing): no busy loop. */
const BACKOFF_MS = 50;

/** Where the timers of process instances are claimed and fired: the command lanes' sweep (`CommandLanes.sweep`). */
export type InstanceTimerSweep = (fire: (timer: DueTimer & { processInstanceKey: string; dueAt: Date }) => Promise<unknown>) => Promise<{
  claimed: number;
  firings: Array<Promise<unknown>>;
}>;

type Outcome = 'fired' | 'gone' | 'failed';

/**
 * Fires durable timers. Timers are rows with `due_at`; nothing waits on a long setTimeout.
 * The loop sleeps until the next due time (at most a second, so timers stored by another
 * process are seen), then asks the command lanes for a sweep: each lane's transactions claim
 * due timers of its instances (`FOR UPDATE SKIP LOCKED`: other lanes and processes take other
 * ones) and fire them as commands of that same batch, so the steps and the timers' consumption
 * commit together, with no lease: a batch that rolls back (a crash, a failed statement) leaves
 * its timers due, and they fire once later. Timer start events (no instance) fire here, each in
 * a transaction that takes its row `FOR UPDATE SKIP LOCKED` and marks it only if still due.
 */
export class TimerScheduler {
  private readonly logger = new Logger('Timers');
  private running = false;
  private sleeper?: NodeJS.Timeout;
  private wakeUp?: () => void;
  private loop?: Promise<void>;
  /** Rounds under way in this process, whichever loop asked for them. */
  private readonly batches = new Set<Promise<unknown>>();
  /** Timers this process has fired since it started (what `settle()` reports the difference of). */
  firedTotal = 0;
  /** Lag (ms) of each timer fired (only those that fired, not attempts): due → fired. */
  readonly lags: number[] = [];

  /**
   * @param sweep claims and fires due timers of process instances (the lanes).
   * @param fire fires one claimed timer of an instance (called by the lane that claimed it, in
   *   its transaction); resolves true if it fired, false if it was gone.
   * @param fireStart fires one timer start event; resolves true if it fired, false if it was gone.
   */
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly sweep: InstanceTimerSweep,
    private readonly fire: (timer: DueTimer & { processInstanceKey: string }) => Promise<boolean>,
    private readonly fireStart: (timer: DueTimer) => Promise<boolean>,
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
    await Promise.allSettled([...this.batches]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let backoff = false;
      try {
        backoff = (await this.fireDue({ stopping: () => !this.running })).backoff;
      } catch (e) {
        this.logger.error(`Firing timers failed: ${(e as Error).message}`);
        backoff = true;
      }
      if (!this.running) break;
      const [next] = await this.db
        .query(`SELECT min(due_at) AS due FROM wf_timer WHERE state = 'CREATED'`)
        .catch(() => [{ due: null }]);
      let wait = next?.due ? Math.max(0, new Date(next.due).getTime() - this.clock.now().getTime()) : MAX_SLEEP_MS;
      // Due but claimed elsewhere (or failing): look again shortly.
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
   * Fires every timer due now that no other process holds, and waits for the rounds this
   * process's other loops have under way; returns how many this call's rounds fired.
   */
  async fireDue(options: { stopping?: () => boolean } = {}): Promise<{ fired: number; backoff: boolean }> {
    let fired = 0;
    for (;;) {
      if (options.stopping?.()) return { fired, backoff: false };
      const round = this.round();
      this.batches.add(round);
      let result: { claimed: number; fired: number };
      try {
        result = await round;
      } finally {
        this.batches.delete(round);
      }
      fired += result.fired;
      if (result.claimed === 0) {
        // Nothing left to claim: wait for what this process's other loops claimed (e.g. the
        // scheduler's round while settle() runs); firing it may make new timers due.
        if (this.batches.size === 0) return { fired, backoff: false };
        await Promise.allSettled([...this.batches]);
        continue;
      }
      // Timers were claimed but none fired (they failed, or were gone): again after a pause, not at once.
      if (result.fired === 0) return { fired, backoff: true };
    }
  }

  /** One round: the lanes' sweep over instances' timers and the due timer start events, side by side. */
  private async round(): Promise<{ claimed: number; fired: number }> {
    const [instances, starts] = await Promise.all([
      this.sweep((timer) => this.track(timer, this.fire(timer))).then(async ({ claimed, firings }) => ({
        claimed,
        outcomes: (await Promise.all(firings)) as Outcome[],
      })),
      this.fireStarts(),
    ]);
    const outcomes = [...instances.outcomes, ...starts];
    return { claimed: instances.claimed + starts.length, fired: outcomes.filter((o) => o === 'fired').length };
  }

  /** Due timer start events, each fired in a transaction of its own. */
  private async fireStarts(): Promise<Outcome[]> {
    const due: Array<DueTimer & { dueAt: Date }> = await this.db.query(
      `SELECT key::text AS key, NULL AS "processInstanceKey", element_instance_key AS "elementInstanceKey", due_at AS "dueAt"
         FROM wf_timer WHERE state = 'CREATED' AND process_instance_key IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2`,
      [this.clock.now(), START_BATCH],
    );
    const outcomes: Outcome[] = [];
    for (const timer of due) outcomes.push(await this.track(timer, this.fireStart(timer)));
    return outcomes;
  }

  /** Counts a firing (and its lag) once it settled; never rejects. */
  private async track(timer: DueTimer & { dueAt: Date }, firing: Promise<boolean>): Promise<Outcome> {
    let fired: boolean;
    try {
      fired = await firing;
    } catch (e) {
      // Still due: the next round (or loop, or process) tries it again.
      this.logger.error(`Timer ${timer.key} could not fire: ${(e as Error).message}`);
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
