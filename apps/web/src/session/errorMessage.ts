import i18next, { type TFunction } from 'i18next';
import { bothCalendars } from '../home/dates';
import { DEFAULT_LANGUAGE, isLanguage } from '../i18n/language';
import { ApiError } from './api';

/** Conflicts whose cause a person can act on: reload the task, or leave it to whoever holds it. */
export function isConflict(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409;
}

/** The interface's language (read from i18next itself: the i18n module touches the document when loaded). */
function pageLanguage() {
  const language = i18next.resolvedLanguage ?? i18next.language;
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

/**
 * The text to show for a failed call: our own words for the codes we know (with the names
 * the server gives, such as who holds a task), the server's message otherwise. Computed at
 * render time so it follows a language switch.
 */
export function apiErrorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t('errors.unknown');
  const detail = (name: string) => {
    const value = error.details[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  switch (error.code) {
    case ApiError.NETWORK:
      return t('errors.network');
    case 'TASK_HELD':
      return detail('assignee') ? t('errors.TASK_HELD', { assignee: detail('assignee') }) : t('errors.TASK_HELD_UNKNOWN');
    case 'STALE_TASK':
      return t('errors.STALE_TASK');
    case 'TASK_COMPLETED':
      return detail('completedBy') ? t('errors.TASK_COMPLETED', { completedBy: detail('completedBy') }) : t('errors.TASK_COMPLETED_UNKNOWN');
    case 'TASK_CANCELLED':
      return t('errors.TASK_CANCELLED');
    case 'ALREADY_VOTED':
      return t('errors.ALREADY_VOTED');
    case 'NOT_AWAITING_SIGNATURE':
    case 'ALREADY_SIGNED':
      return t('errors.NOT_AWAITING_SIGNATURE');
    case 'FILE_TOO_LARGE':
    case 'PAYLOAD_TOO_LARGE':
      return t('errors.FILE_TOO_LARGE');
    case 'VALIDATION_FAILED':
      return t('errors.VALIDATION_FAILED');
    case 'TOO_MANY_INQUIRIES':
      return t('errors.TOO_MANY_INQUIRIES');
    case 'SERVICE_DATE_BEFORE_DECISION':
      return detail('decisionDay') ? t('errors.SERVICE_DATE_BEFORE_DECISION', { date: bothCalendars(pageLanguage(), detail('decisionDay')!) }) : t('errors.VALIDATION_FAILED');
  }
  if (error.status === 401) return t('errors.signedOut');
  if (error.status === 403) return t('errors.forbidden');
  if (error.status === 404) return t('errors.notFound');
  return error.message || t('errors.unknown');
}
