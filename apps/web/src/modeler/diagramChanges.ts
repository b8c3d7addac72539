import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import type { LocalisedName } from '../tasks/api';

/**
 * What changed between two versions of a diagram (bpmn-js-differ over bpmn-moddle with the
 * Zeebe extension): elements added, removed, changed (with the attributes that changed) and
 * only moved. Names in both languages: the diagram's own name is Arabic, the English one is
 * the `name:en` Zeebe property (as the server reads them).
 */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

export interface ElementChange {
  id: string;
  kind: ChangeKind;
  /** The BPMN type without its prefix: UserTask, SequenceFlow… */
  type: string;
  /** The name in the version the element is in (the new one, or the old one when removed). */
  name: LocalisedName;
  /** The old name, when it changed. */
  oldName?: LocalisedName;
  /** For `changed`: the attributes that changed, as the differ names them. */
  attrs: string[];
}

const moddle = () => new BpmnModdle({ zeebe });

/** Parses BPMN 2.0 XML; throws on anything that is not a bpmn:Definitions document. */
export async function parseDefinitions(xml: string): Promise<ModdleElement> {
  const { rootElement } = await moddle().fromXML(xml, 'bpmn:Definitions');
  return rootElement;
}

function extensionValues(element: ModdleElement): ModdleElement[] {
  const extensions = element.extensionElements as ModdleElement | undefined;
  return (extensions?.values as ModdleElement[] | undefined) ?? [];
}

/** The element's names: `name` (Arabic) and the `name:en` Zeebe property. */
export function elementNames(element: ModdleElement | undefined): LocalisedName {
  if (!element) return {};
  const names: LocalisedName = {};
  if (typeof element.name === 'string' && element.name.trim()) names.ar = element.name.trim();
  for (const extension of extensionValues(element)) {
    if (extension.$type !== 'zeebe:Properties') continue;
    for (const property of (extension.properties as ModdleElement[] | undefined) ?? []) {
      if (property.name === 'name:en' && typeof property.value === 'string' && property.value.trim()) names.en = property.value.trim();
    }
  }
  return names;
}

/** Every element with an id in the definitions, by id. */
export function elementsById(definitions: ModdleElement): Map<string, ModdleElement> {
  const found = new Map<string, ModdleElement>();
  const seen = new Set<unknown>();
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    const element = value as ModdleElement;
    if (typeof element.$type !== 'string') return;
    if (typeof element.id === 'string' && !element.$type.startsWith('bpmndi:') && !element.$type.startsWith('dc:') && !element.$type.startsWith('di:')) {
      found.set(element.id, element);
    }
    for (const [key, child] of Object.entries(element)) {
      // References (sourceRef, attachedToRef, …) point elsewhere in the tree; children are what it holds.
      if (key.startsWith('$') || key.endsWith('Ref') || key === 'incoming' || key === 'outgoing' || key === 'default') continue;
      walk(child);
    }
  };
  walk(definitions);
  return found;
}

const ORDER: Record<ChangeKind, number> = { removed: 0, added: 1, changed: 2, layout: 3 };
const shortType = (type: string) => type.replace(/^bpmn:/, '');
const sameNames = (a: LocalisedName, b: LocalisedName) => (a.ar ?? '') === (b.ar ?? '') && (a.en ?? '') === (b.en ?? '');

/**
 * The changes from `before` to `after`. Layout-only moves are listed apart from real changes;
 * an element whose semantics changed and which also moved is listed once, as changed. A
 * changed English name (inside the extension elements) counts as a name change.
 */
export function describeChanges(before: ModdleElement, after: ModdleElement): ElementChange[] {
  const result = diff(before, after);
  const oldElements = elementsById(before);
  const newElements = elementsById(after);
  const changes: ElementChange[] = [];
  const typeOf = (element: ModdleElement | undefined, fallback: ModdleElement) => shortType((element ?? fallback).$type);

  for (const [id, element] of Object.entries(result._added)) {
    if (element.$type.startsWith('bpmndi:')) continue;
    changes.push({ id, kind: 'added', type: typeOf(newElements.get(id), element), name: elementNames(newElements.get(id) ?? element), attrs: [] });
  }
  for (const [id, element] of Object.entries(result._removed)) {
    if (element.$type.startsWith('bpmndi:')) continue;
    changes.push({ id, kind: 'removed', type: typeOf(oldElements.get(id), element), name: elementNames(oldElements.get(id) ?? element), attrs: [] });
  }
  const changedIds = new Set<string>();
  for (const [id, { model, attrs }] of Object.entries(result._changed)) {
    if (model.$type.startsWith('bpmndi:')) continue;
    const name = elementNames(newElements.get(id) ?? model);
    const oldName = elementNames(oldElements.get(id));
    changedIds.add(id);
    changes.push({
      id,
      kind: 'changed',
      type: typeOf(newElements.get(id), model),
      name,
      ...(sameNames(name, oldName) ? {} : { oldName }),
      attrs: Object.keys(attrs).sort(),
    });
  }
  for (const [id, element] of Object.entries(result._layoutChanged)) {
    if (changedIds.has(id) || element.$type.startsWith('bpmndi:')) continue;
    changes.push({ id, kind: 'layout', type: typeOf(newElements.get(id), element), name: elementNames(newElements.get(id) ?? element), attrs: [] });
  }
  return changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.id.localeCompare(b.id));
}

/** Both XMLs parsed and compared. */
export async function diffXml(beforeXml: string, afterXml: string): Promise<ElementChange[]> {
  const [before, after] = await Promise.all([parseDefinitions(beforeXml), parseDefinitions(afterXml)]);
  return describeChanges(before, after);
}

/** The form ids the diagram's user tasks and start events refer to (zeebe:formDefinition formId). */
export function formIdsOf(elements: Map<string, ModdleElement>): string[] {
  const ids = new Set<string>();
  for (const element of elements.values()) {
    for (const extension of extensionValues(element)) {
      if (extension.$type === 'zeebe:FormDefinition' && typeof extension.formId === 'string' && extension.formId) ids.add(extension.formId);
    }
  }
  return [...ids].sort();
}

export interface Comparison {
  changes: ElementChange[];
  /** The edited diagram's element names, by id. */
  names: Map<string, LocalisedName>;
  formIds: string[];
}

/** The edited XML against the deployed one: the changes, and what the page reads off the edited one. */
export async function compareXml(deployedXml: string, editedXml: string): Promise<Comparison> {
  const [before, after] = await Promise.all([parseDefinitions(deployedXml), parseDefinitions(editedXml)]);
  const elements = elementsById(after);
  return {
    changes: describeChanges(before, after),
    names: new Map([...elements].map(([id, element]) => [id, elementNames(element)])),
    formIds: formIdsOf(elements),
  };
}
