import { describe, expect, it } from 'vitest';
import { OAuthError } from './oauth-error';
import { readTokenRequest } from './token-request';

/**
 * How the token endpoint reads a client-credentials request: RFC 6749 §4.4.2 (the parameters),
 * §2.3.1 (the client's credentials in the body or as HTTP Basic, each part form-encoded), §3.2
 * (empty parameters are omitted ones, none sent twice) and §5.2 (the error codes).
 * https://www.rfc-editor.org/rfc/rfc6749
 */
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function refusal(body: unknown, authorization?: string): { code: string; status: number; message: string } {
  try {
    readTokenRequest(body, authorization);
  } catch (e) {
    if (e instanceof OAuthError) return { code: e.code, status: e.status, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

describe('token request (RFC 6749 §4.4.2, §2.3.1)', () => {
  it('takes the credentials in the body, as Camunda\'s clients send them, and ignores audience and scope', () => {
    expect(readTokenRequest({ grant_type: 'client_credentials', client_id: 'worker-abc', client_secret: 's3cret', audience: 'zeebe.camunda.io', scope: 'x' }, undefined)).toEqual({
      grantType: 'client_credentials',
      clientId: 'worker-abc',
      clientSecret: 's3cret',
      via: 'body',
    });
  });

  it('takes them as HTTP Basic, each part form-decoded, so a secret may hold a colon', () => {
    expect(readTokenRequest({ grant_type: 'client_credentials' }, basic('worker-abc', 'a:b c+d'))).toEqual({
      grantType: 'client_credentials',
      clientId: 'worker-abc',
      clientSecret: 'a:b c+d',
      via: 'basic',
    });
    // §2.3.1 form-encoding writes a space as +.
    const plus = `Basic ${Buffer.from('worker-abc:a+b').toString('base64')}`;
    expect(readTokenRequest({ grant_type: 'client_credentials' }, plus).clientSecret).toBe('a b');
  });

  it('refuses a request without grant_type (invalid_request) or with another grant (unsupported_grant_type)', () => {
    expect(refusal({ client_id: 'a', client_secret: 'b' })).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(refusal({ grant_type: '', client_id: 'a', client_secret: 'b' })).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(refusal({ grant_type: 'password', username: 'a', password: 'b' })).toMatchObject({ code: 'unsupported_grant_type', status: 400, message: expect.stringContaining('client_credentials') });
  });

  it('refuses a body that is not parameters, a parameter sent twice or not as text', () => {
    expect(refusal(undefined)).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('form-encoded') });
    expect(refusal('grant_type=client_credentials')).toMatchObject({ code: 'invalid_request' });
    expect(refusal([1])).toMatchObject({ code: 'invalid_request' });
    expect(refusal({ grant_type: ['client_credentials', 'client_credentials'], client_id: 'a', client_secret: 'b' })).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('more than once') });
    expect(refusal({ grant_type: 'client_credentials', client_id: { $ne: '' }, client_secret: 'b' })).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('client_id must be text') });
    expect(refusal({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', audience: 'x'.repeat(1001) })).toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a request that names no client, or one without its secret (invalid_client, 401)', () => {
    expect(refusal({ grant_type: 'client_credentials' })).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(refusal({ grant_type: 'client_credentials', client_id: 'a' })).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(refusal({ grant_type: 'client_credentials' }, 'Bearer abc')).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(refusal({ grant_type: 'client_credentials' }, 'Basic !!!')).toMatchObject({ code: 'invalid_client', status: 401 });
  });

  it('refuses credentials sent both ways (§2.3: one method per request)', () => {
    expect(refusal({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' }, basic('a', 'b'))).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(refusal({ grant_type: 'client_credentials', client_id: 'other' }, basic('a', 'b'))).toMatchObject({ code: 'invalid_request' });
  });

  it('answers an overlong id or secret as a wrong one, without reading further', () => {
    expect(refusal({ grant_type: 'client_credentials', client_id: 'a'.repeat(65), client_secret: 'b' })).toMatchObject({ code: 'invalid_client', status: 401 });
    expect(refusal({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b'.repeat(201) })).toMatchObject({ code: 'invalid_request' });
  });
});
