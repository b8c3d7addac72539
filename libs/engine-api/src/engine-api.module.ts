import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '@mustafid/audit';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { WorkflowModule } from '@mustafid/workflow';
import { DeploymentsController } from './deployments.controller';
import { IncidentsController } from './incidents.controller';
import { JobsController } from './jobs.controller';
import { MetricsController } from './metrics.controller';
import { ProcessInstancesController } from './process-instances.controller';

/**
 * Mustafid's own REST API over the engine port (`/api/process-definitions`, `/api/process-instances`,
 * `/api/jobs`, `/api/user-tasks`, `/api/incidents`, `/api/messages`, `/api/signals`, `/api/metrics`):
 * what the staff screens, the modeler and scripts call. Camunda's `/v2` API is libs/camunda-api.
 */
@Module({
  imports: [
    // Deployments are audited (the audit log is a global module; imported here so the API also runs without the server's app module).
    AuditModule,
    WorkflowModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.engine.deploymentMaxBytes, files: 1, fields: 5 } }),
    }),
  ],
  controllers: [DeploymentsController, ProcessInstancesController, IncidentsController, JobsController, MetricsController],
})
export class EngineApiModule {}
