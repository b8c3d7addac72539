/**
 * The few server calls the shell needs. Contract (apps/server):
 *   POST /api/auth/login  {username, password} → 200 { accessToken, user } + httpOnly cookie
 *                                               401 INVALID_CREDENTIALS · 429 TOO_MANY_LOGIN_ATTEMPTS
 *   POST /api/auth/logout → 204, clears the cookie
 *   GET  /api/me          → 200 CurrentUser · 401
 * Errors are JSON { statusCode, code, message }.
 */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

interface LoginResponse {
  accessToken: string;
  user: CurrentUser;
}

/** An error answer from the server, or a network failure (status 0, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static readonly NETWORK = 'NETWORK';
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: { Accept: 'application/json', ...init.headers },
    });
  } catch (cause) {
    throw new ApiError(0, ApiError.NETWORK, cause instanceof Error ? cause.message : String(cause));
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let code: string | undefined;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { code: bodyCode, message: bodyMessage } = body as { code?: unknown; message?: unknown };
      if (typeof bodyCode === 'string') code = bodyCode;
      // Nest's validation errors carry a list of messages.
      if (Array.isArray(bodyMessage)) message = bodyMessage.map(String).join(' · ');
      else if (typeof bodyMessage === 'string' && bodyMessage) message = bodyMessage;
    }
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(response.status, code, message);
}

/** The signed-in user, or null when the session is missing or expired (401). */
export async function fetchCurrentUser(): Promise<CurrentUser | null> {
  const response = await request('/api/me');
  if (response.status === 401) return null;
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as CurrentUser;
}

export async function login(username: string, password: string): Promise<CurrentUser> {
  const response = await request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await toApiError(response);
  const body = (await response.json()) as LoginResponse;
  return body.user;
}

export async function logout(): Promise<void> {
  const response = await request('/api/auth/logout', { method: 'POST' });
  // 401 means the session had already ended: the outcome the caller wants.
  if (!response.ok && response.status !== 401) throw await toApiError(response);
}
