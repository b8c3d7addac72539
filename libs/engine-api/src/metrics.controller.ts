import { Controller, Get, Header, UseInterceptors } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@mustafid/platform';
import { EngineMetrics, ClientCommands } from '@mustafid/workflow';

@ApiTags('metrics')
@UseInterceptors(ClientCommands)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: EngineMetrics) {}

  /** Prometheus metrics (counts and timings only: no names, no case data). */
  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
