import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from './api';
import { actionKey, timelineElements, valueChanges, visibleEntries, writeValue } from './timeline';

const entry = (seq: number, action: string, elementId?: string, element?: { ar: string; en: string }): TimelineEntry => ({
  seq: String(seq),
  at: '2026-11-25T08:00:00.000Z',
  actor: 'reception',
  action,
  ...(elementId ? { elementId } : {}),
  ...(element ? { element } : {}),
});

const timeline = [
  entry(1, 'application.submitted'),
  entry(2, 'engine.ELEMENT_ACTIVATED', 'Task_ReceptionCheck', { ar: 'التحقق', en: 'Check' }),
  entry(3, 'task.completed', 'Task_ReceptionCheck'),
  entry(4, 'engine.ELEMENT_COMPLETED', 'Task_ReceptionCheck'),
  entry(5, 'engine.SEQUENCE_FLOW_TAKEN', 'Flow_1'),
  entry(6, 'case.read'),
];

describe('visibleEntries', () => {
  it("shows people's actions and element completions by default, everything when asked", () => {
    expect(visibleEntries(timeline, { showEngine: false }).map((e) => e.seq)).toEqual(['1', '3', '4', '6']);
    expect(visibleEntries(timeline, { showEngine: true })).toHaveLength(6);
  });

  it("keeps one element's entries", () => {
    expect(visibleEntries(timeline, { showEngine: true, elementId: 'Task_ReceptionCheck' }).map((e) => e.seq)).toEqual(['2', '3', '4']);
    expect(visibleEntries(timeline, { showEngine: false, elementId: 'Task_ReceptionCheck' }).map((e) => e.seq)).toEqual(['3', '4']);
  });
});

describe('actionKey', () => {
  it('names the known actions and leaves the others raw', () => {
    expect(actionKey('task.completed')).toBe('taskCompleted');
    expect(actionKey('engine.VARIABLE_SET')).toBe('variableSet');
    expect(actionKey('something.new')).toBeUndefined();
    expect(actionKey('toString')).toBeUndefined();
  });
});

describe('valueChanges', () => {
  it('lists the variables whose value changed, before and after', () => {
    expect(valueChanges({ before: { a: 1, b: 'x' }, after: { a: 1, b: 'y', c: true } })).toEqual([
      { name: 'b', before: 'x', after: 'y' },
      { name: 'c', after: 'true' },
    ]);
  });

  it('lists the names when only names are known', () => {
    expect(valueChanges({ names: ['mobile'] })).toEqual([{ name: 'mobile' }]);
    expect(valueChanges(undefined)).toEqual([]);
  });

  it('shortens long values', () => {
    expect(writeValue('x'.repeat(500))).toHaveLength(120);
    expect(writeValue({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('timelineElements', () => {
  it('lists each element once, with a name when any entry gives one', () => {
    expect(timelineElements(timeline)).toEqual([
      { elementId: 'Task_ReceptionCheck', name: { ar: 'التحقق', en: 'Check' } },
      { elementId: 'Flow_1' },
    ]);
  });
});

describe('engine events in words', () => {
  // Issue 19 point 4, "words instead of codes": every event either engine records reads as words in Arabic and English
  // on the timeline. The intents are read from the engines' sources, so a new one without words fails here.
  it('names every intent the engines record, in both languages', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '../../../..');
    const sources = ['libs/workflow/src/core', 'libs/workflow/src/embedded', 'libs/workflow/src/zeebe'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
        .map((f) => readFileSync(join(root, dir, f), 'utf8')),
    );
    const intents = new Set(sources.flatMap((text) => [...text.matchAll(/(?:intent: |record\()'([A-Z][A-Z_]+)'/g)].map((m) => m[1])));
    expect(intents.size).toBeGreaterThan(20);
    const { ar } = await import('../i18n/ar');
    const { en } = await import('../i18n/en');
    const words = (dictionary: unknown, key: string) => (dictionary as { audit: { actions: Record<string, string> } }).audit.actions[key];
    const missing = [...intents].filter((intent) => {
      const key = actionKey(`engine.${intent}`);
      return !key || !words(ar, key) || !words(en, key);
    });
    expect(missing).toEqual([]);
  });
});
