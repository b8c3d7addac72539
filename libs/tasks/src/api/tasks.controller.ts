import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, type Role, Roles } from '@mustafid/auth';
import { CASE_READERS } from '@mustafid/intake';
import { AssignTaskDto, CompleteTaskDto, ScheduleTaskDto, TaskQueryDto } from './tasks.dto';
import { TasksService } from './tasks.service';

/** Who works tasks: staff (not auditors, who read everything and change nothing). */
const TASK_WORKERS = CASE_READERS.filter((r) => r !== 'auditor') as [Role, ...Role[]];

/** The staff task list: the user tasks of the processes, for the people and groups they are for. */
@ApiTags('tasks')
@Controller('tasks')
@Roles(...CASE_READERS)
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /**
   * Tasks the caller may see (theirs, their groups', or all for the chair, auditors and
   * administrators), filtered and sorted, a page at a time (`nextCursor` → `cursor`).
   */
  @Get()
  list(@Query() query: TaskQueryDto, @CurrentUser() user: AuthUser) {
    return this.tasks.list(query, user);
  }

  /** How many open tasks each tab of the task list holds. */
  @Get('counts')
  counts(@CurrentUser() user: AuthUser) {
    return this.tasks.counts(user);
  }

  /** The task, its form (form-js JSON), the variables the form shows, and its case. */
  @Get(':key')
  @ApiNotFoundResponse({ description: 'No such task, or not one the caller may see' })
  get(@Param('key') key: string, @CurrentUser() user: AuthUser) {
    return this.tasks.get(key, user);
  }

  @Post(':key/claim')
  @Roles(...TASK_WORKERS)
  @HttpCode(200)
  @ApiConflictResponse({ description: 'Someone else holds it (TASK_HELD), or it is done (TASK_COMPLETED)' })
  claim(@Param('key') key: string, @CurrentUser() user: AuthUser) {
    return this.tasks.claim(key, user);
  }

  @Post(':key/unclaim')
  @Roles(...TASK_WORKERS)
  @HttpCode(200)
  unclaim(@Param('key') key: string, @CurrentUser() user: AuthUser) {
    return this.tasks.unclaim(key, user);
  }

  /** The chair and administrators hand a task to a named member of its groups. */
  @Post(':key/assign')
  @Roles(...TASK_WORKERS)
  @HttpCode(200)
  assign(@Param('key') key: string, @Body() dto: AssignTaskDto, @CurrentUser() user: AuthUser) {
    return this.tasks.assign(key, dto.assignee, user);
  }

  /** The chair and administrators set a task's due date (or follow-up date); null clears it. */
  @Post(':key/schedule')
  @Roles(...TASK_WORKERS)
  @HttpCode(200)
  schedule(@Param('key') key: string, @Body() dto: ScheduleTaskDto, @CurrentUser() user: AuthUser) {
    return this.tasks.schedule(key, dto, user);
  }

  /** Completes the task with its form's fields, checked against the form on the server. */
  @Post(':key/complete')
  @Roles(...TASK_WORKERS)
  @HttpCode(200)
  @ApiConflictResponse({ description: 'Held by someone else, already completed, or a stale version (details say who and which)' })
  complete(@Param('key') key: string, @Body() dto: CompleteTaskDto, @CurrentUser() user: AuthUser) {
    return this.tasks.complete(key, dto.variables, dto.version, user);
  }
}
