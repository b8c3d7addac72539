import { Body, Controller, type DynamicModule, HttpCode, Inject, Module, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, Roles } from '@mustafid/auth';
import { AdjustableClock, CLOCK, EmbeddedWorkflowEngine, WorkflowModule, settleEngine } from '@mustafid/workflow';
import { ACCESS } from '../shared/access';
import { int64 } from '../shared/values';
import { PinClockDto } from './clock.dto';

/**
 * Camunda's clock routes on the engine's test clock (ENABLE_TEST_CLOCK, embedded engine only:
 * the configuration refuses it with ENGINE=zeebe), as POST /api/test/clock moves it.
 */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@Controller('v2/clock')
class CamundaClockController {
  constructor(
    @Inject(CLOCK) private readonly clock: AdjustableClock,
    private readonly engine: EmbeddedWorkflowEngine,
  ) {}

  /**
   * Pins the engine's clock at `timestamp` (epoch ms): time stands still there until it is pinned
   * again or reset, and the answer comes once every timer due by then has fired and the
   * projections hold it. An instant before the clock's current time is refused (400): the
   * engine's time never moves backwards.
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/pin-clock/
   */
  @Roles(...ACCESS.clock)
  @Put()
  @HttpCode(204)
  async pin(@Body() dto: PinClockDto): Promise<void> {
    this.clock.pinAt(int64(dto.timestamp)!);
    await settleEngine(this.engine);
  }

  /**
   * Releases the pin: time flows on from the instant the clock shows. Camunda resets to the
   * system time; Mustafid's reset never moves time back.
   * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/reset-clock/
   */
  @Roles(...ACCESS.clock)
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.clock.release();
  }
}

/** Only serves /v2/clock when ENABLE_TEST_CLOCK=true: without it the routes do not exist (404). */
@Module({})
export class CamundaClockModule {
  static register(enabled: boolean): DynamicModule {
    return enabled ? { module: CamundaClockModule, imports: [WorkflowModule], controllers: [CamundaClockController] } : { module: CamundaClockModule };
  }
}
