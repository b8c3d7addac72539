import { describe, expect, it } from 'vitest';
import { SECTIONS, sectionsFor, type Section } from './sections';

describe('sectionsFor', () => {
  it('gives the API documentation to administrators and process owners only', () => {
    expect(sectionsFor(['admin']).map((s) => s.id)).toEqual(['api-docs']);
    expect(sectionsFor(['process-owner']).map((s) => s.id)).toEqual(['api-docs']);
    for (const role of ['applicant', 'reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service', 'auditor']) {
      expect(sectionsFor([role])).toEqual([]);
    }
  });

  it('lists a section once for a person holding several of its roles', () => {
    expect(sectionsFor(['admin', 'process-owner', 'auditor'])).toHaveLength(1);
  });

  it('keeps the registry order', () => {
    const registry: Section[] = [
      { id: 'api-docs', roles: ['auditor'], href: '/b' },
      { id: 'api-docs', roles: ['admin', 'auditor'], href: '/a' },
    ];
    expect(sectionsFor(['auditor'], registry).map((s) => s.href)).toEqual(['/b', '/a']);
  });

  it('links only to server paths', () => {
    for (const section of SECTIONS) expect(section.href).toMatch(/^\/[^/]/);
  });
});
