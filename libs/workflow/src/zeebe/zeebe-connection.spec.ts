import { describe, expect, it } from 'vitest';
import { sdkConfiguration } from './zeebe-connection';

describe('sdkConfiguration', () => {
  const base = { address: 'zeebe:26500', restAddress: 'http://zeebe:8080', tls: false, auth: { kind: 'none' as const } };

  it('speaks plain gRPC without authentication to a local cluster, leaving retries to the adapter (its own policy)', () => {
    expect(sdkConfiguration(base)).toMatchObject({
      ZEEBE_GRPC_ADDRESS: 'grpc://zeebe:26500',
      ZEEBE_REST_ADDRESS: 'http://zeebe:8080',
      CAMUNDA_AUTH_STRATEGY: 'NONE',
      zeebeGrpcSettings: { ZEEBE_GRPC_CLIENT_RETRY: false, GRPC_MAX_RECONNECT_BACKOFF_MS: 5000, ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    });
  });

  it("signs in as a user of the cluster's basic authentication", () => {
    expect(sdkConfiguration({ ...base, auth: { kind: 'basic', username: 'mustafid', password: 'pw' } })).toMatchObject({
      CAMUNDA_AUTH_STRATEGY: 'BASIC',
      CAMUNDA_BASIC_AUTH_USERNAME: 'mustafid',
      CAMUNDA_BASIC_AUTH_PASSWORD: 'pw',
    });
  });

  it('uses TLS and OAuth client credentials when configured', () => {
    const config = sdkConfiguration({
      ...base,
      tls: true,
      auth: { kind: 'oauth', url: 'https://login.example.org/oauth/token', clientId: 'mustafid', clientSecret: 's3cret', audience: 'zeebe-api' },
    });
    expect(config).toMatchObject({
      ZEEBE_GRPC_ADDRESS: 'grpcs://zeebe:26500',
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_OAUTH_URL: 'https://login.example.org/oauth/token',
      ZEEBE_CLIENT_ID: 'mustafid',
      ZEEBE_CLIENT_SECRET: 's3cret',
      CAMUNDA_ZEEBE_OAUTH_AUDIENCE: 'zeebe-api',
    });
  });
});
