import type { Task } from './api';

/** Roles that may hand a task back for someone else (the server's ASSIGNS). */
const RELEASES_OTHERS = ['admin', 'committee-chair'];

export interface Person {
  username: string;
  roles: readonly string[];
}

type TaskAccessView = Pick<Task, 'assignee' | 'candidateGroups' | 'state'>;

/** Whether the person may work the task (claim and complete it), as the server decides. */
export function mayWork(person: Person, task: TaskAccessView): boolean {
  return person.roles.includes('admin') || task.assignee === person.username || task.candidateGroups.some((g) => person.roles.includes(g));
}

export type TaskAction = 'claim' | 'unclaim' | null;

/** The one claim/unclaim action the page offers the person, if any. */
export function claimActionFor(person: Person, task: TaskAccessView): TaskAction {
  if (task.state !== 'open') return null;
  if (!task.assignee) return mayWork(person, task) ? 'claim' : null;
  if (task.assignee === person.username) return 'unclaim';
  return person.roles.some((r) => RELEASES_OTHERS.includes(r)) ? 'unclaim' : null;
}

/** The form is filled in only by whoever holds the task. */
export function mayFillIn(person: Person, task: TaskAccessView): boolean {
  return task.state === 'open' && task.assignee === person.username;
}

/** The committee's tasks: the earliest date the applicant may be told the answer matters most there. */
export function isCommitteeTask(task: Pick<Task, 'candidateGroups'>): boolean {
  return task.candidateGroups.some((g) => g === 'committee' || g === 'committee-chair');
}
