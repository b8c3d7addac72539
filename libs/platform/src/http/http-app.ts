import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { validationFailure } from '../errors/validation-failure';
import { AllExceptionsFilter, toErrorBody } from './exception.filter';
import { requestId } from './logging';

export const API_PREFIX = 'api';

function sendError(err: unknown, req: Request & { id?: unknown }, res: Response): void {
  const body = toErrorBody(err);
  if (req.id) body.requestId = String(req.id);
  res.status(body.statusCode).json(body);
}

/** A body parser whose failures (too large, malformed) are answered at once in the API's error shape. */
function answeringErrors(parser: RequestHandler): RequestHandler {
  return (req, res, next) => parser(req, res, (err?: unknown) => (err ? sendError(err, req, res) : next()));
}

/**
 * What every Mustafid HTTP process shares: /api prefix, security headers, cookies,
 * body size limit, strict validation, one error shape, JSON logs.
 * Create the app with `{ bodyParser: false }`; this registers the parsers with the limit.
 */
export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);
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
  // Answers under /api carry personal data or depend on who asks: never kept by a browser or proxy.
  app.use(`/${API_PREFIX}`, (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The modeler sends a whole diagram and its forms as JSON: the deployment limit, not the API's.
  app.use(`/${API_PREFIX}/modeling`, answeringErrors(express.json({ limit: config.engine.deploymentMaxBytes })));
  app.use(answeringErrors(express.json({ limit: config.http.bodyLimit })));
  app.use(answeringErrors(express.urlencoded({ limit: config.http.bodyLimit, extended: false })));
  // BPMN deployments may send the diagram itself as the body.
  app.use(answeringErrors(express.text({ type: ['application/xml', 'text/xml'], limit: config.engine.deploymentMaxBytes })));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: (errors) => validationFailure(errors) }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
}
