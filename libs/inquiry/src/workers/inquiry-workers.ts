import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NotificationOutbox, dateEn, datesAr } from '@mustafid/intake';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { type ActivatedJob, CLOCK, type Clock, type JobOutcome, type JobWorker, WORKFLOW_ENGINE, type WorkflowEngine, complete, durationMs, fail } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { type InquiryNotice, inquiryNoticeText } from '../inquiries/inquiry-texts';
import { LibraryService } from '../library/library.service';
import type { InquiryKind } from '../vocabulary';

/** The job types of the inquiry diagram, each with its handler below. */
export const INQUIRY_JOB_TYPES = ['set-inquiry-target', 'remind-inquiry-officer', 'escalate-inquiry', 'send-inquiry-answer'] as const;
export type InquiryJobType = (typeof INQUIRY_JOB_TYPES)[number];

export const INQUIRY_JOB_VARIABLES: Record<InquiryJobType, string[]> = {
  'set-inquiry-target': ['inquiryId', 'responseTarget'],
  'remind-inquiry-officer': ['inquiryId'],
  'escalate-inquiry': ['inquiryId'],
  'send-inquiry-answer': ['inquiryId'],
};

class UnusableJob extends Error {}

interface Row {
  id: string;
  inquiry_number: string;
  kind: InquiryKind;
  person_name: string | null;
  mobile: string | null;
  email: string | null;
  application_id: string | null;
  received_at: Date;
  due_at: Date | null;
  status: string;
  answer_text: string | null;
  answer_method: string | null;
  cited_article_id: string | null;
  cited_article_version: number | null;
}

/**
 * The service tasks of the inquiry process. Idempotent as the intake's: the target is written
 * once (COALESCE), each notice is keyed by the inquiry or the job, all in one transaction before
 * the job completes.
 */
@Injectable()
export class InquiryWorkers implements OnModuleDestroy {
  private readonly logger = new Logger('InquiryWorkers');
  private workers: JobWorker[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
    private readonly library: LibraryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The public article's address on the portal's questions page (T1). */
  private articleLink(slug: string): string {
    return `${this.config.publicUrl}/portal/questions#${slug}`;
  }

  private readonly handlers: Record<InquiryJobType, (job: ActivatedJob) => Promise<JobOutcome>> = {
    'set-inquiry-target': (job) => this.setTarget(job),
    'remind-inquiry-officer': (job) => this.staffNotice(job, 'inquiry-reminder', 'reception', 'reminded_at'),
    'escalate-inquiry': (job) => this.staffNotice(job, 'inquiry-escalation', 'supervisor', 'escalated_at'),
    'send-inquiry-answer': (job) => this.sendAnswer(job),
  };

  start(): void {
    if (this.workers.length > 0) return;
    for (const type of INQUIRY_JOB_TYPES) {
      this.workers.push(
        this.engine.createWorker({ type, worker: `inquiry-${type}`, timeoutMs: 60_000, fetchVariables: INQUIRY_JOB_VARIABLES[type], handler: (job) => this.handle(type, job) }),
      );
    }
  }

  async handle(type: InquiryJobType, job: ActivatedJob): Promise<JobOutcome> {
    try {
      return await this.handlers[type](job);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof UnusableJob) return fail(message, 0);
      this.logger.warn(`${type} job ${job.key} failed: ${message}`);
      return fail(message, Math.max(0, job.retries - 1), 5_000);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
  }

  private async inquiryOf(em: EntityManager, job: ActivatedJob): Promise<Row> {
    const id = job.variables.inquiryId;
    if (typeof id !== 'string') throw new UnusableJob('The job has no inquiryId variable');
    const [row] = await em.query('SELECT * FROM inquiry WHERE id = $1::uuid FOR UPDATE', [id]);
    if (!row) throw new UnusableJob(`Inquiry ${id} does not exist`);
    return row as Row;
  }

  /** The response-time target the diagram set for the inquiry's kind, kept with it for the list and the reports. */
  private setTarget(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const row = await this.inquiryOf(em, job);
      const target = job.variables.responseTarget;
      let ms: number;
      try {
        ms = durationMs(String(target), 'responseTarget');
      } catch {
        throw new UnusableJob(`responseTarget ${JSON.stringify(target)} is not an ISO-8601 duration`);
      }
      await em.query('UPDATE inquiry SET response_target = COALESCE(response_target, $2), due_at = COALESCE(due_at, $3) WHERE id = $1', [
        row.id,
        String(target),
        new Date(row.received_at.getTime() + ms),
      ]);
      return complete();
    });
  }

  /** The reminder to the officers, or the escalation to a supervisor: a staff notice, and when it happened. */
  private staffNotice(job: ActivatedJob, notice: InquiryNotice, recipient: 'reception' | 'supervisor', column: 'reminded_at' | 'escalated_at'): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const row = await this.inquiryOf(em, job);
      const now = this.clock.now();
      await em.query(`UPDATE inquiry SET ${column} = COALESCE(${column}, $2) WHERE id = $1`, [row.id, now]);
      await this.outbox.write(em, {
        applicationId: row.application_id,
        inquiryId: row.id,
        dedupeKey: `${notice}:${job.key}`,
        recipient,
        notice,
        text: inquiryNoticeText(notice, { number: row.inquiry_number, kind: row.kind, dueAt: row.due_at ? `${datesAr(row.due_at)} / ${dateEn(row.due_at)}` : undefined }),
        at: now,
      });
      return complete();
    });
  }

  /**
   * The answer to the person by the way the officer chose: SMS or e-mail through the outbox, or
   * left for the portal (the person's link); given in person or by phone, it was said already and
   * only recorded.
   */
  private sendAnswer(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const row = await this.inquiryOf(em, job);
      if (row.status !== 'answered' || !row.answer_text) throw new UnusableJob(`Inquiry ${row.inquiry_number} has no answer recorded`);
      if (row.answer_method === 'in-person' || row.answer_method === 'phone') return complete();
      const cited = row.cited_article_id ? await this.library.get(row.cited_article_id, row.cited_article_version!, em) : undefined;
      await this.outbox.write(em, {
        applicationId: row.application_id,
        inquiryId: row.id,
        dedupeKey: `inquiry-answer:${row.id}`,
        recipient: 'inquirer',
        notice: 'inquiry-answer',
        text: inquiryNoticeText('inquiry-answer', {
          number: row.inquiry_number,
          kind: row.kind,
          personName: row.person_name,
          answer: row.answer_text,
          ...(cited?.public ? { articleLink: this.articleLink(cited.slug), articleTitle: cited.title } : {}),
        }),
        toMobile: row.answer_method === 'sms' ? row.mobile : null,
        toEmail: row.answer_method === 'email' ? row.email : null,
        preferredContact: row.answer_method === 'sms' ? 'sms' : null,
        at: this.clock.now(),
      });
      return complete();
    });
  }
}
