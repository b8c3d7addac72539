import type { Role } from '../roles';

/** The signed-in caller, as the guard puts it on the request. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  sessionId: string;
}

export const SESSION_COOKIE = 'mustafid_session';
