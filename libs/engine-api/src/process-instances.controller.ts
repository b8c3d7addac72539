import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { type BroadcastedSignal, type EngineEvent, type ProcessInstanceView, type PublishedMessage, ReservedProcesses, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { BroadcastSignalDto, CreateInstanceDto, PublishMessageDto, SetVariablesDto } from './engine-api.dto';

const actorOf = (user: AuthUser) => ({ id: user.id, username: user.username });

@ApiTags('process-instances')
@UseInterceptors(ClientCommands)
@Controller()
export class ProcessInstancesController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly reserved: ReservedProcesses,
  ) {}

  /** Start an instance of a deployed process (latest version unless `version` is given). */
  @Roles('process-owner', 'admin')
  @Post('process-instances')
  @ApiNotFoundResponse({ description: 'No such process or version (code PROCESS_NOT_FOUND)' })
  @ApiConflictResponse({ description: 'The process is started only by its own route, e.g. the intake process by recording a request (code PROCESS_STARTED_ELSEWHERE)' })
  create(@Body() dto: CreateInstanceDto, @CurrentUser() user: AuthUser): Promise<{ processInstanceKey: string; version: number }> {
    this.reserved.assertStartable(dto.bpmnProcessId);
    return this.engine.createInstance({ ...dto, actor: actorOf(user) });
  }

  /** State, variables, active elements and open incidents of an instance. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('process-instances/:key')
  @ApiNotFoundResponse()
  get(@Param('key') key: string): Promise<ProcessInstanceView> {
    return this.engine.getInstance(key);
  }

  /** Every recorded transition of an instance, in order: elements, flows, jobs, timers, messages, incidents. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('process-instances/:key/events')
  @ApiNotFoundResponse()
  events(@Param('key') key: string): Promise<EngineEvent[]> {
    return this.engine.getInstanceEvents(key);
  }

  /** Cancel an active instance: its jobs, timers, subscriptions and tasks close. */
  @Roles('admin')
  @Delete('process-instances/:key')
  @HttpCode(204)
  @ApiConflictResponse({ description: 'Not active (code INSTANCE_NOT_ACTIVE)' })
  cancel(@Param('key') key: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.engine.cancelInstance(key, actorOf(user));
  }

  /** Merge variables into an active instance, e.g. to fix what an incident complains about. */
  @Roles('process-owner', 'admin')
  @Post('process-instances/:key/variables')
  @HttpCode(204)
  async setVariables(@Param('key') key: string, @Body() dto: SetVariablesDto, @CurrentUser() user: AuthUser): Promise<void> {
    // The instance's own scope only: an element instance's is PUT /v2/element-instances/{key}/variables.
    await this.engine.getInstance(key);
    await this.engine.setVariables(key, dto.variables, actorOf(user));
  }

  /**
   * Publish a message: it correlates once per process to the earliest instance waiting with that
   * name and key, starts processes with a matching message start event, and stays buffered for
   * timeToLive for processes that subscribe later (Camunda 8 "Messages").
   */
  @Roles('process-owner', 'admin')
  @Post('messages')
  @ApiConflictResponse({ description: 'A message with this name, correlation key and messageId is still buffered (code MESSAGE_ALREADY_PUBLISHED)' })
  publish(@Body() dto: PublishMessageDto): Promise<PublishedMessage> {
    return this.engine.publishMessage(dto);
  }

  /**
   * Broadcast a signal: it triggers every signal catch, boundary and event subprocess start event
   * waiting with that name now, in any instance, and starts an instance of each process whose
   * latest version has a signal start event of that name. Not buffered (Camunda 8 "Signals").
   */
  @Roles('process-owner', 'admin')
  @Post('signals')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'The broadcast was made; its key (64-bit, decimal)',
    schema: { type: 'object', required: ['signalKey'], properties: { signalKey: { type: 'string', example: '2251799813685321' } } },
  })
  @ApiBadRequestResponse({ description: 'An empty or overlong signalName, or variables that are not a JSON object (code VALIDATION_FAILED)' })
  broadcast(@Body() dto: BroadcastSignalDto): Promise<BroadcastedSignal> {
    return this.engine.broadcastSignal(dto);
  }
}
