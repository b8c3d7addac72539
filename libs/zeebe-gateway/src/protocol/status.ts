import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { asZeebeRejection } from '@mustafid/camunda-api/shared/rejections';
import { DomainError, toErrorBody } from '@mustafid/platform';
import { GatewayError } from './values';

/**
 * The gRPC status Zeebe's gateway answers for what the HTTP APIs answer with a status
 * (libs/camunda-api/src/shared/rejections.ts maps the same refusals for /v2): a finished job,
 * instance or incident is NOT_FOUND (Zeebe drops them from its state), a job or instance in the
 * wrong state FAILED_PRECONDITION, a message id still buffered ALREADY_EXISTS.
 */
const CODE_BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.FAILED_PRECONDITION,
  413: status.INVALID_ARGUMENT,
  422: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
  501: status.UNIMPLEMENTED,
  503: status.UNAVAILABLE,
};

/** Refusals whose gRPC code is not the one their HTTP status suggests. */
const CODE_BY_ERROR: Record<string, status> = {
  MESSAGE_ALREADY_PUBLISHED: status.ALREADY_EXISTS,
  // Backpressure (ENGINE_MAX_PENDING_COMMANDS), as Zeebe's gateway answers it: the SDK sends the command again.
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
};

export interface GatewayStatus {
  code: status;
  details: string;
  /** Whether the server log should have the error (an unexpected one). */
  unexpected: boolean;
}

/** Any thrown value as the status the client gets. */
export function gatewayStatusOf(e: unknown): GatewayStatus {
  if (e instanceof GatewayError) return { code: e.code, details: e.message, unexpected: false };
  const rejection = asZeebeRejection(e);
  if (rejection instanceof DomainError && CODE_BY_ERROR[rejection.code] !== undefined) {
    return { code: CODE_BY_ERROR[rejection.code], details: rejection.message, unexpected: false };
  }
  const body = toErrorBody(rejection);
  const code = CODE_BY_HTTP_STATUS[body.statusCode];
  if (code !== undefined) return { code, details: body.message, unexpected: false };
  return { code: status.INTERNAL, details: 'Something went wrong in Mustafid; it has been logged', unexpected: true };
}

export function serviceError(s: Pick<GatewayStatus, 'code' | 'details'>): ServiceError {
  return Object.assign(new Error(s.details), { code: s.code, details: s.details, metadata: new Metadata() });
}
