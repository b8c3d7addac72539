import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { asClientCommand } from '@mustafid/workflow';
import * as grpc from '@grpc/grpc-js';
import { APP_CONFIG, type AppConfig, bytes } from '@mustafid/platform';
import { GatewayCallers } from './access/gateway-callers';
import { loadGatewayService } from './protocol/gateway-protocol';
import { gatewayStatusOf, serviceError } from './protocol/status';
import { GatewayError } from './protocol/values';
import { ClusterRpcs } from './rpc/cluster.rpc';
import { DeploymentRpcs } from './rpc/deployments.rpc';
import { EventRpcs } from './rpc/events.rpc';
import { ResourceRpcs } from './rpc/resources.rpc';
import { JobRpcs } from './rpc/jobs.rpc';
import { ProcessInstanceRpcs } from './rpc/process-instances.rpc';
import { type Rpc, type RpcContext, signedIn } from './rpc/rpc';

/** How long shutting down waits for calls in flight before it cuts them off. */
export const SHUTDOWN_GRACE_MS = 5_000;

/** The Gateway service's RPCs that Mustafid does not serve, each with why (UNIMPLEMENTED). */
const NOT_SUPPORTED: Record<string, string> = {
  DeployProcess: 'DeployProcess (deprecated since Zeebe 8.0) is not supported by Mustafid: deploy with DeployResource',
  ModifyProcessInstance: 'ModifyProcessInstance is not supported by Mustafid',
  MigrateProcessInstance: 'MigrateProcessInstance is not supported by Mustafid: an instance finishes on the version it started on',
};

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>;

/**
 * The Zeebe gateway protocol (gRPC) on the embedded engine, for Camunda's gRPC clients and job
 * workers (docs/decisions/0024-zeebe-gateway.md): `gateway_protocol.Gateway` from the SDK's
 * zeebe.proto, served by @grpc/grpc-js on ZEEBE_GATEWAY_PORT, each RPC one call of the engine
 * port. Every call is authenticated (GatewayCallers) and asks the roles its /v2 counterpart asks;
 * refusals carry Zeebe's status codes (status.ts). Started by the server after HTTP listens;
 * stopped with the application: calls in flight are ended (long polls and job streams at once),
 * then the server waits SHUTDOWN_GRACE_MS before it cuts off what is left.
 */
@Injectable()
export class ZeebeGateway implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ZeebeGateway');
  private server?: grpc.Server;
  private readonly calls = new Set<AbortController>();
  private boundPort?: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly callers: GatewayCallers,
    private readonly cluster: ClusterRpcs,
    private readonly deployments: DeploymentRpcs,
    private readonly instances: ProcessInstanceRpcs,
    private readonly jobs: JobRpcs,
    private readonly events: EventRpcs,
    private readonly resources: ResourceRpcs,
  ) {}

  /** The port it listens on (ZEEBE_GATEWAY_PORT, or the one picked for 0); undefined when not serving. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** Listens on HOST:ZEEBE_GATEWAY_PORT when that is set; does nothing otherwise. */
  async start(): Promise<void> {
    const settings = this.config.zeebeGateway;
    if (!settings || this.server) return;
    // The largest message a client may send: a deployment of one resource of DEPLOYMENT_MAX_BYTES, or a body of BODY_LIMIT.
    const maxMessageBytes = Math.max(bytes(this.config.http.bodyLimit), this.config.engine.deploymentMaxBytes) + 64 * 1024;
    const server = new grpc.Server({ 'grpc.max_receive_message_length': maxMessageBytes });
    const service = loadGatewayService();
    server.addService(service, this.implementation(service));
    const host = this.config.http.host.includes(':') ? `[${this.config.http.host}]` : this.config.http.host;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${settings.port}`, grpc.ServerCredentials.createInsecure(), (e, port) =>
        e ? reject(new Error(`The Zeebe gateway could not listen on ${host}:${settings.port} (ZEEBE_GATEWAY_PORT): ${e.message}`)) : resolve(port),
      ),
    );
    this.server = server;
    this.logger.log(`Zeebe gateway (gRPC) listening on ${host}:${this.boundPort}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!server) return;
    // Long polls and job streams end now (their clients reconnect elsewhere); unary calls finish.
    for (const call of this.calls) call.abort();
    await new Promise<void>((resolve) => {
      const cutOff = setTimeout(() => {
        this.logger.warn(`Calls still in flight after ${SHUTDOWN_GRACE_MS} ms: cutting them off`);
        server.forceShutdown();
        resolve();
      }, SHUTDOWN_GRACE_MS);
      server.tryShutdown(() => {
        clearTimeout(cutOff);
        resolve();
      });
    });
  }

  /** A handler for every method of the service: Mustafid's RPCs, and UNIMPLEMENTED for the rest. */
  private implementation(service: grpc.ServiceDefinition): grpc.UntypedServiceImplementation {
    const rpcs: Record<string, Rpc> = {
      ...this.cluster.rpcs(),
      ...this.deployments.rpcs(),
      ...this.instances.rpcs(),
      ...this.jobs.rpcs(),
      ...this.events.rpcs(),
      ...this.resources.rpcs(),
    };
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service)) {
      const rpc = rpcs[name] ?? unsupported(NOT_SUPPORTED[name] ?? `${name} is not supported by Mustafid`, method.responseStream);
      handlers[name] = rpc.kind === 'unary' ? this.unaryHandler(name, rpc) : this.streamHandler(name, rpc);
    }
    return handlers;
  }

  private unaryHandler(name: string, rpc: Extract<Rpc, { kind: 'unary' }>): grpc.handleUnaryCall<unknown, unknown> {
    return (call, callback) => {
      this.run(name, call, rpc, (context) => rpc.run(call.request as never, context)).then(
        (response) => callback(null, response),
        (e: unknown) => callback(this.failure(name, e)),
      );
    };
  }

  private streamHandler(name: string, rpc: Extract<Rpc, { kind: 'stream' }>): grpc.handleServerStreamingCall<unknown, unknown> {
    return (call) => {
      const send = (message: unknown) =>
        new Promise<boolean>((resolve) => {
          if (call.cancelled || call.destroyed || call.writableEnded) return resolve(false);
          // Resolves once the message is handed to the transport: a client that reads slowly holds the next job back.
          call.write(message, (e?: Error | null) => resolve(!e && !call.cancelled));
        });
      this.run(name, call, rpc, (context) => rpc.run(call.request as never, context, send)).then(
        () => {
          if (!call.writableEnded && !call.destroyed) call.end();
        },
        (e: unknown) => {
          if (!call.writableEnded && !call.destroyed) call.emit('error', this.failure(name, e));
        },
      );
    };
  }

  /** Authenticates the call, then runs it with a signal that aborts when the client cancels or the server stops. */
  private async run<T>(name: string, call: AnyCall, rpc: Rpc, handle: (context: RpcContext) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.calls.add(controller);
    const cancel = () => controller.abort();
    call.once('cancelled', cancel);
    try {
      const caller = await this.callers.authenticate(call.metadata, call.getPeer(), rpc.access);
      // Every RPC is a client's: its engine commands meet the engine's backpressure (RESOURCE_EXHAUSTED).
      return await asClientCommand(() => handle({ caller, signal: controller.signal }));
    } finally {
      call.removeListener('cancelled', cancel);
      this.calls.delete(controller);
    }
  }

  private failure(name: string, e: unknown): grpc.ServiceError {
    const status = gatewayStatusOf(e);
    if (status.unexpected) this.logger.error({ err: e, rpc: name }, `${name} failed`);
    return serviceError(status);
  }
}

/** An RPC Mustafid does not serve: UNIMPLEMENTED with why, to a caller who signed in. */
function unsupported(message: string, responseStream: boolean): Rpc {
  const refuse = () => Promise.reject(new GatewayError(grpc.status.UNIMPLEMENTED, message));
  return responseStream ? { kind: 'stream', access: signedIn, run: refuse } : { kind: 'unary', access: signedIn, run: refuse };
}
