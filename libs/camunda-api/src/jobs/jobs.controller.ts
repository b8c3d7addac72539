import { Body, Controller, HttpCode, Inject, Param, Patch, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { type ActivatedJob, WORKFLOW_ENGINE, type WorkflowEngine, readAdHocJobResult, ClientCommands } from '@mustafid/workflow';
import type { Response } from 'express';
import { ACCESS } from '../shared/access';
import { command } from '../shared/rejections';
import { DEFAULT_TENANT, KeyPipe, assertDefaultTenant, badRequest, int64, isPlainObject } from '../shared/values';
import { ActivateJobsDto, CompleteJobDto, FailJobDto, ThrowJobErrorDto, UpdateJobDto } from './jobs.dto';

/**
 * How long an activation waits for a job when the request says 0: the Zeebe gateway's default
 * long-polling timeout (`zeebe.gateway.longPolling.timeout`, 10 s).
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** A job as Camunda's ActivatedJobResult: deadline in epoch milliseconds, the one tenant, an element's or an ad-hoc sub-process's job. */
function activatedJobResult(job: ActivatedJob) {
  return {
    type: job.type,
    processDefinitionId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    elementId: job.elementId,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline.getTime(),
    variables: job.variables,
    tenantId: DEFAULT_TENANT,
    jobKey: job.key,
    processInstanceKey: job.processInstanceKey,
    processDefinitionKey: job.processDefinitionKey,
    elementInstanceKey: job.elementInstanceKey,
    kind: job.kind,
    listenerEventType: 'UNSPECIFIED',
  };
}

/** Jobs for workers outside this server, as Camunda 8.8's job routes. */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/jobs')
export class JobsController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /**
   * Locks up to maxJobsToActivate jobs of a type for `timeout` ms; with none activatable, waits up
   * to requestTimeout for one (long polling):
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/
   */
  @Roles(...ACCESS.workJobs)
  @Post('activation')
  @HttpCode(200)
  async activate(@Body() dto: ActivateJobsDto, @Res({ passthrough: true }) res: Response) {
    assertDefaultTenant(dto.tenantIds ?? [], 'tenantIds');
    const requested = int64(dto.requestTimeout) ?? 0;
    const requestTimeoutMs = requested === 0 ? DEFAULT_REQUEST_TIMEOUT_MS : Math.max(0, requested);
    // A client that goes away (a worker stopping) ends the wait.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const jobs = await this.engine.activateJobs(
      {
        type: dto.type,
        worker: dto.worker ?? 'default',
        maxJobsToActivate: dto.maxJobsToActivate,
        timeoutMs: int64(dto.timeout)!,
        fetchVariables: dto.fetchVariable?.length ? dto.fetchVariable : undefined,
        requestTimeoutMs,
      },
      gone.signal,
    );
    return { jobs: jobs.map(activatedJobResult) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/ */
  @Roles(...ACCESS.workJobs)
  @Post(':jobKey/completion')
  @HttpCode(204)
  async complete(@Param('jobKey', KeyPipe) key: string, @Body() dto: CompleteJobDto): Promise<void> {
    const result = dto.result === undefined || dto.result === null ? undefined : readAdHocJobResult(dto.result, badRequest);
    await command(() => this.engine.completeJob(key, dto.variables ?? {}, result));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/fail-job/ */
  @Roles(...ACCESS.workJobs)
  @Post(':jobKey/failure')
  @HttpCode(204)
  async fail(@Param('jobKey', KeyPipe) key: string, @Body() dto: FailJobDto): Promise<void> {
    if (dto.variables && Object.keys(dto.variables).length > 0) {
      throw badRequest("variables on a job failure are not supported by Mustafid yet: set them when the job completes, or on the instance");
    }
    await command(() => this.engine.failJob(key, dto.retries ?? 0, dto.errorMessage ?? '', int64(dto.retryBackOff) ?? 0));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/throw-job-error/ */
  @Roles(...ACCESS.workJobs)
  @Post(':jobKey/error')
  @HttpCode(204)
  async throwError(@Param('jobKey', KeyPipe) key: string, @Body() dto: ThrowJobErrorDto): Promise<void> {
    await command(() => this.engine.throwJobError(key, dto.errorCode, dto.errorMessage ?? undefined, dto.variables ?? {}));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-job/ */
  @Roles(...ACCESS.jobRetries)
  @Patch(':jobKey')
  @HttpCode(204)
  async update(@Param('jobKey', KeyPipe) key: string, @Body() dto: UpdateJobDto): Promise<void> {
    const { retries, timeout } = dto.changeset;
    const given = (v: unknown) => v !== undefined && v !== null;
    if (!isPlainObject(dto.changeset) || (!given(retries) && !given(timeout))) {
      throw badRequest('changeset must give retries, timeout or both, e.g. {"changeset": {"retries": 3}} or {"changeset": {"timeout": 60000}}');
    }
    // The timeout first: it is refused for a job no worker holds, and then the retries are not changed either.
    if (given(timeout)) await command(() => this.engine.updateJobTimeout(key, Number(timeout)));
    if (given(retries)) await command(() => this.engine.updateJobRetries(key, retries!));
  }
}
