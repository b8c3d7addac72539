import { Inject, Injectable } from '@nestjs/common';
import type { ModdleElement } from 'bpmn-moddle';
import { DomainError } from '@mustafid/platform';
import {
  type Actor,
  type DeployResult,
  type DeployedForm,
  type FormLink,
  FormStore,
  type KeyedForm,
  type ProcessDefinitionView,
  type StoredForm,
  type UserTaskView,
  WORKFLOW_ENGINE,
  type WorkflowEngine,
  formBundle,
  formLinkOfElement,
  linkedFormIds,
  parseDiagram,
  startFormLink,
} from '@mustafid/workflow';
import { DEFAULT_TENANT } from './values';

/**
 * A `.form` resource (Camunda's deployment of a form): a form-js schema (JSON) with its `id`,
 * checked as the modeler's deployments check forms. `refuse` makes the caller's kind of error
 * (a 400 problem for /v2, INVALID_ARGUMENT for the gateway).
 */
export function formResource(name: string, content: string, refuse: (detail: string) => Error): StoredForm {
  let schema: unknown;
  try {
    schema = JSON.parse(content);
  } catch {
    throw refuse(`${name}: a form is a form-js schema (JSON), and this is not valid JSON`);
  }
  const id = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || id === '') throw refuse(`${name}: the form has no "id" (the formId a user task links with zeebe:formDefinition)`);
  try {
    return formBundle({ [id]: schema })[0];
  } catch (e) {
    throw e instanceof DomainError ? refuse(`${name}: ${e.message}`) : e;
  }
}

/** What a deployment of diagrams, decisions and forms stored. */
export interface ResourcesDeployed {
  deploymentKey: string;
  deployed: DeployResult;
  forms: Array<DeployedForm & { resourceName: string }>;
}

/**
 * Deploys BPMN and DMN resources through the engine (all or none) and then the forms, each new
 * process version bound to the versions of the forms deployed with it (what a `deployment`
 * binding finds): Camunda's DeployResource and `POST /v2/deployments` alike.
 */
export async function deployWithForms(
  engine: WorkflowEngine,
  store: FormStore,
  models: Array<{ resourceName: string; xml: string }>,
  forms: Array<{ resourceName: string; form: StoredForm }>,
  actor: Actor,
): Promise<ResourcesDeployed> {
  const deployed: DeployResult = models.length
    ? await engine.deployResources({ resources: models, deployedBy: actor })
    : { deploymentKey: '', processes: [], decisionRequirements: [], decisions: [], warnings: [] };
  if (forms.length === 0) return { deploymentKey: deployed.deploymentKey, deployed, forms: [] };
  const linked = new Map<string, string[]>();
  for (const model of models) {
    if (!deployed.processes.some((p) => p.resourceName === model.resourceName && p.isNewVersion)) continue;
    linked.set(model.resourceName, linkedFormIds((await parseDiagram(model.xml)).rootElement));
  }
  const bindTo = deployed.processes.filter((p) => p.isNewVersion && linked.has(p.resourceName)).map((p) => ({ processDefinitionKey: p.key, formIds: linked.get(p.resourceName)! }));
  const stored = await store.deploy(
    forms.map((f) => f.form),
    bindTo,
    actor.username,
    new Date(),
  );
  return {
    deploymentKey: deployed.deploymentKey || stored.deploymentKey,
    deployed,
    forms: stored.forms.map((f, i) => ({ ...f, resourceName: forms[i].resourceName })),
  };
}

/** Camunda's FormResult: the schema as the JSON text it was deployed as (camunda/camunda#47673: the server sends a string). */
export function formResult(form: KeyedForm) {
  return { tenantId: DEFAULT_TENANT, formId: form.id, schema: JSON.stringify(form.schema), version: form.version, formKey: form.key };
}

/** Parsed diagrams kept, by process definition key (a version never changes). */
const CACHED_DIAGRAMS = 200;

/**
 * The deployed forms that user tasks and start events link (`zeebe:formDefinition formId`),
 * resolved by their binding from the process version's diagram. A form linked by
 * `externalReference` or `formKey` is not a Camunda form resource: none.
 */
@Injectable()
export class LinkedForms {
  private readonly diagrams = new Map<string, Promise<ModdleElement>>();

  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly store: FormStore,
  ) {}

  private diagram(processDefinitionKey: string): Promise<ModdleElement> {
    let found = this.diagrams.get(processDefinitionKey);
    if (!found) {
      found = this.engine.getProcessDefinitionXml(processDefinitionKey).then(async (xml) => (await parseDiagram(xml)).rootElement);
      found.catch(() => this.diagrams.delete(processDefinitionKey));
      if (this.diagrams.size >= CACHED_DIAGRAMS) this.diagrams.delete(this.diagrams.keys().next().value!);
      this.diagrams.set(processDefinitionKey, found);
    }
    return found;
  }

  private resolve(link: FormLink | undefined, processDefinitionKey: string): Promise<KeyedForm | undefined> {
    if (!link?.formId) return Promise.resolve(undefined);
    return this.store.linked(link.formId, { bindingType: link.bindingType, versionTag: link.versionTag, processDefinitionKey });
  }

  /** The form of a user task, if it links a deployed one that exists. */
  async ofUserTask(task: UserTaskView): Promise<KeyedForm | undefined> {
    if (!task.formKey || !task.processDefinitionKey) return undefined;
    const definitions = await this.diagram(task.processDefinitionKey).catch(() => undefined);
    return definitions ? this.resolve(formLinkOfElement(definitions, task.elementId), task.processDefinitionKey) : undefined;
  }

  /** The start form of a process version (its none start event's linked form). */
  async startForm(definition: ProcessDefinitionView): Promise<KeyedForm | undefined> {
    return this.resolve(await this.startLink(definition), definition.key);
  }

  /** Whether the none start event links a form (Camunda's hasStartForm). */
  async hasStartForm(definition: ProcessDefinitionView): Promise<boolean> {
    const link = await this.startLink(definition);
    return link?.formId !== undefined || link?.external !== undefined;
  }

  private async startLink(definition: ProcessDefinitionView): Promise<FormLink | undefined> {
    return startFormLink(await this.diagram(definition.key), definition.bpmnProcessId);
  }
}
