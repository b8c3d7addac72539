import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';

/** How each end of the intake diagram closes a case. */
export const END_STATUS: Record<string, CaseStatus> = {
  End_ClosedIncomplete: 'closed-incomplete',
  End_Rejected: 'rejected',
  End_Served: 'completed',
  End_ServedUnrated: 'completed',
};

export type CaseStatus = 'open' | 'closed-incomplete' | 'rejected' | 'completed' | 'cancelled';

/** Positions re-read behind the cursor: a concurrent writer may commit a lower position late. */
const OVERLAP = 500;
const BATCH = 1000;

/**
 * Keeps each case's status and current steps in step with its process, by following the
 * engine's event feed: every instance that moved is re-read from the engine (idempotent, so
 * re-reading an overlap behind the cursor is harmless). Reads of cases catch up first, so
 * what a caller sees includes everything the engine committed before the request.
 */
@Injectable()
export class CaseProgress implements OnModuleDestroy {
  private readonly logger = new Logger('CaseProgress');
  private current?: Promise<void>;
  private next?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Follows the feed in the background too, so lists stay fresh without a reader. */
  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => this.catchUp().catch((e) => this.logger.warn(`Catching up failed: ${e}`)), intervalMs).unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One catch-up at a time; callers during one share the single next run after it. */
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
    const [row] = await this.db.query(`SELECT position::text FROM intake_progress_cursor WHERE name = 'case-progress'`);
    let cursor = BigInt(row?.position ?? '0');
    for (;;) {
      const from = cursor > BigInt(OVERLAP) ? cursor - BigInt(OVERLAP) : 0n;
      const events = await this.engine.listEvents(from.toString(), BATCH + OVERLAP);
      const fresh = events.filter((e) => BigInt(e.position) > cursor);
      if (fresh.length === 0) break;
      const instances = new Set(events.map((e) => e.processInstanceKey));
      const cases: Array<{ key: string }> = await this.db.query(
        'SELECT process_instance_key::text AS key FROM intake_application WHERE process_instance_key = ANY($1::bigint[])',
        [[...instances]],
      );
      for (const { key } of cases) await this.refresh(key);
      cursor = BigInt(fresh.at(-1)!.position);
      await this.db.query(
        `INSERT INTO intake_progress_cursor (name, position) VALUES ('case-progress', $1)
         ON CONFLICT (name) DO UPDATE SET position = GREATEST(intake_progress_cursor.position, EXCLUDED.position)`,
        [cursor.toString()],
      );
      if (fresh.length < BATCH) break;
    }
  }

  /** Re-reads one case's process: where it waits, and how it ended. */
  async refresh(processInstanceKey: string): Promise<void> {
    const instance = await this.engine.getInstance(processInstanceKey);
    const steps = [...new Set(instance.activeElements.filter((e) => e.elementType !== 'bpmn:BoundaryEvent').map((e) => e.elementId))];
    let status: CaseStatus = 'open';
    if (instance.state === 'CANCELED') status = 'cancelled';
    if (instance.state === 'COMPLETED') {
      const events = await this.engine.getInstanceEvents(processInstanceKey);
      const end = events.findLast((e) => e.intent === 'ELEMENT_COMPLETED' && e.elementId !== undefined && e.elementId in END_STATUS);
      status = end ? END_STATUS[end.elementId!] : 'completed';
    }
    await this.db.query(
      `UPDATE intake_application SET status = $2, current_steps = $3, closed_at = CASE WHEN $2 = 'open' THEN NULL ELSE COALESCE(closed_at, $4) END
        WHERE process_instance_key = $1 AND (status IS DISTINCT FROM $2 OR current_steps IS DISTINCT FROM $3::text[])`,
      [processInstanceKey, status, steps, instance.endedAt ?? this.clock.now()],
    );
  }
}
