import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectLint } from '@mustafid/modeling';
import { validateDiagram } from '@mustafid/workflow/model/compile';
import { elementNames } from '@mustafid/workflow/model/element-names';
import { INQUIRY_JOB_TYPES } from '../workers/inquiry-workers';

const xml = readFileSync(join(__dirname, '../../../../bpmn/beneficiary-inquiry.bpmn'), 'utf8');

describe('bpmn/beneficiary-inquiry.bpmn', () => {
  it('deploys: lint-clean for Camunda 8.8, every element one the engine runs, no warnings', async () => {
    const result = await validateDiagram(xml).catch((e: { problems?: unknown }) => {
      throw new Error(JSON.stringify(e.problems ?? e, null, 2));
    });
    expect(result.warnings).toEqual([]);
    expect(result.processes.map((p) => p.bpmnProcessId)).toEqual(['beneficiary-inquiry']);
  });

  it("passes the project's own lint: known roles, every job type has a worker", async () => {
    const lint = new ProjectLint();
    lint.declareJobTypes(INQUIRY_JOB_TYPES);
    const { errors } = await lint.check(xml);
    expect(errors).toEqual([]);
  });

  it('names every element in Arabic and in English', async () => {
    const names = await elementNames(xml);
    const named = [...names].filter(([id]) => !id.startsWith('Flow_'));
    expect(named.length).toBeGreaterThan(8);
    for (const [id, name] of named) {
      expect(name.ar, `${id} Arabic name`).toMatch(/[\u0600-\u06FF]/);
      expect(name.en, `${id} English name`).toMatch(/[A-Za-z]/);
    }
  });
});
