import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { type ElementInstanceView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import { ACCESS } from '../shared/access';
import { command } from '../shared/rejections';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, IsInt64, KeyPipe, isoDate } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-element-instance-variables/ */
export class SetElementVariablesDto {
  @IsObject({ message: 'variables is required: a JSON object of the variables to set, e.g. {"amount": 500}' })
  variables!: Record<string, unknown>;

  /** true: set in the element instance's own scope; false (default): each in the nearest scope up that has it, else the root. */
  @IsOptional()
  @IsBoolean({ message: 'local must be true or false' })
  local?: boolean | null;

  @IsOptional()
  @IsInt64({ min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 })
  operationReference?: number | string;
}

/** Camunda's element types (ElementInstanceResult.type), as the 8.8 API names them. */
const ELEMENT_TYPES = [
  'UNSPECIFIED',
  'PROCESS',
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
  'START_EVENT',
  'INTERMEDIATE_CATCH_EVENT',
  'INTERMEDIATE_THROW_EVENT',
  'BOUNDARY_EVENT',
  'END_EVENT',
  'SERVICE_TASK',
  'RECEIVE_TASK',
  'USER_TASK',
  'MANUAL_TASK',
  'TASK',
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
  'SEQUENCE_FLOW',
  'MULTI_INSTANCE_BODY',
  'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'UNKNOWN',
] as const;

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-element-instances/ */
const FILTERS = [
  'elementInstanceKey',
  'processInstanceKey',
  'processDefinitionKey',
  'processDefinitionId',
  'elementId',
  'type',
  'state',
  'hasIncident',
  'incidentKey',
  'elementInstanceScopeKey',
  'tenantId',
];
const LATER_FILTERS = ['elementName', 'startDate', 'endDate'];
const SORT_FIELDS = {
  elementInstanceKey: 'key',
  processInstanceKey: 'processInstanceKey',
  processDefinitionKey: 'processDefinitionKey',
  processDefinitionId: 'bpmnProcessId',
  startDate: 'startDate',
  endDate: 'endDate',
  elementId: 'elementId',
  type: 'type',
  state: 'state',
  incidentKey: 'incidentKey',
  // One tenant: sorting by it keeps the order by key.
  tenantId: 'key',
} as const;

/** An element instance as Camunda's ElementInstanceResult. */
function elementInstanceResult(e: ElementInstanceView) {
  return {
    processDefinitionId: e.bpmnProcessId,
    startDate: isoDate(e.startDate),
    ...(e.endDate ? { endDate: isoDate(e.endDate) } : {}),
    elementId: e.elementId,
    elementName: e.elementName,
    type: e.type,
    state: e.state,
    hasIncident: e.incidentKey !== undefined,
    tenantId: DEFAULT_TENANT,
    elementInstanceKey: e.key,
    processInstanceKey: e.processInstanceKey,
    processDefinitionKey: e.processDefinitionKey,
    ...(e.incidentKey ? { incidentKey: e.incidentKey } : {}),
  };
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/element-instances')
export class ElementInstancesController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-element-instances/ */
  @Roles(...ACCESS.readInstances)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'element instance search', FILTERS, LATER_FILTERS);
    f.tenant(false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        elementInstanceKeys: f.values('elementInstanceKey', 'key', false),
        processInstanceKeys: f.values('processInstanceKey', 'key', false),
        processDefinitionKeys: f.values('processDefinitionKey', 'key', false),
        processDefinitionIds: f.values('processDefinitionId', 'string', false),
        elementIds: f.values('elementId', 'string', false),
        types: f.values('type', { enum: ELEMENT_TYPES }, false),
        states: f.values('state', { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const }),
        incidentKeys: f.values('incidentKey', 'key', false),
        hasIncident: f.boolean('hasIncident'),
        flowScopeKeys: f.values('elementInstanceScopeKey', 'key', false),
      },
      page,
      sort: sortOf(dto.sort, SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchElementInstances(query);
    return { items: found.items.map(elementInstanceResult), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-element-instance/ */
  @Roles(...ACCESS.readInstances)
  @Get(':elementInstanceKey')
  async get(@Param('elementInstanceKey', KeyPipe) key: string) {
    const [found] = (await this.engine.searchElementInstances({ filter: { elementInstanceKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Element instance', key);
    return elementInstanceResult(found);
  }

  /**
   * Sets variables on an active element instance's scope or a process instance's (its key is the
   * root scope's): https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-element-instance-variables/
   * An element instance that is not active is not found (404), as Zeebe rejects it.
   */
  @Roles(...ACCESS.setVariables)
  @Put(':elementInstanceKey/variables')
  @HttpCode(204)
  async setVariables(@Param('elementInstanceKey', KeyPipe) key: string, @Body() dto: SetElementVariablesDto, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() => this.engine.setVariables(key, dto.variables, { id: user.id, username: user.username }, { local: dto.local === true }));
  }
}
