import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@mustafid/audit';
import { ACCESS } from '@mustafid/camunda-api/shared/access';
import { DomainError } from '@mustafid/platform';
import { type DecisionEvaluation, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { DEFAULT_TENANT, assertDefaultTenant, invalidArgument, key, parseVariables } from '../protocol/values';
import { type Rpc, type RpcContext, type RpcGroup, actorOf, roles, unary } from './rpc';

interface EvaluateDecisionRequest {
  decisionKey: string;
  decisionId: string;
  variables: string;
  tenantId: string;
}

interface DeleteResourceRequest {
  resourceKey: string;
}

/** A JSON value as the gateway writes its documents: JSON text. */
const text = (value: unknown) => JSON.stringify(value ?? null);

/** Zeebe's EvaluateDecisionResponse (gateway.proto), from the port's evaluation. */
function evaluateDecisionResponse(e: DecisionEvaluation) {
  return {
    decisionKey: e.decision.key,
    decisionId: e.decision.decisionId,
    decisionName: e.decision.name ?? e.decision.decisionId,
    decisionVersion: e.decision.version,
    decisionRequirementsId: e.decision.decisionRequirementsId,
    decisionRequirementsKey: e.decision.decisionRequirementsKey,
    decisionOutput: text(e.output),
    evaluatedDecisions: e.evaluatedDecisions.map((d) => ({
      decisionKey: d.decision.key,
      decisionId: d.decision.decisionId,
      decisionName: d.decision.name ?? d.decision.decisionId,
      decisionVersion: d.decision.version,
      decisionType: d.decisionType,
      decisionOutput: text(d.output),
      matchedRules: d.matchedRules.map((m) => ({
        ruleId: m.ruleId,
        ruleIndex: m.ruleIndex,
        evaluatedOutputs: m.evaluatedOutputs.map((o) => ({ outputId: o.outputId, outputName: o.outputName ?? o.outputId, outputValue: text(o.outputValue) })),
      })),
      evaluatedInputs: d.evaluatedInputs.map((i) => ({ inputId: i.inputId, inputName: i.inputName ?? i.inputId, inputValue: text(i.inputValue) })),
      tenantId: DEFAULT_TENANT,
    })),
    failedDecisionId: e.failedDecisionId ?? '',
    failureMessage: e.failureMessage ?? '',
    tenantId: DEFAULT_TENANT,
    decisionInstanceKey: e.key,
  };
}

/**
 * https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "EvaluateDecision RPC" and
 * "DeleteResource RPC", on the engine port as /v2's decision evaluation and resource deletion.
 */
@Injectable()
export class ResourceRpcs implements RpcGroup {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly audit: AuditLog,
  ) {}

  rpcs(): Record<string, Rpc> {
    return {
      EvaluateDecision: unary(roles(ACCESS.evaluateDecisions), (request: EvaluateDecisionRequest) => this.evaluate(request)),
      DeleteResource: unary(roles(ACCESS.deleteResources), (request: DeleteResourceRequest, context) => this.delete(request, context)),
    };
  }

  /** By id (its latest version) when an id is given, else by key (the docs: "the ID is used"); an unknown decision is INVALID_ARGUMENT, as the docs list it. */
  private async evaluate(request: EvaluateDecisionRequest) {
    assertDefaultTenant([request.tenantId], 'tenantId');
    const byId = request.decisionId !== '';
    if (!byId && (request.decisionKey === '0' || request.decisionKey === '')) {
      throw invalidArgument('Give the decision to evaluate: decisionId (its latest version) or decisionKey');
    }
    const variables = parseVariables(request.variables);
    try {
      const evaluation = await this.engine.evaluateDecision(
        byId ? { decisionId: request.decisionId, variables } : { decisionKey: key(request.decisionKey, 'decisionKey'), variables },
      );
      return evaluateDecisionResponse(evaluation);
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) {
        throw invalidArgument(byId ? `No decision with the id ${request.decisionId} is deployed` : `No decision with the key ${request.decisionKey} is deployed`);
      }
      throw e;
    }
  }

  private async delete(request: DeleteResourceRequest, { caller }: RpcContext) {
    const resourceKey = key(request.resourceKey, 'resourceKey');
    await this.engine.deleteResource(resourceKey, actorOf(caller));
    await this.audit.record({ at: new Date(), actor: caller.username, action: 'resource.deleted', details: { resourceKey, via: 'zeebe-grpc' } });
    return {};
  }
}
