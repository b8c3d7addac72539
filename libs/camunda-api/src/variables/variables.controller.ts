import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { KeyPipe } from '../shared/values';
import { VARIABLE_SORT_FIELDS, truncateValuesOf, variableResult, variableSearchResult } from './variables';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-variables/ */
const FILTERS = ['name', 'value', 'tenantId', 'isTruncated', 'variableKey', 'scopeKey', 'processInstanceKey'];

/**
 * Variables of process instances and of their active element instances. A variable's key is
 * given the first time it is listed and kept (see the engine's searchVariables); the local
 * variables of an element instance that has ended are gone with it.
 */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/variables')
export class VariablesController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-variables/ */
  @Roles(...ACCESS.readInstances)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto, @Query('truncateValues') truncateValues?: string) {
    const truncate = truncateValuesOf(truncateValues);
    const f = new FilterReader(dto.filter, 'variable search', FILTERS, []);
    f.tenant(false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        names: f.values('name', 'string'),
        values: f.values('value', 'string'),
        variableKeys: f.values('variableKey', 'key'),
        scopeKeys: f.values('scopeKey', 'key'),
        processInstanceKeys: f.values('processInstanceKey', 'key'),
        isTruncated: f.boolean('isTruncated'),
      },
      page,
      sort: sortOf(dto.sort, VARIABLE_SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchVariables(query);
    return { items: found.items.map((v) => variableSearchResult(v, truncate)), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-variable/ */
  @Roles(...ACCESS.readInstances)
  @Get(':variableKey')
  async get(@Param('variableKey', KeyPipe) key: string) {
    const [found] = (await this.engine.searchVariables({ filter: { variableKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Variable', key);
    return variableResult(found);
  }
}
