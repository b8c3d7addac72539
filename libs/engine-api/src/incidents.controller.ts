import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { type IncidentView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { IncidentQuery, JobRetriesDto } from './engine-api.dto';

@ApiTags('incidents')
@UseInterceptors(ClientCommands)
@Controller()
export class IncidentsController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** Incidents, newest first: where an instance is stuck and why. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('incidents')
  list(@Query() query: IncidentQuery): Promise<IncidentView[]> {
    return this.engine.listIncidents(query);
  }

  /** Try the stuck step again (after fixing variables, or giving the job retries). */
  @Roles('process-owner', 'admin')
  @Post('incidents/:key/resolve')
  @HttpCode(204)
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already resolved, or the job still has no retries' })
  resolve(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.engine.resolveIncident(key, { id: user.id, username: user.username });
  }

  /** Give a failed job new retries (then resolve its incident). */
  @Roles('process-owner', 'admin')
  @Post('jobs/:key/retries')
  @HttpCode(204)
  retries(@Param('key') key: string, @Body() dto: JobRetriesDto): Promise<void> {
    return this.engine.updateJobRetries(key, dto.retries);
  }
}
