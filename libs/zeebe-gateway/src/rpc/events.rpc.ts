import { Inject, Injectable } from '@nestjs/common';
import { ACCESS } from '@mustafid/camunda-api/shared/access';
import { TIME_TO_LIVE_MAX_MS } from '@mustafid/camunda-api/messages/messages.dto';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { BroadcastSignalRequest, PublishMessageRequest, ResolveIncidentRequest } from '../protocol/gateway-protocol';
import { DEFAULT_TENANT, assertDefaultTenant, int64In, invalidArgument, key, parseVariables, required } from '../protocol/values';
import { type Rpc, type RpcGroup, actorOf, roles, unary } from './rpc';

/**
 * What reaches waiting instances from outside, and incidents:
 * https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "PublishMessage RPC",
 * "BroadcastSignal RPC", "ResolveIncident RPC".
 */
@Injectable()
export class EventRpcs implements RpcGroup {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  rpcs(): Record<string, Rpc> {
    return {
      /** Correlates once per process to the earliest waiting subscription, starts message start events, stays buffered for timeToLive. */
      PublishMessage: unary(roles(ACCESS.messages), async (request: PublishMessageRequest) => {
        assertDefaultTenant([request.tenantId], 'tenantId');
        const name = required(request.name, 'name', 'the message name in the diagram');
        if (request.correlationKey.length > 255) throw invalidArgument('correlationKey must be at most 255 characters');
        if (request.messageId.length > 255) throw invalidArgument('messageId must be at most 255 characters');
        const published = await this.engine.publishMessage({
          name,
          correlationKey: request.correlationKey,
          variables: parseVariables(request.variables),
          timeToLive: int64In(request.timeToLive, 'timeToLive', 0, TIME_TO_LIVE_MAX_MS, ' ms'),
          ...(request.messageId !== '' ? { messageId: request.messageId } : {}),
        });
        return { key: published.key, tenantId: DEFAULT_TENANT };
      }),
      /** Triggers every open subscription of the signal's name and starts processes with a signal start event of it; not buffered. */
      BroadcastSignal: unary(roles(ACCESS.signals), async (request: BroadcastSignalRequest) => {
        assertDefaultTenant([request.tenantId], 'tenantId');
        const signalName = required(request.signalName, 'signalName', 'the signal name in the diagram');
        const broadcast = await this.engine.broadcastSignal({ signalName, variables: parseVariables(request.variables) });
        return { key: broadcast.signalKey, tenantId: DEFAULT_TENANT };
      }),
      /** A job's incident makes the job activatable again (give it retries first: UpdateJobRetries); any other runs its step again. */
      ResolveIncident: unary(roles(ACCESS.resolveIncidents), async (request: ResolveIncidentRequest, { caller }) => {
        await this.engine.resolveIncident(key(request.incidentKey, 'incidentKey'), actorOf(caller));
        return {};
      }),
    };
  }
}
