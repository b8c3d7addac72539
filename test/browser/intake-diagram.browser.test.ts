import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAIT_MS } from '../support/budget.mjs';

describe('bpmn/beneficiary-intake.bpmn as people see it', () => {
  it('opens in bpmn-js without warnings, with a layout whose shapes, edges and labels do not collide', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mustafid-diagram-')), 'intake.png');
    const run = spawnSync(process.execPath, ['scripts/render-diagram.mjs', 'bpmn/beneficiary-intake.bpmn', out], { encoding: 'utf8', timeout: 5 * WAIT_MS });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(20_000);
  });
});
