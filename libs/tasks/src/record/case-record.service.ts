import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { CHANNEL_NAMES, CasesService } from '@mustafid/intake';
import { CLOCK, type Clock, ProcessElementNames } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { type FormComponent, type FormSchema, inputFields } from '../forms/form-schema';
import { FormRegistry } from '../forms/form-registry';

type Localised = { ar?: string; en?: string };

/** "accept=Accept|reject=Reject" (a form's `values:en` property) → { accept: 'Accept', reject: 'Reject' }. */
function parseLocalisedValues(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of spec.split('|')) {
    const at = entry.indexOf('=');
    if (at > 0) out[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return out;
}

/** One answer on a completed task, named by the form's label and, for a choice, the option's label. */
export interface RecordField {
  key: string;
  label: Localised;
  value: unknown;
  /** The chosen options' labels (radio, select, checklist), in both languages. */
  choice?: Localised[];
  type: string;
}

export type RecordEntry =
  | { kind: 'submitted'; at: Date; actor: string; actorName?: string; channel: { code: string; name?: Localised }; documents: string[]; notes?: string }
  | { kind: 'step'; at: Date; actor: string; actorName?: string; elementId: string; element: Localised; fields: RecordField[] }
  | { kind: 'documents'; at: Date; actor: string; actorName?: string; documents: string[] }
  | { kind: 'attestation'; at: Date; actor: string; actorName?: string; method?: string }
  | { kind: 'notice'; at: Date; notice: string; subject: Localised; body: Localised; via: string; state: 'pending' | 'sent' | 'delivered' | 'failed'; to?: string };

/** The document types an audit entry lists. */
const typesOf = (list: unknown): string[] => (Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);

/** The people's acts that make a case's record; the engine's bookkeeping stays in the audit view. */
const PEOPLE_ACTIONS = new Set(['application.submitted', 'task.completed', 'documents.provided', 'attestation.recorded']);

/** A form's label for a field in Arabic and English (a date field's dateLabel). */
function labelOf(field: FormComponent): Localised {
  return { ar: field.label ?? field.dateLabel ?? field.key, en: field.properties?.['label:en'] ?? field.label ?? field.dateLabel ?? field.key };
}

function choicesOf(field: FormComponent, value: unknown): Localised[] | undefined {
  if (!field.values || !['radio', 'select', 'checklist'].includes(field.type)) return undefined;
  const english = parseLocalisedValues(field.properties?.['values:en'] ?? '');
  const chosen = Array.isArray(value) ? value : [value];
  return chosen.map((v) => {
    const option = field.values!.find((o) => o.value === v);
    return option ? { ar: option.label, en: english[option.value] ?? option.label } : { ar: String(v), en: String(v) };
  });
}

/** The answers a task's completion recorded, in the form's order, each with its label. */
export function namedFields(form: FormSchema | undefined, variables: Record<string, unknown>): RecordField[] {
  if (!form) return [];
  return inputFields(form)
    .filter((f) => Object.hasOwn(variables, f.key!) && variables[f.key!] !== null && variables[f.key!] !== '')
    .map((f) => ({ key: f.key!, label: labelOf(f), value: variables[f.key!], choice: choicesOf(f, variables[f.key!]), type: f.type }));
}

/**
 * A case's record for the staff who work it (issue 19, point 5): what people did and wrote,
 * oldest first — the request as recorded, each completed step with its answers (notes, reasons,
 * decisions) named by the form's labels, the documents provided, the signature, and the notices
 * sent. Reading it is recorded in the audit log as a reading of the case.
 */
@Injectable()
export class CaseRecordService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
    private readonly cases: CasesService,
    private readonly forms: FormRegistry,
    private readonly names: ProcessElementNames,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(idOrNumber: string, reader: { username: string }) {
    const ref = await this.cases.ref(idOrNumber);
    // The notices' reading is recorded by CasesService; this reads the rest and says so.
    const notices = await this.cases.notifications(ref.id, reader);
    const rows = (await this.audit.ofCase(ref.id)).filter((r) => PEOPLE_ACTIONS.has(r.action));
    await this.audit.record({ at: this.clock.now(), actor: reader.username, action: 'case.record.read', caseId: ref.id });

    const actors = [...new Set(rows.map((r) => r.actor))];
    const people: Array<{ username: string; display_name: string }> = actors.length
      ? await this.db.query('SELECT username, display_name FROM app_user WHERE username = ANY($1::text[])', [actors])
      : [];
    const nameOf = (username: string) => people.find((p) => p.username === username)?.display_name;
    const taskKeys = rows.filter((r) => r.action === 'task.completed').map((r) => String((r.details as Record<string, unknown>)?.task ?? ''));
    const tasks: Array<{ key: string; form_key: string | null; process_definition_key: string }> = taskKeys.length
      ? await this.db.query('SELECT key::text, form_key, process_definition_key::text FROM task WHERE key::text = ANY($1::text[])', [taskKeys])
      : [];

    const entries: RecordEntry[] = [];
    for (const r of rows) {
      const d = (r.details ?? {}) as Record<string, unknown>;
      const who = { at: r.at, actor: r.actor, actorName: nameOf(r.actor) };
      if (r.action === 'application.submitted') {
        const [a] = await this.db.query('SELECT channel, notes FROM intake_application WHERE id = $1', [ref.id]);
        const code = String(a?.channel ?? d.channel ?? '');
        entries.push({
          kind: 'submitted',
          ...who,
          channel: { code, name: (CHANNEL_NAMES as Record<string, Localised>)[code] },
          documents: typesOf(d.documents),
          notes: a?.notes ?? undefined,
        });
      } else if (r.action === 'task.completed') {
        const task = tasks.find((t) => t.key === String(d.task));
        const definition = task?.process_definition_key ?? ref.processDefinitionKey;
        const form = task && definition ? await this.forms.forTask(task.form_key, definition) : undefined;
        const elementId = r.elementId ?? '';
        entries.push({
          kind: 'step',
          ...who,
          elementId,
          element: (definition ? await this.names.nameOf(definition, elementId) : undefined) ?? {},
          fields: namedFields(form, (d.variablesAfter ?? {}) as Record<string, unknown>),
        });
      } else if (r.action === 'documents.provided') {
        entries.push({ kind: 'documents', ...who, documents: typesOf(d.documents) });
      } else if (r.action === 'attestation.recorded') {
        entries.push({ kind: 'attestation', ...who, method: typeof d.method === 'string' ? d.method : undefined });
      }
    }
    for (const n of notices) {
      entries.push({
        kind: 'notice',
        at: n.sentAt ?? n.createdAt,
        notice: n.notice,
        subject: n.subject,
        body: n.body,
        via: n.delivery,
        state: n.failedAt ? 'failed' : n.deliveredAt ? 'delivered' : n.sentAt ? 'sent' : 'pending',
        to: n.toEmail ?? n.toMobile,
      });
    }
    entries.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
    return { case: { id: ref.id, applicationNumber: ref.applicationNumber }, entries };
  }
}
