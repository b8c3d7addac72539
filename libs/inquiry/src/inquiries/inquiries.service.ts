import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthUser } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { type Channel, NotificationOutbox, actorOf } from '@mustafid/intake';
import { APP_CONFIG, type AppConfig, ConflictError, DomainError, ForbiddenError, NotFoundError, validationFailure } from '@mustafid/platform';
import { CLOCK, type Clock, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { LibraryService } from '../library/library.service';
import { ANSWER_TASK, INQUIRY_PROCESS_ID, type AnswerMethod, type InquiryKind } from '../vocabulary';
import type { AnswerInquiryDto, InquiryFromPersonDto, InquiryListDto, RecordInquiryDto } from './inquiry.dto';
import { inquiryNoticeText } from './inquiry-texts';

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface InquiryRow {
  id: string;
  inquiry_number: string;
  kind: InquiryKind;
  channel: Channel;
  topic: string;
  body: string;
  person_name: string | null;
  mobile: string | null;
  email: string | null;
  preferred_contact: 'sms' | 'email' | null;
  application_id: string | null;
  application_number: string | null;
  concerns_username: string | null;
  recorded_by: string | null;
  received_at: Date;
  process_instance_key: string | null;
  response_target: string | null;
  due_at: Date | null;
  reminded_at: Date | null;
  escalated_at: Date | null;
  status: 'open' | 'answered';
  answer_text: string | null;
  answer_method: AnswerMethod | null;
  action_taken: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  cited_article_id: string | null;
  cited_article_version: number | null;
}

const SELECT = `SELECT i.*, a.application_number FROM inquiry i LEFT JOIN intake_application a ON a.id = i.application_id`;

/**
 * Inquiries, suggestions, complaints and compliments (S1, O3, G1, T1, T5): recorded by reception
 * from any channel or by anyone through the website (C7), each with its own process
 * (bpmn/beneficiary-inquiry.bpmn), answered from the reference library (R1) through the person's
 * channel, and rated by the person if they wish (T3: aggregate only).
 */
@Injectable()
export class InquiriesService {
  private readonly logger = new Logger('Inquiries');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: NotificationOutbox,
    private readonly audit: AuditLog,
    private readonly library: LibraryService,
  ) {}

  trackLink(token: string): string {
    return `${this.config.publicUrl}/portal/inquiries/${token}`;
  }

  articleLink(slug: string): string {
    return `${this.config.publicUrl}/portal/questions#${slug}`;
  }

  /** Reception records an inquiry from any channel (C1–C8). */
  async record(dto: RecordInquiryDto, user: AuthUser) {
    let applicationId: string | null = null;
    if (dto.applicationNumber) {
      const [app] = await this.db.query('SELECT id FROM intake_application WHERE application_number = $1', [dto.applicationNumber]);
      if (!app) throw validationFailure({ applicationNumber: [`There is no request ${dto.applicationNumber}`] });
      applicationId = app.id;
    }
    if (dto.concernsUsername) {
      if (dto.kind !== 'complaint') throw validationFailure({ concernsUsername: ['Only a complaint names a member of staff'] });
      const [staff] = await this.db.query('SELECT 1 FROM app_user WHERE username = $1', [dto.concernsUsername]);
      if (!staff) throw validationFailure({ concernsUsername: [`There is no member of staff ${dto.concernsUsername}`] });
    }
    return this.insertAndStart(dto, { channel: dto.channel, applicationId, concerns: dto.concernsUsername ?? null, recordedBy: user.username }, user);
  }

  /** Anyone, through the website (C7), without an account: a way to answer them is required. */
  async recordFromWebsite(dto: InquiryFromPersonDto) {
    if (!dto.mobile && !dto.email) {
      throw validationFailure({ mobile: ['Give a mobile number or an e-mail address so that we can answer you (أدخل رقم جوال أو بريدًا إلكترونيًا لنرد عليك)'] });
    }
    return this.insertAndStart(dto, { channel: 'C7', applicationId: null, concerns: null, recordedBy: null });
  }

  private async insertAndStart(
    dto: InquiryFromPersonDto,
    how: { channel: Channel; applicationId: string | null; concerns: string | null; recordedBy: string | null },
    user?: AuthUser,
  ) {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const inquiry = await this.db.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO inquiry (inquiry_number, kind, channel, topic, body, person_name, mobile, email, preferred_contact, application_id, concerns_username, recorded_by, received_at, tracking_hash)
         VALUES ('INQ-' || to_char($13::timestamptz AT TIME ZONE 'Asia/Riyadh', 'YYYY') || '-' || lpad(nextval('inquiry_number_seq')::text, 6, '0'),
                 $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $12)
         RETURNING id, inquiry_number`,
        [dto.kind, how.channel, dto.topic, dto.body, dto.personName ?? null, dto.mobile ?? null, dto.email ?? null, dto.preferredContact ?? null,
          how.applicationId, how.concerns, how.recordedBy, tokenHash(token), now],
      );
      await this.audit.append(em, [
        { at: now, actor: how.recordedBy ?? 'website', action: 'inquiry.recorded', caseId: how.applicationId ?? undefined, details: { inquiry: row.id, number: row.inquiry_number, kind: dto.kind, channel: how.channel, topic: dto.topic } },
      ]);
      // G1: the person hears that it arrived, with its number and where to follow it, without asking.
      if (dto.mobile || dto.email) {
        await this.outbox.write(em, {
          applicationId: how.applicationId,
          inquiryId: row.id,
          dedupeKey: `inquiry-received:${row.id}`,
          recipient: 'inquirer',
          notice: 'inquiry-received',
          text: inquiryNoticeText('inquiry-received', { number: row.inquiry_number, kind: dto.kind, personName: dto.personName, trackLink: this.trackLink(token) }),
          toMobile: dto.mobile ?? null,
          toEmail: dto.email ?? null,
          preferredContact: dto.preferredContact ?? null,
          at: now,
        });
      }
      return { id: row.id as string, number: row.inquiry_number as string };
    });
    try {
      const key = await this.startProcess(inquiry.id, user);
      return { ...inquiry, processInstanceKey: key, trackingToken: token };
    } catch (e) {
      await this.db.query('DELETE FROM inquiry WHERE id = $1', [inquiry.id]);
      throw e;
    }
  }

  async startProcess(inquiryId: string, user?: AuthUser): Promise<string> {
    const [row] = await this.db.query('SELECT id, inquiry_number, kind, channel, topic FROM inquiry WHERE id = $1', [inquiryId]);
    const started = await this.engine.createInstance({
      bpmnProcessId: INQUIRY_PROCESS_ID,
      variables: { inquiryId: row.id, inquiryNumber: row.inquiry_number, kind: row.kind, channel: row.channel, topic: row.topic },
      actor: user ? actorOf(user) : undefined,
    });
    await this.db.query('UPDATE inquiry SET process_instance_key = $2 WHERE id = $1 AND process_instance_key IS NULL', [inquiryId, started.processInstanceKey]);
    return started.processInstanceKey;
  }

  /** Inquiries recorded but whose process did not begin (the server stopped in between): linked if it did, else started. */
  async startInterrupted(): Promise<void> {
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM inquiry WHERE process_instance_key IS NULL');
    for (const row of rows) {
      const [started] = await this.engine.findInstances(INQUIRY_PROCESS_ID, { name: 'inquiryId', value: row.id });
      if (started) await this.db.query('UPDATE inquiry SET process_instance_key = $2 WHERE id = $1 AND process_instance_key IS NULL', [row.id, started]);
      else await this.startProcess(row.id);
      this.logger.warn(`Inquiry ${row.id} had no process linked: ${started ? 'linked' : 'started'}`);
    }
  }

  async list(query: InquiryListDto) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (query.status) where.push(`i.status = $${params.push(query.status)}`);
    if (query.application) {
      where.push(UUID.test(query.application) ? `i.application_id = $${params.push(query.application)}::uuid` : `a.application_number = $${params.push(query.application)}`);
    }
    const rows: InquiryRow[] = await this.db.query(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.status = 'answered', i.due_at NULLS LAST, i.received_at DESC LIMIT 500`, params);
    return rows.map((r) => this.summary(r));
  }

  private summary(r: InquiryRow) {
    return {
      id: r.id,
      number: r.inquiry_number,
      kind: r.kind,
      channel: r.channel,
      topic: r.topic,
      status: r.status,
      personName: r.person_name ?? undefined,
      applicationId: r.application_id ?? undefined,
      applicationNumber: r.application_number ?? undefined,
      receivedAt: r.received_at,
      responseTarget: r.response_target ?? undefined,
      dueAt: r.due_at ?? undefined,
      overdue: r.status === 'open' && r.due_at !== null && r.due_at.getTime() < this.clock.now().getTime(),
      remindedAt: r.reminded_at ?? undefined,
      escalatedAt: r.escalated_at ?? undefined,
      answeredAt: r.answered_at ?? undefined,
    };
  }

  private async row(id: string, em: EntityManager = this.db.manager, lock = false): Promise<InquiryRow> {
    const rows: InquiryRow[] = UUID.test(id) || /^INQ-\d{4}-\d{6,}$/.test(id)
      ? await em.query(`${SELECT} WHERE ${UUID.test(id) ? 'i.id = $1::uuid' : 'i.inquiry_number = $1'}${lock ? ' FOR UPDATE OF i' : ''}`, [id])
      : [];
    if (!rows[0]) throw new NotFoundError('Inquiry', id);
    return rows[0];
  }

  /** One inquiry for staff: the person, what they said, the answer and the article version it cited, the notices. An audited read. */
  async get(id: string, user: AuthUser) {
    const r = await this.row(id);
    const [citation, notices] = await Promise.all([
      r.cited_article_id ? this.library.get(r.cited_article_id, r.cited_article_version!) : undefined,
      this.outbox.listForInquiry(this.db.manager, r.id),
    ]);
    await this.audit.record({ at: this.clock.now(), actor: user.username, action: 'inquiry.read', caseId: r.application_id ?? undefined, details: { inquiry: r.id } });
    return {
      ...this.summary(r),
      body: r.body,
      mobile: r.mobile ?? undefined,
      email: r.email ?? undefined,
      preferredContact: r.preferred_contact ?? undefined,
      concernsUsername: r.concerns_username ?? undefined,
      recordedBy: r.recorded_by ?? undefined,
      processInstanceKey: r.process_instance_key ?? undefined,
      answer: r.answer_text ?? undefined,
      answerMethod: r.answer_method ?? undefined,
      actionTaken: r.action_taken ?? undefined,
      answeredBy: r.answered_by ?? undefined,
      citation: citation && {
        articleId: citation.id,
        slug: citation.slug,
        version: citation.version,
        currentVersion: citation.currentVersion,
        public: citation.public,
        title: citation.title,
        body: citation.body,
        publicLink: citation.public ? this.articleLink(citation.slug) : undefined,
      },
      notices,
      /** Who may not close it: the member of staff a complaint names. */
      mayAnswer: r.status === 'open' && !(r.kind === 'complaint' && r.concerns_username === user.username),
    };
  }

  /**
   * The officer's answer. Refused when the inquiry is answered already (409 INQUIRY_CLOSED), when
   * the caller is the member of staff a complaint names (403 COMPLAINT_NAMES_YOU), or when the
   * cited article version does not exist (400). Of two officers answering at once exactly one wins
   * (the row moves from open to answered once); the process then sends the answer (Task_SendAnswer).
   */
  async answer(id: string, dto: AnswerInquiryDto, user: AuthUser) {
    const r = await this.row(id);
    if (r.status !== 'open') throw this.closed(r);
    if (r.kind === 'complaint' && r.concerns_username === user.username) {
      throw new ForbiddenError(
        `Complaint ${r.inquiry_number} names you; another officer or a supervisor answers it (الشكوى تخصّك، فيرد عليها زميل أو مشرف)`,
        'COMPLAINT_NAMES_YOU',
      );
    }
    const problems: Record<string, string[]> = {};
    if (dto.method === 'sms' && !r.mobile) problems.method = ['The person gave no mobile number: answer another way'];
    if (dto.method === 'email' && !r.email) problems.method = ['The person gave no e-mail address: answer another way'];
    if (dto.citation && !(await this.library.versionExists(this.db.manager, dto.citation.articleId, dto.citation.version))) {
      problems.citation = [`The library has no version ${dto.citation.version} of article ${dto.citation.articleId}`];
    }
    if (Object.keys(problems).length) throw validationFailure(problems);
    if (!r.process_instance_key) throw new ConflictError('NOT_AWAITING_ANSWER', `Inquiry ${r.inquiry_number} is not waiting for an answer yet`);
    const task = (await this.engine.listUserTasks(r.process_instance_key, 'CREATED')).find((t) => t.elementId === ANSWER_TASK);
    if (!task) throw new ConflictError('NOT_AWAITING_ANSWER', `Inquiry ${r.inquiry_number} is not waiting for an answer`);

    const now = this.clock.now();
    const claimed = await this.db.transaction(async (em) => {
      const [[row]] = await em.query(
        `UPDATE inquiry SET status = 'answered', answer_text = $2, answer_method = $3, action_taken = $4, answered_by = $5, answered_at = $6,
                cited_article_id = $7, cited_article_version = $8
          WHERE id = $1 AND status = 'open' RETURNING id`,
        [r.id, dto.answer, dto.method, dto.actionTaken ?? null, user.username, now, dto.citation?.articleId ?? null, dto.citation?.version ?? null],
      );
      return Boolean(row);
    });
    if (!claimed) throw this.closed(await this.row(r.id));
    try {
      await this.engine.completeUserTask(task.key, { answerMethod: dto.method, citedArticle: dto.citation ? `${dto.citation.articleId}@${dto.citation.version}` : null }, actorOf(user));
    } catch (e) {
      await this.db.query(
        `UPDATE inquiry SET status = 'open', answer_text = NULL, answer_method = NULL, action_taken = NULL, answered_by = NULL, answered_at = NULL, cited_article_id = NULL, cited_article_version = NULL
          WHERE id = $1 AND answered_at = $2`,
        [r.id, now],
      );
      throw e;
    }
    await this.audit.record({
      at: now,
      actor: user.username,
      action: 'inquiry.answered',
      caseId: r.application_id ?? undefined,
      processInstanceKey: r.process_instance_key,
      details: { inquiry: r.id, method: dto.method, ...(dto.citation ? { article: dto.citation.articleId, version: dto.citation.version } : {}) },
    });
    return this.get(r.id, user);
  }

  private closed(r: InquiryRow): DomainError {
    return new ConflictError('INQUIRY_CLOSED', `Inquiry ${r.inquiry_number} was answered already${r.answered_by ? ` by ${r.answered_by}` : ''} (أُجيب عنه من قبل)`, {
      answeredBy: r.answered_by,
      answeredAt: r.answered_at,
    });
  }

  private async byToken(token: string): Promise<InquiryRow> {
    const rows: InquiryRow[] = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.db.query(`${SELECT} WHERE i.tracking_hash = $1`, [tokenHash(token)]) : [];
    if (!rows[0]) throw new NotFoundError('Inquiry link', token.slice(0, 8));
    return rows[0];
  }

  /** What the person sees through their link: the status and the answer, the public article it cites; never a staff name. */
  async track(token: string) {
    const r = await this.byToken(token);
    const [rated] = await this.db.query('SELECT rating FROM inquiry_rating WHERE inquiry_id = $1', [r.id]);
    let article: { slug: string; title: { ar: string; en: string }; link: string } | undefined;
    if (r.cited_article_id) {
      const cited = await this.library.get(r.cited_article_id, r.cited_article_version!);
      if (cited.public) article = { slug: cited.slug, title: cited.title, link: this.articleLink(cited.slug) };
    }
    return {
      number: r.inquiry_number,
      kind: r.kind,
      topic: r.topic,
      status: r.status,
      receivedAt: r.received_at,
      answeredAt: r.answered_at ?? undefined,
      answer: r.status === 'answered' ? (r.answer_text ?? undefined) : undefined,
      article,
      rated: Boolean(rated),
      mayRate: r.status === 'answered' && !rated,
    };
  }

  /** The person's rating of the answer (once, after it was answered): a number, nothing more (T3). */
  async rate(token: string, rating: number) {
    const r = await this.byToken(token);
    if (r.status !== 'answered') throw new ConflictError('NOT_ANSWERED_YET', `Inquiry ${r.inquiry_number} has no answer to rate yet`);
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const [row] = await em.query('INSERT INTO inquiry_rating (inquiry_id, rating, rated_at) VALUES ($1, $2, $3) ON CONFLICT (inquiry_id) DO NOTHING RETURNING inquiry_id', [r.id, rating, now]);
      if (!row) throw new ConflictError('ALREADY_RATED', `The answer to ${r.inquiry_number} was rated already (قُيّم الرد من قبل)`);
      await this.audit.append(em, [{ at: now, actor: 'website', action: 'inquiry.rated', caseId: r.application_id ?? undefined, details: { inquiry: r.id } }]);
    });
    return { rated: true };
  }
}
