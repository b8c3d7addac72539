import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { APP_CONFIG, type AppConfig, ConflictError, DomainError, NotFoundError } from '@mustafid/platform';
import { CLOCK, type Clock, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import type { SurveyAnswerDto, SurveyLinkAnswerDto } from './survey.dto';

/** The survey stays open as long as the diagram's Event_SurveyDeadline waits (P14D). */
export const SURVEY_OPEN_DAYS = 14;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SurveyState {
  /** The survey was sent and can still be answered. */
  open: boolean;
  answered: boolean;
  answeredAt?: Date;
  closesAt?: Date;
}

/**
 * The satisfaction survey (O5, T3): one answer per case, from the applicant's portal or the
 * one-time link in the survey notice. Answering tells the process (`survey-answered`,
 * correlated by the application number as the diagram's message says). The audit log notes
 * which case was rated and how, never the ratings; no staff member's name is stored with them.
 */
@Injectable()
export class SurveyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  /** A new one-time link for the case (in the caller's transaction); only its hash is kept. */
  async invite(em: EntityManager, applicationId: string, applicationNumber: string, at: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await em.query(
      'INSERT INTO intake_survey_invitation (token_hash, application_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [tokenHash(token), applicationId, at, new Date(at.getTime() + SURVEY_OPEN_DAYS * 86_400_000)],
    );
    return `${this.config.publicUrl}/survey/${applicationNumber}?token=${token}`;
  }

  async state(applicationId: string): Promise<SurveyState> {
    const now = this.clock.now();
    const [answer] = await this.db.query('SELECT answered_at FROM intake_survey_answer WHERE application_id = $1', [applicationId]);
    const [invitation] = await this.db.query(
      'SELECT max(expires_at) AS closes_at FROM intake_survey_invitation WHERE application_id = $1 HAVING count(*) > 0',
      [applicationId],
    );
    const closesAt: Date | undefined = invitation?.closes_at ?? undefined;
    return { open: !answer && closesAt !== undefined && closesAt > now, answered: Boolean(answer), answeredAt: answer?.answered_at, closesAt };
  }

  /** What the link's page shows before the form: the request it is for and whether it still works. */
  async invitation(token: string) {
    const [row] = await this.db.query(
      `SELECT i.expires_at, i.used_at, a.application_number, (s.id IS NOT NULL) AS answered
         FROM intake_survey_invitation i JOIN intake_application a ON a.id = i.application_id
         LEFT JOIN intake_survey_answer s ON s.application_id = i.application_id
        WHERE i.token_hash = $1`,
      [tokenHash(token)],
    );
    if (!row) throw new NotFoundError('Survey link', '(token)');
    return { applicationNumber: row.application_number as string, expiresAt: row.expires_at as Date, used: row.used_at !== null, answered: row.answered as boolean };
  }

  /** The applicant answers from the portal (the case is theirs: the caller checked). */
  async answerFromPortal(caseRow: { id: string; applicationNumber: string }, dto: SurveyAnswerDto, actor: string) {
    const now = this.clock.now();
    const answer = await this.db.transaction(async (em) => {
      await this.assertNotAnswered(em, caseRow);
      const [open] = await em.query('SELECT 1 FROM intake_survey_invitation WHERE application_id = $1 AND expires_at > $2 LIMIT 1', [caseRow.id, now]);
      if (!open) throw new ConflictError('SURVEY_NOT_OPEN', `The survey for request ${caseRow.applicationNumber} is not open: it opens once the service is provided and stays open ${SURVEY_OPEN_DAYS} days`);
      await em.query('UPDATE intake_survey_invitation SET used_at = $2 WHERE application_id = $1 AND used_at IS NULL', [caseRow.id, now]);
      return this.store(em, caseRow, dto, 'portal', actor, now);
    });
    await this.tellProcess(caseRow, answer.id);
    return answer;
  }

  /** Someone holding the one-time link answers; the link must be for this request, unused and in time. */
  async answerFromLink(dto: SurveyLinkAnswerDto) {
    const now = this.clock.now();
    let caseRow!: { id: string; applicationNumber: string };
    const answer = await this.db.transaction(async (em) => {
      const [invitation] = await em.query(
        `SELECT i.application_id, i.expires_at, i.used_at, a.application_number FROM intake_survey_invitation i
           JOIN intake_application a ON a.id = i.application_id WHERE i.token_hash = $1 FOR UPDATE OF i`,
        [tokenHash(dto.token)],
      );
      if (!invitation) throw new DomainError('SURVEY_LINK_INVALID', 'This survey link is not valid: check that it was copied whole from the message', 404);
      if (invitation.application_number !== dto.applicationNumber) {
        throw new DomainError('SURVEY_LINK_OTHER_CASE', `This survey link is for another request, not ${dto.applicationNumber}`, 403);
      }
      caseRow = { id: invitation.application_id, applicationNumber: invitation.application_number };
      if (invitation.used_at) throw new DomainError('SURVEY_LINK_USED', 'This survey link has been used already; each link works once', 410);
      if (new Date(invitation.expires_at) <= now) throw new DomainError('SURVEY_LINK_EXPIRED', `This survey link has expired (links work ${SURVEY_OPEN_DAYS} days)`, 410);
      await this.assertNotAnswered(em, caseRow);
      await em.query('UPDATE intake_survey_invitation SET used_at = $2 WHERE application_id = $1 AND used_at IS NULL', [caseRow.id, now]);
      return this.store(em, caseRow, dto, 'link', 'survey-link', now);
    });
    await this.tellProcess(caseRow, answer.id);
    return answer;
  }

  private async assertNotAnswered(em: EntityManager, caseRow: { id: string; applicationNumber: string }): Promise<void> {
    const [answered] = await em.query('SELECT 1 FROM intake_survey_answer WHERE application_id = $1 FOR UPDATE', [caseRow.id]);
    if (answered) throw new ConflictError('SURVEY_ALREADY_ANSWERED', `The survey for request ${caseRow.applicationNumber} has been answered already; thank you`);
  }

  private async store(em: EntityManager, caseRow: { id: string }, dto: SurveyAnswerDto, via: 'portal' | 'link', actor: string, at: Date) {
    const rows = await em.query(
      `INSERT INTO intake_survey_answer (application_id, overall, clarity, time_taken, courtesy, comment, answered_via, answered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (application_id) DO NOTHING RETURNING id`,
      [caseRow.id, dto.overall, dto.clarity, dto.timeTaken, dto.courtesy, dto.comment || null, via, at],
    );
    if (rows.length === 0) throw new ConflictError('SURVEY_ALREADY_ANSWERED', 'The survey for this request has been answered already; thank you');
    await this.audit.append(em, [{ at, actor, action: 'survey.answered', caseId: caseRow.id, details: { via, withComment: Boolean(dto.comment) } }]);
    return { id: rows[0].id as string, answeredAt: at, via };
  }

  private async tellProcess(caseRow: { id: string; applicationNumber: string }, answerId: string): Promise<void> {
    await this.engine.publishMessage({ name: 'survey-answered', correlationKey: caseRow.applicationNumber, messageId: `survey-answered:${answerId}` });
  }
}
