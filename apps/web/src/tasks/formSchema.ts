import type { Language } from '../i18n/language';

/**
 * The parts of a Camunda Form (form-js JSON) this UI reads. The diagram's forms are written
 * in Arabic and carry their English in custom properties:
 *   properties['label:en']   a field's label (a date field's dateLabel)
 *   properties['text:en']    a text component's markdown
 *   properties['values:en']  "value=English label|value2=…" for radio, select and checklist
 *   properties['description:en']  a field's description
 */
export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  label?: string;
  dateLabel?: string;
  text?: string;
  description?: string;
  values?: Array<{ label: string; value: string }>;
  validate?: { required?: boolean; [rule: string]: unknown };
  properties?: Record<string, string>;
  components?: FormComponent[];
  [other: string]: unknown;
}

export interface FormSchema {
  id?: string;
  type?: string;
  components: FormComponent[];
  [other: string]: unknown;
}

/** "accept=Accept|reject=Reject" → { accept: 'Accept', reject: 'Reject' } (labels may hold '='). */
export function parseLocalisedValues(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of spec.split('|')) {
    const at = entry.indexOf('=');
    if (at <= 0) continue;
    const value = entry.slice(0, at).trim();
    const label = entry.slice(at + 1).trim();
    if (value && label) out[value] = label;
  }
  return out;
}

function toEnglish(component: FormComponent): FormComponent {
  const props = component.properties ?? {};
  const english: FormComponent = { ...component };
  const label = props['label:en'];
  if (label) {
    // A date field shows dateLabel, not label.
    if (component.type === 'datetime' && component.label === undefined) english.dateLabel = label;
    else english.label = label;
  }
  if (props['text:en'] !== undefined && component.text !== undefined) english.text = props['text:en'];
  if (props['description:en'] !== undefined) english.description = props['description:en'];
  if (props['values:en'] && Array.isArray(component.values)) {
    const labels = parseLocalisedValues(props['values:en']);
    english.values = component.values.map((option) => ({ ...option, label: labels[option.value] ?? option.label }));
  }
  if (Array.isArray(component.components)) english.components = component.components.map(toEnglish);
  return english;
}

/**
 * The schema as the language shows it: in Arabic the schema as it is; in English a copy
 * with the English swapped in wherever the form provides it (the original is not touched).
 */
export function localiseFormSchema<T extends FormSchema>(schema: T, language: Language): T {
  if (language !== 'en') return schema;
  return { ...schema, components: schema.components.map(toEnglish) };
}

/** Each input field's label by key, as the (localised) schema shows it: for naming fields in server errors. */
export function fieldLabels(schema: FormSchema): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (list: FormComponent[]) => {
    for (const c of list) {
      if (c.key) out[c.key] = c.label ?? c.dateLabel ?? c.key;
      if (Array.isArray(c.components)) walk(c.components);
    }
  };
  walk(schema.components);
  return out;
}
