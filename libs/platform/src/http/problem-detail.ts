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

/** Answers an error body as Mustafid's JSON, or as a problem detail under Camunda's API. */
export function sendErrorBody(req: Request, res: Response, body: ErrorBody): void {
  const path = (req.originalUrl ?? req.url).split('?')[0];
  if (isCamundaApiPath(path)) {
    res.status(body.statusCode).type('application/problem+json').send(JSON.stringify(toProblemDetail(body, path)));
    return;
  }
  res.status(body.statusCode).json(body);
}
