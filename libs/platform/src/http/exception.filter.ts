import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import type { ErrorBody } from './error-body';

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
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}
