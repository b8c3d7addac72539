import { type FieldProblem, coded } from '@mustafid/platform';

/** The parts of a Camunda Form (form-js JSON) that Mustafid reads. */
export interface FormComponent {
  id?: string;
  type: string;
  key?: string;
  label?: string;
  dateLabel?: string;
  subtype?: string;
  text?: string;
  defaultValue?: unknown;
  values?: Array<{ label: string; value: string }>;
  validate?: { required?: boolean; minLength?: number; maxLength?: number; min?: number; max?: number; pattern?: string };
  properties?: Record<string, string>;
  /** form-js hides the field when `hide` (FEEL) is true */
  conditional?: { hide?: string };
  components?: FormComponent[];
}

export interface FormSchema {
  id: string;
  type: string;
  components: FormComponent[];
}

/** Components that hold a value the person enters: the ones validateAgainstForm checks. */
export const INPUTS = new Set(['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select', 'datetime', 'taglist']);

/** The input fields of a form, nested groups flattened. */
export function inputFields(form: FormSchema): FormComponent[] {
  const out: FormComponent[] = [];
  const walk = (list: FormComponent[]) => {
    for (const c of list) {
      if (c.components) walk(c.components);
      if (INPUTS.has(c.type) && c.key) out.push(c);
    }
  };
  walk(form.components);
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(v: string): boolean {
  if (!ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * Checks submitted variables against the form the task shows, as the browser would and more:
 * only the form's fields, each of its type, required ones present, lengths, bounds, patterns
 * and allowed values. A checkbox is a yes-or-no answer that the browser always sends (form-js
 * submits an unticked box as false); one that the form gives no `defaultValue` and never hides
 * must be answered through the API too, because the process decides on it (the reception
 * check's `dataComplete` chooses the gateway's way: a completion without it stranded the case
 * in an incident). The server never trusts the browser's own check.
 */
export function validateAgainstForm(form: FormSchema, variables: Record<string, unknown>): Record<string, FieldProblem[]> {
  const problems: Record<string, FieldProblem[]> = {};
  const fields = inputFields(form);
  const byKey = new Map(fields.map((f) => [f.key!, f]));
  // Each problem with its code (and the values its words need), for the interface to word it.
  const say = (key: string, message: string, code = 'invalid', params?: Record<string, string | number>) => (problems[key] ??= []).push(coded(code, message, params));
  for (const key of Object.keys(variables)) {
    if (!byKey.has(key)) say(key, `${key} is not a field of the form ${form.id}`, 'unknownField');
  }
  for (const field of fields) {
    const key = field.key!;
    const v = variables[key];
    const name = field.properties?.['label:en'] ?? field.label ?? field.dateLabel ?? key;
    const missing = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (missing) {
      if (field.validate?.required) say(key, `${key} (${name}) is required`, 'required');
      else if (field.type === 'checkbox' && field.defaultValue === undefined && !field.conditional?.hide) {
        say(key, `${key} (${name}) is required: answer true or false`, 'required');
      }
      continue;
    }
    const allowed = field.values?.map((x) => x.value);
    switch (field.type) {
      case 'textfield':
      case 'textarea': {
        if (typeof v !== 'string') {
          say(key, `${key} must be text`, 'isString');
          break;
        }
        const { minLength, maxLength, pattern } = field.validate ?? {};
        if (minLength !== undefined && v.trim().length < minLength) say(key, `${key} must be at least ${minLength} characters long`, 'tooShort', { min: minLength });
        if (maxLength !== undefined && v.length > maxLength) say(key, `${key} must be at most ${maxLength} characters long`, 'tooLong', { max: maxLength });
        if (pattern && !new RegExp(`^(?:${pattern})$`, 'u').test(v)) say(key, `${key} does not have the expected form`, 'matches');
        break;
      }
      case 'number': {
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          say(key, `${key} must be a number`, 'isNumber');
          break;
        }
        const { min, max } = field.validate ?? {};
        if (min !== undefined && v < min) say(key, `${key} must be at least ${min}`, 'minValue', { min });
        if (max !== undefined && v > max) say(key, `${key} must be at most ${max}`, 'maxValue', { max });
        break;
      }
      case 'checkbox':
        if (typeof v !== 'boolean') say(key, `${key} must be true or false`, 'isBoolean');
        else if (field.validate?.required && v !== true) say(key, `${key} (${name}) must be checked`, 'mustBeChecked');
        break;
      case 'radio':
      case 'select':
        if (typeof v !== 'string' || (allowed && !allowed.includes(v))) say(key, `${key} must be one of ${allowed?.join(', ')}`, 'isIn');
        break;
      case 'checklist':
      case 'taglist':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || (allowed && !allowed.includes(x)))) {
          say(key, `${key} must be a list of ${allowed?.join(', ')}`, 'isIn');
        } else if (new Set(v).size !== v.length) say(key, `${key} lists a value twice`, 'duplicate');
        break;
      case 'datetime':
        if (typeof v !== 'string' || (field.subtype === 'date' ? !isDate(v) : Number.isNaN(Date.parse(v)))) {
          say(key, `${key} must be a ${field.subtype === 'date' ? 'date written YYYY-MM-DD' : 'date and time'}`, field.subtype === 'date' ? 'isCalendarDate' : 'isDateTime');
        }
        break;
    }
  }
  return problems;
}
