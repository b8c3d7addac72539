import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK, type Clock, type EngineEvent, EventFeedFollower, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { ATTESTATION_TASK } from '../attestation/attestation.service';
import { PLEASE_SIGN_NOTICE } from '../notifications/notice-texts';
import { NotificationOutbox } from '../notifications/outbox';

/** How each end of the intake diagram closes a case. */
export const END_STATUS: Record<string, CaseStatus> = {
  End_ClosedIncomplete: 'closed-incomplete',
  End_Rejected: 'rejected',
  End_Served: 'completed',
  End_ServedUnrated: 'completed',
};

export type CaseStatus = 'open' | 'closed-incomplete' | 'rejected' | 'completed' | 'cancelled';

/**
 * Keeps each case's status and current steps in step with its process, by following the
 * engine's event feed: every instance that moved is re-read from the engine. Reads of cases
 * catch up first, so what a caller sees includes everything the engine committed before.
 */
@Injectable()
export class CaseProgress implements OnModuleDestroy {
  private readonly feed: EventFeedFollower;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
  ) {
    this.feed = new EventFeedFollower('case-progress', db, engine, (events) => this.apply(events));
  }

  start(): void {
    this.feed.start();
  }

  onModuleDestroy(): void {
    this.feed.stop();
  }

  catchUp(): Promise<void> {
    return this.feed.catchUp();
  }

  private async apply(events: EngineEvent[]): Promise<void> {
    const instances = [...new Set(events.map((e) => e.processInstanceKey))];
    const cases: Array<{ key: string }> = await this.db.query(
      'SELECT process_instance_key::text AS key FROM intake_application WHERE process_instance_key = ANY($1::bigint[])',
      [instances],
    );
    for (const { key } of cases) await this.refresh(key);
    const known = new Set(cases.map((c) => c.key));
    for (const e of events) {
      if (e.elementId === ATTESTATION_TASK && e.intent === 'ELEMENT_ACTIVATED' && e.elementInstanceKey && known.has(e.processInstanceKey)) {
        await this.askToSign(e.processInstanceKey, e.elementInstanceKey, e.at);
      }
    }
  }

  /**
   * S4: the "please sign" notice, once per opening of the attestation task (again when changed
   * data sends the case back to be signed), keyed by the task's element instance and dated when
   * the task opened. Written even when this follower comes by after the signature (a desk that
   * signs within the second): a notice that depends on when a follower looked would not be the same
   * on every run.
   */
  private askToSign(processInstanceKey: string, elementInstanceKey: string, openedAt: Date): Promise<unknown> {
    return this.db.transaction(async (em) => {
      const [app] = await em.query(
        'SELECT id, application_number, full_name, mobile, email, preferred_contact FROM intake_application WHERE process_instance_key = $1',
        [processInstanceKey],
      );
      if (!app) return;
      await this.outbox.write(em, {
        applicationId: app.id,
        dedupeKey: `${PLEASE_SIGN_NOTICE}:${elementInstanceKey}`,
        recipient: 'applicant',
        notice: PLEASE_SIGN_NOTICE,
        facts: { applicationNumber: app.application_number, fullName: app.full_name },
        toMobile: app.mobile,
        toEmail: app.email,
        preferredContact: app.preferred_contact,
        at: openedAt,
      });
    });
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
