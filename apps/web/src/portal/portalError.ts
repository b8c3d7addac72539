import type { TFunction } from 'i18next';
import { ApiError } from '../session/api';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { apiErrorMessage } from '../session/errorMessage';

const OWN_WORDS = [
  'INVALID_CODE',
  'CODE_EXPIRED',
  'TOO_MANY_CODE_ATTEMPTS',
  'CODE_COOLDOWN',
  'NOT_A_PORTAL_ACCOUNT',
  'SIGNED_DATA_CHANGED',
  'SURVEY_ALREADY_ANSWERED',
  'SURVEY_NOT_OPEN',
  'SURVEY_LINK_INVALID',
  'SURVEY_LINK_OTHER_CASE',
  'SURVEY_LINK_USED',
  'SURVEY_LINK_EXPIRED',
] as const;

/** The portal's failures in the applicant's language; anything else as the rest of the app words it. */
export function portalErrorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && (OWN_WORDS as readonly string[]).includes(error.code ?? '')) {
    // CODE_COOLDOWN says how long to wait: the server's retryAfterSeconds.
    return t(`portal.errors.${error.code as (typeof OWN_WORDS)[number]}`, {
      seconds: formatNumber(currentLanguage(), Number(error.details.retryAfterSeconds ?? 60)),
    });
  }
  return apiErrorMessage(t, error);
}
