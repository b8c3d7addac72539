import { describe, expect, it } from 'vitest';
import { defaultTab, filtersFromSearch, filtersToSearch, isCaseSearch, normaliseCaseSearch, tabsFor, taskQuery, type TaskFilters } from './filters';

const reception = ['reception'];
const chair = ['committee-chair'];

describe('tabs', () => {
  it('gives "all" only to the chair, administrators and auditors', () => {
    expect(tabsFor(reception)).toEqual(['mine', 'groups']);
    expect(tabsFor(['committee'])).toEqual(['mine', 'groups']);
    expect(tabsFor(chair)).toEqual(['mine', 'groups', 'all']);
    expect(tabsFor(['admin'])).toEqual(['mine', 'groups', 'all']);
    expect(tabsFor(['auditor'])).toEqual(['mine', 'groups', 'all']);
  });

  it("starts on the groups' work, or on everything for those who only oversee", () => {
    expect(defaultTab(reception)).toBe('groups');
    expect(defaultTab(chair)).toBe('groups');
    expect(defaultTab(['auditor'])).toBe('all');
    expect(defaultTab(['admin'])).toBe('all');
    expect(defaultTab(['admin', 'reception'])).toBe('groups');
  });
});

describe('filters in the URL', () => {
  it('reads an empty query as the defaults and writes the defaults as an empty query', () => {
    const filters = filtersFromSearch(new URLSearchParams(), reception);
    expect(filters).toEqual({ tab: 'groups', state: 'open', overdue: false, caseNumber: '', sort: 'due', order: 'asc' });
    expect(filtersToSearch(filters, reception).toString()).toBe('');
  });

  it('round-trips every filter', () => {
    const filters: TaskFilters = { tab: 'all', state: 'completed', overdue: true, caseNumber: 'REQ-2026-000042', sort: 'priority', order: 'desc' };
    const search = filtersToSearch(filters, chair);
    expect(search.toString()).toBe('tab=all&state=completed&overdue=1&case=REQ-2026-000042&sort=priority&order=desc');
    expect(filtersFromSearch(search, chair)).toEqual(filters);
  });

  it('falls back to the defaults for values it does not know, and for a tab the roles do not have', () => {
    const filters = filtersFromSearch(new URLSearchParams('tab=all&state=lost&sort=name&order=up&overdue=maybe&case=<b>'), reception);
    expect(filters).toEqual({ tab: 'groups', state: 'open', overdue: false, caseNumber: '', sort: 'due', order: 'asc' });
  });

  it('upper-cases application numbers, keeps case ids as they are', () => {
    expect(normaliseCaseSearch('  req-2026-000001 ')).toBe('REQ-2026-000001');
    expect(normaliseCaseSearch('aa0cc264-3873-44ab-beed-49a9fd7c69c0')).toBe('aa0cc264-3873-44ab-beed-49a9fd7c69c0');
    // Typed on an Arabic keyboard: the same number.
    expect(normaliseCaseSearch('req-٢٠٢٦-۰۰۰۰۰۱')).toBe('REQ-2026-000001');
    expect(filtersFromSearch(new URLSearchParams('case=req-2026-000001'), reception).caseNumber).toBe('REQ-2026-000001');
    expect(isCaseSearch('REQ-2026-000001')).toBe(true);
    expect(isCaseSearch('REQ 2026')).toBe(false);
    expect(isCaseSearch('x'.repeat(61))).toBe(false);
  });
});

describe('taskQuery', () => {
  it('asks the server for the tab, state, overdue, case, sort and page', () => {
    const filters: TaskFilters = { tab: 'mine', state: 'open', overdue: true, caseNumber: 'REQ-2026-000001', sort: 'created', order: 'desc' };
    expect(Object.fromEntries(taskQuery(filters, { limit: 25, cursor: 'abc' }))).toEqual({
      mine: 'true',
      state: 'open',
      overdue: 'true',
      case: 'REQ-2026-000001',
      sort: 'created',
      order: 'desc',
      limit: '25',
      cursor: 'abc',
    });
  });

  it('sends neither mine nor myGroups for the "all" tab', () => {
    const query = taskQuery({ tab: 'all', state: 'open', overdue: false, caseNumber: '', sort: 'due', order: 'asc' });
    expect(query.toString()).toBe('state=open&sort=due&order=asc');
    expect(taskQuery({ tab: 'groups', state: 'open', overdue: false, caseNumber: '', sort: 'due', order: 'asc' }).get('myGroups')).toBe('true');
  });
});
