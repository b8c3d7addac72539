import type { TFunction } from 'i18next';
import { ApiError } from '../session/api';

/**
 * The text to show for a failed sign-in: our own words for the codes we know, the
 * server's message otherwise. Computed at render time so it follows a language switch.
 */
/** The form was sent with an empty username or password (checked before calling the server). */
export class MissingCredentials extends Error {}

export function loginErrorMessage(t: TFunction, error: unknown): string {
  if (error instanceof MissingCredentials) return t('login.errors.missing');
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'INVALID_CREDENTIALS':
        return t('login.errors.INVALID_CREDENTIALS');
      case 'TOO_MANY_LOGIN_ATTEMPTS':
        return t('login.errors.TOO_MANY_LOGIN_ATTEMPTS');
      case ApiError.NETWORK:
        return t('login.errors.network');
    }
    if (error.status === 401) return t('login.errors.INVALID_CREDENTIALS');
    if (error.status === 429) return t('login.errors.TOO_MANY_LOGIN_ATTEMPTS');
    if (error.message) return error.message;
  }
  return t('login.errors.unknown');
}
