import { Logger } from '@nestjs/common';
import type { ActivatedJob, JobOutcome, JobWorkerOptions } from '../port/workflow-engine';

/** What a worker loop needs of the engine. */
export interface JobSource {
  lockJobs(type: string, worker: string, max: number, timeoutMs: number, fetchVariables?: string[]): Promise<ActivatedJob[]>;
  finishJob(job: ActivatedJob, outcome: JobOutcome): Promise<void>;
}

const IDLE_POLL_MS = 1000;

/**
 * An in-process job worker: activates jobs of one type (locked for `timeoutMs`), runs the
 * handler with at most `maxJobsActive` in flight, and ends each job in complete, fail or
 * throwError. It polls when idle and wakes at once when the engine stores a job of its type.
 * Business logic runs outside any transaction (claim, commit, work, complete).
 */
export class JobWorkerLoop {
  private readonly logger: Logger;
  private readonly max: number;
  private readonly timeoutMs: number;
  private readonly name: string;
  private inFlight = new Set<Promise<void>>();
  private running = false;
  private timer?: NodeJS.Timeout;
  private wakeRequested = false;
  private polling?: Promise<void>;

  constructor(
    private readonly options: JobWorkerOptions,
    private readonly source: JobSource,
  ) {
    this.max = options.maxJobsActive ?? 32;
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.name = options.worker ?? `mustafid-${options.type}`;
    this.logger = new Logger(`Worker ${options.type}`);
  }

  get type(): string {
    return this.options.type;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  wake(): void {
    if (!this.running) return;
    this.wakeRequested = true;
    if (this.polling) return;
    clearTimeout(this.timer);
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
      if (this.wakeRequested) this.wake();
      else this.schedule(IDLE_POLL_MS);
    });
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.wakeRequested = false;
    const free = this.max - this.inFlight.size;
    if (free <= 0) return;
    let jobs: ActivatedJob[];
    try {
      jobs = await this.source.lockJobs(this.options.type, this.name, free, this.timeoutMs, this.options.fetchVariables as string[] | undefined);
    } catch (e) {
      if (this.running) this.logger.error(`Could not activate jobs: ${(e as Error).message}`);
      return;
    }
    for (const job of jobs) {
      const work: Promise<void> = this.handle(job).finally(() => {
        this.inFlight.delete(work);
        this.wake();
      });
      this.inFlight.add(work);
    }
    if (jobs.length === free) this.wakeRequested = true;
  }

  private async handle(job: ActivatedJob): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = await this.options.handler(job);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      outcome = { outcome: 'fail', retries: Math.max(0, job.retries - 1), errorMessage: message };
    }
    try {
      await this.source.finishJob(job, outcome);
    } catch (e) {
      // The job timed out and went to someone else, or the instance moved on: nothing to undo.
      this.logger.warn(`Job ${job.key} could not be finished: ${(e as Error).message}`);
    }
  }

  /** Waits until nothing is in flight and no job of this type is ready; true if it did any work. */
  async drain(): Promise<boolean> {
    let worked = false;
    for (;;) {
      await this.polling;
      if (this.inFlight.size === 0) {
        await this.poll();
        if (this.inFlight.size === 0) return worked;
      }
      worked = true;
      await Promise.all([...this.inFlight]);
    }
  }

  async close(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
  }
}
