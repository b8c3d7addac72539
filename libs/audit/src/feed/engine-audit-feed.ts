import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type EngineEvent, EventFeedFollower, WORKFLOW_ENGINE, type WorkflowEngine, WorkflowModule } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { AuditLog } from '../audit-log';

/**
 * Copies the engine's events into the audit log, once each (by their position), with the case
 * they belong to. The engine writes each event in the transaction of the change it records;
 * this follower makes them part of the hash chain next to the staff's own actions.
 */
@Injectable()
export class EngineAuditFeed implements OnModuleDestroy {
  private readonly feed: EventFeedFollower;
  private readonly caseOf = new Map<string, string | null>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly audit: AuditLog,
  ) {
    this.feed = new EventFeedFollower('audit', db, engine, (events) => this.apply(events));
  }

  start(): void {
    this.feed.start(1000);
  }

  onModuleDestroy(): void {
    this.feed.stop();
  }

  catchUp(): Promise<void> {
    return this.feed.catchUp();
  }

  private async caseIdOf(processInstanceKey: string): Promise<string | null> {
    if (!this.caseOf.has(processInstanceKey)) {
      const { variables } = await this.engine.getInstance(processInstanceKey);
      if (this.caseOf.size > 10_000) this.caseOf.clear();
      this.caseOf.set(processInstanceKey, typeof variables.applicationId === 'string' ? variables.applicationId : null);
    }
    return this.caseOf.get(processInstanceKey)!;
  }

  private async apply(events: EngineEvent[]): Promise<void> {
    const cases = new Map<string, string | null>();
    for (const key of new Set(events.map((e) => e.processInstanceKey))) cases.set(key, await this.caseIdOf(key));
    await this.db.transaction(async (em) => {
      await em.query('SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE');
      const copied = new Set<string>(
        (await em.query('SELECT engine_position::text AS p FROM audit_event WHERE engine_position = ANY($1::bigint[])', [events.map((e) => e.position)])).map(
          (r: { p: string }) => r.p,
        ),
      );
      await this.audit.append(
        em,
        events
          .filter((e) => !copied.has(e.position))
          .map((e) => ({
            at: new Date(e.at),
            actor: e.actor ?? 'engine',
            action: `engine.${e.intent}`,
            caseId: cases.get(e.processInstanceKey) ?? null,
            processInstanceKey: e.processInstanceKey,
            elementId: e.elementId ?? null,
            details: { ...(e.elementType ? { elementType: e.elementType } : {}), ...(e.elementInstanceKey ? { elementInstanceKey: e.elementInstanceKey } : {}), ...(e.payload ?? {}) },
            enginePosition: e.position,
          })),
      );
    });
  }
}

/** The engine's events in the audit log (the server runs it; the operations commands do not). */
@Module({ imports: [WorkflowModule], providers: [EngineAuditFeed], exports: [EngineAuditFeed] })
export class EngineAuditFeedModule {}
