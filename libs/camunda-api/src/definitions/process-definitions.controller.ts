import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { type ProcessDefinitionView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import type { Response } from 'express';
import { ACCESS } from '../shared/access';
import { LinkedForms, formResult } from '../shared/forms';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, KeyPipe } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-definitions/ */
const FILTERS = ['processDefinitionKey', 'processDefinitionId', 'name', 'version', 'versionTag', 'resourceName', 'isLatestVersion', 'tenantId'];
const LATER_FILTERS = ['hasStartForm'];
const SORT_FIELDS = {
  processDefinitionKey: 'key',
  name: 'name',
  resourceName: 'resourceName',
  version: 'version',
  versionTag: 'versionTag',
  processDefinitionId: 'bpmnProcessId',
  tenantId: 'key',
} as const;

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/process-definitions')
export class ProcessDefinitionsController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly forms: LinkedForms,
  ) {}

  /** Camunda's ProcessDefinitionResult. */
  private async result(d: ProcessDefinitionView) {
    return {
      ...(d.name !== undefined ? { name: d.name } : {}),
      resourceName: d.resourceName,
      version: d.version,
      ...(d.versionTag !== undefined ? { versionTag: d.versionTag } : {}),
      processDefinitionId: d.bpmnProcessId,
      tenantId: DEFAULT_TENANT,
      processDefinitionKey: d.key,
      hasStartForm: await this.forms.hasStartForm(d),
    };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-process-definitions/ */
  @Roles(...ACCESS.readDefinitions)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'process definition search', FILTERS, LATER_FILTERS);
    f.tenant(false);
    const page = pageOf(dto.page);
    const query = {
      filter: {
        keys: f.values('processDefinitionKey', 'key', false),
        bpmnProcessIds: f.values('processDefinitionId', 'string'),
        names: f.values('name', 'string'),
        versions: f.values('version', 'int', false),
        versionTags: f.values('versionTag', 'string', false),
        resourceNames: f.values('resourceName', 'string', false),
        isLatestVersion: f.boolean('isLatestVersion'),
      },
      page,
      sort: sortOf(dto.sort, SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchProcessDefinitions(query);
    const items = [];
    for (const d of found.items) items.push(await this.result(d));
    return { items, page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition/ */
  @Roles(...ACCESS.readDefinitions)
  @Get(':processDefinitionKey')
  async get(@Param('processDefinitionKey', KeyPipe) key: string) {
    return this.result(await this.definition(key));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition-xml/ */
  @Roles(...ACCESS.readDefinitions)
  @Get(':processDefinitionKey/xml')
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async xml(@Param('processDefinitionKey', KeyPipe) key: string): Promise<string> {
    await this.definition(key);
    return this.engine.getProcessDefinitionXml(key);
  }

  /**
   * The start form: the form the none start event links (zeebe:formDefinition formId), 204 when it
   * links none: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-start-process-form/
   */
  @Roles(...ACCESS.readDefinitions)
  @Get(':processDefinitionKey/form')
  async startForm(@Param('processDefinitionKey', KeyPipe) key: string, @Res({ passthrough: true }) res: Response) {
    const form = await this.forms.startForm(await this.definition(key));
    if (!form) {
      res.status(204);
      return undefined;
    }
    return formResult(form);
  }

  private async definition(key: string): Promise<ProcessDefinitionView> {
    const [found] = (await this.engine.searchProcessDefinitions({ filter: { keys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('Process definition', key);
    return found;
  }
}
