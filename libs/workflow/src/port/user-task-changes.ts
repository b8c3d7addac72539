import type { UserTaskChanges } from './workflow-engine';

/**
 * The one UPDATE that applies a user task's changeset (dates, candidates, priority) to a task
 * table: the embedded engine's `wf_user_task` and the Zeebe mirror's `zb_user_task` have the
 * same columns. A date given as null clears it; a field left out keeps its value.
 */
export function userTaskUpdate(table: 'wf_user_task' | 'zb_user_task', key: string, changes: UserTaskChanges): [string, unknown[]] {
  return [
    `UPDATE ${table} SET due_date = CASE WHEN $2 THEN $3::timestamptz ELSE due_date END,
                         follow_up_date = CASE WHEN $4 THEN $5::timestamptz ELSE follow_up_date END,
                         candidate_users = coalesce($6::text[], candidate_users),
                         candidate_groups = coalesce($7::text[], candidate_groups),
                         priority = coalesce($8::int, priority) WHERE key = $1`,
    [
      key,
      changes.dueDate !== undefined,
      changes.dueDate ?? null,
      changes.followUpDate !== undefined,
      changes.followUpDate ?? null,
      changes.candidateUsers ?? null,
      changes.candidateGroups ?? null,
      changes.priority ?? null,
    ],
  ];
}
