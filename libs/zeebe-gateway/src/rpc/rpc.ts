import type { AuthUser } from '@mustafid/auth';
import type { Actor } from '@mustafid/workflow';
import type { RpcAccess } from '../access/gateway-callers';

/** What a handler knows of its call. */
export interface RpcContext {
  caller: AuthUser;
  /** Aborted when the client cancels the call or the server stops. */
  signal: AbortSignal;
}

/** One request, one answer. */
export interface UnaryRpc<Req = never, Res = unknown> {
  kind: 'unary';
  access: RpcAccess;
  run(request: Req, context: RpcContext): Promise<Res>;
}

/**
 * One request, a stream of answers. `send` resolves once the message is handed to the transport
 * (waiting while the client reads slowly), or false when the call is gone and the message was not sent.
 */
export interface StreamRpc<Req = never, Res = unknown> {
  kind: 'stream';
  access: RpcAccess;
  run(request: Req, context: RpcContext, send: (message: Res) => Promise<boolean>): Promise<void>;
}

export type Rpc = UnaryRpc | StreamRpc;

/** The RPCs a handler class serves, by their name in the Gateway service. */
export interface RpcGroup {
  rpcs(): Record<string, Rpc>;
}

export const unary = <Req, Res>(access: RpcAccess, run: (request: Req, context: RpcContext) => Promise<Res>): Rpc =>
  ({ kind: 'unary', access, run }) as UnaryRpc<Req, Res> as unknown as Rpc;

export const stream = <Req, Res>(access: RpcAccess, run: (request: Req, context: RpcContext, send: (message: Res) => Promise<boolean>) => Promise<void>): Rpc =>
  ({ kind: 'stream', access, run }) as StreamRpc<Req, Res> as unknown as Rpc;

export const signedIn: RpcAccess = { kind: 'signed-in' };
export const roles = (list: readonly AuthUser['roles'][number][]): RpcAccess => ({ kind: 'roles', roles: list });

/** The caller as the engine records who caused a change. */
export const actorOf = (caller: AuthUser): Actor => ({ id: caller.id, username: caller.username });
