import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@mustafid/platform';
import { INTAKE_JOB_TYPES } from '@mustafid/intake';
import { ZeebeConnection } from '@mustafid/workflow';

@ApiTags('health')
@Controller('health')
export class WorkerHealthController {
  constructor(private readonly zeebe: ZeebeConnection) {}

  /** Whether this worker's Zeebe gateway answers, and which job types it works; 503 while it does not. */
  @Public()
  @Get('zeebe')
  check() {
    const body = { gateway: this.zeebe.gatewayState, jobTypes: INTAKE_JOB_TYPES };
    if (this.zeebe.gatewayState !== 'ready') throw new ServiceUnavailableException({ code: 'ZEEBE_UNREACHABLE', message: this.zeebe.gatewayState === 'unknown' ? 'The Zeebe gateway has not answered yet' : 'The Zeebe gateway is unreachable', ...body });
    return { status: 'ok', ...body };
  }
}
