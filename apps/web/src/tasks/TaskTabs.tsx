import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import type { TaskCounts } from './api';
import { filtersToSearch, type TaskFilters, type TaskTab } from './filters';

interface TaskTabsProps {
  tabs: readonly TaskTab[];
  filters: TaskFilters;
  roles: readonly string[];
  counts: TaskCounts | null;
}

const COUNT_OF: Record<TaskTab, keyof TaskCounts> = { mine: 'mine', groups: 'myGroups', all: 'all' };

/** Mine / my groups / all, each with its count of open tasks. Links: the tab is part of the address. */
export function TaskTabs({ tabs, filters, roles, counts }: TaskTabsProps) {
  const { t } = useTranslation();
  return (
    <nav className="task-tabs" aria-label={t('tasks.tabsLabel')}>
      <ul className="task-tabs-list">
        {tabs.map((tab) => {
          const selected = tab === filters.tab;
          const count = counts?.[COUNT_OF[tab]];
          return (
            <li key={tab}>
              <Link
                className="task-tab"
                data-tab={tab}
                aria-current={selected ? 'page' : undefined}
                to={{ pathname: '/tasks', search: filtersToSearch({ ...filters, tab }, roles).toString() }}
              >
                <span>{t(`tasks.tabs.${tab}`)}</span>
                {count !== undefined && (
                  <span className="count" data-testid={`count-${tab}`}>
                    <span aria-hidden="true">{formatNumber(currentLanguage(), count)}</span>
                    <span className="visually-hidden">{t('tasks.openCount', { n: formatNumber(currentLanguage(), count) })}</span>
                  </span>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
