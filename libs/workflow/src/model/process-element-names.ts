import { Inject, Injectable } from '@nestjs/common';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '../port/workflow-engine';
import { ELEMENT_TYPE_NAMES, type ElementName, elementNames } from './element-names';

/** Element names of deployed versions, read once per version (a version never changes). */
@Injectable()
export class ProcessElementNames {
  private readonly names = new Map<string, Promise<Map<string, ElementName>>>();

  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  of(processDefinitionKey: string): Promise<Map<string, ElementName>> {
    let names = this.names.get(processDefinitionKey);
    if (!names) {
      names = this.engine.getProcessDefinitionXml(processDefinitionKey).then(elementNames);
      names.catch(() => this.names.delete(processDefinitionKey));
      this.names.set(processDefinitionKey, names);
    }
    return names;
  }

  /**
   * `{ar, en}` of one element; for one the diagram leaves unnamed, what it is in words (an
   * exclusive gateway, a flow), never its id; empty when unknown.
   */
  async nameOf(processDefinitionKey: string | null | undefined, elementId: string): Promise<{ ar?: string; en?: string }> {
    if (!processDefinitionKey) return {};
    const n = (await this.of(processDefinitionKey)).get(elementId);
    if (n && !n.ar && !n.en && ELEMENT_TYPE_NAMES[n.type]) return { ...ELEMENT_TYPE_NAMES[n.type] };
    return { ar: n?.ar, en: n?.en };
  }
}
