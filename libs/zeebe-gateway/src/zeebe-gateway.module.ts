import { Module } from '@nestjs/common';
import { AuthModule } from '@mustafid/auth';
import { WorkflowModule } from '@mustafid/workflow';
import { GatewayCallers } from './access/gateway-callers';
import { ClusterRpcs } from './rpc/cluster.rpc';
import { DeploymentRpcs } from './rpc/deployments.rpc';
import { EventRpcs } from './rpc/events.rpc';
import { JobRpcs } from './rpc/jobs.rpc';
import { ProcessInstanceRpcs } from './rpc/process-instances.rpc';
import { ResourceRpcs } from './rpc/resources.rpc';
import { ZeebeGateway } from './zeebe-gateway';

/**
 * The Zeebe gateway protocol (gRPC) on the engine port, beside Camunda's /v2 REST API
 * (docs/decisions/0024-zeebe-gateway.md). The server starts it after HTTP listens
 * (`ZeebeGateway.start()`, a no-op unless ZEEBE_GATEWAY_PORT is set).
 */
@Module({
  imports: [WorkflowModule, AuthModule],
  providers: [GatewayCallers, ClusterRpcs, DeploymentRpcs, ProcessInstanceRpcs, JobRpcs, EventRpcs, ResourceRpcs, ZeebeGateway],
  exports: [ZeebeGateway],
})
export class ZeebeGatewayModule {}
