import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { ar } from '../i18n/ar';
import { en } from '../i18n/en';
import { ApiError } from '../session/api';
import { modelingErrorMessage } from './modelingError';

const i18n = i18next.createInstance();
await i18n.init({ lng: 'ar', resources: { ar: { translation: ar }, en: { translation: en } }, interpolation: { escapeValue: false } });

describe('a failed modeling call in words', () => {
  it('names what the modeler meets, in Arabic and English', async () => {
    const t = i18n.t.bind(i18n);
    expect(modelingErrorMessage(t, new ApiError(409, 'CONFLICT', 'A draft named x exists'))).toBe(ar.modeler.errors.conflict);
    expect(modelingErrorMessage(t, new ApiError(413, 'PAYLOAD_TOO_LARGE', 'too large'))).toBe(ar.modeler.errors.tooLarge);
    expect(modelingErrorMessage(t, new ApiError(400, 'INVALID_BPMN', 'bad', { problems: [] }))).toBe(ar.modeler.errors.invalidBpmn);
    expect(modelingErrorMessage(t, new ApiError(400, 'VALIDATION_FAILED', 'x', { fields: { comment: ['comment is required'] } }))).toBe(
      `${ar.modeler.errors.fields} comment: comment is required`,
    );
    expect(modelingErrorMessage(t, new ApiError(403, 'FORBIDDEN', 'no'))).toBe(ar.errors.forbidden);
    await i18n.changeLanguage('en');
    expect(modelingErrorMessage(t, new ApiError(409, 'CONFLICT', 'taken'))).toBe(en.modeler.errors.conflict);
    expect(modelingErrorMessage(t, new ApiError(400, 'BAD_REQUEST', 'Unknown version'))).toBe(`${en.modeler.errors.badRequest} Unknown version`);
    await i18n.changeLanguage('ar');
  });
});
