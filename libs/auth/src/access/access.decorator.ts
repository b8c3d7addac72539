import { RequireRoles } from '@mustafid/platform';
import type { Role } from '../roles';

export { Public, SignedIn } from '@mustafid/platform';

/** Signed-in accounts holding at least one of these roles. */
export const Roles = (...roles: [Role, ...Role[]]) => RequireRoles(roles);
