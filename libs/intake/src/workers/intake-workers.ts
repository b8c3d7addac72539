import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  type ActivatedJob,
  CLOCK,
  type Clock,
  type JobOutcome,
  type JobWorker,
  WORKFLOW_ENGINE,
  type WorkflowEngine,
  complete,
  durationMs,
  fail,
} from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { riyadhDay } from '../applications/request-helpers';
import type { SupportType } from '../applications/vocabulary';
import { type Notice, type NoticeFacts, NOTICES } from '../notifications/notice-texts';
import { NotificationOutbox, type PreferredContact } from '../notifications/outbox';
import { SurveyService } from '../survey/survey.service';
import { type Verification, verifyApplication } from './verification';

/** The job types of the intake diagram, each with its handler below. */
export const INTAKE_JOB_TYPES = [
  'verify-data',
  'refer-researcher',
  'notify-applicant',
  'record-committee-decision',
  'complete-registration',
  'send-survey',
  'remind-committee-chair',
] as const;
export type IntakeJobType = (typeof INTAKE_JOB_TYPES)[number];

/** The variables each handler reads: only these are fetched with a job (on Zeebe, over the wire). */
export const INTAKE_JOB_VARIABLES: Record<IntakeJobType, string[]> = {
  'verify-data': ['applicationId'],
  'refer-researcher': ['applicationId'],
  'notify-applicant': ['applicationId', 'minimumResponsePeriod', 'verification', 'missingItems'],
  'record-committee-decision': ['applicationId', 'decision', 'decisionReasons', 'committeeVotes'],
  'complete-registration': ['applicationId'],
  'send-survey': ['applicationId'],
  'remind-committee-chair': ['applicationId'],
};

interface CaseRow {
  id: string;
  application_number: string;
  full_name: string;
  national_id: string;
  mobile: string;
  email: string | null;
  preferred_contact: PreferredContact | null;
  support_type: SupportType;
  submitted_at: Date;
  earliest_answer_at: Date | null;
  beneficiary_number: string | null;
  verification: Verification | null;
}

/** A job whose input is unusable: retrying cannot help, so it becomes an incident at once. */
class UnusableJob extends Error {}

/**
 * The service tasks of the intake process. Each handler is idempotent — a job delivered twice
 * (after a crash or a timeout) changes nothing the second time: rows are keyed by the job — and
 * writes its effects in one transaction before the job completes.
 */
@Injectable()
export class IntakeWorkers implements OnModuleDestroy {
  private readonly logger = new Logger('IntakeWorkers');
  private workers: JobWorker[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
    private readonly survey: SurveyService,
  ) {}

  private readonly handlers: Record<IntakeJobType, (job: ActivatedJob) => Promise<JobOutcome>> = {
    'verify-data': (job) => this.verifyData(job),
    'refer-researcher': (job) => this.referResearcher(job),
    'notify-applicant': (job) => this.notifyApplicant(job),
    'record-committee-decision': (job) => this.recordDecision(job),
    'complete-registration': (job) => this.completeRegistration(job),
    'send-survey': (job) => this.sendSurvey(job),
    'remind-committee-chair': (job) => this.remindChair(job),
  };

  /** Registers every intake worker with the engine. */
  start(): void {
    if (this.workers.length > 0) return;
    for (const type of INTAKE_JOB_TYPES) {
      this.workers.push(
        this.engine.createWorker({ type, worker: `intake-${type}`, timeoutMs: 60_000, fetchVariables: INTAKE_JOB_VARIABLES[type], handler: (job) => this.handle(type, job) }),
      );
    }
  }

  /**
   * Runs one job to its outcome; never throws. A job whose input cannot work fails without
   * retries (an incident at once); anything else is retried with a pause.
   */
  async handle(type: IntakeJobType, job: ActivatedJob): Promise<JobOutcome> {
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

  private async caseOf(em: EntityManager, job: ActivatedJob): Promise<CaseRow> {
    const id = job.variables.applicationId;
    if (typeof id !== 'string') throw new UnusableJob(`The job has no applicationId variable`);
    const [row] = await em.query(
      `SELECT id, application_number, full_name, national_id, mobile, email, preferred_contact, support_type, submitted_at, earliest_answer_at, beneficiary_number, verification
         FROM intake_application WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw new UnusableJob(`Case ${id} does not exist`);
    return row as CaseRow;
  }

  /** S2: completeness and validity at the time of submission; an open case for the same ID is flagged. */
  private verifyData(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      const documents = await em.query(
        `SELECT doc_type AS type, doc_number AS number, to_char(expiry_date, 'YYYY-MM-DD') AS "expiryDate", provided_at FROM intake_document WHERE application_id = $1`,
        [app.id],
      );
      const duplicates = await em.query(
        `SELECT application_number FROM intake_application WHERE national_id = $1 AND id <> $2 AND status = 'open' ORDER BY submitted_at`,
        [app.national_id, app.id],
      );
      const verification = verifyApplication({
        nationalId: app.national_id,
        supportType: app.support_type,
        submissionDate: riyadhDay(app.submitted_at),
        documents: documents.map((d: { type: string; number: string; expiryDate: string | null; provided_at: Date }) => ({
          type: d.type,
          number: d.number,
          expiryDate: d.expiryDate,
          providedOn: riyadhDay(d.provided_at),
        })),
        duplicateOpenCases: duplicates.map((d: { application_number: string }) => d.application_number),
      });
      await em.query('UPDATE intake_application SET verification = $2, updated_at = $3 WHERE id = $1', [app.id, verification, this.clock.now()]);
      return complete({ verification });
    });
  }

  /** S3: the case goes to the social researcher's group. */
  private referResearcher(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      const now = this.clock.now();
      await em.query(
        'INSERT INTO intake_referral (application_id, job_key, referred_at) VALUES ($1, $2, $3) ON CONFLICT (job_key) DO NOTHING',
        [app.id, job.key, now],
      );
      const [referral] = await em.query('SELECT referred_at FROM intake_referral WHERE job_key = $1', [job.key]);
      return complete({ referredAt: (referral.referred_at as Date).toISOString() });
    });
  }

  /** Notices to the applicant, by the `notice` header of the send task. */
  private notifyApplicant(job: ActivatedJob): Promise<JobOutcome> {
    const notice = job.customHeaders.notice as Notice;
    if (!NOTICES.includes(notice)) {
      return Promise.resolve(fail(`${job.elementId} has no usable "notice" header (got ${JSON.stringify(notice)}); one of ${NOTICES.join(', ')}`, 0));
    }
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      const now = this.clock.now();
      const out: Record<string, unknown> = {};
      const facts: NoticeFacts = { applicationNumber: app.application_number, fullName: app.full_name };
      const [already] = await em.query('SELECT 1 FROM intake_notification WHERE dedupe_key = $1', [job.key]);
      switch (notice) {
        case 'hand-over': {
          // S5: the earliest answer date is fixed once, when the request reaches the committee.
          let earliest = app.earliest_answer_at;
          if (!already) {
            const period = job.variables.minimumResponsePeriod;
            if (typeof period !== 'string') throw new UnusableJob('The hand-over notice needs the minimumResponsePeriod variable of the committee review');
            earliest = new Date(now.getTime() + durationMs(period, 'minimumResponsePeriod'));
            await em.query('UPDATE intake_application SET earliest_answer_at = $2, updated_at = $3 WHERE id = $1', [app.id, earliest, now]);
          }
          facts.earliestAnswerAt = earliest!;
          out.earliestAnswerAt = earliest!.toISOString();
          break;
        }
        case 'missing-documents': {
          const verification = (job.variables.verification as Verification | undefined) ?? app.verification;
          const noted = job.variables.missingItems;
          facts.missing = verification?.missing ?? [];
          const note = typeof noted === 'string' && noted.trim() ? [noted.trim()] : [];
          facts.problems = [...(verification?.problems ?? []), ...note];
          // Checks made before the Arabic words existed carry only the English ones.
          facts.problemsAr = [...(verification?.problemsAr ?? verification?.problems ?? []), ...note];
          break;
        }
        case 'decision': {
          const [decision] = await em.query(
            'SELECT id, decision, reasons FROM intake_committee_decision WHERE application_id = $1 ORDER BY decided_at DESC, id DESC LIMIT 1',
            [app.id],
          );
          if (!decision) throw new UnusableJob(`Case ${app.application_number} has no recorded committee decision to communicate`);
          facts.decision = decision.decision;
          facts.reasons = decision.reasons;
          if (!already) await em.query('UPDATE intake_committee_decision SET communicated_at = $2 WHERE id = $1', [decision.id, now]);
          break;
        }
        case 'registration':
          if (!app.beneficiary_number) throw new UnusableJob(`Case ${app.application_number} has no beneficiary number yet`);
          facts.beneficiaryNumber = app.beneficiary_number;
          break;
        default:
          break;
      }
      await this.outbox.write(em, { applicationId: app.id, dedupeKey: job.key, recipient: 'applicant', notice, facts, toMobile: app.mobile, toEmail: app.email, preferredContact: app.preferred_contact, at: now });
      return complete(out);
    });
  }

  /** S5: the chair's decision, with its reasons, kept once per job. */
  private recordDecision(job: ActivatedJob): Promise<JobOutcome> {
    const { decision, decisionReasons, committeeVotes } = job.variables as Record<string, unknown>;
    if (decision !== 'accepted' && decision !== 'rejected') {
      return Promise.resolve(fail(`The decision must be "accepted" or "rejected" (got ${JSON.stringify(decision)})`, 0));
    }
    const reasons = typeof decisionReasons === 'string' ? decisionReasons.trim() : '';
    if (!reasons) return Promise.resolve(fail('The committee decision needs its reasons (decisionReasons)', 0));
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      await em.query(
        `INSERT INTO intake_committee_decision (application_id, job_key, decision, reasons, votes, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (job_key) DO NOTHING`,
        [app.id, job.key, decision, reasons, committeeVotes === undefined ? null : JSON.stringify(committeeVotes), this.clock.now()],
      );
      return complete();
    });
  }

  /** S6: one beneficiary number per case, however often the job runs. */
  private completeRegistration(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
      const [[row]] = await em.query(
        `UPDATE intake_application
            SET beneficiary_number = COALESCE(beneficiary_number, 'BEN-' || lpad(nextval('intake_beneficiary_number_seq')::text, 7, '0')),
                registered_at = COALESCE(registered_at, $2), updated_at = $2
          WHERE id = $1 RETURNING beneficiary_number`,
        [app.id, this.clock.now()],
      );
      return complete({ beneficiaryNumber: row.beneficiary_number });
    });
  }

  /**
   * O5: the satisfaction survey invitation, telling the applicant what a rating is for (T3),
   * with a one-time link. One invitation per job: a job delivered again finds its notice
   * (keyed by the job, under the case's row lock) and makes no second link.
   */
  private sendSurvey(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      const [already] = await em.query('SELECT 1 FROM intake_notification WHERE dedupe_key = $1', [job.key]);
      if (already) return complete({ surveySentAt: this.clock.now().toISOString() });
      const surveyLink = await this.survey.invite(em, app.id, app.application_number, this.clock.now());
      await this.outbox.write(em, {
        applicationId: app.id,
        dedupeKey: job.key,
        recipient: 'applicant',
        notice: 'survey',
        facts: { applicationNumber: app.application_number, fullName: app.full_name, surveyLink },
        toMobile: app.mobile,
        toEmail: app.email,
        preferredContact: app.preferred_contact,
        at: this.clock.now(),
      });
      return complete({ surveySentAt: this.clock.now().toISOString() });
    });
  }

  /** S5: the chair is reminded when no decision came in time; the minimum period is untouched. */
  private remindChair(job: ActivatedJob): Promise<JobOutcome> {
    return this.db.transaction(async (em) => {
      const app = await this.caseOf(em, job);
      await this.outbox.write(em, {
        applicationId: app.id,
        dedupeKey: job.key,
        recipient: 'committee-chair',
        notice: 'chair-reminder',
        facts: { applicationNumber: app.application_number, fullName: app.full_name, earliestAnswerAt: app.earliest_answer_at ?? undefined },
        at: this.clock.now(),
      });
      return complete();
    });
  }
}
