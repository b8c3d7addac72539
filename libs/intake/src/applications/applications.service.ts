import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuthUser } from '@mustafid/auth';
import { ConflictError, type FieldProblem, NotFoundError, coded, crashPoint, validated, validationFailure } from '@mustafid/platform';
import { CLOCK, type Clock, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { DocumentStore, type IncomingFile, type StoredFile } from '../documents/document-store';
import { INTAKE_PROCESS_ID } from '../diagram/intake-diagram';
import { AuditLog } from '@mustafid/audit';
import { AttestationService } from '../attestation/attestation.service';
import { ACKNOWLEDGMENT_NOTICE } from '../notifications/notice-texts';
import { NotificationOutbox } from '../notifications/outbox';
import { type ApplicationDocumentDto, CreateApplicationDto, ProvideDocumentsDto } from './application.dto';
import { ageOn, actorOf, jsonPart, riyadhDay } from './request-helpers';

/** Matches each document's `file` to an uploaded part; every part must belong to one document. */
function filesOfDocuments(documents: ApplicationDocumentDto[], files: Array<IncomingFile & { fieldname: string }>): Record<string, FieldProblem[]> {
  const problems: Record<string, FieldProblem[]> = {};
  const parts = new Map(files.map((f) => [f.fieldname, f]));
  const used = new Set<string>();
  documents.forEach((doc, i) => {
    if (!doc.file) return;
    if (!parts.has(doc.file)) problems[`documents.${i}.file`] = [coded('fileMissing', `documents.${i}.file names the part "${doc.file}", but no such file was uploaded`)];
    else if (used.has(doc.file)) problems[`documents.${i}.file`] = [`documents.${i}.file: the part "${doc.file}" belongs to another document already`];
    used.add(doc.file);
  });
  for (const name of parts.keys()) {
    if (!used.has(name)) problems[name] = [`The file part "${name}" is not named by any document's "file"`];
  }
  return problems;
}

/** A request the applicant submits through the portal: linked to their account, from their number. */
export interface PortalSubmission {
  accountId: string;
  mobile: string;
}

export interface SubmittedApplication {
  id: string;
  applicationNumber: string;
  processInstanceKey: string;
}

@Injectable()
export class ApplicationsService {
  private readonly logger = new Logger('Applications');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: DocumentStore,
    private readonly attestation: AttestationService,
    private readonly audit: AuditLog,
    private readonly outbox: NotificationOutbox,
  ) {}

  /**
   * Records a request and starts the intake process. Everything is checked before anything is
   * stored; if starting the process fails, the request and its files are removed again.
   */
  async submit(body: unknown, files: Array<IncomingFile & { fieldname: string }>, user: AuthUser, portal?: PortalSubmission): Promise<SubmittedApplication> {
    const raw = jsonPart(body, 'application');
    // Through the portal the channel is the website (C7) and the number is the one signed in with.
    const input = portal && raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...raw, channel: 'C7', mobile: portal.mobile } : raw;
    const dto = await validated(CreateApplicationDto, input);
    const now = this.clock.now();
    const today = riyadhDay(now);
    const problems: Record<string, FieldProblem[]> = { ...filesOfDocuments(dto.documents, files) };
    if (dto.birthDate >= today) problems.birthDate = [coded('notPast', 'birthDate must be in the past')];
    else if (ageOn(dto.birthDate, today) < 18) problems.birthDate = [coded('under18', 'The applicant must be 18 or older on the submission date')];
    if (dto.birthDate < '1900-01-01') problems.birthDate = [coded('before1900', 'birthDate must be after 1900-01-01')];
    if (dto.preferredContact === 'email' && !dto.email) problems.email = [coded('emailForNotices', 'email is needed when the applicant wants notices by e-mail (preferredContact email)')];
    dto.householdMembers.forEach((m, i) => {
      if (m.birthDate && m.birthDate > today) problems[`householdMembers.${i}.birthDate`] = [coded('future', `householdMembers.${i}.birthDate must not be in the future`)];
    });
    if (Object.keys(problems).length > 0) throw validationFailure(problems);
    for (const f of files) this.store.check(f.fieldname, f);

    const stored = await this.storeFiles(dto.documents, files);
    let application: { id: string; applicationNumber: string };
    try {
      application = await this.db.transaction(async (em) => {
        const [row] = await em.query(
          `INSERT INTO intake_application (application_number, channel, full_name, national_id, birth_date, mobile, email, city, address,
             household_members, monthly_income, support_type, notes, submitted_at, submitted_by, updated_at, applicant_account_id, preferred_contact,
             portal_consent_at)
           VALUES ('REQ-' || to_char($13::timestamptz AT TIME ZONE 'Asia/Riyadh', 'YYYY') || '-' || lpad(nextval('intake_application_number_seq')::text, 6, '0'),
             $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $13, $15, $16, $17)
           RETURNING id, application_number`,
          [
            dto.channel, dto.fullName, dto.nationalId, dto.birthDate, dto.mobile, dto.email ?? null, dto.city, dto.address,
            JSON.stringify(dto.householdMembers), dto.monthlyIncome, dto.supportType, dto.notes ?? null, now, user.username, portal?.accountId ?? null,
            dto.preferredContact ?? null,
            dto.portalConsent || portal ? now : null,
          ],
        );
        await this.insertDocuments(em, row.id, dto.documents, stored, now, user.username);
        await this.audit.append(em, [
          {
            at: now,
            actor: user.username,
            action: 'application.submitted',
            caseId: row.id,
            details: {
              applicationNumber: row.application_number,
              channel: dto.channel,
              supportType: dto.supportType,
              documents: dto.documents.map((d) => d.type),
              ...(portal ? { via: 'portal' } : {}),
              ...(dto.portalConsent ? { portalConsent: true } : {}),
            },
          },
        ]);
        // S1: every request is acknowledged with its number, in the transaction that records it.
        await this.outbox.write(em, {
          applicationId: row.id,
          dedupeKey: `${ACKNOWLEDGMENT_NOTICE}:${row.id}`,
          recipient: 'applicant',
          notice: ACKNOWLEDGMENT_NOTICE,
          facts: { applicationNumber: row.application_number, fullName: dto.fullName },
          toMobile: dto.mobile,
          toEmail: dto.email ?? null,
          preferredContact: dto.preferredContact ?? null,
          at: now,
        });
        return { id: row.id as string, applicationNumber: row.application_number as string };
      });
    } catch (e) {
      await this.store.discard([...stored.values()]);
      throw e;
    }
    try {
      const key = await this.startProcess(application.id, user);
      return { ...application, processInstanceKey: key };
    } catch (e) {
      await this.db.query('DELETE FROM intake_application WHERE id = $1', [application.id]);
      await this.store.discard([...stored.values()]);
      throw e;
    }
  }

  /** Starts the intake process for a recorded request (also used to recover one whose start was interrupted). */
  async startProcess(applicationId: string, user?: AuthUser): Promise<string> {
    const [app] = await this.db.query(
      'SELECT id, application_number, channel, support_type FROM intake_application WHERE id = $1',
      [applicationId],
    );
    const started = await this.engine.createInstance({
      bpmnProcessId: INTAKE_PROCESS_ID,
      variables: { applicationId: app.id, applicationNumber: app.application_number, channel: app.channel, supportType: app.support_type },
      actor: user ? actorOf(user) : undefined,
    });
    crashPoint('after-intake-start');
    await this.link(applicationId, started.processInstanceKey);
    return started.processInstanceKey;
  }

  /**
   * Requests recorded but not linked to a process (the server stopped between recording the
   * request and linking its process): a process the engine already started for the request
   * (its `applicationId` variable) is linked, never a second one started; only a request whose
   * process never began is started now.
   */
  async startInterrupted(): Promise<number> {
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM intake_application WHERE process_instance_key IS NULL');
    for (const row of rows) {
      const [started, ...more] = await this.engine.findInstances(INTAKE_PROCESS_ID, { name: 'applicationId', value: row.id });
      if (started) {
        await this.link(row.id, started);
        this.logger.warn(`Linked request ${row.id} to its intake process ${started}, started just before the server stopped`);
        if (more.length) this.logger.error(`Request ${row.id} has more than one intake process (${[started, ...more].join(', ')}); linked the first`);
        continue;
      }
      await this.startProcess(row.id);
      this.logger.warn(`Started the intake process for request ${row.id}, interrupted before its process began`);
    }
    return rows.length;
  }

  private async link(applicationId: string, processInstanceKey: string): Promise<void> {
    const instance = await this.engine.getInstance(processInstanceKey);
    await this.db.query(
      'UPDATE intake_application SET process_instance_key = $2, process_definition_key = $3 WHERE id = $1 AND process_instance_key IS NULL',
      [applicationId, processInstanceKey, instance.processDefinitionKey],
    );
  }

  /** Adds documents to a case (S2's loop) and tells the process they arrived. */
  async provideDocuments(applicationId: string, body: unknown, files: Array<IncomingFile & { fieldname: string }>, user: AuthUser) {
    const raw = jsonPart(body, 'documents');
    const dto = await validated(ProvideDocumentsDto, Array.isArray(raw) ? { documents: raw } : raw);
    if (dto.documents.length === 0) throw validationFailure({ documents: ['documents must list at least one document'] });
    const problems = filesOfDocuments(dto.documents, files);
    if (Object.keys(problems).length > 0) throw validationFailure(problems);
    for (const f of files) this.store.check(f.fieldname, f);
    const [app] = await this.db.query('SELECT id, application_number, status FROM intake_application WHERE id = $1', [applicationId]);
    if (!app) throw new NotFoundError('Case', applicationId);
    if (app.status !== 'open') throw new ConflictError('CASE_CLOSED', `Case ${app.application_number} is ${app.status}; it takes no more documents`);
    const stored = await this.storeFiles(dto.documents, files);
    const now = this.clock.now();
    let voided: boolean;
    try {
      voided = await this.db.transaction(async (em) => {
        await this.insertDocuments(em, applicationId, dto.documents, stored, now, user.username);
        await this.audit.append(em, [{ at: now, actor: user.username, action: 'documents.provided', caseId: applicationId, details: { documents: dto.documents.map((d) => d.type) } }]);
        return this.attestation.voidIfChanged(em, applicationId, `Documents were added (by ${user.username})`, user.username);
      });
    } catch (e) {
      await this.store.discard([...stored.values()]);
      throw e;
    }
    if (voided) await this.attestation.sendBackToSign({ applicationNumber: app.application_number });
    const published = await this.engine.publishMessage({
      name: 'documents-provided',
      correlationKey: app.application_number,
      messageId: `documents-provided:${applicationId}:${now.getTime()}`,
    });
    return { added: dto.documents.length, resumedProcess: Boolean(published.correlatedProcessInstanceKey) };
  }

  private async storeFiles(documents: ApplicationDocumentDto[], files: Array<IncomingFile & { fieldname: string }>): Promise<Map<string, StoredFile>> {
    const stored = new Map<string, StoredFile>();
    try {
      for (const doc of documents) {
        const file = doc.file ? files.find((f) => f.fieldname === doc.file) : undefined;
        if (file) stored.set(doc.file!, await this.store.save(doc.file!, file));
      }
    } catch (e) {
      await this.store.discard([...stored.values()]);
      throw e;
    }
    return stored;
  }

  private async insertDocuments(
    em: EntityManager,
    applicationId: string,
    documents: ApplicationDocumentDto[],
    stored: Map<string, StoredFile>,
    at: Date,
    by: string,
  ): Promise<void> {
    for (const doc of documents) {
      const file = doc.file ? stored.get(doc.file) : undefined;
      await em.query(
        `INSERT INTO intake_document (application_id, doc_type, doc_number, expiry_date, file_name, media_type, size_bytes, sha256, storage_key, provided_at, provided_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [applicationId, doc.type, doc.number, doc.expiryDate ?? null, file?.fileName ?? null, file?.mediaType ?? null, file?.sizeBytes ?? null,
          file?.sha256 ?? null, file?.storageKey ?? null, at, by],
      );
    }
  }
}
