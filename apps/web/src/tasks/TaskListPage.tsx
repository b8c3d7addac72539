import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { PageHeading } from '../layout/PageHeading';
import type { CurrentUser } from '../session/api';
import { fetchTaskCounts, fetchTasks, type Task, type TaskCounts } from './api';
import { filtersFromSearch, filtersToSearch, tabsFor, type TaskFilters } from './filters';
import { TaskFilterForm } from './TaskFilterForm';
import { TaskListItem } from './TaskListItem';
import { TaskTabs } from './TaskTabs';
import { apiErrorMessage } from '../session/errorMessage';

interface TaskListPageProps {
  user: CurrentUser;
}

type ListState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; items: Task[]; nextCursor?: string; loadingMore: boolean; moreError?: unknown };

/** /tasks: the tabs with their counts, the filters (in the address), the tasks a page at a time. */
export function TaskListPage({ user }: TaskListPageProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search, user.roles);
  const query = filtersToSearch(filters, user.roles).toString();
  const [list, setList] = useState<ListState>({ status: 'loading' });
  const [counts, setCounts] = useState<TaskCounts | null>(null);
  const [reloads, setReloads] = useState(0);
  const firstNewItem = useRef<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let current = true;
    setList({ status: 'loading' });
    const wanted = filtersFromSearch(new URLSearchParams(query), user.roles);
    fetchTasks(wanted).then(
      (page) => current && setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false }),
      (error: unknown) => current && setList({ status: 'error', error }),
    );
    fetchTaskCounts().then(
      (answer) => current && setCounts(answer),
      () => current && setCounts(null),
    );
    return () => {
      current = false;
    };
  }, [query, user.roles, reloads]);

  // After "load more", the focus goes to the first task that arrived.
  useEffect(() => {
    if (list.status !== 'ready' || !firstNewItem.current) return;
    const link = listRef.current?.querySelector<HTMLAnchorElement>(`[data-task-key="${firstNewItem.current}"] .task-link`);
    firstNewItem.current = null;
    link?.focus();
  }, [list]);

  const applyFilters = useCallback(
    (next: TaskFilters) => setSearch(filtersToSearch(next, user.roles)),
    [setSearch, user.roles],
  );

  const clearFilters = useCallback(() => {
    setSearch(filtersToSearch({ ...filtersFromSearch(new URLSearchParams(), user.roles), tab: filters.tab }, user.roles));
  }, [setSearch, user.roles, filters.tab]);

  async function loadMore() {
    if (list.status !== 'ready' || !list.nextCursor || list.loadingMore) return;
    setList({ ...list, loadingMore: true, moreError: undefined });
    try {
      const page = await fetchTasks(filters, list.nextCursor);
      firstNewItem.current = page.items[0]?.key ?? null;
      setList({ status: 'ready', items: [...list.items, ...page.items], nextCursor: page.nextCursor, loadingMore: false });
    } catch (error) {
      setList({ ...list, loadingMore: false, moreError: error });
    }
  }

  const tabs = tabsFor(user.roles);

  return (
    <div className="page-stack task-list-page">
      <div className="page-title-row">
        <PageHeading title={t('tasks.heading')} />
        {counts && counts.overdue > 0 && (
          <Link className="overdue-summary" to={{ pathname: '/tasks', search: filtersToSearch({ ...filters, overdue: true }, user.roles).toString() }}>
            {t('tasks.overdueSummary', { n: formatNumber(currentLanguage(), counts.overdue) })}
          </Link>
        )}
      </div>
      <TaskTabs tabs={tabs} filters={filters} roles={user.roles} counts={counts} />
      <TaskFilterForm filters={filters} onChange={applyFilters} onClear={clearFilters} />

      <p className="list-status" role="status" aria-live="polite" data-testid="list-status">
        {list.status === 'loading' && t('app.loading')}
        {list.status === 'ready' &&
          (list.items.length === 0 ? t('tasks.none') : t(list.nextCursor ? 'tasks.shownMore' : 'tasks.shown', { n: formatNumber(currentLanguage(), list.items.length) }))}
      </p>

      {list.status === 'error' && (
        <div className="card status-card" role="alert">
          <p>{apiErrorMessage(t, list.error)}</p>
          <button type="button" className="button button-primary" onClick={() => setReloads((n) => n + 1)}>
            {t('app.retry')}
          </button>
        </div>
      )}

      {list.status === 'ready' && list.items.length > 0 && (
        <ul className="task-list" ref={listRef} data-testid="task-list">
          {list.items.map((task) => (
            <TaskListItem key={task.key} task={task} />
          ))}
        </ul>
      )}

      {list.status === 'ready' && list.nextCursor && (
        <div className="load-more">
          <button type="button" className="button button-secondary" onClick={() => void loadMore()} disabled={list.loadingMore} aria-busy={list.loadingMore}>
            {list.loadingMore ? t('app.loading') : t('tasks.loadMore')}
          </button>
          {list.moreError !== undefined && (
            <p className="field-error" role="alert">
              {apiErrorMessage(t, list.moreError)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
