import { Body, Controller, HttpCode, Inject, Post, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { DEFAULT_TENANT, assertDefaultTenant } from '../shared/values';
import { BroadcastSignalDto } from './signals.dto';

@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2/signals')
export class SignalsController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /**
   * Broadcasts a signal: it triggers every signal subscription of that name open now (catch,
   * boundary and event subprocess start events) and starts each process whose latest version has a
   * signal start event of that name; with none, nothing happens (a signal is not buffered):
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/
   */
  @Roles(...ACCESS.signals)
  @Post('broadcast')
  @HttpCode(200)
  async broadcast(@Body() dto: BroadcastSignalDto) {
    assertDefaultTenant([dto.tenantId], 'tenantId');
    const broadcasted = await this.engine.broadcastSignal({ signalName: dto.signalName, variables: dto.variables ?? {} });
    return { tenantId: DEFAULT_TENANT, signalKey: broadcasted.signalKey };
  }
}
