import { describe, expect, it } from 'vitest';
import { claimActionFor, isCommitteeTask, mayFillIn, mayWork } from './taskAccess';

const reception = { username: 'reception', roles: ['reception'] };
const chair = { username: 'committee-chair', roles: ['committee-chair'] };
const auditor = { username: 'auditor', roles: ['auditor'] };
const open = { state: 'open' as const, candidateGroups: ['reception'] };

describe('task access', () => {
  it('offers the claim to members of its groups and to administrators, not to auditors', () => {
    expect(claimActionFor(reception, open)).toBe('claim');
    expect(claimActionFor({ username: 'admin', roles: ['admin'] }, open)).toBe('claim');
    expect(claimActionFor(auditor, open)).toBeNull();
    expect(mayWork(auditor, open)).toBe(false);
  });

  it('offers to unclaim to the holder, and to the chair for tasks others hold', () => {
    expect(claimActionFor(reception, { ...open, assignee: 'reception' })).toBe('unclaim');
    expect(claimActionFor({ username: 'reception2', roles: ['reception'] }, { ...open, assignee: 'reception' })).toBeNull();
    expect(claimActionFor(chair, { ...open, candidateGroups: ['committee'], assignee: 'committee' })).toBe('unclaim');
  });

  it('offers nothing on a task that is done', () => {
    expect(claimActionFor(reception, { ...open, state: 'completed' })).toBeNull();
    expect(mayFillIn(reception, { ...open, state: 'completed', assignee: 'reception' })).toBe(false);
  });

  it('lets only the holder fill in the form', () => {
    expect(mayFillIn(reception, open)).toBe(false);
    expect(mayFillIn(reception, { ...open, assignee: 'reception' })).toBe(true);
  });

  it('knows the committee’s tasks', () => {
    expect(isCommitteeTask({ candidateGroups: ['committee'] })).toBe(true);
    expect(isCommitteeTask({ candidateGroups: ['committee-chair'] })).toBe(true);
    expect(isCommitteeTask({ candidateGroups: ['registrar'] })).toBe(false);
  });
});
