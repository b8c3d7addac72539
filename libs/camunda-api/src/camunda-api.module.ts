import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { WorkflowModule } from '@mustafid/workflow';
import { ClusterController } from './cluster/cluster.controller';
import { DeploymentsController, MAX_RESOURCES } from './deployments/deployments.controller';
import { ElementInstancesController } from './element-instances/element-instances.controller';
import { IncidentsController } from './incidents/incidents.controller';
import { JobsController } from './jobs/jobs.controller';
import { MessagesController } from './messages/messages.controller';
import { SignalsController } from './signals/signals.controller';
import { ProcessInstancesController } from './process-instances/process-instances.controller';
import { UserTasksController } from './user-tasks/user-tasks.controller';
import { VariablesController } from './variables/variables.controller';
import { ProcessDefinitionsController } from './definitions/process-definitions.controller';
import { DecisionsController } from './decisions/decisions.controller';
import { ResourcesController } from './resources/resources.controller';
import { LinkedForms } from './shared/forms';

/**
 * Camunda 8.8's Orchestration Cluster REST API under /v2, on the engine port alone
 * (docs/decisions/0023-camunda-v2-api.md), so Camunda's own clients drive Mustafid's engine.
 * Errors are problem details (libs/platform http/problem-detail.ts); callers sign in with a
 * session token or HTTP Basic, and each route asks the roles its /api counterpart asks. The clock
 * routes are a module of their own (CamundaClockModule), served only with ENABLE_TEST_CLOCK.
 */
@Module({
  imports: [
    WorkflowModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.engine.deploymentMaxBytes, files: MAX_RESOURCES, fields: 5 } }),
    }),
  ],
  controllers: [
    ClusterController,
    DeploymentsController,
    ProcessInstancesController,
    JobsController,
    UserTasksController,
    MessagesController,
    SignalsController,
    IncidentsController,
    ProcessDefinitionsController,
    DecisionsController,
    ResourcesController,
    ElementInstancesController,
    VariablesController,
  ],
  providers: [LinkedForms],
})
export class CamundaApiModule {}
