import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import type { ErrorBody } from './error-body';
import { sendErrorBody } from './problem-detail';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Errors raised by Express's body parser before Nest sees the request. */
interface BodyParserError {
  type: string;
  status: number;
  expose?: boolean;
  limit?: number;
}

function isBodyParserError(e: unknown): e is BodyParserError {
  return typeof e === 'object' && e !== null && 'type' in e && 'status' in e && typeof e.status === 'number';
}

/**
 * PostgreSQL's "data exception" class (SQLSTATE 22xxx): a value the database cannot take as the
 * type it is for (a bigint past 2^63 − 1, a malformed timestamp, NUL in text, an invalid byte
 * sequence). The edge refuses the values it knows of first (keys, DTOs, request-text.ts); a
 * value that still gets this far came from the request, so the truthful answer is a 400 that
 * says which kind of value, not a 500 with a stack trace.
 */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22001': 'A value in the request is longer than the field it is stored in allows',
  '22003': 'A number in the request is out of range (too large or too small)',
  '22007': 'A date or time in the request is not written in a form the server reads (use ISO 8601, e.g. 2026-03-31 or 2026-03-31T09:30:00Z)',
  '22008': 'A date or time in the request is out of range',
  '22021': 'The request contains a character that cannot be stored (such as the NUL character)',
  '22P02': 'A value in the request is not in the form its field expects (for example letters where a number or an id belongs)',
  '22P05': 'The request contains a character that cannot be stored (such as the NUL character or half of a surrogate pair)',
};

/** The SQLSTATE of a database error (TypeORM's QueryFailedError carries the driver's error). */
export function sqlStateOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const driver = (e as { driverError?: { code?: unknown }; code?: unknown }).driverError ?? e;
  const code = (driver as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Turns any thrown value into `{statusCode, code, message}`; the one place errors meet HTTP. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof DomainError) {
    return { statusCode: exception.status, code: exception.code, message: exception.message, details: exception.details };
  }
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    let message = exception.message;
    let code = CODE_BY_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    if (typeof response === 'object' && response !== null) {
      const r = response as { message?: unknown; code?: unknown };
      if (Array.isArray(r.message)) {
        message = r.message.join('; ');
        code = 'VALIDATION_FAILED';
      } else if (typeof r.message === 'string') {
        message = r.message;
      }
      if (typeof r.code === 'string') code = r.code;
    }
    return { statusCode, code, message };
  }
  if (isBodyParserError(exception) && exception.status >= 400 && exception.status < 500) {
    switch (exception.type) {
      case 'entity.too.large':
        return {
          statusCode: 413,
          code: 'PAYLOAD_TOO_LARGE',
          message: `The request body is larger than the ${exception.limit ?? 'allowed'} bytes this server accepts`,
        };
      case 'entity.parse.failed':
        return { statusCode: 400, code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' };
      default:
        return { statusCode: exception.status, code: CODE_BY_STATUS[exception.status] ?? 'BAD_REQUEST', message: 'The request body could not be read' };
    }
  }
  const state = sqlStateOf(exception);
  if (state?.startsWith('22')) {
    return { statusCode: 400, code: 'INVALID_VALUE', message: DATA_EXCEPTIONS[state] ?? 'A value in the request cannot be stored as the kind of value its field holds' };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on the server; it has been logged',
  };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    const response = http.getResponse<Response>();
    const body = toErrorBody(exception);
    if (request?.id) body.requestId = String(request.id);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: body.requestId }, 'Unhandled error');
    } else if (body.code === 'INVALID_VALUE') {
      // One line, no stack and no value (it may be personal data): which kind of value the edge let through, and where.
      this.logger.warn(`A value the database refused (SQLSTATE ${sqlStateOf(exception)}) reached ${request?.method} ${request?.route?.path ?? 'a route'}: answered 400; the route's validation should refuse it`);
    }
    if (response.headersSent) return;
    sendErrorBody(request, response, body);
  }
}
