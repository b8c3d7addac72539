// The role ids are the server's own list (libs/auth/src/roles.ts has no imports, so the web
// build takes it as it is): one list for the guard, the diagram's candidate groups and the UI.
export { ROLES as ROLE_IDS, isRole as isRoleId, type Role as RoleId } from '../../../../libs/auth/src/roles';
