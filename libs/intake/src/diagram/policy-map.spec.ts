import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elementNames } from '@mustafid/workflow/model/element-names';

const root = join(__dirname, '../../../..');
const policyPath = join(root, '..', 'shared', 'POLICY.md');
const map = readFileSync(join(root, 'docs/policy-map.md'), 'utf8');

interface Row {
  clause: string;
  elements: string[];
  files: string[];
  tests: Array<{ file: string; titles: string[] }>;
}

/** The table of docs/policy-map.md: clause | what | elements | screen | code | tests. */
function rows(): Row[] {
  return map
    .split('\n')
    .filter((l) => /^\| [A-Z]\d /.test(l))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      // Tests: each backticked file, then the quoted titles up to the next file.
      const tests: Row['tests'] = [];
      for (const [, file, title] of cells[5].matchAll(/`([^`]+)`|“([^”]+)”/g)) {
        if (file) tests.push({ file, titles: [] });
        else if (tests.length) tests.at(-1)!.titles.push(title);
      }
      return { clause: cells[0], elements: ticks(cells[2]), files: ticks(cells[4]), tests };
    });
}

describe('docs/policy-map.md', () => {
  it('lists every clause of the policy (../shared/POLICY.md)', () => {
    expect(existsSync(policyPath), `${policyPath} is missing: the shared folder must sit beside the checkout`).toBe(true);
    const policy = readFileSync(policyPath, 'utf8');
    const clauses = [...new Set([...policy.matchAll(/\*\*([GOTCRS]\d)\*\*/g)].map((m) => m[1]))];
    expect(clauses.length).toBeGreaterThan(25);
    expect(rows().map((r) => r.clause).sort()).toEqual(clauses.sort());
  });

  it('gives every S and C clause a diagram element and a test', () => {
    for (const row of rows().filter((r) => /^[SC]/.test(r.clause))) {
      expect(row.elements, `${row.clause} elements`).not.toEqual([]);
      expect(row.tests.flatMap((t) => t.titles), `${row.clause}: a test named by its title`).not.toEqual([]);
    }
  });

  it('names only elements, files and tests that exist', async () => {
    const names = await elementNames(readFileSync(join(root, 'bpmn/beneficiary-intake.bpmn'), 'utf8'));
    for (const row of rows()) {
      for (const id of row.elements) expect(names.has(id), `${row.clause}: element ${id}`).toBe(true);
      for (const file of row.files) expect(existsSync(join(root, file)), `${row.clause}: ${file}`).toBe(true);
      for (const test of row.tests) {
        expect(existsSync(join(root, test.file)), `${row.clause}: ${test.file}`).toBe(true);
        const source = readFileSync(join(root, test.file), 'utf8');
        for (const title of test.titles) expect(source.includes(title), `${row.clause}: “${title}” in ${test.file}`).toBe(true);
      }
    }
  });

  it('lists, for each S and C clause, every element the diagram says carries it out', async () => {
    const names = await elementNames(readFileSync(join(root, 'bpmn/beneficiary-intake.bpmn'), 'utf8'));
    const byClause = new Map(rows().map((r) => [r.clause, new Set(r.elements)]));
    for (const [id, name] of names) {
      for (const clause of name.clauses.filter((c) => /^[SC]/.test(c))) {
        expect(byClause.get(clause)?.has(id), `${id} carries out ${clause} in the diagram but the map does not list it`).toBe(true);
      }
    }
  });
});
