import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { localiseFormError } from './formErrors';

// A stand-in translator that shows the key and the number it was given.
const t = ((key: string, options?: { n?: string }) => (options?.n !== undefined ? `${key}(${options.n})` : key)) as unknown as TFunction;

describe('localiseFormError', () => {
  it("translates form-js's own messages, numbers as the locale writes them", () => {
    expect(localiseFormError('Field is required.', t, 'en')).toBe('taskForm.validation.required');
    expect(localiseFormError('Field must have minimum length of 5.', t, 'en')).toBe('taskForm.validation.minLength(5)');
    expect(localiseFormError('Field must have maximum length of 2000.', t, 'en')).toBe('taskForm.validation.maxLength(2,000)');
    expect(localiseFormError('Field must have maximum length of 2000.', t, 'ar')).toBe('taskForm.validation.maxLength(٢٬٠٠٠)');
    expect(localiseFormError('Field must have minimum value of 0.', t, 'en')).toBe('taskForm.validation.min(0)');
    expect(localiseFormError('Value is not a number.', t, 'en')).toBe('taskForm.validation.number');
  });

  it('keeps any other message as it is', () => {
    expect(localiseFormError('Something form-js says', t, 'ar')).toBe('Something form-js says');
  });
});
