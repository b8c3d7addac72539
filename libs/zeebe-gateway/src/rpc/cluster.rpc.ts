import { Inject, Injectable } from '@nestjs/common';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { TopologyResponse } from '../protocol/gateway-protocol';
import { type Rpc, type RpcGroup, signedIn, unary } from './rpc';

/** https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "Topology RPC": the cluster the gateway is part of; for the embedded engine, this server alone. */
@Injectable()
export class ClusterRpcs implements RpcGroup {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  rpcs(): Record<string, Rpc> {
    return {
      Topology: unary(signedIn, async (): Promise<TopologyResponse> => {
        const t = await this.engine.topology();
        return {
          brokers: t.brokers.map((b) => ({
            nodeId: b.nodeId,
            host: b.host,
            port: b.port,
            version: b.version,
            // The protocol's enums are upper case (Partition.PartitionBrokerRole, PartitionBrokerHealth).
            partitions: b.partitions.map((p) => ({ partitionId: p.partitionId, role: p.role.toUpperCase(), health: p.health.toUpperCase() })),
          })),
          clusterSize: t.clusterSize,
          partitionsCount: t.partitionsCount,
          replicationFactor: t.replicationFactor,
          gatewayVersion: t.gatewayVersion,
        };
      }),
    };
  }
}
