import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bpmnDir, readFormFiles } from '@mustafid/intake';
import { type FormSchema, INPUTS, inputFields } from './form-schema';
import { templateVariables } from './form-registry';

const files = new Map(readFormFiles().map((f) => [f.id, f as unknown as FormSchema]));
const registry = { ids: () => [...files.keys()], get: (id: string) => files.get(id) };
const diagram = (name: string) => readFileSync(join(bpmnDir(), name), 'utf8');
const linkedForms = (name: string) => [...diagram(name).matchAll(/<zeebe:formDefinition formId="([^"]+)"/g)].map((m) => m[1]);

describe('bpmn/forms', () => {
  it('has a form for every zeebe:formDefinition of the intake and inquiry diagrams, and no form they do not use', () => {
    const intake = linkedForms('beneficiary-intake.bpmn');
    const inquiry = linkedForms('beneficiary-inquiry.bpmn');
    expect(intake.length).toBe(7);
    expect(inquiry).toEqual(['inquiry-answer']);
    expect([...registry.ids()].sort()).toEqual([...new Set([...intake, ...inquiry])].sort());
  });

  it('every field is labelled in Arabic and English; every text has its English', () => {
    for (const id of registry.ids()) {
      const form = registry.get(id)!;
      for (const f of inputFields(form)) {
        expect(f.label ?? f.dateLabel, `${id}.${f.key} Arabic label`).toMatch(/[\u0600-\u06FF]/);
        expect(f.properties?.['label:en'], `${id}.${f.key} English label`).toBeTruthy();
        if (f.values) expect(f.properties?.['values:en'], `${id}.${f.key} English values`).toBeTruthy();
      }
      for (const t of form.components.filter((c) => c.type === 'text')) expect(t.properties?.['text:en'], `${id} text`).toBeTruthy();
    }
  });

  it('uses only components the server knows how to check (or that hold no value)', () => {
    const layout = new Set(['text', 'spacer', 'separator', 'group']);
    for (const id of registry.ids()) {
      for (const c of registry.get(id)!.components) expect(INPUTS.has(c.type) || layout.has(c.type), `${id}: ${c.type}`).toBe(true);
    }
  });

  it('gives the gateways of the diagram the variables their conditions read', () => {
    const fields = new Set(registry.ids().flatMap((id) => inputFields(registry.get(id)!).map((f) => f.key)));
    for (const name of ['dataComplete', 'referToResearcher', 'decision', 'decisionReasons', 'vote', 'voteNotes', 'missingItems']) {
      expect(fields.has(name), name).toBe(true);
    }
  });

  it('shows the case variables the tasks need beside the fields', () => {
    expect(templateVariables(registry.get('reception-intake-check')!)).toContain('verification');
    expect(templateVariables(registry.get('chair-decision')!)).toEqual(expect.arrayContaining(['committeeVotes', 'earliestAnswerAt']));
  });
});
