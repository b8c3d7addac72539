import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import { type ElementInstanceView, type UserTaskView, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import type { Response } from 'express';
import { ACCESS } from '../shared/access';
import { LinkedForms, formResult } from '../shared/forms';
import { command } from '../shared/rejections';
import { FilterReader, SearchQueryDto, pageOf, pageResponse, sortOf } from '../shared/search';
import { DEFAULT_TENANT, KeyPipe, isoDate, keyOrNothing } from '../shared/values';
import { VARIABLE_SORT_FIELDS, truncateValuesOf, variableSearchResult } from '../variables/variables';
import { AssignUserTaskDto, CompleteUserTaskDto, UpdateUserTaskDto, userTaskChangesOf } from './user-tasks.dto';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/ */
const FILTERS = [
  'state',
  'assignee',
  'candidateGroup',
  'candidateUser',
  'elementId',
  'processDefinitionId',
  'userTaskKey',
  'processDefinitionKey',
  'processInstanceKey',
  'elementInstanceKey',
  'tenantId',
];
const LATER_FILTERS = ['priority', 'name', 'creationDate', 'completionDate', 'followUpDate', 'dueDate', 'processInstanceVariables', 'localVariables'];
const SORT_FIELDS = {
  creationDate: 'createdAt',
  completionDate: 'completedAt',
  followUpDate: 'followUpDate',
  dueDate: 'dueDate',
  priority: 'priority',
  name: 'name',
} as const;
const STATES = ['CREATING', 'CREATED', 'ASSIGNING', 'UPDATING', 'COMPLETING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED'] as const;

/** A task as Camunda's UserTaskResult; `formKey` is the key of the deployed form it links, when it links one. */
function userTaskResult(t: UserTaskView, formKey?: string) {
  return {
    ...(t.name !== undefined ? { name: t.name } : {}),
    state: t.state,
    ...(t.assignee ? { assignee: t.assignee } : {}),
    elementId: t.elementId,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    processDefinitionId: t.bpmnProcessId,
    creationDate: isoDate(t.createdAt),
    ...(t.completedAt ? { completionDate: isoDate(t.completedAt) } : {}),
    ...(t.followUpDate ? { followUpDate: isoDate(t.followUpDate) } : {}),
    ...(t.dueDate ? { dueDate: isoDate(t.dueDate) } : {}),
    tenantId: DEFAULT_TENANT,
    processDefinitionVersion: t.processDefinitionVersion,
    customHeaders: {},
    priority: t.priority,
    userTaskKey: t.key,
    ...(keyOrNothing(t.elementInstanceKey) ? { elementInstanceKey: t.elementInstanceKey } : {}),
    ...(t.processDefinitionKey ? { processDefinitionKey: t.processDefinitionKey } : {}),
    processInstanceKey: t.processInstanceKey,
    ...(formKey ? { formKey } : {}),
  };
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/user-tasks')
export class UserTasksController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly forms: LinkedForms,
  ) {}

  private async result(t: UserTaskView) {
    return userTaskResult(t, (await this.forms.ofUserTask(t))?.key);
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-tasks/ */
  @Roles(...ACCESS.readUserTasks)
  @Post('search')
  @HttpCode(200)
  async search(@Body() dto: SearchQueryDto) {
    const f = new FilterReader(dto.filter, 'user task search', FILTERS, LATER_FILTERS);
    f.tenant();
    const states = f.values('state', { enum: STATES });
    const page = pageOf(dto.page);
    const query = {
      filter: {
        // Mustafid's tasks are CREATED, COMPLETED or CANCELED; the passing states match none.
        states: states?.filter((s): s is UserTaskView['state'] => s === 'CREATED' || s === 'COMPLETED' || s === 'CANCELED'),
        assignees: f.values('assignee', 'string'),
        candidateGroups: f.values('candidateGroup', 'string'),
        candidateUsers: f.values('candidateUser', 'string'),
        elementIds: f.values('elementId', 'string', false),
        processDefinitionIds: f.values('processDefinitionId', 'string', false),
        userTaskKeys: f.values('userTaskKey', 'key', false),
        processDefinitionKeys: f.values('processDefinitionKey', 'key', false),
        processInstanceKeys: f.values('processInstanceKey', 'key', false),
        elementInstanceKeys: f.values('elementInstanceKey', 'key', false),
      },
      page,
      sort: sortOf(dto.sort, SORT_FIELDS),
    };
    const found = f.nothing ? { items: [], total: 0 } : await this.engine.searchUserTasks(query);
    const items = [];
    for (const t of found.items) items.push(await this.result(t));
    return { items, page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task/ */
  @Roles(...ACCESS.readUserTasks)
  @Get(':userTaskKey')
  async get(@Param('userTaskKey', KeyPipe) key: string) {
    return this.result(await this.task(key));
  }

  /**
   * The deployed form the task links (zeebe:formDefinition formId, by its bindingType), 204 when
   * it links none: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-user-task-form/
   */
  @Roles(...ACCESS.readUserTasks)
  @Get(':userTaskKey/form')
  async form(@Param('userTaskKey', KeyPipe) key: string, @Res({ passthrough: true }) res: Response) {
    const form = await this.forms.ofUserTask(await this.task(key));
    if (!form) {
      res.status(204);
      return undefined;
    }
    return formResult(form);
  }

  private async task(key: string): Promise<UserTaskView> {
    const [found] = (await this.engine.searchUserTasks({ filter: { userTaskKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!found) throw new NotFoundError('User task', key);
    return found;
  }

  /**
   * Changes an open task's dates, candidates or priority:
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-user-task/
   * A completed or cancelled task is not found (404), as Zeebe rejects it.
   */
  @Roles(...ACCESS.workUserTasks)
  @Patch(':userTaskKey')
  @HttpCode(204)
  async update(@Param('userTaskKey', KeyPipe) key: string, @Body() dto: UpdateUserTaskDto, @CurrentUser() user: AuthUser): Promise<void> {
    const changes = userTaskChangesOf(dto.changeset);
    await command(() => this.engine.updateUserTask(key, changes, { id: user.id, username: user.username }, dto.action ?? 'update'));
  }

  /**
   * The variables a task sees: those of its element instance's scope and of every scope above it,
   * as Camunda filters them by the task's tree path:
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-user-task-variables/
   */
  @Roles(...ACCESS.readUserTasks)
  @Post(':userTaskKey/variables/search')
  @HttpCode(200)
  async searchVariables(@Param('userTaskKey', KeyPipe) key: string, @Body() dto: SearchQueryDto, @Query('truncateValues') truncateValues?: string) {
    const truncate = truncateValuesOf(truncateValues);
    const f = new FilterReader(dto.filter, 'user task variable search', ['name'], []);
    const page = pageOf(dto.page);
    const sort = sortOf(dto.sort, VARIABLE_SORT_FIELDS);
    const [task] = (await this.engine.searchUserTasks({ filter: { userTaskKeys: [key] }, page: { from: 0, limit: 1 } })).items;
    if (!task) throw new NotFoundError('User task', key);
    const scopeKeys = [task.processInstanceKey];
    if (keyOrNothing(task.elementInstanceKey)) {
      // The task's scope chain: its element instance and each flow scope up to the process instance.
      for (let scope: string | undefined = task.elementInstanceKey; scope && scope !== task.processInstanceKey; ) {
        scopeKeys.push(scope);
        const [element]: Array<ElementInstanceView | undefined> = (await this.engine.searchElementInstances({ filter: { elementInstanceKeys: [scope] }, page: { from: 0, limit: 1 } })).items;
        scope = element?.flowScopeKey;
      }
    }
    const found = await this.engine.searchVariables({
      filter: { processInstanceKeys: [task.processInstanceKey], scopeKeys, names: f.values('name', 'string') },
      page,
      sort,
    });
    return { items: found.items.map((v) => variableSearchResult(v, truncate)), page: pageResponse(page, found.items.length, found.total) };
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/ */
  @Roles(...ACCESS.workUserTasks)
  @Post(':userTaskKey/completion')
  @HttpCode(204)
  async complete(@Param('userTaskKey', KeyPipe) key: string, @Body() dto: CompleteUserTaskDto, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() => this.engine.completeUserTask(key, dto.variables ?? {}, { id: user.id, username: user.username }, dto.action ?? 'complete'));
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/ */
  @Roles(...ACCESS.workUserTasks)
  @Post(':userTaskKey/assignment')
  @HttpCode(204)
  async assign(@Param('userTaskKey', KeyPipe) key: string, @Body() dto: AssignUserTaskDto, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() =>
      this.engine.assignUserTask(key, dto.assignee, { id: user.id, username: user.username }, { allowOverride: dto.allowOverride ?? true, action: dto.action ?? 'assign' }),
    );
  }

  /** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/unassign-user-task/ */
  @Roles(...ACCESS.workUserTasks)
  @Delete(':userTaskKey/assignee')
  @HttpCode(204)
  async unassign(@Param('userTaskKey', KeyPipe) key: string, @CurrentUser() user: AuthUser): Promise<void> {
    await command(() => this.engine.assignUserTask(key, null, { id: user.id, username: user.username }, { action: 'unassign' }));
  }
}
