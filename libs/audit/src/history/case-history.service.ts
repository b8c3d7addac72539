import { Inject, Injectable } from '@nestjs/common';
import { CasesService } from '@mustafid/intake';
import { csvDocument } from '@mustafid/platform';
import { CLOCK, type Clock, FormStore, ProcessElementNames, type StoredForm, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { AuditLog } from '../audit-log';
import { EngineAuditFeed } from '../feed/engine-audit-feed';

export interface TimelineEntry {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  elementId?: string;
  element?: { ar?: string; en?: string };
  /** Variables a step changed: names, and for task completions the values before and after. */
  changes?: { names?: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
  /** A task completion's fields by the labels of the form it was completed with (Arabic, English). */
  labels?: Record<string, { ar?: string; en?: string }>;
  details: Record<string, unknown>;
}

type FormPart = { key?: string; label?: string; dateLabel?: string; properties?: Record<string, string>; components?: FormPart[] };

/** Each field of a form by its label, in Arabic (the form's label) and English (`label:en`). */
export function formLabels(form: StoredForm | undefined): Record<string, { ar?: string; en?: string }> {
  const out: Record<string, { ar?: string; en?: string }> = {};
  const walk = (parts: FormPart[]) => {
    for (const c of parts) {
      if (c.key && (c.label || c.dateLabel)) out[c.key] = { ar: c.label ?? c.dateLabel, en: c.properties?.['label:en'] ?? c.label ?? c.dateLabel };
      if (c.components) walk(c.components);
    }
  };
  walk((form?.components ?? []) as FormPart[]);
  return out;
}

/** For auditors (and staff who may see the case): which way a case went, who acted, what changed. */
@Injectable()
export class CaseHistoryService {
  constructor(
    private readonly audit: AuditLog,
    private readonly feed: EngineAuditFeed,
    private readonly cases: CasesService,
    private readonly names: ProcessElementNames,
    private readonly forms: FormStore,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async history(idOrNumber: string, reader: { username: string }) {
    const ref = await this.cases.ref(idOrNumber);
    await this.feed.catchUp();
    await this.audit.record({ at: this.clock.now(), actor: reader.username, action: 'case.history.read', caseId: ref.id });
    const rows = await this.audit.ofCase(ref.id);
    const timeline: TimelineEntry[] = [];
    for (const r of rows) {
      const d = (r.details ?? {}) as Record<string, unknown>;
      const changes =
        r.action === 'task.completed'
          ? { before: d.variablesBefore as Record<string, unknown>, after: d.variablesAfter as Record<string, unknown> }
          : r.action === 'engine.VARIABLE_SET'
            ? { names: d.names as string[] }
            : r.action === 'applicant.changed'
              ? { names: d.fields as string[] }
              : undefined;
      const formId = r.action === 'task.completed' && typeof d.form === 'string' ? d.form : undefined;
      const labels = formId && ref.processDefinitionKey ? formLabels(await this.forms.forDefinition(formId, ref.processDefinitionKey)) : undefined;
      timeline.push({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        elementId: r.elementId ?? undefined,
        element: r.elementId ? await this.names.nameOf(ref.processDefinitionKey, r.elementId) : undefined,
        changes,
        ...(labels ? { labels } : {}),
        details: d,
      });
    }
    return { case: { id: ref.id, applicationNumber: ref.applicationNumber }, timeline };
  }

  /** The diagram version the case ran on, the elements and flows it took (with counts), where it is, its incidents. */
  async path(idOrNumber: string, reader: { username: string }) {
    const ref = await this.cases.ref(idOrNumber);
    await this.audit.record({ at: this.clock.now(), actor: reader.username, action: 'case.path.read', caseId: ref.id });
    const instance = await this.engine.getInstance(ref.processInstanceKey);
    const events = await this.engine.getInstanceEvents(ref.processInstanceKey);
    // A multi-instance activity is one visit (its body); its iterations carry their loopCounter.
    const count = (intent: string) => {
      const m = new Map<string, number>();
      for (const e of events) {
        if (e.intent !== intent || !e.elementId || e.elementId === instance.bpmnProcessId || e.payload?.loopCounter !== undefined) continue;
        m.set(e.elementId, (m.get(e.elementId) ?? 0) + 1);
      }
      return Object.fromEntries(m);
    };
    return {
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      version: instance.version,
      state: instance.state,
      visited: count('ELEMENT_ACTIVATED'),
      completed: count('ELEMENT_COMPLETED'),
      flowsTaken: count('SEQUENCE_FLOW_TAKEN'),
      current: [...new Set(instance.activeElements.map((a) => a.elementId))],
      incidents: instance.incidents.map((i) => ({ key: i.key, elementId: i.elementId, errorType: i.errorType, errorMessage: i.errorMessage, createdAt: i.createdAt })),
    };
  }
}

const CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'element_id', 'element_ar', 'element_en', 'changes', 'details'] as const;

export function timelineCsv(timeline: TimelineEntry[]): string {
  return csvDocument(
    CSV_COLUMNS,
    timeline.map((t) => [t.seq, t.at, t.actor, t.action, t.elementId, t.element?.ar, t.element?.en, t.changes, t.details]),
  );
}
