import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuthUser } from '@mustafid/auth';
import { ConflictError, DomainError, canonicalJson, coded, validated, validationFailure } from '@mustafid/platform';
import { CLOCK, type Clock, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { actorOf, jsonPart } from '../applications/request-helpers';
import { AttestationDto, SIGNED_FIELDS, UpdateApplicantDto } from '../applications/application.dto';
import { AuditLog } from '@mustafid/audit';
import { DocumentStore, type IncomingFile } from '../documents/document-store';

export const ATTESTATION_TASK = 'Task_Attestation';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sameName = (a: string, b: string) => a.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase() === b.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * S4: the applicant signs the data they gave, and is responsible for it. The signature binds a
 * hash of the data as signed; a later change to that data voids it and the case goes back to
 * be signed again (the committee review's "signed data changed" boundary event).
 */
@Injectable()
export class AttestationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: DocumentStore,
    private readonly audit: AuditLog,
  ) {}

  /** The data a signature covers: the applicant's fields and the documents as provided. */
  async signedData(em: EntityManager, applicationId: string): Promise<Record<string, unknown>> {
    const [app] = await em.query(
      `SELECT full_name, national_id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, mobile, email, city, address, household_members,
              monthly_income::text AS monthly_income, support_type, application_number, channel
         FROM intake_application WHERE id = $1`,
      [applicationId],
    );
    const documents = await em.query(
      `SELECT doc_type AS type, doc_number AS number, to_char(expiry_date, 'YYYY-MM-DD') AS "expiryDate", sha256 AS "fileSha256"
         FROM intake_document WHERE application_id = $1 AND doc_type <> 'attestation-scan' ORDER BY seq`,
      [applicationId],
    );
    const data: Record<string, unknown> = {
      applicationNumber: app.application_number,
      channel: app.channel,
      fullName: app.full_name,
      nationalId: app.national_id,
      birthDate: app.birth_date,
      mobile: app.mobile,
      email: app.email,
      city: app.city,
      address: app.address,
      householdMembers: app.household_members,
      monthlyIncome: app.monthly_income,
      supportType: app.support_type,
      documents,
    };
    return data;
  }

  async sign(caseRow: CaseRef, body: unknown, scan: IncomingFile | undefined, user: AuthUser) {
    const dto = await validated(AttestationDto, jsonPart(body, 'attestation'));
    const staff = !user.roles.includes('applicant');
    if (staff && dto.method !== 'paper') throw validationFailure({ method: ['Staff record a paper signature: method must be paper, with the signed form as the "scan" part'] });
    if (dto.method === 'paper' && !scan) throw validationFailure({ scan: [coded('required', 'A paper signature needs the scanned signed form as the file part "scan"')] });
    if (!sameName(dto.typedName, caseRow.fullName)) {
      throw validationFailure({ typedName: [coded('nameMismatch', `typedName must be the applicant's full name as recorded on the request (${caseRow.fullName})`)] });
    }
    if (scan) this.store.check('scan', scan);
    const task = (await this.engine.listUserTasks(caseRow.processInstanceKey, 'CREATED')).find((t) => t.elementId === ATTESTATION_TASK);
    if (!task) throw new ConflictError('NOT_AWAITING_SIGNATURE', `Case ${caseRow.applicationNumber} is not waiting for the applicant's signature`);

    const stored = scan ? await this.store.save('scan', scan) : undefined;
    const signedAt = this.clock.now();
    let attestation: { id: string; hash: string };
    try {
      attestation = await this.db.transaction(async (em) => {
        let scanId: string | null = null;
        if (stored) {
          const [doc] = await em.query(
            `INSERT INTO intake_document (application_id, doc_type, doc_number, file_name, media_type, size_bytes, sha256, storage_key, provided_at, provided_by)
             VALUES ($1, 'attestation-scan', 'S4', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
            [caseRow.id, stored.fileName, stored.mediaType, stored.sizeBytes, stored.sha256, stored.storageKey, signedAt, user.username],
          );
          scanId = doc.id;
        }
        const data = await this.signedData(em, caseRow.id);
        const hash = sha256(canonicalJson({ data, typedName: dto.typedName, consent: dto.consent, method: dto.method, signedAt, scanSha256: stored?.sha256 ?? null }));
        const [row] = await em.query(
          `INSERT INTO intake_attestation (application_id, typed_name, method, signed_at, signed_data, data_hash, scan_document_id, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [caseRow.id, dto.typedName, dto.method, signedAt, data, hash, scanId, user.username],
        );
        await this.audit.append(em, [
          { at: signedAt, actor: user.username, action: 'attestation.recorded', caseId: caseRow.id, details: { attestationId: row.id, method: dto.method, dataHash: hash } },
        ]);
        return { id: row.id as string, hash };
      });
    } catch (e) {
      if (stored) await this.store.discard([stored]);
      if (e instanceof Error && /intake_attestation_valid_idx/.test(e.message)) {
        throw new ConflictError('ALREADY_SIGNED', `Case ${caseRow.applicationNumber} already has a valid signature`);
      }
      throw e;
    }
    try {
      await this.engine.completeUserTask(task.key, { attestationId: attestation.id, attestationHash: attestation.hash, attestedAt: signedAt.toISOString() }, actorOf(user));
    } catch (e) {
      await this.db.query('DELETE FROM intake_attestation WHERE id = $1', [attestation.id]);
      throw e;
    }
    return { id: attestation.id, dataHash: attestation.hash, signedAt, method: dto.method };
  }

  /**
   * Voids the valid attestation if the data it covers changed (call after the change, in its
   * transaction). Returns whether one was voided.
   */
  async voidIfChanged(em: EntityManager, applicationId: string, reason: string, actor: string): Promise<boolean> {
    const [valid] = await em.query('SELECT id, signed_data FROM intake_attestation WHERE application_id = $1 AND voided_at IS NULL', [applicationId]);
    if (!valid) return false;
    const now = await this.signedData(em, applicationId);
    if (canonicalJson(now) === canonicalJson(valid.signed_data)) return false;
    await em.query('UPDATE intake_attestation SET voided_at = $2, void_reason = $3 WHERE id = $1', [valid.id, this.clock.now(), reason]);
    await this.audit.append(em, [{ at: this.clock.now(), actor, action: 'attestation.voided', caseId: applicationId, details: { attestationId: valid.id, reason } }]);
    return true;
  }

  /** Sends a case whose signature was voided back to be signed (if its process is past the signature). */
  async sendBackToSign(caseRow: Pick<CaseRef, 'applicationNumber'>): Promise<boolean> {
    const published = await this.engine.publishMessage({ name: 'attestation-voided', correlationKey: caseRow.applicationNumber });
    return Boolean(published.correlatedProcessInstanceKey);
  }

  /** Corrects the applicant's data; a change to signed data voids the signature (S4). */
  async updateApplicant(caseRow: CaseRef, body: unknown, user: AuthUser) {
    const dto = await validated(UpdateApplicantDto, body);
    const [communicated] = await this.db.query(
      'SELECT 1 FROM intake_committee_decision WHERE application_id = $1 AND communicated_at IS NOT NULL',
      [caseRow.id],
    );
    if (communicated) {
      throw new ConflictError('DECISION_COMMUNICATED', `The committee's decision on ${caseRow.applicationNumber} has been communicated; its data can no longer change (submit a new request)`);
    }
    const columns: Record<string, string> = {
      fullName: 'full_name', mobile: 'mobile', email: 'email', city: 'city', address: 'address', householdMembers: 'household_members', monthlyIncome: 'monthly_income',
    };
    const sets: string[] = [];
    const changedFields: string[] = [];
    const values: unknown[] = [caseRow.id];
    for (const field of SIGNED_FIELDS) {
      const value = (dto as unknown as Record<string, unknown>)[field];
      if (value === undefined || !columns[field]) continue;
      changedFields.push(field);
      values.push(field === 'householdMembers' ? JSON.stringify(value) : value);
      sets.push(`${columns[field]} = $${values.length}${field === 'householdMembers' ? '::jsonb' : ''}`);
    }
    if (sets.length === 0) throw new DomainError('NOTHING_TO_CHANGE', 'Send at least one field to change besides the reason', 400);
    values.push(this.clock.now());
    const voided = await this.db.transaction(async (em) => {
      await em.query(`UPDATE intake_application SET ${sets.join(', ')}, updated_at = $${values.length} WHERE id = $1`, values);
      // The values stay in the case (and go with it at retention); the log names what changed and why.
      await this.audit.append(em, [
        { at: this.clock.now(), actor: user.username, action: 'applicant.changed', caseId: caseRow.id, details: { fields: changedFields, reason: dto.reason } },
      ]);
      return this.voidIfChanged(em, caseRow.id, `${dto.reason} (by ${user.username})`, user.username);
    });
    const backToSignature = voided ? await this.sendBackToSign(caseRow) : false;
    return { attestationVoided: voided, backToSignature };
  }
}

export interface CaseRef {
  id: string;
  applicationNumber: string;
  fullName: string;
  processInstanceKey: string;
  status: string;
}
