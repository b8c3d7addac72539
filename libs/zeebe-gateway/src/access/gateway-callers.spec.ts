import { Metadata, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../protocol/values';
import { credentialOf, peerAddress } from './gateway-callers';

const withAuthorization = (...values: string[]) => {
  const metadata = new Metadata();
  for (const value of values) metadata.add('authorization', value);
  return metadata;
};

describe('gateway credentials', () => {
  it('reads Basic and Bearer authorization metadata, as Camunda\'s clients send it', () => {
    // The SDK's BasicAuthProvider sends `authorization: Basic base64(username:password)`; OAuth sends `Bearer <token>`.
    expect(credentialOf(withAuthorization(`Basic ${Buffer.from('admin:pa:ss').toString('base64')}`))).toEqual({ kind: 'basic', username: 'admin', password: 'pa:ss' });
    expect(credentialOf(withAuthorization('Bearer abc.def'))).toEqual({ kind: 'bearer', token: 'abc.def' });
    expect(credentialOf(new Metadata())).toBeUndefined();
  });

  it('refuses what is neither, UNAUTHENTICATED', () => {
    for (const header of ['Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Bearer ', 'Token x']) {
      let refused: unknown;
      try {
        credentialOf(withAuthorization(header));
      } catch (e) {
        refused = e;
      }
      expect(refused, header).toBeInstanceOf(GatewayError);
      expect((refused as GatewayError).code, header).toBe(status.UNAUTHENTICATED);
    }
  });

  it('names the client by its address without the port', () => {
    expect(peerAddress('127.0.0.1:50123')).toBe('127.0.0.1');
    expect(peerAddress('ipv4:10.0.0.7:40000')).toBe('10.0.0.7');
    expect(peerAddress('[::1]:50123')).toBe('::1');
    expect(peerAddress('ipv6:[fe80::1]:1')).toBe('fe80::1');
  });
});
