import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { RequestMethod, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { validationFailure } from '../errors/validation-failure';
import { DomainError } from '../errors/domain-error';
import { AllExceptionsFilter, toErrorBody } from './exception.filter';
import { requestId } from './logging';
import { requestValueProblem } from './request-text';
import { CAMUNDA_API_PREFIX, OAUTH_TOKEN_PATH, sendErrorBody } from './problem-detail';

export const API_PREFIX = 'api';

function sendError(err: unknown, req: Request & { id?: unknown }, res: Response): void {
  const body = toErrorBody(err);
  if (req.id) body.requestId = String(req.id);
  sendErrorBody(req, res, body);
}

/** A body parser whose failures (too large, malformed) are answered at once in the API's error shape. */
function answeringErrors(parser: RequestHandler): RequestHandler {
  return (req, res, next) => parser(req, res, (err?: unknown) => (err ? sendError(err, req, res) : next()));
}

/**
 * Refuses, before any route runs, what no route can take (request-text.ts): NUL in the path,
 * and in the parsed body or query text PostgreSQL cannot store, prototype field names, or
 * nesting deeper than JSON_MAX_DEPTH.
 */
function refusingUnsafeInput(req: Request & { id?: unknown }, res: Response, next: NextFunction): void {
  const path = req.url.split('?')[0];
  const problem = /%00/.test(path)
    ? new DomainError('INVALID_CHARACTER', 'The address contains the NUL character (%00), which no id or name can hold', 400)
    : (req.body !== undefined && req.body !== null && (typeof req.body === 'object' || typeof req.body === 'string') ? requestValueProblem(req.body, 'body') : undefined) ??
      requestValueProblem(req.query, 'query');
  if (problem) sendError(problem, req, res);
  else next();
}

/**
 * Node answers requests it cannot parse (an address and headers over its 16 KB limit, broken
 * HTTP) itself, with an empty body; this answers them in the API's error shape instead.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [statusCode, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The address and headers of the request are larger than this server accepts (16 KB); send long values in the body']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP and could not be read'];
  const body = JSON.stringify({ statusCode, code, message });
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * What every Mustafid HTTP process shares: /api prefix (Camunda's /v2 API beside it), security headers, cookies,
 * body size and depth limits, strict validation, one error shape, JSON logs.
 * Create the app with `{ bodyParser: false }`; this registers the parsers with the limit.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.getHttpServer().on('clientError', answerClientError);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: `${CAMUNDA_API_PREFIX}/{*path}`, method: RequestMethod.ALL },
      { path: OAUTH_TOKEN_PATH, method: RequestMethod.ALL },
    ],
  });
  app.disable('x-powered-by');
  // The client's address (sign-in limits, audit) from X-Forwarded-For only through proxies named in TRUST_PROXY.
  app.set('trust proxy', config.http.trustProxy);
  app.use((req: Request & { id?: unknown }, res: Response, next: NextFunction) => {
    req.id = requestId(req, res);
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null },
      },
      hsts: config.auth.cookieSecure,
    }),
  );
  app.use(cookieParser());
  // Answers under /api and /v2 carry personal data or depend on who asks, and tokens (RFC 6749 §5.1): never kept by a browser or proxy.
  app.use([`/${API_PREFIX}`, `/${CAMUNDA_API_PREFIX}`, `/${OAUTH_TOKEN_PATH}`], (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The modeler sends a whole diagram and its forms as JSON: the deployment limit, not the API's.
  app.use(`/${API_PREFIX}/modeling`, answeringErrors(express.json({ limit: config.engine.deploymentMaxBytes })));
  app.use(answeringErrors(express.json({ limit: config.http.bodyLimit })));
  app.use(answeringErrors(express.urlencoded({ limit: config.http.bodyLimit, extended: false })));
  // BPMN deployments may send the diagram itself as the body.
  app.use(answeringErrors(express.text({ type: ['application/xml', 'text/xml'], limit: config.engine.deploymentMaxBytes })));
  app.use(refusingUnsafeInput);
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: (errors) => validationFailure(errors) }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
}
