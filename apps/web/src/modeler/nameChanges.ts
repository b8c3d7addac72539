import type { LocalisedName } from '../tasks/api';

/** The diagram's two names of an element: `name` is Arabic, the `name:en` Zeebe property English. */
export type NameLanguage = 'ar' | 'en';

/** An element whose name changed in one language only, and what the other language still says. */
export interface NameChange {
  elementId: string;
  changed: NameLanguage;
  from?: string;
  to?: string;
  /** The other language's name, unchanged (undefined when there is none). */
  other?: string;
}

/** A question put to the process owner: the name in `update` may need to follow the one that changed. */
export interface RenamePrompt {
  elementId: string;
  /** The language whose name changed. */
  changed: NameLanguage;
  /** The language to update. */
  update: NameLanguage;
  from?: string;
  to?: string;
  /** What the language to update says now. */
  current?: string;
}

export const otherNameLanguage = (language: NameLanguage): NameLanguage => (language === 'ar' ? 'en' : 'ar');

/**
 * What changed between two readings of the diagram's names, per element: each element whose
 * name changed in one language and not the other. Elements added or removed, and those whose
 * two names both changed, are not asked about.
 */
export function nameChanges(before: ReadonlyMap<string, LocalisedName>, after: ReadonlyMap<string, LocalisedName>): Array<NameChange | { elementId: string; changed: 'both' }> {
  const changes: Array<NameChange | { elementId: string; changed: 'both' }> = [];
  for (const [elementId, now] of after) {
    const was = before.get(elementId);
    if (!was) continue;
    const ar = (was.ar ?? '') !== (now.ar ?? '');
    const en = (was.en ?? '') !== (now.en ?? '');
    if (ar && en) changes.push({ elementId, changed: 'both' });
    else if (ar || en) {
      const changed: NameLanguage = ar ? 'ar' : 'en';
      const other = otherNameLanguage(changed);
      changes.push({ elementId, changed, from: was[changed], to: now[changed], other: now[other] });
    }
  }
  return changes;
}

/**
 * The prompts after some changes: a name changed in one language asks whether the other should
 * follow (one prompt per element, keeping the first old name while the name is typed letter by
 * letter); a prompt goes once the other language is changed as well, or both are.
 */
export function updatePrompts(prompts: readonly RenamePrompt[], changes: ReturnType<typeof nameChanges>): RenamePrompt[] {
  let next = [...prompts];
  for (const change of changes) {
    const pending = next.find((p) => p.elementId === change.elementId);
    next = next.filter((p) => p.elementId !== change.elementId);
    if (change.changed === 'both') continue;
    // The name the prompt asked about was changed by hand: answered.
    if (pending && pending.update === change.changed) continue;
    const from = pending && pending.changed === change.changed ? pending.from : change.from;
    if ((from ?? '') === (change.to ?? '')) continue; // changed back: nothing to ask
    next.push({ elementId: change.elementId, changed: change.changed, update: otherNameLanguage(change.changed), from, to: change.to, current: change.other });
  }
  return next;
}
