import { Body, Controller, HttpCode, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { IsOptional } from 'class-validator';
import { ACCESS } from '../shared/access';
import { IsInt64, KeyPipe } from '../shared/values';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/ */
export class DeleteResourceDto {
  @IsOptional()
  @IsInt64({ min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 })
  operationReference?: number | string;
}

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/resources')
export class ResourcesController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Deletes a deployed process definition, decision requirements graph (with its decisions) or
   * form by its key; a process definition with running instances is refused with 409
   * (docs.camunda.io/docs/components/concepts/resource-deletion/ "Limitations"):
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/delete-resource/
   */
  @Roles(...ACCESS.deleteResources)
  @Post(':resourceKey/deletion')
  @HttpCode(200)
  async delete(@Param('resourceKey', KeyPipe) key: string, @Body() _dto: DeleteResourceDto, @CurrentUser() user: AuthUser): Promise<void> {
    await this.engine.deleteResource(key, { id: user.id, username: user.username });
    await this.audit.record({ at: new Date(), actor: user.username, action: 'resource.deleted', details: { resourceKey: key, via: 'camunda-v2' } });
  }
}
