import { Inject, Injectable, Logger } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { ACCESS } from '@mustafid/camunda-api/shared/access';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '@mustafid/camunda-api/jobs/jobs.controller';
import { REQUEST_TIMEOUT_MAX_MS } from '@mustafid/camunda-api/jobs/jobs.dto';
import { type ActivatedJob, type AdHocJobResult, WORKFLOW_ENGINE, type WorkflowEngine, readAdHocJobResult } from '@mustafid/workflow';
import type {
  ActivateJobsRequest,
  ActivatedJobMessage,
  CompleteJobRequest,
  FailJobRequest,
  StreamActivatedJobsRequest,
  ThrowErrorRequest,
  UpdateJobRetriesRequest,
  UpdateJobTimeoutRequest,
} from '../protocol/gateway-protocol';
import { DEFAULT_TENANT, GatewayError, assertDefaultTenant, int64In, invalidArgument, key, parseVariables, required } from '../protocol/values';
import { type Rpc, type RpcContext, type RpcGroup, roles, stream, unary } from './rpc';

/** Bounds, as POST /v2/jobs/activation takes them (libs/camunda-api/src/jobs/jobs.dto.ts). */
const JOB_TIMEOUT_MAX_MS = 30 * 24 * 3600 * 1000;
const MAX_JOBS_PER_ACTIVATION = 1000;
const RETRIES_MAX = 2_147_483_647;
const RETRY_BACK_OFF_MAX_MS = 365 * 24 * 3600 * 1000;
const ERROR_MESSAGE_MAX = 4000;

/**
 * StreamActivatedJobs waits for jobs in rounds this long (the same long poll ActivateJobs uses);
 * each round takes at most this many jobs, pushed one by one as the client reads them.
 */
export const STREAM_ROUND_MS = 30_000;
export const STREAM_BATCH = 32;

/** A job as the protocol's ActivatedJob: JSON documents as text, the deadline in epoch milliseconds. */
export function activatedJobMessage(job: ActivatedJob): ActivatedJobMessage {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: JSON.stringify(job.customHeaders ?? {}),
    worker: job.worker,
    retries: job.retries,
    deadline: String(job.deadline.getTime()),
    variables: JSON.stringify(job.variables ?? {}),
    tenantId: DEFAULT_TENANT,
  };
}

/**
 * Jobs for workers: https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/
 * "ActivateJobs RPC", "StreamActivatedJobs RPC", "CompleteJob RPC", "FailJob RPC", "ThrowError
 * RPC", "UpdateJobRetries RPC".
 */
@Injectable()
export class JobRpcs implements RpcGroup {
  private readonly logger = new Logger('ZeebeGateway');

  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  rpcs(): Record<string, Rpc> {
    const work = roles(ACCESS.workJobs);
    return {
      ActivateJobs: stream(work, (request: ActivateJobsRequest, context, send: (m: { jobs: ActivatedJobMessage[] }) => Promise<boolean>) => this.activate(request, context, send)),
      StreamActivatedJobs: stream(work, (request: StreamActivatedJobsRequest, context, send: (m: ActivatedJobMessage) => Promise<boolean>) => this.stream(request, context, send)),
      CompleteJob: unary(work, async (request: CompleteJobRequest) => {
        const jobKey = key(request.jobKey, 'jobKey');
        const variables = parseVariables(request.variables);
        await this.engine.completeJob(jobKey, variables, request.result ? jobResult(request.result) : undefined);
        return {};
      }),
      FailJob: unary(work, async (request: FailJobRequest) => {
        const jobKey = key(request.jobKey, 'jobKey');
        if (Object.keys(parseVariables(request.variables)).length > 0) {
          throw invalidArgument('variables on a job failure are not supported by Mustafid yet: set them when the job completes, or on the instance (SetVariables)');
        }
        const backOff = int64In(request.retryBackOff, 'retryBackOff', 0, RETRY_BACK_OFF_MAX_MS, ' ms');
        // Zeebe: "If it is zero or negative however, an incident will be raised".
        await this.engine.failJob(jobKey, Math.max(0, request.retries), request.errorMessage.slice(0, ERROR_MESSAGE_MAX), backOff);
        return {};
      }),
      ThrowError: unary(work, async (request: ThrowErrorRequest) => {
        const jobKey = key(request.jobKey, 'jobKey');
        const errorCode = required(request.errorCode, 'errorCode', 'the code an error boundary or error event sub-process catches');
        const variables = parseVariables(request.variables);
        await this.engine.throwJobError(jobKey, errorCode, request.errorMessage ? request.errorMessage.slice(0, ERROR_MESSAGE_MAX) : undefined, variables);
        return {};
      }),
      UpdateJobRetries: unary(roles(ACCESS.jobRetries), async (request: UpdateJobRetriesRequest) => {
        const jobKey = key(request.jobKey, 'jobKey');
        if (request.retries < 1 || request.retries > RETRIES_MAX) throw invalidArgument(`retries must be greater than 0 (got ${request.retries})`);
        await this.engine.updateJobRetries(jobKey, request.retries);
        return {};
      }),
      // https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/#updatejobtimeout-rpc: the activated job's deadline becomes now + timeout.
      UpdateJobTimeout: unary(roles(ACCESS.jobRetries), async (request: UpdateJobTimeoutRequest) => {
        const jobKey = key(request.jobKey, 'jobKey');
        const timeout = int64In(request.timeout, 'timeout', 1, JOB_TIMEOUT_MAX_MS, ' ms');
        await this.engine.updateJobTimeout(jobKey, timeout);
        return {};
      }),
    };
  }

  /** What both ways of activating check: type, worker, timeout, fetchVariable, tenants. */
  private command(request: StreamActivatedJobsRequest, maxJobsToActivate: number, requestTimeoutMs: number) {
    assertDefaultTenant(request.tenantIds, 'tenantIds');
    return {
      type: required(request.type, 'type', 'the job type of the service tasks, e.g. "payment-service"'),
      worker: required(request.worker, 'worker', 'the name of the worker, e.g. "payment-worker-1"'),
      timeoutMs: int64In(request.timeout, 'timeout', 1, JOB_TIMEOUT_MAX_MS, ' ms'),
      maxJobsToActivate,
      fetchVariables: request.fetchVariable.length > 0 ? request.fetchVariable : undefined,
      requestTimeoutMs,
    };
  }

  /**
   * Long polling: with none activatable, waits up to requestTimeout (0: the gateway's default,
   * 10 s; negative: not at all) and answers as soon as there are jobs, in one response.
   */
  private async activate(request: ActivateJobsRequest, { signal }: RpcContext, send: (m: { jobs: ActivatedJobMessage[] }) => Promise<boolean>): Promise<void> {
    if (request.maxJobsToActivate < 1 || request.maxJobsToActivate > MAX_JOBS_PER_ACTIVATION) {
      throw invalidArgument(`maxJobsToActivate must be a whole number from 1 to ${MAX_JOBS_PER_ACTIVATION} (got ${request.maxJobsToActivate})`);
    }
    const requested = int64In(request.requestTimeout, 'requestTimeout', Number.MIN_SAFE_INTEGER, REQUEST_TIMEOUT_MAX_MS, ' ms');
    const requestTimeoutMs = requested === 0 ? DEFAULT_REQUEST_TIMEOUT_MS : Math.max(0, requested);
    const jobs = await this.engine.activateJobs(this.command(request, request.maxJobsToActivate, requestTimeoutMs), signal);
    if (jobs.length === 0) return;
    if (!(await send({ jobs: jobs.map(activatedJobMessage) }))) await this.giveBack(jobs);
  }

  /**
   * Pushes jobs as they become activatable for as long as the client keeps the stream open: the
   * same long poll as ActivateJobs, round after round, each job written once the client has read
   * the one before. Jobs activated for a client that left before they were written are given back.
   */
  private async stream(request: StreamActivatedJobsRequest, { signal }: RpcContext, send: (m: ActivatedJobMessage) => Promise<boolean>): Promise<void> {
    const command = this.command(request, STREAM_BATCH, STREAM_ROUND_MS);
    while (!signal.aborted) {
      const jobs = await this.engine.activateJobs(command, signal);
      for (let i = 0; i < jobs.length; i++) {
        if (!(await send(activatedJobMessage(jobs[i])))) {
          await this.giveBack(jobs.slice(i));
          return;
        }
      }
    }
  }

  /**
   * Jobs activated for a call that ended before they reached the client: activatable again at once
   * with the retries they had (a failure that takes no retry), so no job waits out its timeout.
   */
  private async giveBack(jobs: ActivatedJob[]): Promise<void> {
    for (const job of jobs) {
      await this.engine.failJob(job.key, job.retries, 'Not delivered: the worker\'s call ended before the job reached it', 0).catch((e: unknown) => {
        this.logger.warn(`Job ${job.key} could not be given back after its call ended (it becomes activatable at its deadline): ${e instanceof Error ? e.message : String(e)}`);
      });
    }
  }
}

/**
 * The 8.8 `result` of a completion (gateway-protocol.ts reads it): an ad-hoc sub-process's
 * decision, read as /v2 reads it; a user task listener's denial or corrections is refused, since
 * Mustafid runs no task listeners.
 */
function jobResult(raw: NonNullable<CompleteJobRequest['result']>): AdHocJobResult {
  if (raw.denied || raw.deniedReason || raw.corrections.length > 0) {
    throw invalidArgument('result.denied and result.corrections answer a user task listener\'s job, and Mustafid runs no task listeners');
  }
  const activateElements = raw.activateElements.map((element, n) => ({
    elementId: element.elementId,
    variables: parseVariables(element.variables, `result.activateElements[${n}].variables`),
  }));
  return readAdHocJobResult(
    {
      // Zeebe's default type is "userTask".
      type: raw.type || 'userTask',
      activateElements,
      isCompletionConditionFulfilled: raw.isCompletionConditionFulfilled,
      isCancelRemainingInstances: raw.isCancelRemainingInstances,
    },
    (message) => new GatewayError(status.INVALID_ARGUMENT, message),
  );
}
