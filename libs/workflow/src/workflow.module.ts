import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '@mustafid/audit';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { DeploymentsController } from './api/deployments.controller';
import { IncidentsController } from './api/incidents.controller';
import { JobsController } from './api/jobs.controller';
import { MetricsController } from './api/metrics.controller';
import { ReservedProcesses } from './api/reserved-processes';
import { ProcessInstancesController } from './api/process-instances.controller';
import { EmbeddedWorkflowEngine } from './embedded/embedded-engine';
import { EngineMetrics } from './embedded/engine-metrics';
import { ProcessElementNames } from './model/process-element-names';
import { FormStore } from './forms/form-store';
import { ProcessDrafts } from './modeling/drafts.service';
import { ModelingController } from './modeling/modeling.controller';
import { ProcessModeling } from './modeling/process-modeling.service';
import { ProjectLint } from './modeling/project-lint';
import { WORKFLOW_ENGINE } from './port/workflow-engine';
import { ZeebeWorkflowEngine } from './zeebe/zeebe-engine';
import { ZeebeEngineModule } from './zeebe/zeebe-engine.module';

/**
 * The workflow engine behind its port: the embedded engine (ENGINE=embedded, the default) or
 * the Zeebe adapter (ENGINE=zeebe). The embedded engine's timer scheduler is started by
 * whoever runs it (`EmbeddedWorkflowEngine.start()`: the server, the contract tests), not by the
 * operations commands that only touch the schema; the Zeebe client connects on first use.
 */
@Module({
  imports: [
    // Deployments are audited; the audit log is a global module, imported here so the engine
    // also runs on its own (contract tests, benchmarks).
    AuditModule,
    ZeebeEngineModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.engine.deploymentMaxBytes, files: 1, fields: 5 } }),
    }),
  ],
  controllers: [DeploymentsController, ProcessInstancesController, IncidentsController, JobsController, MetricsController, ModelingController],
  providers: [
    EngineMetrics,
    EmbeddedWorkflowEngine,
    {
      provide: WORKFLOW_ENGINE,
      inject: [APP_CONFIG, EmbeddedWorkflowEngine, ZeebeWorkflowEngine],
      useFactory: (config: AppConfig, embedded: EmbeddedWorkflowEngine, zeebe: ZeebeWorkflowEngine) => (config.engine.kind === 'zeebe' ? zeebe : embedded),
    },
    ProcessElementNames,
    ProjectLint,
    FormStore,
    ProcessModeling,
    ProcessDrafts,
    ReservedProcesses,
  ],
  exports: [WORKFLOW_ENGINE, EmbeddedWorkflowEngine, ZeebeEngineModule, ProcessElementNames, ProjectLint, FormStore, ReservedProcesses],
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
