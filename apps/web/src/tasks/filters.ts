/**
 * The task list's filters, kept in the page's URL query so that a reload or a shared link
 * shows the same list:
 *   /tasks?tab=mine|groups|all&state=open|completed|cancelled&overdue=1&case=REQ-…&sort=due|followUp|created|priority&order=asc|desc
 * Values equal to the defaults are left out of the URL; unknown values fall back to them.
 */
export const TASK_TABS = ['mine', 'groups', 'all'] as const;
export type TaskTab = (typeof TASK_TABS)[number];

export const TASK_STATES = ['open', 'completed', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_SORTS = ['due', 'followUp', 'created', 'priority'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface TaskFilters {
  tab: TaskTab;
  state: TaskState;
  overdue: boolean;
  /** An application number (REQ-2026-000123) or a case id; empty for every case. */
  caseNumber: string;
  sort: TaskSort;
  order: SortOrder;
}

/** Roles that see every task (the server's SEES_ALL): they get the "all" tab. */
const SEES_ALL = ['committee-chair', 'admin', 'auditor'];
/** Roles that are candidate groups of the intake diagram's tasks. */
const WORKING_GROUPS = ['reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service'];

export function tabsFor(roles: readonly string[]): TaskTab[] {
  return roles.some((r) => SEES_ALL.includes(r)) ? ['mine', 'groups', 'all'] : ['mine', 'groups'];
}

/** The tab a person starts on: their groups' work, or everything for those who only oversee. */
export function defaultTab(roles: readonly string[]): TaskTab {
  if (roles.some((r) => WORKING_GROUPS.includes(r))) return 'groups';
  return tabsFor(roles).includes('all') ? 'all' : 'groups';
}

export function defaultFilters(roles: readonly string[]): TaskFilters {
  return { tab: defaultTab(roles), state: 'open', overdue: false, caseNumber: '', sort: 'due', order: 'asc' };
}

const CASE_SEARCH = /^[\w-]{1,60}$/;

/** The case search as the server takes it: trimmed, in Western digits (٠-٩ and ۰-۹ typed too); application numbers upper-cased. */
export function normaliseCaseSearch(value: string): string {
  const trimmed = value.trim().replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0x0f) % 10));
  return /^req-/i.test(trimmed) ? trimmed.toUpperCase() : trimmed;
}

/** Whether the server accepts it (letters, digits, _ and -; at most 60): an application number or a case id. */
export function isCaseSearch(value: string): boolean {
  return value === '' || CASE_SEARCH.test(value);
}

function oneOf<T extends string>(list: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (list as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function filtersFromSearch(search: URLSearchParams, roles: readonly string[]): TaskFilters {
  const defaults = defaultFilters(roles);
  const caseNumber = normaliseCaseSearch(search.get('case') ?? '');
  return {
    tab: oneOf(tabsFor(roles), search.get('tab'), defaults.tab),
    state: oneOf(TASK_STATES, search.get('state'), defaults.state),
    overdue: search.get('overdue') === '1' || search.get('overdue') === 'true',
    caseNumber: isCaseSearch(caseNumber) ? caseNumber : '',
    sort: oneOf(TASK_SORTS, search.get('sort'), defaults.sort),
    order: oneOf(SORT_ORDERS, search.get('order'), defaults.order),
  };
}

export function filtersToSearch(filters: TaskFilters, roles: readonly string[]): URLSearchParams {
  const defaults = defaultFilters(roles);
  const search = new URLSearchParams();
  if (filters.tab !== defaults.tab) search.set('tab', filters.tab);
  if (filters.state !== defaults.state) search.set('state', filters.state);
  if (filters.overdue) search.set('overdue', '1');
  if (filters.caseNumber) search.set('case', filters.caseNumber);
  if (filters.sort !== defaults.sort) search.set('sort', filters.sort);
  if (filters.order !== defaults.order) search.set('order', filters.order);
  return search;
}

/** The query of GET /api/tasks for the filters (and a page's cursor). */
export function taskQuery(filters: TaskFilters, page: { limit?: number; cursor?: string } = {}): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.tab === 'mine') query.set('mine', 'true');
  if (filters.tab === 'groups') query.set('myGroups', 'true');
  query.set('state', filters.state);
  if (filters.overdue) query.set('overdue', 'true');
  if (filters.caseNumber) query.set('case', filters.caseNumber);
  query.set('sort', filters.sort);
  query.set('order', filters.order);
  if (page.limit) query.set('limit', String(page.limit));
  if (page.cursor) query.set('cursor', page.cursor);
  return query;
}
