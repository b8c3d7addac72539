import { DomainError } from '@mustafid/platform';
import type { StoredForm } from './form-store';

const FORM_ID = /^[A-Za-z0-9][\w-]{0,99}$/;
const MAX_FORMS = 50;
const MAX_FORM_BYTES = 256 * 1024;

/**
 * Task forms sent with a draft or a deployment, by form id: each a form-js schema whose `id`
 * is its key and whose `components` is a list. Anything else is refused with the form named.
 */
export function formBundle(forms: Record<string, unknown> | undefined): StoredForm[] {
  if (!forms) return [];
  const entries = Object.entries(forms);
  const problems: Record<string, string[]> = {};
  if (entries.length > MAX_FORMS) problems.forms = [`at most ${MAX_FORMS} forms may be sent at once`];
  for (const [id, form] of entries.slice(0, MAX_FORMS)) {
    const field = `forms.${id.slice(0, 100)}`;
    const say = (message: string) => (problems[field] ??= []).push(message);
    if (!FORM_ID.test(id)) say('a form id is letters, digits, "-" or "_" (at most 100)');
    if (typeof form !== 'object' || form === null || Array.isArray(form)) {
      say('must be a form-js schema (a JSON object)');
      continue;
    }
    const schema = form as Record<string, unknown>;
    if (schema.id !== id) say(`the form's id must be "${id}", the key it is sent under`);
    if (!Array.isArray(schema.components)) say('must have a list of components');
    if (JSON.stringify(schema).length > MAX_FORM_BYTES) say(`must be at most ${MAX_FORM_BYTES / 1024} KB`);
  }
  if (Object.keys(problems).length > 0) {
    throw new DomainError('VALIDATION_FAILED', `The forms are not valid: ${Object.entries(problems).map(([f, m]) => `${f}: ${m.join('; ')}`).join('. ')}`, 400, {
      fields: problems,
    });
  }
  return entries.map(([, form]) => form as StoredForm);
}
