import { describe, expect, it } from 'vitest';
import { isCamundaApiPath, toProblemDetail } from './problem-detail';

/**
 * Camunda's API answers errors as RFC 9457 problem details whose title is Zeebe's rejection
 * type: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-overview/
 * (the specification's ProblemDetail: type, title, status, detail, instance).
 */
describe('problem details under /v2', () => {
  it('only Camunda\'s API answers them', () => {
    expect(isCamundaApiPath('/v2/jobs/activation')).toBe(true);
    expect(isCamundaApiPath('/v2')).toBe(true);
    expect(isCamundaApiPath('/v20/x')).toBe(false);
    expect(isCamundaApiPath('/api/v2/jobs')).toBe(false);
  });

  it.each([
    [400, 'VALIDATION_FAILED', 'INVALID_ARGUMENT'],
    [401, 'INVALID_CREDENTIALS', 'UNAUTHORIZED'],
    [403, 'FORBIDDEN', 'FORBIDDEN'],
    [404, 'NOT_FOUND', 'NOT_FOUND'],
    [409, 'JOB_NOT_ACTIVE', 'INVALID_STATE'],
    [409, 'MESSAGE_ALREADY_PUBLISHED', 'ALREADY_EXISTS'],
    [413, 'PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    [429, 'TOO_MANY_LOGIN_ATTEMPTS', 'TOO_MANY_REQUESTS'],
    [500, 'INTERNAL_ERROR', 'INTERNAL_ERROR'],
    [501, 'NOT_SUPPORTED', 'NOT_SUPPORTED'],
  ])('%i %s has the title %s, the message as detail and the path as instance', (statusCode, code, title) => {
    expect(toProblemDetail({ statusCode, code, message: 'What went wrong, in words' }, '/v2/jobs/1/completion')).toEqual({
      type: 'about:blank',
      title,
      status: statusCode,
      detail: 'What went wrong, in words',
      instance: '/v2/jobs/1/completion',
    });
  });

  it('says which routes it serves when none serves the path', () => {
    expect(toProblemDetail({ statusCode: 404, code: 'NOT_FOUND', message: 'Cannot POST /v2/signals/broadcast?x=1' }, '/v2/signals/broadcast').detail).toBe(
      "Mustafid does not serve POST /v2/signals/broadcast: it serves part of Camunda 8.8's Orchestration Cluster REST API (docs/camunda-compatibility.md lists which routes)",
    );
  });
});
