/**
 * The roles of DESIGN §5, `manager` (issue 9): reads the service-quality dashboard and its
 * reports, in aggregate only, and `worker` (issue 16): a program rather than a person, that
 * activates and completes the engine's jobs (Camunda's job workers, as a machine client or an
 * account over HTTP Basic) and may do nothing else. Candidate groups in the diagram name these.
 */
export const ROLES = [
  'applicant',
  'reception',
  'researcher',
  'committee',
  'committee-chair',
  'registrar',
  'service',
  'process-owner',
  'auditor',
  'manager',
  'worker',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Names people read: Arabic first, English beside it. */
export const ROLE_NAMES: Record<Role, { ar: string; en: string }> = {
  applicant: { ar: 'مقدم طلب', en: 'Applicant' },
  reception: { ar: 'موظف علاقات المستفيدين', en: 'Beneficiary-relations officer' },
  researcher: { ar: 'باحث اجتماعي', en: 'Social researcher' },
  committee: { ar: 'عضو لجنة البحث', en: 'Research committee member' },
  'committee-chair': { ar: 'رئيس لجنة البحث', en: 'Research committee chair' },
  registrar: { ar: 'موظف التسجيل', en: 'Registrar' },
  service: { ar: 'موظف تقديم الخدمة', en: 'Service officer' },
  'process-owner': { ar: 'مالك الإجراء', en: 'Process owner' },
  auditor: { ar: 'مدقق', en: 'Auditor' },
  manager: { ar: 'مدير الخدمة', en: 'Service manager' },
  worker: { ar: 'منفّذ المهام الآلية', en: 'Job worker' },
  admin: { ar: 'مدير النظام', en: 'Administrator' },
};
