import { describe, expect, it } from 'vitest';
import { SECTIONS, mayOpen, sectionsFor, type Section } from './sections';

describe('sectionsFor', () => {
  it('gives the task list to staff and auditors, the new request to reception and administrators, the audit to auditors and administrators, the dashboard to managers and administrators', () => {
    expect(sectionsFor(['reception']).map((s) => s.id)).toEqual(['tasks', 'cases', 'new-request', 'inquiries']);
    expect(sectionsFor(['admin']).map((s) => s.id)).toEqual(['tasks', 'cases', 'new-request', 'inquiries', 'audit', 'modeler', 'dashboard', 'api-docs']);
    expect(sectionsFor(['manager']).map((s) => s.id)).toEqual(['inquiries', 'dashboard']);
    expect(sectionsFor(['auditor']).map((s) => s.id)).toEqual(['tasks', 'audit']);
    for (const role of ['researcher', 'committee', 'committee-chair', 'registrar', 'service']) {
      expect(sectionsFor([role]).map((s) => s.id)).toEqual(['tasks', 'cases']);
    }
  });

  it('gives the API documentation to administrators and process owners only', () => {
    expect(sectionsFor(['process-owner']).map((s) => s.id)).toEqual(['modeler', 'api-docs']);
    expect(sectionsFor(['applicant'])).toEqual([]);
    for (const role of ['applicant', 'reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service', 'auditor', 'manager']) {
      expect(sectionsFor([role]).some((s) => s.id === 'api-docs')).toBe(false);
    }
  });

  it('lists a section once for a person holding several of its roles', () => {
    expect(sectionsFor(['admin', 'process-owner', 'auditor']).filter((s) => s.id === 'api-docs')).toHaveLength(1);
    expect(sectionsFor(['reception', 'admin']).filter((s) => s.id === 'tasks')).toHaveLength(1);
  });

  it('keeps the registry order', () => {
    const registry: Section[] = [
      { id: 'api-docs', roles: ['auditor'], href: '/b', inApp: false },
      { id: 'api-docs', roles: ['admin', 'auditor'], href: '/a', inApp: false },
    ];
    expect(sectionsFor(['auditor'], registry).map((s) => s.href)).toEqual(['/b', '/a']);
  });

  it('links only to paths of this server; in-app pages are never under /api', () => {
    for (const section of SECTIONS) {
      expect(section.href).toMatch(/^\/[^/]/);
      expect(section.inApp).toBe(!section.href.startsWith('/api/'));
    }
  });
});

describe('mayOpen', () => {
  it('answers per page', () => {
    expect(mayOpen(['reception'], 'new-request')).toBe(true);
    expect(mayOpen(['researcher'], 'new-request')).toBe(false);
    expect(mayOpen(['auditor'], 'tasks')).toBe(true);
    expect(mayOpen(['applicant'], 'tasks')).toBe(false);
    expect(mayOpen(['auditor'], 'audit')).toBe(true);
    expect(mayOpen(['reception'], 'audit')).toBe(false);
    expect(mayOpen(['process-owner'], 'modeler')).toBe(true);
    expect(mayOpen(['admin'], 'modeler')).toBe(true);
    for (const role of ['applicant', 'reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service', 'auditor', 'manager']) {
      expect(mayOpen([role], 'modeler')).toBe(false);
    }
    expect(mayOpen(['manager'], 'dashboard')).toBe(true);
    expect(mayOpen(['auditor'], 'dashboard')).toBe(false);
  });
});
