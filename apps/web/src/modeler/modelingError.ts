import type { TFunction } from 'i18next';
import { ApiError } from '../session/api';
import { apiErrorMessage } from '../session/errorMessage';

/**
 * A failed modeling call in words: our text for what the modeler can meet (a refused
 * diagram, a draft name taken, a file over the limit, fields refused), else the shared one.
 * The problems of a refused diagram are listed apart (problemsOf).
 */
export function modelingErrorMessage(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return apiErrorMessage(t, error);
  if (error.code === 'INVALID_BPMN') return t('modeler.errors.invalidBpmn');
  if (error.status === 409) return t('modeler.errors.conflict');
  if (error.status === 413) return t('modeler.errors.tooLarge');
  if (error.code === 'VALIDATION_FAILED') {
    const fields = Object.entries(error.fields).map(([field, problems]) => `${field}: ${problems.join('، ')}`);
    return fields.length > 0 ? `${t('modeler.errors.fields')} ${fields.join(' · ')}` : t('errors.VALIDATION_FAILED');
  }
  if (error.status === 400 && error.message) return `${t('modeler.errors.badRequest')} ${error.message}`;
  return apiErrorMessage(t, error);
}
