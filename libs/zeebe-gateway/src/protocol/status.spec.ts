import { status } from '@grpc/grpc-js';
import { ConflictError, DomainError, NotFoundError } from '@mustafid/platform';
import { describe, expect, it } from 'vitest';
import { gatewayStatusOf } from './status';

describe('gRPC status of a refusal', () => {
  it('answers the engine\'s refusals with the codes Zeebe\'s gateway uses', () => {
    // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/: NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS, INVALID_ARGUMENT per RPC.
    expect(gatewayStatusOf(new NotFoundError('Job', '1'))).toEqual({ code: status.NOT_FOUND, details: 'Job 1 was not found', unexpected: false });
    expect(gatewayStatusOf(new DomainError('INVALID_BPMN', 'The diagram has 1 problem', 400)).code).toBe(status.INVALID_ARGUMENT);
    expect(gatewayStatusOf(new DomainError('INVALID_CREDENTIALS', 'The username or password is not correct', 401)).code).toBe(status.UNAUTHENTICATED);
    expect(gatewayStatusOf(new DomainError('FORBIDDEN', 'no', 403)).code).toBe(status.PERMISSION_DENIED);
    expect(gatewayStatusOf(new DomainError('TOO_MANY_LOGIN_ATTEMPTS', 'wait', 429)).code).toBe(status.RESOURCE_EXHAUSTED);
    expect(gatewayStatusOf(new ConflictError('MESSAGE_ALREADY_PUBLISHED', 'already')).code).toBe(status.ALREADY_EXISTS);
    // A job held by an incident still exists: FAILED_PRECONDITION; a finished one is gone: NOT_FOUND.
    expect(gatewayStatusOf(new ConflictError('JOB_NOT_ACTIVE', 'failed', { state: 'FAILED' })).code).toBe(status.FAILED_PRECONDITION);
    expect(gatewayStatusOf(new ConflictError('JOB_NOT_ACTIVE', 'done', { state: 'COMPLETED' })).code).toBe(status.NOT_FOUND);
    expect(gatewayStatusOf(new ConflictError('INSTANCE_NOT_ACTIVE', 'ended')).code).toBe(status.NOT_FOUND);
  });

  it('hides what it did not expect behind INTERNAL, for the log', () => {
    expect(gatewayStatusOf(new TypeError('x is undefined'))).toEqual({ code: status.INTERNAL, details: 'Something went wrong in Mustafid; it has been logged', unexpected: true });
  });
});
