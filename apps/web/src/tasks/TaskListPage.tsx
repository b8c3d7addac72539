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

/** How often the list reads itself again while open; also on coming back to the window or tab. */
export const REFRESH_MS = 30_000;

/**
 * /tasks: the tabs with their counts, the filters (in the address), the tasks a page at a time.
 * The list refreshes itself (every REFRESH_MS and when the window comes back into view); tasks
 * that arrived since it was opened are marked "new" and announced.
 */
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
  /** The tasks this list has shown for the current filters: anything else a refresh brings is new. */
  const seen = useRef<Set<string>>(new Set());
  const [arrivals, setArrivals] = useState<ReadonlySet<string>>(new Set());
  const [announced, setAnnounced] = useState(0);

  useEffect(() => {
    let current = true;
    setList({ status: 'loading' });
    const wanted = filtersFromSearch(new URLSearchParams(query), user.roles);
    fetchTasks(wanted).then(
      (page) => {
        if (!current) return;
        seen.current = new Set(page.items.map((task) => task.key));
        setArrivals(new Set());
        setAnnounced(0);
        setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor, loadingMore: false });
      },
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

  // Refresh quietly: the first page again, merged with what was loaded beyond it; new tasks marked.
  useEffect(() => {
    let current = true;
    const wanted = filtersFromSearch(new URLSearchParams(query), user.roles);
    const refresh = () => {
      if (document.visibilityState === 'hidden') return;
      fetchTasks(wanted).then(
        (page) => {
          if (!current) return;
          const fresh = page.items.filter((task) => !seen.current.has(task.key)).map((task) => task.key);
          for (const key of fresh) seen.current.add(key);
          if (fresh.length > 0) {
            setArrivals((before) => new Set([...before, ...fresh]));
            setAnnounced(fresh.length);
          }
          setList((before) => {
            if (before.status !== 'ready' || before.loadingMore) return before;
            const onPage = new Set(page.items.map((task) => task.key));
            const beyond = before.items.length > page.items.length ? before.items.filter((task) => !onPage.has(task.key)).slice(page.items.length) : [];
            return { ...before, items: [...page.items, ...beyond], nextCursor: beyond.length > 0 ? before.nextCursor : page.nextCursor };
          });
        },
        // A refresh that fails leaves the list as it was; the next one tries again.
        () => undefined,
      );
      fetchTaskCounts().then(
        (answer) => current && setCounts(answer),
        () => undefined,
      );
    };
    const timer = window.setInterval(refresh, REFRESH_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      current = false;
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [query, user.roles]);

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

      <p className="list-status" role="status" aria-live="polite" data-testid="new-tasks-status">
        {announced > 0 && t('tasks.arrived', { n: formatNumber(currentLanguage(), announced) })}
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
            <TaskListItem key={task.key} task={task} isNew={arrivals.has(task.key)} />
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
