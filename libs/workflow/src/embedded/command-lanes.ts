import type { DataSource, EntityManager } from 'typeorm';
import { StepWrites, markClaimedTimers, poolKeys, prefetchInstances } from './engine-store';

/**
 * A command's refusal before it wrote anything (its instance is gone or ended, the job it
 * completes was taken): in a batch it fails that command alone and its neighbours go on.
 */
export class Refused extends Error {
  constructor(override readonly cause: unknown) {
    super((cause as Error)?.message ?? String(cause));
    this.name = 'Refused';
  }
}

/** One command's work in a lane's transaction: the step's common rows go into `writes`, written once per batch. */
export type LaneBody<T> = (em: EntityManager, writes: StepWrites) => Promise<T>;

interface Entry {
  instanceKey: string;
  body: LaneBody<unknown>;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

/** A due timer a lane's transaction claimed (its row and its instance's row locked until that transaction ends). */
export interface ClaimedTimer {
  key: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  dueAt: Date;
}

/**
 * Claims up to `limit` due timers of the lane's instances (`lane` of `lanes`), none of an instance
 * in `busy`, in the lane's transaction: `FOR UPDATE SKIP LOCKED` on the timer and its instance, so
 * another lane or process takes other ones and nobody waits. Returns them by due time (an instance
 * may come more than once; the lane fires its first).
 */
export type TimerClaim = (em: EntityManager, lane: number, lanes: number, limit: number, busy: string[]) => Promise<ClaimedTimer[]>;

/** Fires one claimed timer: calls `CommandLanes.run` for its instance before it first awaits (so the step joins the claiming batch). */
export type TimerFiring = (timer: ClaimedTimer) => Promise<unknown>;

interface LaneSweep {
  fire: TimerFiring;
  claimed: number;
  firings: Array<Promise<unknown>>;
  /** Someone asked for this sweep after its last claim was sent (its clock may have moved since): one more claim before it ends. */
  rejoined: boolean;
  waiters: Array<{ resolve: (value: { claimed: number; firings: Array<Promise<unknown>> }) => void; reject: (e: unknown) => void }>;
}

export interface LaneObserver {
  batch(size: number): void;
  queued(depth: number): void;
  fellBack(): void;
}

/** Keys a transaction draws at once per command it runs (a step of the own core takes 32, its new waits a few). */
const KEYS_PER_COMMAND = 64;

/** How many commands one transaction takes at most. */
export const MAX_BATCH = 200;

/**
 * Group commit (issue 15): commands on process instances queue in a few lanes (an instance always
 * in the same one, by its key), and each lane runs what has queued while its last transaction ran
 * as one transaction: its instances locked and their open waits read in two statements, each
 * command in turn, in the order of their instances' keys, then the
 * batch's instance updates, new waits and events in a handful of multi-row statements, then one
 * commit. A lane is never idle while commands wait, and waits for none: under light load a batch
 * is one command, under load it grows by itself (what Zeebe does with a command and its
 * follow-ups; what graphile-worker measured ~11.8× from).
 *
 * Each caller gets its own answer: a command refused before it wrote anything (`Refused`) fails
 * alone; anything else (an incident, a deadlock, a failed statement) rolls the batch back and
 * runs each of its commands again in a transaction of its own, so one bad command never fails its
 * neighbours. A batch holds at most one command per instance (the next waits for the next batch):
 * a step reads its instance as the step before it stored it.
 */
export class CommandLanes {
  private readonly lanes: Entry[][];
  private readonly running: boolean[];
  /** Per lane, the sweep of due timers under way (its transactions claim timers until a claim comes back short). */
  private readonly sweeps: Array<LaneSweep | undefined>;
  /** While a batch turns its claimed timers into commands: their `run` calls join it instead of the queue. */
  private collecting?: Entry[];

  constructor(
    private readonly db: DataSource,
    count: number,
    private readonly observer?: LaneObserver,
    private readonly claimTimers?: TimerClaim,
  ) {
    this.lanes = Array.from({ length: Math.max(1, count) }, () => []);
    this.running = this.lanes.map(() => false);
    this.sweeps = this.lanes.map(() => undefined);
  }

  run<T>(instanceKey: string, body: LaneBody<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { instanceKey, body, resolve: resolve as (v: unknown) => void, reject };
      if (this.collecting) {
        this.collecting.push(entry);
        return;
      }
      const lane = this.laneOf(instanceKey);
      this.lanes[lane].push(entry);
      this.observer?.queued(this.lanes[lane].length);
      if (!this.running[lane]) void this.drain(lane);
    });
  }

  /**
   * Timers in bulk (issue 15 point 3): every lane's next transactions claim due timers of its
   * instances themselves (up to what the batch has room for, next to the commands queued) and run
   * their firings as commands of that batch, until a claim comes back short. The steps and the
   * timers' consumption commit together, with no lease: a batch that rolls back leaves its timers
   * due. `fire` is called for each claimed timer, in the lane's transaction; it must call `run` for
   * the timer's instance before it first awaits. Resolves, once every lane's sweep ended, with how
   * many timers were claimed and each firing's promise. A sweep asked for while one is under way in
   * a lane joins it.
   */
  sweep(fire: TimerFiring): Promise<{ claimed: number; firings: Array<Promise<unknown>> }> {
    if (!this.claimTimers) return Promise.resolve({ claimed: 0, firings: [] });
    const perLane = this.lanes.map(
      (_, lane) =>
        new Promise<{ claimed: number; firings: Array<Promise<unknown>> }>((resolve, reject) => {
          const sweep = (this.sweeps[lane] ??= { fire, claimed: 0, firings: [], rejoined: false, waiters: [] });
          sweep.rejoined = true;
          sweep.waiters.push({ resolve, reject });
          if (!this.running[lane]) void this.drain(lane);
        }),
    );
    return Promise.all(perLane).then((all) => ({ claimed: all.reduce((n, r) => n + r.claimed, 0), firings: all.flatMap((r) => r.firings) }));
  }

  private endSweep(lane: number, error?: unknown): void {
    const sweep = this.sweeps[lane];
    if (!sweep || (sweep.rejoined && !error)) return;
    this.sweeps[lane] = undefined;
    for (const waiter of sweep.waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve({ claimed: sweep.claimed, firings: sweep.firings });
    }
  }

  private laneOf(instanceKey: string): number {
    if (this.lanes.length === 1) return 0;
    // Keys are decimal text of 64-bit numbers: the last digits spread well enough.
    return Number(instanceKey.slice(-6)) % this.lanes.length;
  }

  private async drain(lane: number): Promise<void> {
    this.running[lane] = true;
    try {
      while (this.lanes[lane].length > 0 || this.sweeps[lane]) {
        const batch = this.take(lane);
        const sweep = this.sweeps[lane];
        if (sweep) {
          await this.together(batch, { lane, sweep });
          continue;
        }
        this.observer?.batch(batch.length);
        if (batch.length === 1) await this.single(batch[0]);
        else await this.together(batch);
      }
    } finally {
      this.running[lane] = false;
    }
  }

  /** Up to MAX_BATCH queued commands, one per instance, in queue order (the rest stay queued, in order). */
  private take(lane: number): Entry[] {
    const queue = this.lanes[lane];
    const batch: Entry[] = [];
    const rest: Entry[] = [];
    const instances = new Set<string>();
    for (const entry of queue) {
      if (batch.length < MAX_BATCH && !instances.has(entry.instanceKey)) {
        instances.add(entry.instanceKey);
        batch.push(entry);
      } else rest.push(entry);
    }
    this.lanes[lane] = rest;
    return batch;
  }

  private async single(entry: Entry): Promise<void> {
    try {
      entry.resolve(
        await this.db.transaction(async (em) => {
          poolKeys(em, KEYS_PER_COMMAND);
          const writes = new StepWrites();
          const value = await entry.body(em, writes);
          await writes.flush(em);
          return value;
        }),
      );
    } catch (e) {
      entry.reject(e instanceof Refused ? e.cause : e);
    }
  }

  /**
   * One transaction for `batch` (and, in a sweep, the due timers it claims): instances locked and
   * their waits read ahead, each command in key order, the common rows written once, one commit.
   */
  private async together(batch: Entry[], timers?: { lane: number; sweep: LaneSweep }): Promise<void> {
    // Instances locked in key order: two transactions that lock several never wait on each other in a circle.
    let ordered = [...batch].sort((a, b) => compareKeys(a.instanceKey, b.instanceKey));
    let outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
    /** Rows the claim returned: a full claim means more may be due. */
    let claimedRows = 0;
    let limit = 0;
    let claimFailed = false;
    try {
      outcomes = await this.db.transaction(async (em) => {
        if (batch.length > 0) await prefetchInstances(em, batch.map((e) => e.instanceKey));
        if (timers) {
          limit = MAX_BATCH - batch.length;
          const fired = await this.claim(em, timers.lane, limit, batch, timers.sweep).catch((e: unknown) => {
            claimFailed = true;
            throw e;
          });
          claimedRows = fired.rows;
          ordered = [...batch, ...fired.entries].sort((a, b) => compareKeys(a.instanceKey, b.instanceKey));
          this.observer?.batch(ordered.length);
        }
        poolKeys(em, KEYS_PER_COMMAND * ordered.length);
        const writes = new StepWrites();
        const done: typeof outcomes = [];
        for (const entry of ordered) {
          try {
            done.push({ ok: true, value: await entry.body(em, writes) });
          } catch (e) {
            if (!(e instanceof Refused)) throw e;
            done.push({ ok: false, error: e.cause });
          }
        }
        await writes.flush(em);
        return done;
      });
    } catch (e) {
      if (ordered.length > 0) {
        this.observer?.fellBack();
        // The claimed timers' locks went with the transaction: each firing checks its timer again alone.
        for (const entry of ordered) await this.single(entry);
      }
      // The sweep ends here (the scheduler comes back for what is still due, after a pause if
      // nothing fired): timers whose steps keep failing are not claimed again and again at once.
      // A claim that failed itself is the sweep's error.
      if (timers) this.endSweep(timers.lane, claimFailed ? e : undefined);
      return;
    }
    ordered.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
    // A claim that came back short (or had room and found nothing) ends the lane's sweep.
    if (timers && limit > 0 && claimedRows < limit) this.endSweep(timers.lane);
  }

  /**
   * Claims due timers in the batch's transaction and turns each into a command of this batch (one
   * per instance, none of an instance the batch already holds), their instances read ahead.
   */
  private async claim(em: EntityManager, lane: number, limit: number, batch: Entry[], sweep: LaneSweep): Promise<{ rows: number; entries: Entry[] }> {
    if (limit <= 0) return { rows: 0, entries: [] };
    sweep.rejoined = false;
    const busy = batch.map((e) => e.instanceKey);
    const claimed = await this.claimTimers!(em, lane, this.lanes.length, limit, busy);
    const taken = new Set(busy);
    const first = claimed.filter((t) => !taken.has(t.processInstanceKey) && taken.add(t.processInstanceKey));
    if (first.length === 0) return { rows: claimed.length, entries: [] };
    markClaimedTimers(em, first.map((t) => t.key));
    await prefetchInstances(em, first.map((t) => t.processInstanceKey));
    const entries: Entry[] = [];
    for (const timer of first) {
      this.collecting = [];
      try {
        sweep.firings.push(sweep.fire(timer));
      } finally {
        entries.push(...this.collecting);
        this.collecting = undefined;
      }
    }
    sweep.claimed += first.length;
    return { rows: claimed.length, entries };
  }
}

function compareKeys(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
