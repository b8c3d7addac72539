/**
 * Callers of activateJobs waiting for a job of their type (Zeebe's long polling): woken when a
 * step of this process stores a job of that type or makes one activatable again (a failure with
 * retries, a resolved incident), and every `recheckMs` besides, for what no event here announces
 * (a back-off or a lock running out, a job stored by another server process on the same database).
 */
export class JobWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  constructor(private readonly recheckMs = 1000) {}

  /**
   * Resolves when a job of `type` may have become activatable, after `ms` at most, or at once when
   * `signal` aborts or the engine stops; true unless it stopped waiting for good (abort, shutdown).
   */
  wait(type: string, ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const set = this.waiting.get(type) ?? new Set();
      this.waiting.set(type, set);
      const done = (again: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(type) === set) this.waiting.delete(type);
        resolve(again && !this.closed);
      };
      const wake = () => done(true);
      const aborted = () => done(false);
      const timer = setTimeout(wake, Math.max(0, Math.min(ms, this.recheckMs)));
      signal?.addEventListener('abort', aborted, { once: true });
      set.add(wake);
    });
  }

  /** Wakes every caller waiting for one of these types. */
  wake(types: Iterable<string>): void {
    for (const type of types) for (const wake of [...(this.waiting.get(type) ?? [])]) wake();
  }

  /** Ends every wait and refuses new ones (shutdown). */
  close(): void {
    this.closed = true;
    for (const set of this.waiting.values()) for (const wake of [...set]) wake();
  }
}
