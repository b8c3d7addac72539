import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuthUser } from '@mustafid/auth';
import { ConflictError, NotFoundError, canonicalJson } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { ApplicationsService } from '../applications/applications.service';
import { CHANNEL_NAMES, type Channel } from '../applications/vocabulary';
import { ATTESTATION_TASK, AttestationService, type CaseRef } from '../attestation/attestation.service';
import type { IncomingFile } from '../documents/document-store';
import { NotificationOutbox } from '../notifications/outbox';
import { CaseProgress, type CaseStatus } from '../progress/case-progress';
import type { SurveyAnswerDto } from '../survey/survey.dto';
import { SurveyService } from '../survey/survey.service';
import { applicantStage } from './applicant-stage';
import type { PortalAttestationDto } from './portal.dto';
import { type ApplicantAccount, SignInCodes } from './sign-in-codes';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APPLICATION_NUMBER = /^REQ-\d{4}-\d{6,}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Files = Array<IncomingFile & { fieldname: string }>;

/**
 * The applicant's requests (the parameters: the account, and its mobile number, proved by the
 * one-time code): those submitted through the account, and those recorded on any channel with
 * this mobile number where reception recorded the applicant's consent to follow them in the portal.
 */
const ownRequest = (account: string, mobile: string) => `(applicant_account_id = ${account} OR (portal_consent_at IS NOT NULL AND mobile = ${mobile}))`;

/**
 * The applicant's side of their requests (channel C7). Every read and write starts from
 * `own()`: a request that is not the signed-in applicant's answers 404, as one that does not
 * exist, so nobody learns another applicant's request numbers. Writes go through the same
 * services staff use (the same checks, audit events and process messages).
 */
@Injectable()
export class PortalService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: SignInCodes,
    private readonly applications: ApplicationsService,
    private readonly attestation: AttestationService,
    private readonly progress: CaseProgress,
    private readonly outbox: NotificationOutbox,
    private readonly survey: SurveyService,
  ) {}

  account(user: AuthUser): Promise<ApplicantAccount> {
    return this.codes.accountOfUser(user.id);
  }

  /** The applicant's own request, or 404. */
  private async own(idOrNumber: string, account: ApplicantAccount): Promise<CaseRef & { steps: string[] }> {
    const column = UUID.test(idOrNumber) ? 'id' : APPLICATION_NUMBER.test(idOrNumber) ? 'application_number' : undefined;
    const [row] = column
      ? await this.db.query(
          `SELECT id, application_number, full_name, process_instance_key::text AS pik, status, current_steps
             FROM intake_application WHERE ${column} = $1 AND ${ownRequest('$2', '$3')}`,
          [idOrNumber, account.userId, account.mobile],
        )
      : [];
    if (!row) throw new NotFoundError('Request', idOrNumber.slice(0, 60));
    return { id: row.id, applicationNumber: row.application_number, fullName: row.full_name, processInstanceKey: row.pik, status: row.status, steps: row.current_steps };
  }

  async me(user: AuthUser) {
    const account = await this.account(user);
    return { username: account.username, mobile: account.mobile };
  }

  async list(user: AuthUser) {
    const account = await this.account(user);
    await this.progress.catchUp();
    const rows = await this.db.query(
      `SELECT id, application_number, status, current_steps, support_type, submitted_at, earliest_answer_at
         FROM intake_application WHERE ${ownRequest('$1', '$2')} ORDER BY submitted_at DESC, id`,
      [account.userId, account.mobile],
    );
    return rows.map((r: Record<string, never>) => ({
      id: r.id,
      applicationNumber: r.application_number,
      status: r.status,
      stage: applicantStage(r.status as CaseStatus, r.current_steps),
      supportType: r.support_type,
      submittedAt: r.submitted_at,
      earliestAnswerAt: r.earliest_answer_at ?? undefined,
    }));
  }

  async submit(body: unknown, files: Files, user: AuthUser) {
    const account = await this.account(user);
    return this.applications.submit(body, files, user, { accountId: account.userId, mobile: account.mobile });
  }

  /** One request as its applicant follows it: the step in plain words, the earliest answer date, messages, what is missing. */
  async detail(idOrNumber: string, user: AuthUser) {
    const account = await this.account(user);
    await this.progress.catchUp();
    const ref = await this.own(idOrNumber, account);
    const [a] = await this.db.query(
      `SELECT *, to_char(birth_date, 'YYYY-MM-DD') AS birth_day, monthly_income::float AS income FROM intake_application WHERE id = $1`,
      [ref.id],
    );
    const stage = applicantStage(a.status, a.current_steps);
    const documents = await this.db.query(
      `SELECT id, doc_type AS type, doc_number AS number, to_char(expiry_date, 'YYYY-MM-DD') AS "expiryDate", file_name AS "fileName", provided_at AS "providedAt"
         FROM intake_document WHERE application_id = $1 AND doc_type <> 'attestation-scan' ORDER BY seq`,
      [ref.id],
    );
    const [attestation] = await this.db.query(
      'SELECT method, signed_at AS "signedAt" FROM intake_attestation WHERE application_id = $1 AND voided_at IS NULL',
      [ref.id],
    );
    const [decision] = await this.db.query(
      `SELECT decision, reasons, communicated_at AS "communicatedAt" FROM intake_committee_decision
        WHERE application_id = $1 AND communicated_at IS NOT NULL ORDER BY communicated_at DESC LIMIT 1`,
      [ref.id],
    );
    const messages = (await this.outbox.list(this.db.manager, ref.id))
      .filter((n) => n.recipient === 'applicant')
      .map((n) => ({ id: n.id, notice: n.notice, subject: n.subject, body: n.body, sentAt: n.createdAt }));
    return {
      id: a.id,
      applicationNumber: a.application_number,
      channel: { code: a.channel, name: CHANNEL_NAMES[a.channel as Channel] },
      status: a.status,
      stage,
      submittedAt: a.submitted_at,
      supportType: a.support_type,
      applicant: { fullName: a.full_name, nationalId: a.national_id, birthDate: a.birth_day, mobile: a.mobile, email: a.email ?? undefined, city: a.city, address: a.address, householdMembers: a.household_members, monthlyIncome: a.income },
      /** What the checks found missing or wrong, while the request waits for it (S2). */
      missing:
        stage === 'missing-documents'
          ? { documents: a.verification?.missing ?? [], problems: a.verification?.problems ?? [], problemsAr: a.verification?.problemsAr ?? a.verification?.problems ?? [] }
          : undefined,
      documents,
      awaitingSignature: stage === 'signature',
      attestation: attestation ?? null,
      earliestAnswerAt: a.earliest_answer_at ?? undefined,
      /** Present only once it may be communicated (the minimum period has passed, S5). */
      decision: decision ?? undefined,
      beneficiaryNumber: a.beneficiary_number ?? undefined,
      messages,
      survey: await this.survey.state(ref.id),
    };
  }

  async provideDocuments(idOrNumber: string, body: unknown, files: Files, user: AuthUser) {
    const ref = await this.own(idOrNumber, await this.account(user));
    return this.applications.provideDocuments(ref.id, body, files, user);
  }

  /** The data the applicant signs (S4), shown before they sign, with the hash their signature must name. */
  async toSign(idOrNumber: string, user: AuthUser) {
    const ref = await this.own(idOrNumber, await this.account(user));
    const data = await this.attestation.signedData(this.db.manager, ref.id);
    return { awaitingSignature: ref.steps.includes(ATTESTATION_TASK), fullName: ref.fullName, data, dataHash: sha256(canonicalJson(data)) };
  }

  async sign(idOrNumber: string, dto: PortalAttestationDto, user: AuthUser) {
    const ref = await this.own(idOrNumber, await this.account(user));
    const shown = sha256(canonicalJson(await this.attestation.signedData(this.db.manager, ref.id)));
    if (shown !== dto.dataHash) {
      throw new ConflictError('SIGNED_DATA_CHANGED', `The data of request ${ref.applicationNumber} changed after it was shown to you; read it again before signing`);
    }
    return this.attestation.sign(ref, { typedName: dto.typedName, consent: dto.consent, method: 'electronic' }, undefined, user);
  }

  async answerSurvey(idOrNumber: string, dto: SurveyAnswerDto, user: AuthUser) {
    const ref = await this.own(idOrNumber, await this.account(user));
    return this.survey.answerFromPortal(ref, dto, user.username);
  }
}
