import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { bpmnDir } from '@mustafid/intake';
import { type FormSchema, inputFields } from './form-schema';

/** Names a form's text refers to with {{…}}: the case variables it shows beside its fields. */
export function templateVariables(form: FormSchema): string[] {
  const names = new Set<string>();
  const walk = (list: FormSchema['components']) => {
    for (const c of list) {
      for (const text of [c.text, c.properties?.['text:en']]) {
        for (const m of (text ?? '').matchAll(/\{\{\s*(?:#(?:if|loop)\s+)?([A-Za-z_]\w*)/g)) names.add(m[1]);
      }
      if (c.components) walk(c.components);
    }
  };
  walk(form.components);
  return [...names];
}

/**
 * The task forms (Camunda Forms, form-js JSON) from bpmn/forms, by form id: what the web UI
 * renders with form-js and what the server checks a completion against.
 */
@Injectable()
export class FormRegistry {
  private readonly forms = new Map<string, FormSchema>();

  constructor() {
    const dir = join(bpmnDir(), 'forms');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.form'))) {
      const form = JSON.parse(readFileSync(join(dir, file), 'utf8')) as FormSchema;
      if (!form.id) throw new Error(`${file} has no form id`);
      this.forms.set(form.id, form);
    }
  }

  get(formId: string | undefined): FormSchema | undefined {
    return formId ? this.forms.get(formId) : undefined;
  }

  ids(): string[] {
    return [...this.forms.keys()];
  }

  /** The variables a task with this form may read: its fields and what its text shows. */
  variablesOf(form: FormSchema): string[] {
    return [...new Set([...inputFields(form).map((f) => f.key!), ...templateVariables(form)])];
  }
}
