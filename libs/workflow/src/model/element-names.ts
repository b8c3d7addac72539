import type { ModdleElement } from 'bpmn-moddle';
import { parseDiagram } from './compile';

/** An element's name as the diagram gives it (Arabic) and its `name:en` property (English). */
export interface ElementName {
  ar?: string;
  en?: string;
  type: string;
  /** Policy clauses the element carries out (its `policy` property), e.g. ["S2"]. */
  clauses: string[];
}

/**
 * Names of every element of a diagram by id: `name` is the label drawn on the diagram (in
 * Mustafid, Arabic), the zeebe property `name:en` its English name for the UI.
 */
export async function elementNames(xml: string): Promise<Map<string, ElementName>> {
  const definitions = (await parseDiagram(xml)).rootElement;
  const names = new Map<string, ElementName>();
  const visit = (el: ModdleElement) => {
    if (typeof el.id === 'string' && el.$type !== 'bpmn:Definitions') {
      const props = ((el.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined)
        ?.filter((v) => v.$type === 'zeebe:Properties')
        .flatMap((p) => (p.properties as ModdleElement[] | undefined) ?? []);
      const prop = (name: string) => props?.find((p) => p.name === name)?.value as string | undefined;
      names.set(el.id, {
        ar: typeof el.name === 'string' ? el.name : undefined,
        en: prop('name:en'),
        type: el.$type,
        clauses: (prop('policy') ?? '').split(/\s+/).filter(Boolean),
      });
    }
    for (const child of [...((el.rootElements as ModdleElement[]) ?? []), ...((el.flowElements as ModdleElement[]) ?? [])]) visit(child);
  };
  visit(definitions);
  return names;
}

/**
 * What an element is, in words, for one the diagram leaves unnamed (a merging gateway, a flow):
 * people's pages show these rather than its id (issue 19 point 4).
 */
export const ELEMENT_TYPE_NAMES: Record<string, { ar: string; en: string }> = {
  'bpmn:ExclusiveGateway': { ar: 'بوابة اختيار مسار', en: 'Exclusive gateway' },
  'bpmn:ParallelGateway': { ar: 'بوابة مسارات متوازية', en: 'Parallel gateway' },
  'bpmn:InclusiveGateway': { ar: 'بوابة مسارات شاملة', en: 'Inclusive gateway' },
  'bpmn:EventBasedGateway': { ar: 'بوابة انتظار حدث', en: 'Event-based gateway' },
  'bpmn:SequenceFlow': { ar: 'مسار', en: 'Sequence flow' },
  'bpmn:StartEvent': { ar: 'بداية', en: 'Start' },
  'bpmn:EndEvent': { ar: 'نهاية', en: 'End' },
  'bpmn:IntermediateCatchEvent': { ar: 'حدث انتظار', en: 'Intermediate event' },
  'bpmn:IntermediateThrowEvent': { ar: 'حدث وسيط', en: 'Intermediate event' },
  'bpmn:BoundaryEvent': { ar: 'حدث حدّي', en: 'Boundary event' },
  'bpmn:SubProcess': { ar: 'عملية فرعية', en: 'Sub-process' },
  'bpmn:Process': { ar: 'العملية', en: 'The process' },
  'bpmn:UserTask': { ar: 'مهمة', en: 'Task' },
  'bpmn:ServiceTask': { ar: 'مهمة آلية', en: 'Automated task' },
};
