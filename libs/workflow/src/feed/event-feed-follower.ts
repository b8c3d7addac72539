import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EngineEvent, WorkflowEngine } from '../port/workflow-engine';

/** Positions re-read behind the cursor: a concurrent writer may commit a lower position late. */
const OVERLAP = 500n;
const BATCH = 1000;

/** The followers running in this process, by the engine whose feed they follow. */
const running = new WeakMap<WorkflowEngine, Set<EventFeedFollower>>();

/**
 * Follows the engine's event feed for one projection (case progress, the task store, …):
 * hands each batch of events to `apply`, which must be idempotent — events up to OVERLAP
 * positions behind the cursor are handed over again, because on PostgreSQL a concurrent
 * transaction may commit a lower position after a higher one was read. The cursor is kept in
 * `wf_feed_cursor` under the projection's name. One catch-up runs at a time; callers during
 * one share the single next run after it. `start()` also follows in the background, and
 * registers the follower with its engine until `stop()`, so that whoever needs every projection
 * up to date at once (the test clock's settle) can catch them all up: `catchUpAll(engine)`.
 * The engine side needs to know nothing of who follows it.
 */
export class EventFeedFollower {
  private readonly logger: Logger;
  private current?: Promise<void>;
  private next?: Promise<void>;
  private timer?: NodeJS.Timeout;
  /** Where this process has read up to (the row in wf_feed_cursor is for the next start). */
  private cursor?: bigint;

  constructor(
    private readonly name: string,
    private readonly db: DataSource,
    private readonly engine: WorkflowEngine,
    private readonly apply: (events: EngineEvent[]) => Promise<void>,
  ) {
    this.logger = new Logger(`Feed:${name}`);
  }

  /**
   * Catches up every follower started in this process on the engine's feed; resolves once each
   * has applied everything the engine had committed when this was called.
   */
  static async catchUpAll(engine: WorkflowEngine): Promise<void> {
    await Promise.all([...(running.get(engine) ?? [])].map((f) => f.catchUp()));
  }

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => this.catchUp().catch((e) => this.logger.warn(`Catching up failed: ${e}`)), intervalMs).unref();
    let followers = running.get(this.engine);
    if (!followers) running.set(this.engine, (followers = new Set()));
    followers.add(this);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    running.get(this.engine)?.delete(this);
  }

  catchUp(): Promise<void> {
    if (!this.current) {
      this.current = this.run().finally(() => {
        this.current = undefined;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.catchUp();
      });
    return this.next;
  }

  private async run(): Promise<void> {
    if (this.cursor === undefined) {
      const [row] = await this.db.query('SELECT position::text FROM wf_feed_cursor WHERE name = $1', [this.name]);
      this.cursor = BigInt(row?.position ?? '0');
    }
    let cursor = this.cursor;
    // Most calls find nothing new: ask for one event past the cursor before re-reading the overlap.
    if ((await this.engine.listEvents(cursor.toString(), 1)).length === 0) return;
    for (;;) {
      const from = cursor > OVERLAP ? cursor - OVERLAP : 0n;
      const events = await this.engine.listEvents(from.toString(), BATCH + Number(OVERLAP));
      const fresh = events.filter((e) => BigInt(e.position) > cursor);
      if (fresh.length === 0) return;
      await this.apply(events);
      cursor = BigInt(fresh.at(-1)!.position);
      await this.db.query(
        `INSERT INTO wf_feed_cursor (name, position) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST(wf_feed_cursor.position, EXCLUDED.position)`,
        [this.name, cursor.toString()],
      );
      this.cursor = cursor;
      if (fresh.length < BATCH) return;
    }
  }
}
