import { useTranslation } from 'react-i18next';
import { isRoleId } from '../home/roles';
import type { Task } from './api';

/** Who holds a task: its assignee (or who completed it), else the groups that may claim it. */
export function TaskHolder({ task }: { task: Pick<Task, 'assignee' | 'candidateGroups' | 'completedBy' | 'state'> }) {
  const { t } = useTranslation();
  const person = task.state === 'completed' ? (task.completedBy ?? task.assignee) : task.assignee;
  if (person) {
    return (
      <bdi dir="ltr" className="username">
        {person}
      </bdi>
    );
  }
  // Done, but the server did not record by whom (e.g. completed through its own endpoint).
  if (task.state !== 'open') return <span className="muted">—</span>;
  const groups = task.candidateGroups.map((g) => (isRoleId(g) ? t(`roles.${g}`) : g)).join('، ');
  return <span className="muted">{t('tasks.unassigned', { groups })}</span>;
}
