import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import type { Task } from './api';
import { OverdueMark } from './OverdueMark';
import { TaskHolder } from './TaskHolder';

interface TaskListItemProps {
  task: Task;
  /** Arrived since the list was opened (its own refresh brought it). */
  isNew?: boolean;
}

/** One task in the list: its step (the link), case, due date in both calendars, who holds it. */
export function TaskListItem({ task, isNew = false }: TaskListItemProps) {
  const { t } = useTranslation();
  const name = localName(task.name, currentLanguage(), task.elementId);
  return (
    <li className={`task-item${task.overdue ? ' is-overdue' : ''}${isNew ? ' is-new' : ''}`} data-task-key={task.key} data-element={task.elementId}>
      <div className="task-item-head">
        <h2 className="task-name">
          <Link to={`/tasks/${task.key}`} className="task-link">
            {name}
          </Link>
        </h2>
        {isNew && (
          <span className="badge new-mark" data-testid="new-mark">
            {t('tasks.new')}
          </span>
        )}
        {task.overdue && <OverdueMark />}
        {task.state !== 'open' && <span className={`badge badge-state-${task.state}`}>{t(`tasks.states.${task.state}`)}</span>}
      </div>
      <dl className="task-facts">
        <div className="task-fact">
          <dt>{t('tasks.fields.case')}</dt>
          <dd>{task.caseNumber ? <bdi dir="ltr">{task.caseNumber}</bdi> : <span className="muted">—</span>}</dd>
        </div>
        <div className="task-fact">
          <dt>{t('tasks.fields.due')}</dt>
          <dd data-testid="task-due">
            <TwoCalendarDate value={task.dueDate} empty={t('tasks.noDueDate')} />
          </dd>
        </div>
        <div className="task-fact">
          <dt>{task.state === 'completed' ? t('tasks.fields.completedBy') : t('tasks.fields.holder')}</dt>
          <dd>
            <TaskHolder task={task} />
          </dd>
        </div>
        <div className="task-fact">
          <dt>{task.state === 'completed' ? t('tasks.fields.completed') : t('tasks.fields.created')}</dt>
          <dd>
            <TwoCalendarDate value={task.state === 'completed' ? task.completedAt : task.createdAt} />
          </dd>
        </div>
      </dl>
    </li>
  );
}
