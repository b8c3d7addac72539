import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { SqlConditions } from '@mustafid/database';
import { NotFoundError } from '@mustafid/platform';
import { CLOCK, type Clock, ProcessElementNames, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { type CaseQueryDto, normaliseMobile } from '../applications/application.dto';
import { westernDigits } from '../notifications/sms-text';
import { CHANNEL_NAMES, type Channel } from '../applications/vocabulary';
import type { CaseRef } from '../attestation/attestation.service';
import { DocumentStore } from '../documents/document-store';
import { NotificationOutbox } from '../notifications/outbox';
import { CaseProgress } from '../progress/case-progress';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APPLICATION_NUMBER = /^REQ-\d{4}-\d{6,}$/;

export interface StepView {
  elementId: string;
  name: { ar?: string; en?: string };
}

/** What staff read about cases: lists, one case in full, its notices and documents. */
@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly progress: CaseProgress,
    private readonly names: ProcessElementNames,
    private readonly outbox: NotificationOutbox,
    private readonly store: DocumentStore,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A case by its id or its application number; 404 otherwise. */
  async ref(idOrNumber: string): Promise<CaseRef & { processDefinitionKey: string | null }> {
    const column = UUID.test(idOrNumber) ? 'id' : APPLICATION_NUMBER.test(idOrNumber) ? 'application_number' : undefined;
    const [row] = column
      ? await this.db.query(
          `SELECT id, application_number, full_name, process_instance_key::text AS pik, process_definition_key::text AS pdk, status
             FROM intake_application WHERE ${column} = $1`,
          [idOrNumber],
        )
      : [];
    if (!row) throw new NotFoundError('Case', idOrNumber.slice(0, 60));
    return { id: row.id, applicationNumber: row.application_number, fullName: row.full_name, processInstanceKey: row.pik, processDefinitionKey: row.pdk, status: row.status };
  }

  private async steps(pdk: string | null, ids: string[]): Promise<StepView[]> {
    if (!pdk) return ids.map((elementId) => ({ elementId, name: {} }));
    const names = await this.names.of(pdk);
    return ids.map((elementId) => ({ elementId, name: { ar: names.get(elementId)?.ar, en: names.get(elementId)?.en } }));
  }

  /** Cases, newest first; the names and ID numbers a staff member was shown are recorded. */
  async list(q: CaseQueryDto, reader: { username: string }) {
    await this.progress.catchUp();
    const c = new SqlConditions();
    if (q.status) c.add((p) => `status = ${p}`, q.status);
    if (q.channel) c.add((p) => `channel = ${p}`, q.channel);
    if (q.step) c.add((p) => `${p} = ANY(current_steps)`, q.step);
    if (q.from) c.add((p) => `submitted_at >= (${p}::date::timestamp AT TIME ZONE 'Asia/Riyadh')`, q.from);
    if (q.to) c.add((p) => `submitted_at < ((${p}::date + 1)::timestamp AT TIME ZONE 'Asia/Riyadh')`, q.to);
    if (q.q) {
      // Numbers may be typed in Arabic-Indic digits; a mobile number in any of its usual forms.
      const typed = westernDigits(q.q);
      const term = typed.replace(/[\\%_]/g, (ch) => `\\${ch}`);
      const mobile = normaliseMobile(typed);
      const byMobile = typeof mobile === 'string' && /^\+9665\d{8}$/.test(mobile) ? mobile : null;
      c.add(
        (p) => `(full_name ILIKE '%' || ${p} || '%' OR application_number = upper(${p}) OR national_id = ${p}${byMobile ? ` OR mobile = ${c.param(byMobile)}` : ''})`,
        term,
      );
    }
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM intake_application ${c.where()}`, c.params);
    const rows = await this.db.query(
      `SELECT id, application_number, channel, status, current_steps, full_name, national_id, support_type, submitted_at,
              earliest_answer_at, beneficiary_number, process_definition_key::text AS pdk
         FROM intake_application ${c.where()} ORDER BY submitted_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`,
      c.params,
    );
    const items = [];
    for (const r of rows) {
      items.push({
        id: r.id,
        applicationNumber: r.application_number,
        channel: { code: r.channel, name: CHANNEL_NAMES[r.channel as Channel] },
        status: r.status,
        currentSteps: await this.steps(r.pdk, r.current_steps),
        fullName: r.full_name,
        nationalId: r.national_id,
        supportType: r.support_type,
        submittedAt: r.submitted_at,
        earliestAnswerAt: r.earliest_answer_at ?? undefined,
        beneficiaryNumber: r.beneficiary_number ?? undefined,
      });
    }
    if (items.length > 0) {
      await this.audit.record({
        at: this.clock.now(),
        actor: reader.username,
        action: 'cases.listed',
        details: { caseIds: items.map((i) => i.id), fields: ['fullName', 'nationalId'], ...(q.q ? { searched: true } : {}) },
      });
    }
    return { items, total, limit: q.limit, offset: q.offset };
  }

  /** One case in full; a staff member's reading of its personal data is recorded (who, which case, what). */
  async detail(idOrNumber: string, reader: { username: string }, purpose = 'case') {
    await this.progress.catchUp();
    const ref = await this.ref(idOrNumber);
    await this.audit.record({
      at: this.clock.now(),
      actor: reader.username,
      action: 'case.read',
      caseId: ref.id,
      details: { via: purpose, fields: ['applicant', 'documents', 'verification', 'attestation', 'decision'] },
    });
    const [a] = await this.db.query(
      `SELECT *, to_char(birth_date, 'YYYY-MM-DD') AS birth_day, monthly_income::float AS income FROM intake_application WHERE id = $1`,
      [ref.id],
    );
    const documents = await this.db.query(
      `SELECT id, doc_type AS type, doc_number AS number, to_char(expiry_date, 'YYYY-MM-DD') AS "expiryDate", file_name AS "fileName",
              media_type AS "mediaType", size_bytes AS "sizeBytes", provided_at AS "providedAt", provided_by AS "providedBy"
         FROM intake_document WHERE application_id = $1 ORDER BY seq`,
      [ref.id],
    );
    const attestations = await this.db.query(
      `SELECT id, typed_name AS "typedName", method, signed_at AS "signedAt", data_hash AS "dataHash", recorded_by AS "recordedBy",
              voided_at AS "voidedAt", void_reason AS "voidReason"
         FROM intake_attestation WHERE application_id = $1 ORDER BY signed_at`,
      [ref.id],
    );
    const [decision] = await this.db.query(
      `SELECT decision, reasons, decided_at AS "decidedAt", communicated_at AS "communicatedAt" FROM intake_committee_decision
        WHERE application_id = $1 AND communicated_at IS NOT NULL ORDER BY communicated_at DESC LIMIT 1`,
      [ref.id],
    );
    const tasks = ref.processInstanceKey ? await this.engine.listUserTasks(ref.processInstanceKey, 'CREATED') : [];
    const names = ref.processDefinitionKey ? await this.names.of(ref.processDefinitionKey) : new Map();
    return {
      id: a.id,
      applicationNumber: a.application_number,
      channel: { code: a.channel, name: CHANNEL_NAMES[a.channel as Channel] },
      status: a.status,
      currentSteps: await this.steps(ref.processDefinitionKey, a.current_steps),
      /** Who holds each open step: the assignee, or the groups that may claim it. */
      openTasks: tasks.map((t) => ({
        key: t.key,
        elementId: t.elementId,
        name: { ar: names.get(t.elementId)?.ar, en: names.get(t.elementId)?.en },
        assignee: t.assignee,
        candidateGroups: t.candidateGroups,
        dueDate: t.dueDate,
        createdAt: t.createdAt,
      })),
      applicant: {
        fullName: a.full_name,
        nationalId: a.national_id,
        birthDate: a.birth_day,
        mobile: a.mobile,
        email: a.email ?? undefined,
        city: a.city,
        address: a.address,
        householdMembers: a.household_members,
        monthlyIncome: a.income,
      },
      supportType: a.support_type,
      /** How the applicant wants notices (sms, email), when chosen. */
      preferredContact: a.preferred_contact ?? undefined,
      /** When reception recorded the applicant's consent to follow the request in the portal. */
      portalConsentAt: a.portal_consent_at ?? undefined,
      notes: a.notes ?? undefined,
      submittedAt: a.submitted_at,
      submittedBy: a.submitted_by,
      verification: a.verification ?? undefined,
      documents,
      attestation: attestations.findLast((x: { voidedAt: Date | null }) => !x.voidedAt) ?? null,
      voidedAttestations: attestations.filter((x: { voidedAt: Date | null }) => x.voidedAt),
      earliestAnswerAt: a.earliest_answer_at ?? undefined,
      /** Present only once it has been communicated to the applicant (S5). */
      decision: decision ?? undefined,
      beneficiaryNumber: a.beneficiary_number ?? undefined,
      registeredAt: a.registered_at ?? undefined,
      closedAt: a.closed_at ?? undefined,
      processInstanceKey: ref.processInstanceKey,
    };
  }

  async notifications(idOrNumber: string, reader: { username: string }) {
    const ref = await this.ref(idOrNumber);
    await this.audit.record({ at: this.clock.now(), actor: reader.username, action: 'case.notifications.read', caseId: ref.id });
    return this.outbox.list(this.db.manager, ref.id);
  }

  async documentFile(idOrNumber: string, documentId: string, reader: { username: string }) {
    const ref = await this.ref(idOrNumber);
    const [doc] = UUID.test(documentId)
      ? await this.db.query(
          'SELECT storage_key, media_type, file_name FROM intake_document WHERE id = $1 AND application_id = $2 AND storage_key IS NOT NULL',
          [documentId, ref.id],
        )
      : [];
    if (!doc) throw new NotFoundError('Document file', documentId.slice(0, 60));
    await this.audit.record({ at: this.clock.now(), actor: reader.username, action: 'document.read', caseId: ref.id, details: { documentId, fileName: doc.file_name } });
    return { bytes: await this.store.read(doc.storage_key), mediaType: doc.media_type as string, fileName: doc.file_name as string };
  }
}
