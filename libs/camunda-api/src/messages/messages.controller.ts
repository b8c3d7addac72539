import { Body, Controller, HttpCode, Inject, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { DomainError } from '@mustafid/platform';
import { WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { DEFAULT_TENANT, assertDefaultTenant, int64 } from '../shared/values';
import { CorrelateMessageDto, PublishMessageDto } from './messages.dto';

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/messages')
export class MessagesController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /**
   * Publishes a message: it correlates once per process to the earliest waiting subscription, starts
   * processes with a matching message start event, and stays buffered for timeToLive:
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/publish-message/
   */
  @Roles(...ACCESS.messages)
  @Post('publication')
  @HttpCode(200)
  async publish(@Body() dto: PublishMessageDto) {
    assertDefaultTenant([dto.tenantId], 'tenantId');
    const published = await this.engine.publishMessage({
      name: dto.name,
      correlationKey: dto.correlationKey ?? '',
      variables: dto.variables ?? {},
      timeToLive: int64(dto.timeToLive) ?? 0,
      ...(dto.messageId !== undefined ? { messageId: dto.messageId } : {}),
    });
    return { tenantId: DEFAULT_TENANT, messageKey: published.key };
  }

  /**
   * Correlates a message now, to a waiting subscription or a message start event, and answers the
   * instance it reached; with none waiting, 404 and nothing kept (it is not buffered):
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/correlate-message/
   */
  @Roles(...ACCESS.messages)
  @Post('correlation')
  @HttpCode(200)
  async correlate(@Body() dto: CorrelateMessageDto) {
    assertDefaultTenant([dto.tenantId], 'tenantId');
    const correlationKey = dto.correlationKey ?? '';
    const published = await this.engine.publishMessage({ name: dto.name, correlationKey, variables: dto.variables ?? {}, timeToLive: 0 });
    if (!published.correlatedProcessInstanceKey) {
      throw new DomainError(
        'NOT_FOUND',
        `Expected to find a subscription or a message start event for message "${dto.name}" with correlation key "${correlationKey}", but none was found: nothing correlated`,
        404,
      );
    }
    return { tenantId: DEFAULT_TENANT, messageKey: published.key, processInstanceKey: published.correlatedProcessInstanceKey };
  }
}
