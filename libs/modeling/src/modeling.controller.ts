import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { ProcessDrafts } from './drafts.service';
import { CreateDraftDto, DeployCommentDto, LintDto, ModelDeployDto, UpdateDraftDto } from './modeling.dto';
import { ProcessModeling } from './process-modeling.service';
import { ProjectLint } from './project-lint';

/**
 * The process owner's modeler (issue 6): lint as the server lints, named drafts, deploy with
 * forms and a comment, version history with instance counts, an old version deployed again.
 * Auditors may read the history; only process owners and administrators change anything.
 */
@ApiTags('modeling')
@Controller('modeling')
export class ModelingController {
  constructor(
    private readonly modeling: ProcessModeling,
    private readonly drafts: ProcessDrafts,
    private readonly lintRules: ProjectLint,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The bpmnlint configuration the server deploys with (the browser lints with the same) and the largest diagram it takes. */
  @Roles('process-owner', 'admin')
  @Get('lint-context')
  lintContext() {
    return { ...this.lintRules.context(), maxXmlBytes: this.config.engine.deploymentMaxBytes };
  }

  /** Lint a diagram as a deployment would: errors block a deploy, warnings do not. */
  @Roles('process-owner', 'admin')
  @Post('lint')
  @HttpCode(200)
  @ApiBadRequestResponse({ description: 'Not safe, parsable BPMN XML (code INVALID_BPMN)' })
  lint(@Body() dto: LintDto) {
    return this.modeling.lint(dto.xml);
  }

  /** Every deployed process with its latest version. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('processes')
  processes() {
    return this.modeling.processes();
  }

  /** A process's versions, newest first: who deployed each, when, with what comment, and its instances. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('processes/:bpmnProcessId/versions')
  versions(@Param('bpmnProcessId') bpmnProcessId: string) {
    return this.modeling.versions(bpmnProcessId);
  }

  /** The task forms a deployed version uses, by form id. */
  @Roles('process-owner', 'admin', 'auditor')
  @Get('versions/:key/forms')
  async forms(@Param('key') key: string) {
    return { forms: await this.modeling.formsOf(key) };
  }

  /** Deploy a diagram with its forms and a comment: the next version, or 400 listing what blocks it. */
  @Roles('process-owner', 'admin')
  @Post('deployments')
  @HttpCode(201)
  @ApiBadRequestResponse({ description: 'Lint errors or form problems block it (code INVALID_BPMN, details.problems), or a field is invalid' })
  @ApiPayloadTooLargeResponse({ description: 'Over DEPLOYMENT_MAX_BYTES' })
  deploy(@Body() dto: ModelDeployDto, @CurrentUser() user: AuthUser) {
    return this.modeling.deploy(dto, user);
  }

  /** Deploy an old version again (with the forms it used) as the newest. */
  @Roles('process-owner', 'admin')
  @Post('processes/:bpmnProcessId/versions/:version/redeploy')
  @HttpCode(201)
  redeploy(
    @Param('bpmnProcessId') bpmnProcessId: string,
    @Param('version', ParseIntPipe) version: number,
    @Body() dto: DeployCommentDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.modeling.redeploy(bpmnProcessId, version, dto.comment, user);
  }

  /** The named drafts of a process, most recently saved first. */
  @Roles('process-owner', 'admin')
  @Get('processes/:bpmnProcessId/drafts')
  listDrafts(@Param('bpmnProcessId') bpmnProcessId: string) {
    return this.drafts.list(bpmnProcessId);
  }

  /** Save a new named draft (it may still have lint problems). */
  @Roles('process-owner', 'admin')
  @Post('processes/:bpmnProcessId/drafts')
  @HttpCode(201)
  @ApiConflictResponse({ description: 'A draft of this process already has that name' })
  createDraft(@Param('bpmnProcessId') bpmnProcessId: string, @Body() dto: CreateDraftDto, @CurrentUser() user: AuthUser) {
    return this.drafts.create(bpmnProcessId, dto, user);
  }

  @Roles('process-owner', 'admin')
  @Get('drafts/:id')
  getDraft(@Param('id') id: string) {
    return this.drafts.get(id);
  }

  @Roles('process-owner', 'admin')
  @Put('drafts/:id')
  @ApiConflictResponse({ description: 'Another draft of this process already has that name' })
  updateDraft(@Param('id') id: string, @Body() dto: UpdateDraftDto, @CurrentUser() user: AuthUser) {
    return this.drafts.update(id, dto, user);
  }

  @Roles('process-owner', 'admin')
  @Delete('drafts/:id')
  @HttpCode(204)
  deleteDraft(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.drafts.delete(id, user);
  }
}
