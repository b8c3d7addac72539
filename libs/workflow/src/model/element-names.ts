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
