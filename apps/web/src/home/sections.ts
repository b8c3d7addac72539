import type { RoleId } from './roles';

/**
 * The sections a person's roles open to them on the home page (and in the site navigation).
 * Only pages that really exist are listed: add an entry here (and its title/description
 * under `sections.<id>` in both language files) in the same change that builds the page.
 */
export interface Section {
  /** Also the key of its strings: `sections.<id>.title` and `sections.<id>.description`. */
  readonly id: SectionId;
  /** Roles that see the section; a user with any one of them sees it. */
  readonly roles: readonly RoleId[];
  readonly href: string;
  /** A page of this web app (client-side route) rather than one the server serves itself. */
  readonly inApp: boolean;
}

export type SectionId = 'tasks' | 'cases' | 'new-request' | 'inquiries' | 'audit' | 'modeler' | 'dashboard' | 'api-docs';

/** Staff who work or audit cases (the server's CASE_READERS): they have a task list. */
export const TASK_WORKERS: readonly RoleId[] = ['reception', 'researcher', 'committee', 'committee-chair', 'registrar', 'service', 'auditor', 'admin'];
/** Staff who work cases (the task workers but auditors, who have their own search at /audit). */
export const CASE_WORKERS: readonly RoleId[] = TASK_WORKERS.filter((role) => role !== 'auditor');
/** Who records a request at reception (POST /api/applications). */
export const REQUEST_RECORDERS: readonly RoleId[] = ['reception', 'admin'];
/** Who audits a case's path and history and checks the audit log (GET /api/audit/verify). */
export const AUDITORS: readonly RoleId[] = ['auditor', 'admin'];
/** Who edits, checks and deploys the process diagrams (the server's /api/modeling routes). */
export const PROCESS_MODELERS: readonly RoleId[] = ['process-owner', 'admin'];
/** Who reads the service-quality dashboard and its reports (GET /api/reports/…; the server's REPORT_READERS). */
export const MANAGERS: readonly RoleId[] = ['manager', 'admin'];
/** Who records and answers inquiries (the server's INQUIRY_ANSWERERS: officers and their supervisors). */
export const INQUIRY_ANSWERERS: readonly RoleId[] = ['reception', 'manager', 'admin'];

export const SECTIONS: readonly Section[] = [
  // The staff task list: /tasks and /tasks/:key.
  { id: 'tasks', roles: TASK_WORKERS, href: '/tasks', inApp: true },
  // Find a request and read its record: /cases and /cases/:id (the staff who work cases, not only auditors).
  { id: 'cases', roles: CASE_WORKERS, href: '/cases', inApp: true },
  // Reception records a request made in person, by phone, by letter…
  { id: 'new-request', roles: REQUEST_RECORDERS, href: '/cases/new', inApp: true },
  // Inquiries, suggestions and complaints, answered from the reference library: /inquiries.
  { id: 'inquiries', roles: INQUIRY_ANSWERERS, href: '/inquiries', inApp: true },
  // The auditor's view: /audit (find a case) and /audit/cases/:id.
  { id: 'audit', roles: AUDITORS, href: '/audit', inApp: true },
  // The process owner's modeler: /modeler, /modeler/:bpmnProcessId, /modeler/:bpmnProcessId/versions/:version.
  { id: 'modeler', roles: PROCESS_MODELERS, href: '/modeler', inApp: true },
  // The service-quality dashboard: /dashboard (the date range in the query).
  { id: 'dashboard', roles: MANAGERS, href: '/dashboard', inApp: true },
  // OpenAPI / Swagger UI, served by the server itself.
  { id: 'api-docs', roles: ['admin', 'process-owner'], href: '/api/docs', inApp: false },
];

export function sectionsFor(roles: readonly string[], registry: readonly Section[] = SECTIONS): Section[] {
  return registry.filter((section) => section.roles.some((role) => roles.includes(role)));
}

/** Whether someone with these roles may open the section's page. */
export function mayOpen(roles: readonly string[], id: SectionId, registry: readonly Section[] = SECTIONS): boolean {
  return sectionsFor(roles, registry).some((section) => section.id === id);
}
