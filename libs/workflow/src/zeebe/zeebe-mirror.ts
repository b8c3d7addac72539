import type { EntityManager } from 'typeorm';
import type { EngineEvent, IncidentView, UserTaskView, Variables } from '../port/workflow-engine';

/** One event as the mirror writes it (its position is given by the table). */
export interface MirrorEvent {
  processInstanceKey: string;
  intent: string;
  elementId?: string;
  elementType?: string;
  elementInstanceKey?: string;
  payload?: Record<string, unknown>;
  actor?: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/** Appends events to zb_event in the caller's transaction, in the given order. */
export async function appendEvents(db: Queryable, at: Date, events: MirrorEvent[]): Promise<void> {
  for (const e of events) {
    await db.query(
      `INSERT INTO zb_event (process_instance_key, element_id, element_type, element_instance_key, intent, payload, actor, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [e.processInstanceKey, e.elementId ?? null, e.elementType ?? null, e.elementInstanceKey ?? null, e.intent, e.payload ? JSON.stringify(e.payload) : null, e.actor ?? null, at],
    );
  }
}

/**
 * Merges variables into the mirrored instance's scope, as Zeebe propagates a job's or a
 * task's result to the process scope when no output mapping says otherwise. An instance this
 * side never saw start (a timer or message start) gets a row from what the caller knows.
 */
export async function mergeVariables(
  db: Queryable,
  known: { processInstanceKey: string; bpmnProcessId: string; version: number; processDefinitionKey?: string },
  variables: Variables | undefined,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO zb_instance (key, process_definition_key, bpmn_process_id, version, state, variables, started_at)
     VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6)
     ON CONFLICT (key) DO UPDATE SET variables = zb_instance.variables || EXCLUDED.variables`,
    [known.processInstanceKey, known.processDefinitionKey ?? '0', known.bpmnProcessId, known.version, JSON.stringify(variables ?? {}), at],
  );
}

export function toEvent(row: Record<string, unknown>): EngineEvent {
  return {
    position: String(row.position),
    processInstanceKey: row.process_instance_key as string,
    elementId: (row.element_id as string | null) ?? undefined,
    elementType: (row.element_type as string | null) ?? undefined,
    elementInstanceKey: (row.element_instance_key as string | null) ?? undefined,
    intent: row.intent as string,
    payload: (row.payload as Record<string, unknown> | null) ?? undefined,
    actor: (row.actor as string | null) ?? undefined,
    at: new Date(row.at as string),
  };
}

export function toUserTask(row: Record<string, unknown>): UserTaskView {
  return {
    key: row.key as string,
    processInstanceKey: row.process_instance_key as string,
    bpmnProcessId: row.bpmn_process_id as string,
    processDefinitionVersion: row.process_definition_version as number,
    elementId: row.element_id as string,
    elementInstanceKey: row.element_instance_key as string,
    name: (row.name as string | null) ?? undefined,
    assignee: (row.assignee as string | null) ?? undefined,
    candidateGroups: (row.candidate_groups as string[]) ?? [],
    candidateUsers: (row.candidate_users as string[]) ?? [],
    formKey: (row.form_key as string | null) ?? undefined,
    dueDate: row.due_date ? new Date(row.due_date as string) : undefined,
    followUpDate: row.follow_up_date ? new Date(row.follow_up_date as string) : undefined,
    priority: row.priority as number,
    state: row.state as UserTaskView['state'],
    createdAt: new Date(row.created_at as string),
    completedAt: row.completed_at ? new Date(row.completed_at as string) : undefined,
    completedBy: (row.completed_by as string | null) ?? undefined,
  };
}

export function toIncident(row: Record<string, unknown>): IncidentView {
  return {
    key: row.key as string,
    processInstanceKey: row.process_instance_key as string,
    bpmnProcessId: row.bpmn_process_id as string,
    elementId: row.element_id as string,
    errorType: row.error_type as IncidentView['errorType'],
    errorMessage: row.error_message as string,
    jobKey: (row.job_key as string | null) ?? undefined,
    state: row.state as IncidentView['state'],
    createdAt: new Date(row.created_at as string),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at as string) : undefined,
  };
}
