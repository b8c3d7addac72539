import { describe, expect, it } from 'vitest';
import { type FormSchema, validateAgainstForm } from './form-schema';

const form: FormSchema = {
  id: 'chair-decision',
  type: 'default',
  components: [
    { type: 'text', text: 'title' },
    { type: 'radio', key: 'decision', validate: { required: true }, values: [{ label: 'قبول', value: 'accepted' }, { label: 'اعتذار', value: 'rejected' }] },
    { type: 'textarea', key: 'reasons', validate: { required: true, minLength: 5, maxLength: 20 } },
    { type: 'checkbox', key: 'sure', validate: { required: true } },
    { type: 'number', key: 'score', validate: { min: 1, max: 5 } },
    { type: 'checklist', key: 'met', values: [{ label: 'a', value: 'a' }, { label: 'b', value: 'b' }] },
    { type: 'datetime', subtype: 'date', key: 'on' },
    { type: 'textfield', key: 'code', validate: { pattern: '[A-Z]{2}\\d+' } },
  ],
};

describe('validateAgainstForm', () => {
  it('accepts what the form allows', () => {
    expect(validateAgainstForm(form, { decision: 'accepted', reasons: 'Eligible', sure: true, score: 3, met: ['a'], on: '2026-11-25', code: 'AB12' })).toEqual({});
  });

  it('names each field that is missing, of the wrong type, out of bounds, not allowed, or not on the form', () => {
    expect(
      validateAgainstForm(form, { decision: 'maybe', reasons: 'ok', sure: false, score: 9, met: ['c'], on: '2026-02-30', code: 'x', extra: 1 }),
    ).toEqual({
      extra: ['extra is not a field of the form chair-decision'],
      decision: ['decision must be one of accepted, rejected'],
      reasons: ['reasons must be at least 5 characters long'],
      sure: ['sure (sure) must be checked'],
      score: ['score must be at most 5'],
      met: ['met must be a list of a, b'],
      on: ['on must be a date written YYYY-MM-DD'],
      code: ['code does not have the expected form'],
    });
    expect(validateAgainstForm(form, { reasons: 42 })).toMatchObject({ decision: ['decision (decision) is required'], reasons: ['reasons must be text'] });
  });
});
