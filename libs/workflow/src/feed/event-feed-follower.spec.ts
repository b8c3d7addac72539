import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, WorkflowEngine } from '../port/workflow-engine';
import { EventFeedFollower } from './event-feed-follower';

/** An engine whose feed is an array, and a database that keeps the cursors in a map. */
function fakes() {
  const events: EngineEvent[] = [];
  const engine = {
    listEvents: async (after: string, limit: number) => events.filter((e) => BigInt(e.position) > BigInt(after)).slice(0, limit),
  } as unknown as WorkflowEngine;
  const cursors = new Map<string, string>();
  const db = {
    query: async (sql: string, params: string[]) => {
      if (sql.startsWith('SELECT')) return cursors.has(params[0]) ? [{ position: cursors.get(params[0]) }] : [];
      cursors.set(params[0], params[1]);
      return [];
    },
  } as unknown as DataSource;
  const emit = (position: number) => events.push({ position: String(position), processInstanceKey: '1', intent: 'ELEMENT_ACTIVATED', at: new Date() });
  return { engine, db, emit };
}

describe('EventFeedFollower.catchUpAll', () => {
  const started: EventFeedFollower[] = [];
  afterEach(() => started.splice(0).forEach((f) => f.stop()));

  /** A follower that records the positions it was handed (it never ticks on its own during a test). */
  function follower(name: string, db: DataSource, engine: WorkflowEngine, start = true) {
    const seen: string[] = [];
    const f = new EventFeedFollower(name, db, engine, async (events) => void seen.push(...events.map((e) => e.position)));
    if (start) {
      f.start(3_600_000);
      started.push(f);
    }
    return { f, seen };
  }

  it('catches up every follower started on that engine, and only those', async () => {
    const one = fakes();
    const other = fakes();
    const progress = follower('case-progress', one.db, one.engine);
    const tasks = follower('task-store', one.db, one.engine);
    const stopped = follower('stopped', one.db, one.engine);
    stopped.f.stop();
    const neverStarted = follower('never-started', one.db, one.engine, false);
    const elsewhere = follower('elsewhere', other.db, other.engine);
    one.emit(1);
    one.emit(2);
    other.emit(1);

    await EventFeedFollower.catchUpAll(one.engine);

    expect(progress.seen).toEqual(['1', '2']);
    expect(tasks.seen).toEqual(['1', '2']);
    expect(stopped.seen).toEqual([]);
    expect(neverStarted.seen).toEqual([]);
    expect(elsewhere.seen).toEqual([]);
  });

  it('includes what the engine committed while a catch-up was already under way', async () => {
    const { db, engine, emit } = fakes();
    const { f, seen } = follower('task-store', db, engine);
    emit(1);
    const running = f.catchUp();
    emit(2);
    await EventFeedFollower.catchUpAll(engine);
    await running;
    expect(seen.at(-1)).toBe('2');
  });
});
