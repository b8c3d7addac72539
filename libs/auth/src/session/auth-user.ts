import type { Role } from '../roles';

/** The signed-in caller, as the guard puts it on the request. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Empty when the caller sent HTTP Basic credentials (Camunda's /v2 API): no session then. */
  sessionId: string;
}

export const SESSION_COOKIE = 'mustafid_session';
