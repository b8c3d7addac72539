/** The roles of DESIGN.md §5; candidate groups in the BPMN diagram use the same ids. */
export const ROLE_IDS = [
  'applicant',
  'reception',
  'researcher',
  'committee',
  'committee-chair',
  'registrar',
  'service',
  'process-owner',
  'auditor',
  'admin',
] as const;

export type RoleId = (typeof ROLE_IDS)[number];

export function isRoleId(value: string): value is RoleId {
  return (ROLE_IDS as readonly string[]).includes(value);
}
