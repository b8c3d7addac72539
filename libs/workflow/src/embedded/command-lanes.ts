import type { DataSource, EntityManager } from 'typeorm';
import { StepWrites, poolKeys, prefetchInstances } from './engine-store';

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

  constructor(
    private readonly db: DataSource,
    count: number,
    private readonly observer?: LaneObserver,
  ) {
    this.lanes = Array.from({ length: Math.max(1, count) }, () => []);
    this.running = this.lanes.map(() => false);
  }

  run<T>(instanceKey: string, body: LaneBody<T>): Promise<T> {
    const lane = this.laneOf(instanceKey);
    return new Promise<T>((resolve, reject) => {
      this.lanes[lane].push({ instanceKey, body, resolve: resolve as (v: unknown) => void, reject });
      this.observer?.queued(this.lanes[lane].length);
      if (!this.running[lane]) void this.drain(lane);
    });
  }

  private laneOf(instanceKey: string): number {
    if (this.lanes.length === 1) return 0;
    // Keys are decimal text of 64-bit numbers: the last digits spread well enough.
    return Number(instanceKey.slice(-6)) % this.lanes.length;
  }

  private async drain(lane: number): Promise<void> {
    this.running[lane] = true;
    try {
      while (this.lanes[lane].length > 0) {
        const batch = this.take(lane);
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

  private async together(batch: Entry[]): Promise<void> {
    // Instances locked in key order: two transactions that lock several never wait on each other in a circle.
    const ordered = [...batch].sort((a, b) => compareKeys(a.instanceKey, b.instanceKey));
    let outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
    try {
      outcomes = await this.db.transaction(async (em) => {
        poolKeys(em, KEYS_PER_COMMAND * ordered.length);
        await prefetchInstances(em, ordered.map((e) => e.instanceKey));
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
    } catch {
      this.observer?.fellBack();
      for (const entry of ordered) await this.single(entry);
      return;
    }
    ordered.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}

function compareKeys(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
