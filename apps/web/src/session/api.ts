import type { FieldCode } from './fieldCodes';
/**
 * The session calls and the helpers every API module shares. Contract (apps/server):
 *   POST /api/auth/login  {username, password} → 200 { accessToken, user } + httpOnly cookie
 *                                               401 INVALID_CREDENTIALS · 429 TOO_MANY_LOGIN_ATTEMPTS
 *   POST /api/auth/logout → 204, clears the cookie
 *   GET  /api/me          → 200 CurrentUser · 401
 * Errors are JSON { statusCode, code, message, details? }; a 400 VALIDATION_FAILED carries
 * details.fields: { "field.path": ["problem", …] }.
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

/** Problems per field, as the server reports them (keys like `nationalId`, `documents.0.expiryDate`). */
export type FieldProblems = Record<string, string[]>;

/** An error answer from the server, or a network failure (status 0, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static readonly NETWORK = 'NETWORK';

  /** details.fields of a 400, when the server named the fields at fault. */
  get fields(): FieldProblems {
    const fields = this.details.fields;
    if (!fields || typeof fields !== 'object') return {};
    const out: FieldProblems = {};
    for (const [key, value] of Object.entries(fields)) {
      if (Array.isArray(value)) out[key] = value.map(String);
    }
    return out;
  }

  /** details.codes of a 400: each field's problems as codes, in the order of `fields`. */
  get fieldCodes(): Record<string, FieldCode[]> {
    const codes = this.details.codes;
    if (!codes || typeof codes !== 'object') return {};
    const out: Record<string, FieldCode[]> = {};
    for (const [key, value] of Object.entries(codes)) {
      if (Array.isArray(value)) out[key] = value.filter((c): c is FieldCode => typeof c === 'object' && c !== null && typeof (c as FieldCode).code === 'string');
    }
    return out;
  }
}

/** fetch with the session cookie and JSON accepted; a network failure becomes ApiError NETWORK. */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
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

export async function toApiError(response: Response): Promise<ApiError> {
  let code: string | undefined;
  let details: Record<string, unknown> = {};
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { code: bodyCode, message: bodyMessage, details: bodyDetails } = body as { code?: unknown; message?: unknown; details?: unknown };
      if (typeof bodyCode === 'string') code = bodyCode;
      if (bodyDetails && typeof bodyDetails === 'object') details = bodyDetails as Record<string, unknown>;
      // Nest's validation errors carry a list of messages.
      if (Array.isArray(bodyMessage)) message = bodyMessage.map(String).join(' · ');
      else if (typeof bodyMessage === 'string' && bodyMessage) message = bodyMessage;
    }
  } catch {
    // Not JSON: keep the status text.
  }
  return new ApiError(response.status, code, message, details);
}

/** A request whose 2xx answer is JSON of type T; anything else throws ApiError. */
export async function requestJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await request(path, init);
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as T;
}

/** POST a JSON body (or none) and read the JSON answer. */
export function postJson<T>(path: string, body?: unknown): Promise<T> {
  return requestJson<T>(path, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
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
