import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { DomainError } from '@mustafid/platform';
import { type ActivatedJob, readAdHocJobResult, type UserTaskView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ActivateJobsDto, CompleteDto, CompleteJobDto, FailJobDto, ThrowErrorDto, UserTaskQuery } from './engine-api.dto';

/**
 * Jobs and user tasks for clients outside this process, shaped like Camunda 8's REST API
 * (activation, completion, failure, error). The staff task list (/api/tasks) builds on the
 * engine separately; these are for administrators and external workers (the `worker` role,
 * e.g. a machine client that only works jobs).
 */
@ApiTags('jobs')
@UseInterceptors(ClientCommands)
@Controller()
export class JobsController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
  ) {}

  /** Lock up to maxJobsToActivate jobs of a type for `timeout` ms. */
  @Roles('worker', 'admin')
  @Post('jobs/activation')
  @HttpCode(200)
  async activate(@Body() dto: ActivateJobsDto): Promise<{ jobs: ActivatedJob[] }> {
    // No long polling here (that is /v2/jobs/activation's requestTimeout); with ENGINE=zeebe the port says where to go instead.
    const jobs = await this.engine.activateJobs({
      type: dto.type,
      worker: dto.worker ?? 'rest',
      maxJobsToActivate: dto.maxJobsToActivate,
      timeoutMs: dto.timeout,
      fetchVariables: dto.fetchVariable,
      requestTimeoutMs: 0,
    });
    return { jobs };
  }

  @Roles('worker', 'admin')
  @Post('jobs/:key/completion')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'The job is no longer active, or has an incident (code JOB_NOT_ACTIVE)' })
  complete(@Param('key') key: string, @Body() dto: CompleteJobDto): Promise<void> {
    const result = dto.result ? readAdHocJobResult(dto.result, (message) => new DomainError('INVALID_JOB_RESULT', message, 400)) : undefined;
    return this.engine.completeJob(key, dto.variables ?? {}, result);
  }

  @Roles('worker', 'admin')
  @Post('jobs/:key/failure')
  @HttpCode(204)
  fail(@Param('key') key: string, @Body() dto: FailJobDto): Promise<void> {
    return this.engine.failJob(key, dto.retries, dto.errorMessage ?? '', dto.retryBackOff);
  }

  @Roles('worker', 'admin')
  @Post('jobs/:key/error')
  @HttpCode(204)
  throwError(@Param('key') key: string, @Body() dto: ThrowErrorDto): Promise<void> {
    return this.engine.throwJobError(key, dto.errorCode, dto.errorMessage, dto.variables ?? {});
  }

  /** Open user tasks of an instance (the staff task list has the full search). */
  @Roles('admin', 'auditor')
  @Get('user-tasks')
  userTasks(@Query() query: UserTaskQuery): Promise<UserTaskView[]> {
    return this.engine.listUserTasks(query.processInstanceKey, query.state);
  }

  @Roles('admin')
  @Post('user-tasks/:key/completion')
  @HttpCode(204)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already completed or cancelled (code TASK_NOT_ACTIVE)' })
  completeUserTask(@Param('key') key: string, @Body() dto: CompleteDto, @CurrentUser() user: AuthUser): Promise<void> {
    return this.engine.completeUserTask(key, dto.variables ?? {}, { id: user.id, username: user.username });
  }
}
