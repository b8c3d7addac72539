import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { type IncidentErrorType, type IncidentView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { IsOptional } from 'class-validator';
import { ACCESS } from '../shared/access';
import { command } from '../shared/rejections';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, IsInt64, KeyPipe, isoDate, keyOrNothing } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/resolve-incident/ */
export class ResolveIncidentDto {
  @IsOptional()
  @IsInt64({ min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 })
  operationReference?: number | string;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-incidents/ */
const FILTERS = ['incidentKey', 'processInstanceKey', 'processDefinitionId', 'processDefinitionKey', 'elementId', 'jobKey', 'state', 'errorType', 'tenantId'];
const LATER_FILTERS = ['errorMessage', 'creationTime', 'elementInstanceKey'];
const ERROR_TYPES = [
  'UNSPECIFIED',
  'UNKNOWN',
  'IO_MAPPING_ERROR',
  'JOB_NO_RETRIES',
  'EXECUTION_LISTENER_NO_RETRIES',
  'TASK_LISTENER_NO_RETRIES',
  'AD_HOC_SUB_PROCESS_NO_RETRIES',
  'CONDITION_ERROR',
  'EXTRACT_VALUE_ERROR',
  'CALLED_ELEMENT_ERROR',
  'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED',
  'CALLED_DECISION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'FORM_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
] as const;
const SORT_FIELDS = {
  incidentKey: 'key',
  processInstanceKey: 'processInstanceKey',
  processDefinitionKey: 'processDefinitionKey',
  processDefinitionId: 'bpmnProcessId',
  errorType: 'errorType',
  elementId: 'elementId',
  creationTime: 'createdAt',
  state: 'state',
  jobKey: 'jobKey',
} as const;

function incidentResult(i: IncidentView) {
  return {
    processDefinitionId: i.bpmnProcessId,
    errorType: i.errorType,
    errorMessage: i.errorMessage,
    elementId: i.elementId,
    creationTime: isoDate(i.createdAt),
    state: i.state,
    tenantId: DEFAULT_TENANT,
    incidentKey: i.key,
    ...(i.processDefinitionKey ? { processDefinitionKey: i.processDefinitionKey } : {}),
    processInstanceKey: i.processInstanceKey,
    ...(keyOrNothing(i.elementInstanceKey) ? { elementInstanceKey: i.elementInstanceKey } : {}),
    ...(i.jobKey ? { jobKey: i.jobKey } : {}),
  };
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/incidents')
export class IncidentsController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-incidents/ */
  @Roles(...ACCESS.readIncidents)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'incident search', FILTERS, LATER_FILTERS);
    f.tenant(false);
    const errorTypes = f.values('errorType', { enum: ERROR_TYPES }, false);
    const states = f.values('state', { enum: ['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING'] as const }, false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        incidentKeys: f.values('incidentKey', 'key', false),
        processInstanceKeys: f.values('processInstanceKey', 'key', false),
        processDefinitionIds: f.values('processDefinitionId', 'string', false),
        processDefinitionKeys: f.values('processDefinitionKey', 'key', false),
        elementIds: f.values('elementId', 'string', false),
        jobKeys: f.values('jobKey', 'key', false),
        // Mustafid's incidents are ACTIVE or RESOLVED; MIGRATED and PENDING match none.
        states: states?.filter((s): s is IncidentView['state'] => s === 'ACTIVE' || s === 'RESOLVED'),
        errorTypes: errorTypes as IncidentErrorType[] | undefined,
      },
      page,
      sort: sortOf(dto.sort, SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchIncidents(query);
    return { items: found.items.map(incidentResult), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-incident/ */
  @Roles(...ACCESS.readIncidents)
  @Get(':incidentKey')
  async get(@Param('incidentKey', KeyPipe) key: string) {
    const [found] = (await this.engine.searchIncidents({ filter: { incidentKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Incident', key);
    return incidentResult(found);
  }

  /**
   * Resolves an incident: a job's incident makes the job activatable again (give it retries first:
   * PATCH /v2/jobs/{jobKey}); any other runs its step again:
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/resolve-incident/
   */
  @Roles(...ACCESS.resolveIncidents)
  @Post(':incidentKey/resolution')
  @HttpCode(204)
  async resolve(@Param('incidentKey', KeyPipe) key: string, @Body() _dto: ResolveIncidentDto, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() => this.engine.resolveIncident(key, { id: user.id, username: user.username }));
  }
}
