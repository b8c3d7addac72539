import type { RoleId } from './roles';

/**
 * The sections a person's roles open to them on the home page. Only pages that really
 * exist are listed: add an entry here (and its title/description under `sections.<id>`
 * in both language files) in the same change that builds the page.
 */
export interface Section {
  /** Also the key of its strings: `sections.<id>.title` and `sections.<id>.description`. */
  readonly id: SectionId;
  /** Roles that see the section; a user with any one of them sees it. */
  readonly roles: readonly RoleId[];
  readonly href: string;
}

export type SectionId = 'api-docs';

export const SECTIONS: readonly Section[] = [
  // OpenAPI / Swagger UI, served by the server itself.
  { id: 'api-docs', roles: ['admin', 'process-owner'], href: '/api/docs' },
];

export function sectionsFor(roles: readonly string[], registry: readonly Section[] = SECTIONS): Section[] {
  return registry.filter((section) => section.roles.some((role) => roles.includes(role)));
}
