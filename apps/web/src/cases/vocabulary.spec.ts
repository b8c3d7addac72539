import { describe, expect, it } from 'vitest';
import { ar } from '../i18n/ar';
import { en } from '../i18n/en';
import { CHANNELS, CHANNEL_NAMES, DOCUMENT_NAMES, DOCUMENT_TYPES, RELATIONS, STATUSES, SUPPORT_TYPES, SUPPORT_TYPE_NAMES } from './vocabulary';

describe('the vocabulary in the language files', () => {
  it("names channels, kinds of support and documents as the server does", () => {
    for (const [strings, lang] of [
      [ar, 'ar'],
      [en, 'en'],
    ] as const) {
      for (const c of CHANNELS) expect(strings.vocabulary.channels[c]).toBe(CHANNEL_NAMES[c][lang]);
      for (const s of SUPPORT_TYPES) expect(strings.vocabulary.supportTypes[s]).toBe(SUPPORT_TYPE_NAMES[s][lang]);
      for (const d of DOCUMENT_TYPES) expect(strings.vocabulary.documentTypes[d]).toBe(DOCUMENT_NAMES[d][lang]);
    }
  });

  it('has a name for every relation and status, and the relations are the server’s', async () => {
    // Read from the source: the DTO file carries decorators the web build does not compile.
    const { readFile } = await import('node:fs/promises');
    const dto = await readFile(new URL('../../../../libs/intake/src/applications/application.dto.ts', import.meta.url), 'utf8');
    const list = /export const RELATIONS = \[([^\]]+)\]/.exec(dto)?.[1];
    expect([...RELATIONS]).toEqual(list?.split(',').map((s) => s.trim().replace(/^'|'$/g, '')));
    for (const strings of [ar, en]) {
      for (const r of RELATIONS) expect(strings.vocabulary.relations[r]).toBeTruthy();
      for (const s of STATUSES) expect(strings.vocabulary.statuses[s]).toBeTruthy();
    }
  });
});
