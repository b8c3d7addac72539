import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDiagram } from '@mustafid/workflow/model/compile';

const xml = readFileSync(join(__dirname, '../../../../bpmn/beneficiary-intake.bpmn'), 'utf8');

describe('bpmn/beneficiary-intake.bpmn', () => {
  it('deploys: lint-clean for Camunda 8.8, every element one the engine runs, no warnings', async () => {
    const result = await validateDiagram(xml).catch((e: { problems?: unknown }) => {
      throw new Error(JSON.stringify(e.problems ?? e, null, 2));
    });
    expect(result.warnings).toEqual([]);
    expect(result.processes.map((p) => p.bpmnProcessId)).toEqual(['beneficiary-intake']);
  });
});
