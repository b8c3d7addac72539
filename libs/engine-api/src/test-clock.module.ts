import { Body, Controller, DynamicModule, HttpCode, Inject, Module, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@mustafid/auth';
import { AdvanceClockDto, PinClockDto } from './engine-api.dto';
import { AdjustableClock, CLOCK, durationMs, EmbeddedWorkflowEngine, settleEngine, WorkflowModule } from '@mustafid/workflow';

@ApiTags('test')
@Controller('test/clock')
class TestClockController {
  constructor(
    @Inject(CLOCK) private readonly clock: AdjustableClock,
    private readonly engine: EmbeddedWorkflowEngine,
  ) {}

  /**
   * Moves the engine's time forward (ENABLE_TEST_CLOCK only) and returns once every timer
   * due by then has fired, the in-process workers have finished what that released, and the
   * projections read from the engine's feed (case progress, task list, audit log) hold it.
   */
  @Roles('admin')
  @Post()
  @HttpCode(200)
  async advance(@Body() dto: AdvanceClockDto): Promise<{ now: Date; timersFired: number }> {
    const now = this.clock.advance(durationMs(dto.advance, 'advance'));
    return { now, ...(await this.settled()) };
  }

  /**
   * Pins the clock (`{"pinned": true}`): time stands still and moves only by the advance above,
   * so durations measured across a slow run come out exact; `{"pinned": false}` lets it flow
   * again from where it stands (never backwards).
   */
  @Roles('admin')
  @Put()
  @HttpCode(200)
  pin(@Body() dto: PinClockDto): { now: Date; pinned: boolean } {
    const now = dto.pinned ? this.clock.pin() : this.clock.release();
    return { now, pinned: this.clock.pinned };
  }

  /**
   * The same settle point without moving time: returns once every timer already due has fired,
   * the in-process workers have drained, and the feed's projections have caught up. Tests wait
   * here instead of polling for the workers.
   */
  @Roles('admin')
  @Post('settle')
  @HttpCode(200)
  async settle(): Promise<{ now: Date; timersFired: number }> {
    return { now: this.clock.now(), ...(await this.settled()) };
  }

  private settled(): Promise<{ timersFired: number }> {
    return settleEngine(this.engine);
  }
}

/** Only imported when ENABLE_TEST_CLOCK=true: without it the route does not exist. */
@Module({})
export class TestClockModule {
  static register(enabled: boolean): DynamicModule {
    return enabled ? { module: TestClockModule, imports: [WorkflowModule], controllers: [TestClockController] } : { module: TestClockModule };
  }
}
