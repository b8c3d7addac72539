import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { ReservedProcesses } from './port/reserved-processes';
import { EmbeddedWorkflowEngine } from './embedded/embedded-engine';
import { EngineMetrics } from './embedded/engine-metrics';
import { ProcessElementNames } from './model/process-element-names';
import { FormStore } from './forms/form-store';
import { WORKFLOW_ENGINE } from './port/workflow-engine';
import { ZeebeWorkflowEngine } from './zeebe/zeebe-engine';
import { ZeebeEngineModule } from './zeebe/zeebe-engine.module';

/**
 * The workflow engine behind its port: the embedded engine (ENGINE=embedded, the default) or
 * the Zeebe adapter (ENGINE=zeebe). The engine alone: its REST API is libs/engine-api, the
 * process owners' modeling libs/modeling. The embedded engine's timer scheduler is started by
 * whoever runs it (`EmbeddedWorkflowEngine.start()`: the server, the contract tests), not by the
 * operations commands that only touch the schema; the Zeebe client connects on first use.
 */
@Module({
  imports: [ZeebeEngineModule],
  providers: [
    EngineMetrics,
    EmbeddedWorkflowEngine,
    {
      provide: WORKFLOW_ENGINE,
      inject: [APP_CONFIG, EmbeddedWorkflowEngine, ZeebeWorkflowEngine],
      useFactory: (config: AppConfig, embedded: EmbeddedWorkflowEngine, zeebe: ZeebeWorkflowEngine) => (config.engine.kind === 'zeebe' ? zeebe : embedded),
    },
    ProcessElementNames,
    FormStore,
    ReservedProcesses,
  ],
  exports: [WORKFLOW_ENGINE, EmbeddedWorkflowEngine, EngineMetrics, ZeebeEngineModule, ProcessElementNames, FormStore, ReservedProcesses],
})
export class WorkflowModule implements OnApplicationBootstrap {
  constructor(
    private readonly engine: EmbeddedWorkflowEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.engine.testClock) {
      new Logger('WorkflowEngine').warn(
        'ENABLE_TEST_CLOCK is on: POST /api/test/clock can move the engine\'s time forward. Never run a real office like this.',
      );
    }
  }
}
