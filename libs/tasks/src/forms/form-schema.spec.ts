import { describe, expect, it } from 'vitest';
import type { FieldProblem } from '@mustafid/platform';
import { type FormSchema, validateAgainstForm as checked } from './form-schema';

const wordsOf = (problems: Record<string, FieldProblem[]>) =>
  Object.fromEntries(Object.entries(problems).map(([key, list]) => [key, list.map((p) => (typeof p === 'string' ? p : p.message))]));
const codesOf = (problems: Record<string, FieldProblem[]>) =>
  Object.fromEntries(Object.entries(problems).map(([key, list]) => [key, list.map((p) => (typeof p === 'string' ? { code: 'invalid' } : { code: p.code, ...(p.params ? { params: p.params } : {}) }))]));
/** The server's words for each field (English). */
const validateAgainstForm = (form: FormSchema, variables: Record<string, unknown>) => wordsOf(checked(form, variables));

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

  it('takes a checkbox left out as a missing answer, unless the form gives it a default or may hide it (issue 18.6: the reception check with {})', () => {
    const check: FormSchema = {
      id: 'reception-intake-check',
      type: 'default',
      components: [
        { type: 'checkbox', key: 'dataComplete', properties: { 'label:en': 'All data and documents are complete' } },
        { type: 'checkbox', key: 'unsure' },
        { type: 'checkbox', key: 'referToResearcher', defaultValue: false },
        { type: 'checkbox', key: 'urgent', conditional: { hide: '=dataComplete' } },
        { type: 'textarea', key: 'missingItems', validate: { maxLength: 500 } },
      ],
    };
    expect(validateAgainstForm(check, {})).toEqual({
      dataComplete: ['dataComplete (All data and documents are complete) is required: answer true or false'],
      unsure: ['unsure (unsure) is required: answer true or false'],
    });
    expect(validateAgainstForm(check, { dataComplete: false, unsure: false })).toEqual({});
  });

  it('gives each problem a code the interface words in its own language, with the bounds it needs (issue 19 point 4)', () => {
    expect(codesOf(checked(form, { decision: 'maybe', reasons: 'ok', sure: false, score: 9, met: ['c'], on: '2026-02-30', code: 'x', extra: 1 }))).toEqual({
      extra: [{ code: 'unknownField' }],
      decision: [{ code: 'isIn' }],
      reasons: [{ code: 'tooShort', params: { min: 5 } }],
      sure: [{ code: 'mustBeChecked' }],
      score: [{ code: 'maxValue', params: { max: 5 } }],
      met: [{ code: 'isIn' }],
      on: [{ code: 'isCalendarDate' }],
      code: [{ code: 'matches' }],
    });
  });
});
