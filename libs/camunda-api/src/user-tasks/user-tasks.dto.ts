import type { UserTaskChanges } from '@mustafid/workflow';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { badRequest } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/ */
export class CompleteUserTaskDto {
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown> | null;

  /** Named in the task's completion event; "complete" when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string | null;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/ */
export class AssignUserTaskDto {
  @IsString()
  @MinLength(1, { message: 'assignee is required: the username the task is assigned to' })
  @MaxLength(255)
  assignee!: string;

  /** false: refuse when the task is assigned to someone else already (default true). */
  @IsOptional()
  @IsBoolean()
  allowOverride?: boolean | null;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string | null;
}


/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/ */
export class UpdateUserTaskDto {
  @IsOptional()
  @IsObject({ message: 'changeset must be a JSON object, e.g. {"dueDate": "2031-01-01T00:00:00.000Z", "priority": 80}' })
  changeset?: Record<string, unknown> | null;

  /** Named in the task's update event; "update" when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string | null;
}

const CHANGESET_FIELDS = ['dueDate', 'followUpDate', 'candidateUsers', 'candidateGroups', 'priority'];

/**
 * A changeset as Camunda reads it: a field left out or null keeps its value; an empty string
 * clears a date, an empty list the candidates; priority is 0 to 100. Fields it cannot change are
 * refused (Camunda ignores them; a field silently dropped would look changed).
 */
export function userTaskChangesOf(changeset: Record<string, unknown> | null | undefined): UserTaskChanges {
  const c = changeset ?? {};
  const changes: UserTaskChanges = {};
  for (const field of Object.keys(c)) {
    if (field === 'assignee') throw badRequest('changeset.assignee cannot be changed here: assign the task with POST /v2/user-tasks/{userTaskKey}/assignment');
    if (!CHANGESET_FIELDS.includes(field)) throw badRequest(`changeset.${field.slice(0, 60)} cannot be changed: a user task update changes ${CHANGESET_FIELDS.join(', ')}`);
  }
  for (const field of ['dueDate', 'followUpDate'] as const) {
    const value = c[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badRequest(`changeset.${field} must be a date-time text such as "2031-01-01T09:00:00.000Z", or "" to clear it`);
    if (value === '') {
      changes[field] = null;
      continue;
    }
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
      throw badRequest(`changeset.${field} must be an ISO 8601 date-time such as "2031-01-01T09:00:00.000Z", or "" to clear it (got "${value.slice(0, 40)}")`);
    }
    changes[field] = date;
  }
  for (const field of ['candidateUsers', 'candidateGroups'] as const) {
    const value = c[field];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '' || v.length > 255)) {
      throw badRequest(`changeset.${field} must be a list of names (each 1 to 255 characters), or [] to clear it`);
    }
    changes[field] = value as string[];
  }
  if (c.priority !== undefined && c.priority !== null) {
    if (typeof c.priority !== 'number' || !Number.isInteger(c.priority) || c.priority < 0 || c.priority > 100) {
      throw badRequest('changeset.priority must be a whole number from 0 to 100');
    }
    changes.priority = c.priority;
  }
  return changes;
}
