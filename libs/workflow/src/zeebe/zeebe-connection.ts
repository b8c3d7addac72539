import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Camunda8 } from '@camunda8/sdk';
import { APP_CONFIG, type AppConfig, type ZeebeConfig } from '@mustafid/platform';

type GrpcClient = ReturnType<Camunda8['getZeebeGrpcApiClient']>;
type RestClient = ReturnType<Camunda8['getCamundaRestClient']>;

/** How the SDK is told to reach and sign in to the cluster (its own configuration names). */
export function sdkConfiguration(zeebe: ZeebeConfig) {
  const scheme = zeebe.tls ? 'grpcs' : 'grpc';
  const common = {
    ZEEBE_GRPC_ADDRESS: `${scheme}://${zeebe.address}`,
    ZEEBE_REST_ADDRESS: zeebe.restAddress,
    // The SDK reads its gRPC client's settings from this sub-key only (its Configuration.js: zeebeGrpcSettings);
    // given at the top level they are silently ignored, as they were here until issue 17.
    zeebeGrpcSettings: {
      // Off: the SDK would send every command again on a timeout, UNAVAILABLE or backpressure alike, forever by
      // default, and a CreateProcessInstance the broker took before the timeout made a second instance. The
      // adapter retries itself, command by command (zeebe-commands.ts, docs/decisions/0029).
      ZEEBE_GRPC_CLIENT_RETRY: false,
      ZEEBE_GRPC_CLIENT_EAGER_CONNECT: false,
      // Reconnect within seconds of a gateway coming back (gRPC's own default backs off to minutes).
      GRPC_MAX_RECONNECT_BACKOFF_MS: 5000,
      // The SDK's own log lines are JSON stack dumps per poll; this process logs connection changes itself.
      ZEEBE_CLIENT_LOG_LEVEL: 'NONE' as const,
    },
    CAMUNDA_LOG_LEVEL: 'error' as const,
  };
  return zeebe.auth.kind === 'oauth'
    ? {
        ...common,
        CAMUNDA_AUTH_STRATEGY: 'OAUTH' as const,
        CAMUNDA_OAUTH_URL: zeebe.auth.url,
        ZEEBE_CLIENT_ID: zeebe.auth.clientId,
        ZEEBE_CLIENT_SECRET: zeebe.auth.clientSecret,
        CAMUNDA_ZEEBE_OAUTH_AUDIENCE: zeebe.auth.audience,
        CAMUNDA_TOKEN_DISK_CACHE_DISABLE: true,
      }
    : zeebe.auth.kind === 'basic'
      ? // The SDK sends the user's credentials on the REST and gRPC calls alike (CAMUNDA_AUTH_STRATEGY=BASIC).
        { ...common, CAMUNDA_AUTH_STRATEGY: 'BASIC' as const, CAMUNDA_BASIC_AUTH_USERNAME: zeebe.auth.username, CAMUNDA_BASIC_AUTH_PASSWORD: zeebe.auth.password }
      : { ...common, CAMUNDA_AUTH_STRATEGY: 'NONE' as const };
}

/**
 * The one Camunda 8 client of this process (ENGINE=zeebe): a gRPC client for commands and
 * job workers, and the REST client for user tasks. Made on first use, so an embedded server
 * never opens one; closed by the engine once its workers have stopped.
 */
@Injectable()
export class ZeebeConnection {
  private readonly logger = new Logger('Zeebe');
  private sdk?: Camunda8;
  private grpcClient?: GrpcClient;
  private restClient?: RestClient;
  /** What this process last heard from the gateway (health endpoints report it). */
  gatewayState: 'unknown' | 'ready' | 'unreachable' = 'unknown';
  /** Worker names carry the host and process, so Operate shows which copy holds a job. */
  readonly workerPrefix = `${hostname()}-${process.pid}`;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private settings(): ZeebeConfig {
    if (!this.config.zeebe) throw new Error('ENGINE=zeebe is not configured (ZEEBE_ADDRESS, ZEEBE_REST_ADDRESS)');
    return this.config.zeebe;
  }

  private camunda(): Camunda8 {
    if (!this.sdk) {
      // Loaded on first use: the SDK costs ~1 s and ~65 MB of memory, which an embedded server never pays.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@camunda8/sdk') as typeof import('@camunda8/sdk');
      // The SDK types GRPC_MAX_RECONNECT_BACKOFF_MS as its default literal (10000) or a string; grpc-js takes a number.
      this.sdk = new sdk.Camunda8(sdkConfiguration(this.settings()) as unknown as ConstructorParameters<typeof sdk.Camunda8>[0]);
    }
    return this.sdk;
  }

  grpc(): GrpcClient {
    if (!this.grpcClient) {
      const client = this.camunda().getZeebeGrpcApiClient();
      client.on('connectionError', () => {
        if (this.gatewayState !== 'unreachable') this.logger.warn(`The Zeebe gateway at ${this.settings().address} cannot be reached; retrying`);
        this.gatewayState = 'unreachable';
      });
      client.on('ready', () => {
        if (this.gatewayState !== 'ready') this.logger.log(`Connected to the Zeebe gateway at ${this.settings().address}`);
        this.gatewayState = 'ready';
      });
      this.grpcClient = client;
    }
    return this.grpcClient;
  }

  rest(): RestClient {
    this.restClient ??= this.camunda().getCamundaRestClient();
    return this.restClient;
  }

  /**
   * Waits until the gateway answers Topology, logging one clear line per failed try; never
   * gives up on its own (a stopped process ends it). `tries` bounds it for callers that must.
   */
  async waitForGateway(options: { delayMs?: number; tries?: number } = {}): Promise<void> {
    const delay = options.delayMs ?? 2000;
    this.logger.log(`Waiting for the Zeebe gateway at ${this.settings().address} (ZEEBE_ADDRESS); commands retry with back-off while it is down`);
    for (let attempt = 1; ; attempt++) {
      try {
        const topology = await this.grpc().topology();
        this.gatewayState = 'ready';
        this.logger.log(`Zeebe gateway ${this.settings().address}: ${topology.brokers.length} broker(s), ${topology.partitionsCount} partition(s)`);
        return;
      } catch (e) {
        this.gatewayState = 'unreachable';
        const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
        this.logger.warn(`Zeebe gateway ${this.settings().address} is not reachable (attempt ${attempt}): ${reason}; trying again in ${delay / 1000} s`);
        if (options.tries !== undefined && attempt >= options.tries) throw new Error(`The Zeebe gateway at ${this.settings().address} did not answer after ${attempt} attempts: ${reason}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  async close(): Promise<void> {
    const client = this.grpcClient;
    this.grpcClient = undefined;
    if (!client) return;
    // The SDK's close waits for every worker to drain; a job handed back at shutdown never does.
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      client.close(5000).then(() => true),
      new Promise<false>((r) => (timer = setTimeout(() => r(false), 5000))),
    ]).catch((e: unknown) => {
      this.logger.warn(`Closing the Zeebe client: ${String(e)}`);
      return true;
    });
    clearTimeout(timer);
    if (!closed) this.logger.warn('The Zeebe client did not close within 5 s (a handed-back job was still running); leaving it to the process exit');
  }
}
