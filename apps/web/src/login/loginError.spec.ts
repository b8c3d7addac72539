import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../session/api';
import { MissingCredentials, loginErrorMessage } from './loginError';

// A stand-in translator that shows which key was asked for.
const t = ((key: string) => `t:${key}`) as unknown as TFunction;

describe('loginErrorMessage', () => {
  it('translates the codes the sign-in page knows', () => {
    expect(loginErrorMessage(t, new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid'))).toBe('t:login.errors.INVALID_CREDENTIALS');
    expect(loginErrorMessage(t, new ApiError(429, 'TOO_MANY_LOGIN_ATTEMPTS', 'Wait'))).toBe('t:login.errors.TOO_MANY_LOGIN_ATTEMPTS');
    expect(loginErrorMessage(t, new ApiError(0, ApiError.NETWORK, 'fetch failed'))).toBe('t:login.errors.network');
    expect(loginErrorMessage(t, new MissingCredentials())).toBe('t:login.errors.missing');
  });

  it("shows the server's own message otherwise", () => {
    expect(loginErrorMessage(t, new ApiError(400, 'VALIDATION_FAILED', 'username must be shorter than 100 characters'))).toBe(
      'username must be shorter than 100 characters',
    );
  });

  it('falls back to a generic message for anything else', () => {
    expect(loginErrorMessage(t, new Error('boom'))).toBe('t:login.errors.unknown');
  });
});
