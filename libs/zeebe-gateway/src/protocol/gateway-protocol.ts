import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The Zeebe gateway protocol (`gateway_protocol.Gateway`) exactly as the `@camunda8/sdk` in use
 * ships it (dist/proto/zeebe.proto), read at start: the gateway answers what Camunda's clients
 * send, field for field. Loaded as Camunda's own clients load it: field names as written, int64 as
 * decimal strings (Zeebe's keys do not fit a JavaScript number), enums as their names, defaults
 * filled in.
 */
export function gatewayProtoPath(): string {
  // Resolved at run time beside this file (node_modules is not bundled into the server build).
  const sdk = createRequire(__filename).resolve('@camunda8/sdk/package.json');
  return join(dirname(sdk), 'dist', 'proto', 'zeebe.proto');
}

export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/**
 * Zeebe 8.8's `CompleteJobRequest` carries a job `result` (field 3) that the SDK's older copy of
 * the protocol lacks: a client built on 8.8's gateway.proto (Java, Go) sends it to complete an
 * ad-hoc sub-process's job. Read with the SDK's message it would be dropped without a word, so
 * CompleteJob is read with this description instead: the same wire format, the result's fields
 * numbered as docs.camunda.io "Zeebe API RPCs" › CompleteJob lists them. `corrections` (a user
 * task listener's) is read as raw bytes only to see that it was sent.
 */
const COMPLETE_JOB_WITH_RESULT: Parameters<typeof protoLoader.fromJSON>[0] = {
  nested: {
    mustafid_gateway: {
      nested: {
        CompleteJobRequest: {
          fields: { jobKey: { type: 'int64', id: 1 }, variables: { type: 'string', id: 2 }, result: { type: 'JobResult', id: 3 } },
        },
        JobResult: {
          fields: {
            denied: { type: 'bool', id: 1 },
            corrections: { type: 'bytes', id: 2 },
            deniedReason: { type: 'string', id: 3 },
            type: { type: 'string', id: 4 },
            activateElements: { rule: 'repeated', type: 'JobResultActivateElement', id: 5 },
            isCompletionConditionFulfilled: { type: 'bool', id: 6 },
            isCancelRemainingInstances: { type: 'bool', id: 7 },
          },
        },
        JobResultActivateElement: { fields: { elementId: { type: 'string', id: 1 }, variables: { type: 'string', id: 2 } } },
        CompleteJobResponse: { fields: {} },
        CompleteJobReader: { methods: { CompleteJob: { requestType: 'CompleteJobRequest', responseType: 'CompleteJobResponse', comment: 'CompleteJob, read with its result' } } },
      },
    },
  },
};

/** The Gateway service's methods, CompleteJob read with its 8.8 `result`. */
export function loadGatewayService(): grpc.ServiceDefinition {
  const sdk = grpc.loadPackageDefinition(protoLoader.loadSync(gatewayProtoPath(), LOADER_OPTIONS)) as unknown as {
    gateway_protocol: { Gateway: grpc.ServiceClientConstructor };
  };
  const overlay = grpc.loadPackageDefinition(protoLoader.fromJSON(COMPLETE_JOB_WITH_RESULT, LOADER_OPTIONS)) as unknown as {
    mustafid_gateway: { CompleteJobReader: grpc.ServiceClientConstructor };
  };
  const service = sdk.gateway_protocol.Gateway.service;
  return { ...service, CompleteJob: { ...service.CompleteJob, requestDeserialize: overlay.mustafid_gateway.CompleteJobReader.service.CompleteJob.requestDeserialize } };
}

// ── the messages as the loader gives them (keepCase, longs and enums as strings, defaults) ──

export interface TopologyResponse {
  brokers: Array<{ nodeId: number; host: string; port: number; version: string; partitions: Array<{ partitionId: number; role: string; health: string }> }>;
  clusterSize: number;
  partitionsCount: number;
  replicationFactor: number;
  gatewayVersion: string;
}

export interface DeployResourceRequest {
  resources: Array<{ name: string; content: Buffer }>;
  tenantId: string;
}

export interface CreateProcessInstanceRequest {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  variables: string;
  startInstructions: Array<{ elementId: string }>;
  tenantId: string;
  operationReference?: string;
}

export interface CreateProcessInstanceWithResultRequest {
  request: CreateProcessInstanceRequest | null;
  requestTimeout: string;
  fetchVariables: string[];
}

export interface CancelProcessInstanceRequest {
  processInstanceKey: string;
}

export interface ActivateJobsRequest {
  type: string;
  worker: string;
  timeout: string;
  maxJobsToActivate: number;
  fetchVariable: string[];
  requestTimeout: string;
  tenantIds: string[];
}

export interface StreamActivatedJobsRequest {
  type: string;
  worker: string;
  timeout: string;
  fetchVariable: string[];
  tenantIds: string[];
}

export interface ActivatedJobMessage {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: string;
  worker: string;
  retries: number;
  deadline: string;
  variables: string;
  tenantId: string;
}

export interface CompleteJobRequest {
  jobKey: string;
  variables: string;
  result: {
    denied: boolean;
    corrections: Buffer;
    deniedReason: string;
    type: string;
    activateElements: Array<{ elementId: string; variables: string }>;
    isCompletionConditionFulfilled: boolean;
    isCancelRemainingInstances: boolean;
  } | null;
}

export interface FailJobRequest {
  jobKey: string;
  retries: number;
  errorMessage: string;
  retryBackOff: string;
  variables: string;
}

export interface ThrowErrorRequest {
  jobKey: string;
  errorCode: string;
  errorMessage: string;
  variables: string;
}

export interface UpdateJobRetriesRequest {
  jobKey: string;
  retries: number;
}

export interface UpdateJobTimeoutRequest {
  jobKey: string;
  /** int64 ms, a decimal string from the loader. */
  timeout: string;
}

export interface PublishMessageRequest {
  name: string;
  correlationKey: string;
  timeToLive: string;
  messageId: string;
  variables: string;
  tenantId: string;
}

export interface BroadcastSignalRequest {
  signalName: string;
  variables: string;
  tenantId: string;
}

export interface ResolveIncidentRequest {
  incidentKey: string;
}

export interface SetVariablesRequest {
  elementInstanceKey: string;
  variables: string;
  local: boolean;
}
