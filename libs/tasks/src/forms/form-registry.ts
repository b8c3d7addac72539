import { Injectable } from '@nestjs/common';
import { FormStore } from '@mustafid/workflow';
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
 * The task forms (Camunda Forms, form-js JSON) a task shows and the server checks its
 * completion against: the version its process version was deployed with (FormStore).
 */
@Injectable()
export class FormRegistry {
  constructor(private readonly store: FormStore) {}

  async forTask(formId: string | null | undefined, processDefinitionKey: string): Promise<FormSchema | undefined> {
    return formId ? ((await this.store.forDefinition(formId, processDefinitionKey)) as FormSchema | undefined) : undefined;
  }

  /** The variables a task with this form may read: its fields and what its text shows. */
  variablesOf(form: FormSchema): string[] {
    return [...new Set([...inputFields(form).map((f) => f.key!), ...templateVariables(form)])];
  }
}
