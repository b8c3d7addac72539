import type { Request, Response } from 'express';
import type { ErrorBody } from './error-body';

/**
 * Camunda 8's Orchestration Cluster REST API lives under /v2 (libs/camunda-api), outside the
 * /api prefix, and answers errors as RFC 9457 problem details, as Camunda's own gateway does
 * (`application/problem+json` with type, title, status, detail, instance; the title is Zeebe's
 * rejection type, e.g. NOT_FOUND or INVALID_STATE). Every other route keeps Mustafid's
 * `{statusCode, code, message}`.
 */
export const CAMUNDA_API_PREFIX = 'v2';

export interface ProblemDetail {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
}

/**
 * The OAuth 2.0 token endpoint (machine clients, libs/auth), outside /api as Camunda's clients
 * expect it (`CAMUNDA_OAUTH_URL=<server>/oauth/token`); its errors are RFC 6749 §5.2's.
 */
export const OAUTH_TOKEN_PATH = 'oauth/token';

/** The error codes RFC 6749 §5.2 (and §4.1.2.1 for temporarily_unavailable) defines. */
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'temporarily_unavailable']);

/**
 * An error of the token endpoint as RFC 6749 §5.2 writes it: `{ error, error_description }`,
 * the description in the characters §5.2 allows (printable ASCII but `"` and `\`), never
 * cached (§5.1); 401 after Basic credentials names the scheme (§5.2, RFC 7235).
 */
function sendOAuthError(req: Request, res: Response, body: ErrorBody): void {
  const error = OAUTH_ERRORS.has(body.code) ? body.code : body.statusCode >= 500 ? 'server_error' : 'invalid_request';
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  if (body.statusCode === 401 && /^basic /i.test(req.headers.authorization ?? '')) res.setHeader('WWW-Authenticate', 'Basic realm="mustafid", charset="UTF-8"');
  res.status(body.statusCode).json({ error, error_description: body.message.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?') });
}

/** Whether a request path is under Camunda's API, so its errors are problem details. */
export function isCamundaApiPath(path: string): boolean {
  return path === `/${CAMUNDA_API_PREFIX}` || path.startsWith(`/${CAMUNDA_API_PREFIX}/`);
}

/** Titles for Mustafid's codes where Zeebe names the rejection otherwise than its status does. */
const TITLE_BY_CODE: Record<string, string> = {
  MESSAGE_ALREADY_PUBLISHED: 'ALREADY_EXISTS',
  TOO_MANY_LOGIN_ATTEMPTS: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  // Backpressure: Camunda's clients send a 503 again only when its title says so.
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED',
};

/** Zeebe's rejection types (and the gateway's titles) by HTTP status. */
const TITLE_BY_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'INVALID_STATE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  501: 'NOT_SUPPORTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Nest's answer for a path no route serves ("Cannot POST /v2/…"). */
const NO_ROUTE = /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+)$/;

/** The problem detail of an error body, for the request path `instance`. */
export function toProblemDetail(body: ErrorBody, instance: string): ProblemDetail {
  let detail = body.message;
  const noRoute = body.statusCode === 404 ? NO_ROUTE.exec(body.message) : null;
  if (noRoute) {
    detail = `Mustafid does not serve ${noRoute[1]} ${noRoute[2].split('?')[0]}: it serves part of Camunda 8.8's Orchestration Cluster REST API (docs/camunda-compatibility.md lists which routes)`;
  }
  return {
    type: 'about:blank',
    title: TITLE_BY_CODE[body.code] ?? TITLE_BY_STATUS[body.statusCode] ?? (body.statusCode >= 500 ? 'INTERNAL_ERROR' : 'INVALID_ARGUMENT'),
    status: body.statusCode,
    detail,
    instance,
  };
}

/** Answers an error body as Mustafid's JSON, as a problem detail under Camunda's API, or as RFC 6749's at the token endpoint. */
export function sendErrorBody(req: Request, res: Response, body: ErrorBody): void {
  const path = (req.originalUrl ?? req.url).split('?')[0];
  // A throttled caller hears when to try again (RFC 6585 §4, RFC 9110 §10.2.3), whichever API it used.
  const retryAfter = body.details?.retryAfterSeconds;
  if (body.statusCode === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
  if (path === `/${OAUTH_TOKEN_PATH}`) {
    sendOAuthError(req, res, body);
    return;
  }
  if (isCamundaApiPath(path)) {
    res.status(body.statusCode).type('application/problem+json').send(JSON.stringify(toProblemDetail(body, path)));
    return;
  }
  res.status(body.statusCode).json(body);
}
