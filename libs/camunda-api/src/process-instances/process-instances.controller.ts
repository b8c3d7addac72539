import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { DomainError, NotFoundError } from '@mustafid/platform';
import { REQUEST_TIMEOUT_MAX_MS } from '../jobs/jobs.dto';
import { type InstanceState, type ProcessInstanceSummary, ReservedProcesses, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { command } from '../shared/rejections';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, KeyPipe, assertDefaultTenant, badRequest, isLongText, isoDate } from '../shared/values';
import { CompletionAbandoned, CompletionCanceled, CompletionTimeout, DEFAULT_RESULT_TIMEOUT_MS, awaitCompletion } from './await-completion';
import { CancelProcessInstanceDto, CreateProcessInstanceDto } from './process-instances.dto';

/** Camunda's instance states: a cancelled instance is TERMINATED. */
const STATE: Record<InstanceState, 'ACTIVE' | 'COMPLETED' | 'TERMINATED'> = { ACTIVE: 'ACTIVE', COMPLETED: 'COMPLETED', CANCELED: 'TERMINATED' };
const ENGINE_STATE = { ACTIVE: 'ACTIVE', COMPLETED: 'COMPLETED', TERMINATED: 'CANCELED' } as const;

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/ */
const FILTERS = ['processInstanceKey', 'processDefinitionId', 'processDefinitionKey', 'processDefinitionVersion', 'state', 'parentProcessInstanceKey', 'hasIncident', 'tenantId'];
const LATER_FILTERS = [
  'processDefinitionName',
  'processDefinitionVersionTag',
  'startDate',
  'endDate',
  'variables',
  'parentElementInstanceKey',
  'batchOperationId',
  'errorMessage',
  'hasRetriesLeft',
  'elementInstanceState',
  'elementId',
  'hasElementInstanceIncident',
  'incidentErrorHashCode',
  'tags',
  '$or',
];
const SORT_FIELDS = {
  processInstanceKey: 'key',
  processDefinitionId: 'bpmnProcessId',
  processDefinitionKey: 'processDefinitionKey',
  processDefinitionVersion: 'version',
  state: 'state',
  startDate: 'startedAt',
  endDate: 'endedAt',
  parentProcessInstanceKey: 'parentProcessInstanceKey',
} as const;

/** An instance as Camunda's ProcessInstanceResult. */
function instanceResult(i: ProcessInstanceSummary) {
  return {
    processDefinitionId: i.bpmnProcessId,
    // Camunda names an unnamed process by its id.
    processDefinitionName: i.processName ?? i.bpmnProcessId,
    processDefinitionVersion: i.version,
    startDate: isoDate(i.startedAt),
    ...(i.endedAt ? { endDate: isoDate(i.endedAt) } : {}),
    state: STATE[i.state],
    hasIncident: i.hasIncident,
    tenantId: DEFAULT_TENANT,
    processInstanceKey: i.key,
    processDefinitionKey: i.processDefinitionKey,
    ...(i.parentProcessInstanceKey ? { parentProcessInstanceKey: i.parentProcessInstanceKey } : {}),
    ...(i.parentElementInstanceKey && isLongText(i.parentElementInstanceKey) ? { parentElementInstanceKey: i.parentElementInstanceKey } : {}),
  };
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/process-instances')
export class ProcessInstancesController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly reserved: ReservedProcesses,
  ) {}

  /**
   * Starts an instance of the latest (or the given) version of a process, or of a version by its
   * key: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/
   */
  @Roles(...ACCESS.startInstance)
  @Post()
  @HttpCode(200)
  async create(@Body() dto: CreateProcessInstanceDto, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    assertDefaultTenant([dto.tenantId], 'tenantId');
    if (dto.startInstructions?.length) throw badRequest('startInstructions are not supported by Mustafid yet: an instance starts at its none start event');
    if (dto.runtimeInstructions?.length) throw badRequest('runtimeInstructions are not supported by Mustafid yet');
    if (dto.tags?.length) throw badRequest('tags are not supported by Mustafid yet');
    if (!dto.awaitCompletion && dto.fetchVariables?.length) throw badRequest('fetchVariables names the variables of the result, so it goes with awaitCompletion: true');
    const timeoutMs = this.resultTimeout(dto);
    const byId = dto.processDefinitionId !== undefined;
    if (byId === (dto.processDefinitionKey !== undefined)) {
      throw badRequest('Give either processDefinitionId (with processDefinitionVersion, or the latest) or processDefinitionKey, not both and not neither');
    }
    let bpmnProcessId: string;
    let version: number | undefined;
    if (byId) {
      bpmnProcessId = dto.processDefinitionId!;
      version = dto.processDefinitionVersion === undefined || dto.processDefinitionVersion === -1 ? undefined : dto.processDefinitionVersion;
      if (version === 0) throw badRequest('processDefinitionVersion must be a deployed version (1 or more), or -1 for the latest');
    } else {
      if (dto.processDefinitionVersion !== undefined && dto.processDefinitionVersion !== -1) {
        throw badRequest('processDefinitionVersion goes with processDefinitionId: a processDefinitionKey names one version already');
      }
      if (!isLongText(dto.processDefinitionKey)) throw badRequest('processDefinitionKey must be a key: a whole number written as a string, e.g. "2251799813685249"');
      const definition = await this.engine.getProcessDefinition(dto.processDefinitionKey);
      bpmnProcessId = definition.bpmnProcessId;
      version = definition.version;
    }
    this.reserved.assertStartable(bpmnProcessId);
    const created = await this.engine.createInstance({ bpmnProcessId, version, variables: dto.variables ?? {}, actor: { id: user.id, username: user.username } });
    const answer = {
      processDefinitionId: bpmnProcessId,
      processDefinitionVersion: created.version,
      tenantId: DEFAULT_TENANT,
      variables: {},
      processDefinitionKey: created.processDefinitionKey,
      processInstanceKey: created.processInstanceKey,
    };
    if (!dto.awaitCompletion) return answer;
    const abandoned = new AbortController();
    res.once('close', () => abandoned.abort());
    try {
      return { ...answer, variables: await awaitCompletion(this.engine, created.processInstanceKey, timeoutMs, dto.fetchVariables ?? [], abandoned.signal) };
    } catch (e) {
      if (e instanceof CompletionTimeout) throw new DomainError('DEADLINE_EXCEEDED', e.message, 504);
      if (e instanceof CompletionCanceled) throw new DomainError('INVALID_STATE', e.message, 409);
      if (e instanceof CompletionAbandoned) throw new DomainError('CANCELLED', e.message, 408);
      throw e;
    }
  }

  /**
   * How long `awaitCompletion` waits: `requestTimeout` ms, or when it is 0 or missing the generic
   * request timeout (15 s), as the specification says; up to an hour, like job activation's.
   */
  private resultTimeout(dto: CreateProcessInstanceDto): number {
    const requested = dto.requestTimeout === undefined ? 0 : Number(dto.requestTimeout);
    if (requested < 0) throw badRequest('requestTimeout must be 0 (the default wait) or a number of milliseconds to wait for the instance to complete');
    if (requested > REQUEST_TIMEOUT_MAX_MS) throw badRequest(`requestTimeout must be at most ${REQUEST_TIMEOUT_MAX_MS} ms (an hour)`);
    return requested === 0 ? DEFAULT_RESULT_TIMEOUT_MS : requested;
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/ */
  @Roles(...ACCESS.cancelInstance)
  @Post(':processInstanceKey/cancellation')
  @HttpCode(204)
  async cancel(@Param('processInstanceKey', KeyPipe) key: string, @Body() _dto: CancelProcessInstanceDto, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() => this.engine.cancelInstance(key, { id: user.id, username: user.username }));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-instances/ */
  @Roles(...ACCESS.readInstances)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'process instance search', FILTERS, LATER_FILTERS);
    f.tenant();
    const states = f.values('state', { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const });
    const page = pageOf(dto.page);
    const query = {
      filter: {
        processInstanceKeys: f.values('processInstanceKey', 'key'),
        processDefinitionIds: f.values('processDefinitionId', 'string'),
        processDefinitionKeys: f.values('processDefinitionKey', 'key'),
        processDefinitionVersions: f.values('processDefinitionVersion', 'int'),
        states: states?.map((s) => ENGINE_STATE[s]),
        parentProcessInstanceKeys: f.values('parentProcessInstanceKey', 'key'),
        hasIncident: f.boolean('hasIncident'),
      },
      page,
      sort: sortOf(dto.sort, SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchProcessInstances(query);
    return { items: found.items.map(instanceResult), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance/ */
  @Roles(...ACCESS.readInstances)
  @Get(':processInstanceKey')
  async get(@Param('processInstanceKey', KeyPipe) key: string) {
    const [found] = (await this.engine.searchProcessInstances({ filter: { processInstanceKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Process instance', key);
    return instanceResult(found);
  }

  /**
   * The chain of instances that call activities created down to this one, root first and this one
   * last; empty for an instance no call activity created (as Camunda's callHierarchy reads the
   * instance's tree path): https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance-call-hierarchy/
   */
  @Roles(...ACCESS.readInstances)
  @Get(':processInstanceKey/call-hierarchy')
  async callHierarchy(@Param('processInstanceKey', KeyPipe) key: string) {
    const chain: ProcessInstanceSummary[] = [];
    for (let next: string | undefined = key; next !== undefined; ) {
      const [found]: Array<ProcessInstanceSummary | undefined> = (await this.engine.searchProcessInstances({ filter: { processInstanceKeys: [next] }, page: { from: 0, limit: 1 } })).items;
      if (!found) {
        if (next === key) throw new NotFoundError('Process instance', key);
        break;
      }
      chain.unshift(found);
      // Call activities nest at most MAX_CALL_DEPTH deep: a longer chain would be a loop in the data.
      next = chain.length > 1000 ? undefined : found.parentProcessInstanceKey;
    }
    if (chain.length === 1) return [];
    return chain.map((i) => ({ processInstanceKey: i.key, processDefinitionKey: i.processDefinitionKey, processDefinitionName: i.processName || i.bpmnProcessId }));
  }
}
