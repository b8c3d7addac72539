import type { ModdleElement } from 'bpmn-moddle';
import { executableProcesses, flowElements } from '../model/process-model';

/**
 * How a user task or a start event links a form (`zeebe:formDefinition`,
 * docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#user-task-forms): a deployed Camunda
 * Form by `formId` with its binding, or an external form by `externalReference` / `formKey`.
 */
export interface FormLink {
  formId?: string;
  /** latest (the default), deployment or versionTag. */
  bindingType: string;
  versionTag?: string;
  /** `formKey` or `externalReference`: a form Camunda does not hold. */
  external?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function linkOf(el: ModdleElement): FormLink | undefined {
  const form = ((el.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? []).find((v) => v.$type === 'zeebe:FormDefinition');
  if (!form) return undefined;
  const attrs = (form.$attrs ?? {}) as Record<string, unknown>;
  return {
    formId: text(form.formId),
    bindingType: text(form.bindingType) ?? text(attrs.bindingType) ?? 'latest',
    versionTag: text(form.versionTag) ?? text(attrs.versionTag),
    external: text(form.externalReference) ?? text(form.formKey),
  };
}

/** The form link of the element `elementId` of a parsed diagram (any process, any depth). */
export function formLinkOfElement(definitions: ModdleElement, elementId: string): FormLink | undefined {
  for (const process of executableProcesses(definitions)) {
    for (const el of flowElements(process)) if (el.id === elementId) return linkOf(el);
  }
  return undefined;
}

/** The form link of the none start event of the process `bpmnProcessId` (its start form). */
export function startFormLink(definitions: ModdleElement, bpmnProcessId: string): FormLink | undefined {
  const process = executableProcesses(definitions).find((p) => p.id === bpmnProcessId);
  const start = ((process?.flowElements as ModdleElement[] | undefined) ?? []).find(
    (el) => el.$type === 'bpmn:StartEvent' && ((el.eventDefinitions as unknown[] | undefined) ?? []).length === 0,
  );
  return start ? linkOf(start) : undefined;
}
