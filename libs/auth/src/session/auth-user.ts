import type { Role } from '../roles';

/** The signed-in caller, as the guard puts it on the request. */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** Empty when the caller sent HTTP Basic credentials (Camunda's /v2 API) or is a machine client: no session then. */
  sessionId: string;
  /**
   * Set when the caller is a machine client (an access token from POST /oauth/token), not a
   * person: `id` is then the client's row, `username` is `client:<name>`.
   */
  client?: { id: string; clientId: string };
}

export const SESSION_COOKIE = 'mustafid_session';
