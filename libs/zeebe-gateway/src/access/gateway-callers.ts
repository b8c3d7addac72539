import { Injectable } from '@nestjs/common';
import { status, type Metadata } from '@grpc/grpc-js';
import { AuthService, type AuthUser, ROLE_NAMES, type Role, isRole } from '@mustafid/auth';
import { GatewayError } from '../protocol/values';

/** Who may call an RPC: anyone signed in, or one of the roles of its /v2 counterpart (libs/camunda-api/src/shared/access.ts). */
export type RpcAccess = { kind: 'signed-in' } | { kind: 'roles'; roles: readonly Role[] };

/** What a call carries in its `authorization` metadata, as Camunda's clients send it. */
export type GatewayCredential = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

const unauthenticated = (message: string) => new GatewayError(status.UNAUTHENTICATED, message);

/** Reads `authorization: Basic base64(username:password)` (RFC 7617) or `authorization: Bearer <token>`. */
export function credentialOf(metadata: Metadata): GatewayCredential | undefined {
  const values = metadata.get('authorization');
  if (values.length === 0) return undefined;
  if (values.length > 1) throw unauthenticated('The call carries more than one authorization header: send one');
  const header = String(values[0]).trim();
  if (/^bearer /i.test(header)) {
    const token = header.slice(7).trim();
    if (!token) throw unauthenticated('The Bearer token is empty');
    return { kind: 'bearer', token };
  }
  if (/^basic /i.test(header)) {
    const encoded = header.slice(6).trim();
    const text = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = text.indexOf(':');
    if (colon < 1) throw unauthenticated('The Basic credentials are not base64 of username:password');
    return { kind: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  throw unauthenticated('The authorization header must be "Basic <base64 of username:password>" or "Bearer <token>"');
}

/** The client's address without its port, as gRPC names the peer ("127.0.0.1:50123", "[::1]:50123", "ipv6:[::1]:50123"). */
export function peerAddress(peer: string): string {
  const text = peer.replace(/^(ipv4|ipv6|unix):/, '');
  const bracketed = /^\[([^\]]+)\]/.exec(text);
  if (bracketed) return bracketed[1];
  const colon = text.lastIndexOf(':');
  return colon > 0 && text.indexOf(':') === colon ? text.slice(0, colon) : text;
}

/**
 * Authenticates each call as Camunda's /v2 API authenticates a request (docs/decisions/0023):
 * HTTP Basic with a Mustafid account, checked like a sign-in under the same lockout and audited
 * when it fails (`CAMUNDA_AUTH_STRATEGY=BASIC`), or a Bearer token: a machine client's OAuth
 * access token (`CAMUNDA_AUTH_STRATEGY=OAUTH`, POST /oauth/token) or a person's session token.
 */
@Injectable()
export class GatewayCallers {
  constructor(private readonly auth: AuthService) {}

  async authenticate(metadata: Metadata, peer: string, access: RpcAccess): Promise<AuthUser> {
    const credential = credentialOf(metadata);
    if (!credential) {
      throw unauthenticated('Sign in first: send authorization metadata, "Basic <base64 of username:password>" of a Mustafid account (CAMUNDA_AUTH_STRATEGY=BASIC) or "Bearer <token>"');
    }
    const user = credential.kind === 'basic' ? await this.auth.authenticateBasic(credential.username, credential.password, peerAddress(peer)) : await this.auth.authenticateBearer(credential.token);
    if (access.kind === 'roles' && !user.roles.some((r) => access.roles.includes(r))) {
      const needed = access.roles.map((r) => (isRole(r) ? `${ROLE_NAMES[r].en} (${r})` : r)).join(', ');
      throw new GatewayError(status.PERMISSION_DENIED, `This needs one of these roles: ${needed}`);
    }
    return user;
  }
}
