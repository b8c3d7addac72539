import { Inject, Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { ACCESS } from '@mustafid/camunda-api/shared/access';
import { REQUEST_TIMEOUT_MAX_MS } from '@mustafid/camunda-api/jobs/jobs.dto';
import {
  CompletionAbandoned,
  CompletionCanceled,
  CompletionTimeout,
  DEFAULT_RESULT_TIMEOUT_MS,
  awaitCompletion,
} from '@mustafid/camunda-api/process-instances/await-completion';
import { DomainError, NotFoundError } from '@mustafid/platform';
import { ReservedProcesses, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type {
  CancelProcessInstanceRequest,
  CreateProcessInstanceRequest,
  CreateProcessInstanceWithResultRequest,
  SetVariablesRequest,
} from '../protocol/gateway-protocol';
import { DEFAULT_TENANT, GatewayError, assertDefaultTenant, int64In, invalidArgument, key, parseVariables } from '../protocol/values';
import { type Rpc, type RpcContext, type RpcGroup, actorOf, roles, unary } from './rpc';

/** Who may set variables: the roles of POST /api/process-instances/:key/variables. */
const SET_VARIABLES = ['process-owner', 'admin'] as const;

/**
 * https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "CreateProcessInstance RPC",
 * "CreateProcessInstanceWithResult RPC", "CancelProcessInstance RPC", "SetVariables RPC".
 */
@Injectable()
export class ProcessInstanceRpcs implements RpcGroup {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly reserved: ReservedProcesses,
  ) {}

  rpcs(): Record<string, Rpc> {
    return {
      CreateProcessInstance: unary(roles(ACCESS.startInstance), async (request: CreateProcessInstanceRequest, context) => {
        const created = await this.create(request, context);
        return { ...created, tenantId: DEFAULT_TENANT };
      }),
      CreateProcessInstanceWithResult: unary(roles(ACCESS.startInstance), (request: CreateProcessInstanceWithResultRequest, context) =>
        this.createAndAwait(request, context),
      ),
      CancelProcessInstance: unary(roles(ACCESS.cancelInstance), async (request: CancelProcessInstanceRequest, { caller }) => {
        await this.engine.cancelInstance(key(request.processInstanceKey, 'processInstanceKey'), actorOf(caller));
        return {};
      }),
      SetVariables: unary(roles(SET_VARIABLES), (request: SetVariablesRequest, context) => this.setVariables(request, context)),
    };
  }

  /**
   * Starts an instance at its none start event: of a process by its id (the given version, or
   * the latest for a negative one) or of a version by its key, as Zeebe's creation processor
   * picks it (the id first).
   */
  private async create(request: CreateProcessInstanceRequest, { caller }: RpcContext) {
    assertDefaultTenant([request.tenantId], 'tenantId');
    if (request.startInstructions.length > 0) {
      throw invalidArgument('startInstructions are not supported by Mustafid: an instance starts at its none start event (leave startInstructions empty)');
    }
    const variables = parseVariables(request.variables);
    let bpmnProcessId: string;
    let version: number | undefined;
    if (request.bpmnProcessId !== '') {
      bpmnProcessId = request.bpmnProcessId;
      version = request.version < 0 ? undefined : request.version;
      if (version === 0) throw new GatewayError(status.NOT_FOUND, `No version 0 of process ${bpmnProcessId} exists: versions start at 1; send -1 for the latest`);
    } else if (request.processDefinitionKey !== '0') {
      const definition = await this.engine.getProcessDefinition(key(request.processDefinitionKey, 'processDefinitionKey'));
      bpmnProcessId = definition.bpmnProcessId;
      version = definition.version;
    } else {
      throw invalidArgument('Give bpmnProcessId (with version, or -1 for the latest) or processDefinitionKey: the request has neither');
    }
    this.reserved.assertStartable(bpmnProcessId);
    const created = await this.engine.createInstance({ bpmnProcessId, version, variables, actor: actorOf(caller) });
    return { processDefinitionKey: created.processDefinitionKey, bpmnProcessId, version: created.version, processInstanceKey: created.processInstanceKey };
  }

  /**
   * Creates the instance, then answers when it completes, with its root-scope variables (those
   * named in fetchVariables, or all): DEADLINE_EXCEEDED when it has not within requestTimeout (it
   * goes on running), FAILED_PRECONDITION when it was cancelled first.
   */
  private async createAndAwait(request: CreateProcessInstanceWithResultRequest, context: RpcContext) {
    if (!request.request) throw invalidArgument('request is required: the CreateProcessInstanceRequest to start and wait for');
    const requested = int64In(request.requestTimeout, 'requestTimeout', Number.MIN_SAFE_INTEGER, REQUEST_TIMEOUT_MAX_MS, ' ms');
    const timeoutMs = requested <= 0 ? DEFAULT_RESULT_TIMEOUT_MS : requested;
    const created = await this.create(request.request, context);
    try {
      const variables = await awaitCompletion(this.engine, created.processInstanceKey, timeoutMs, request.fetchVariables, context.signal);
      return { ...created, variables: JSON.stringify(variables), tenantId: DEFAULT_TENANT };
    } catch (e) {
      if (e instanceof CompletionCanceled) throw new GatewayError(status.FAILED_PRECONDITION, e.message);
      if (e instanceof CompletionTimeout) throw new GatewayError(status.DEADLINE_EXCEEDED, e.message);
      if (e instanceof CompletionAbandoned) throw new GatewayError(status.CANCELLED, e.message);
      throw e;
    }
  }

  /**
   * Sets variables on a scope: the process instance's (elementInstanceKey = its key) or an active
   * element instance's, local or propagated up (the engine port's setVariables). A key that names
   * no active scope is NOT_FOUND, as Zeebe rejects it.
   */
  private async setVariables(request: SetVariablesRequest, { caller }: RpcContext) {
    const scope = key(request.elementInstanceKey, 'elementInstanceKey');
    const variables = parseVariables(request.variables);
    try {
      return await this.engine.setVariables(scope, variables, actorOf(caller), { local: request.local });
    } catch (e) {
      if (!(e instanceof NotFoundError) && !(e instanceof DomainError && e.status === 404)) throw e;
      throw new GatewayError(status.NOT_FOUND, `Expected to update variables for element with key '${scope}', but no such element was found`);
    }
  }
}
