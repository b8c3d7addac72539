import type { LiveEngine } from './instance-run';

/**
 * Live engine objects kept between steps, least recently used dropped first. An entry names
 * the instance's state version it matches; a step takes it out (under the instance's row
 * lock) only when the stored version is still that one, and puts it back after its commit
 * with the version it stored. A step that fails, or a transaction that does not commit,
 * never puts its engine back. Capacity 0 turns the cache off.
 */
export class EngineCache {
  private readonly entries = new Map<string, { version: string; live: LiveEngine }>();
  /** Steps that reused an engine / that found one but could not (stale or not usable). */
  hits = 0;
  stale = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The engine of `instanceKey` if it was built from `version` and `usable` agrees; it leaves the cache either way. */
  take(instanceKey: string, version: string, usable: (live: LiveEngine) => boolean): LiveEngine | undefined {
    const entry = this.entries.get(instanceKey);
    if (!entry) return undefined;
    this.entries.delete(instanceKey);
    if (entry.version === version && usable(entry.live)) {
      this.hits++;
      return entry.live;
    }
    this.stale++;
    return undefined;
  }

  put(instanceKey: string, version: string, live: LiveEngine): void {
    if (this.capacity <= 0) return;
    this.entries.delete(instanceKey);
    this.entries.set(instanceKey, { version, live });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  drop(instanceKey: string): void {
    this.entries.delete(instanceKey);
  }
}
