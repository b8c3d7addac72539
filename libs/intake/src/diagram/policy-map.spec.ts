import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { elementNames } from '@mustafid/workflow/model/element-names';
import { CHANNELS } from '../applications/vocabulary';

const root = join(__dirname, '../../../..');
const policyPath = join(root, '..', 'shared', 'POLICY.md');
const map = readFileSync(join(root, 'docs/policy-map.md'), 'utf8');

/** A clause id as the policy writes it (G1, O1–O6, T1–T5, C1–C8, R1, S1–S7). */
const CLAUSE = '[GOTCRS]\\d';
/** The tags a test carries in its title: `[C3]`, `[S1, T2]`. */
const TAGS = new RegExp(`\\[(${CLAUSE}(?:, ${CLAUSE})*)\\]`, 'g');
/** The only words that stand in for a test: the issue that will bring the behaviour. */
const NOT_YET = /^not yet: issue (\d+)\b/;

interface Row {
  clause: string;
  elements: string[];
  files: string[];
}
interface NamedTest {
  file: string;
  title: string;
}
interface Tests {
  clause: string;
  tests: NamedTest[];
  /** The issue number of a `not yet: issue N` line, when the section has one. */
  notYet?: string;
  /** Lines of the section that are neither a named test nor the marker. */
  unread: string[];
}

const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** The table of docs/policy-map.md: clause | what | elements | screen | code. */
function rows(): Row[] {
  return map
    .split('\n')
    .filter((l) => /^\| [A-Z]\d /.test(l))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      return { clause: cells[0], elements: ticks(cells[2]), files: ticks(cells[4]) };
    });
}

/**
 * The section "Tests by clause": a `### S1` heading per clause, then one line per test,
 * "- `file` — “full title”" (the title exactly as `vitest list` gives it, describe blocks
 * joined by " > "), or one line "- not yet: issue N — what is missing".
 */
function testsByClause(): Tests[] {
  const section = (map.split(/^## Tests by clause$/m)[1] ?? '').split(/^## /m)[0];
  return section
    .split(/^### /m)
    .slice(1)
    .map((block) => {
      const [heading, ...lines] = block.split('\n');
      const entry: Tests = { clause: heading.trim(), tests: [], unread: [] };
      for (const line of lines.filter((l) => l.startsWith('- '))) {
        const test = /^- `([^`]+)` — “(.+)”$/.exec(line);
        const notYet = NOT_YET.exec(line.slice(2));
        if (test) entry.tests.push({ file: test[1], title: test[2] });
        else if (notYet) entry.notYet = notYet[1];
        else entry.unread.push(line);
      }
      return entry;
    });
}

/** The diagrams whose elements the map names: the intake process and the inquiry process (issue 20). */
const DIAGRAMS = ['bpmn/beneficiary-intake.bpmn', 'bpmn/beneficiary-inquiry.bpmn'];

/** Every element of both diagrams by id (ids are distinct across them). */
async function diagramElements() {
  const all = new Map<string, Awaited<ReturnType<typeof elementNames>> extends Map<string, infer V> ? V : never>();
  for (const file of DIAGRAMS) {
    for (const [id, name] of await elementNames(readFileSync(join(root, file), 'utf8'))) {
      expect(all.has(id), `${id} is in two diagrams`).toBe(false);
      all.set(id, name);
    }
  }
  return all;
}

const tagsOf = (title: string) => [...title.matchAll(TAGS)].flatMap((m) => m[1].split(', '));

/** The policy's clause ids, in its order. */
function policyClauses(): string[] {
  const policy = readFileSync(policyPath, 'utf8');
  return [...new Set([...policy.matchAll(new RegExp(`\\*\\*(${CLAUSE})\\*\\*`, 'g'))].map((m) => m[1]))];
}

describe('docs/policy-map.md', () => {
  /** Every test of the suite by file, from the runner's own list (scripts/list-tests.mjs). */
  let listed: Record<string, string[]>;

  beforeAll(() => {
    // `vitest list` collects every file (imports it, runs no hook): ~15 s here, longer under load.
    const out = execFileSync(process.execPath, [join(root, 'scripts/list-tests.mjs')], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    listed = JSON.parse(out) as Record<string, string[]>;
  }, 300_000);

  it('lists every clause of the policy (../shared/POLICY.md), in the table and among the tests', () => {
    expect(existsSync(policyPath), `${policyPath} is missing: the shared folder must sit beside the checkout`).toBe(true);
    const clauses = policyClauses();
    expect(clauses.length).toBeGreaterThan(25);
    expect(rows().map((r) => r.clause).sort()).toEqual([...clauses].sort());
    expect(testsByClause().map((t) => t.clause).sort()).toEqual([...clauses].sort());
  });

  it('gives every S and C clause a diagram element', () => {
    const sc = rows().filter((r) => /^[SC]/.test(r.clause));
    expect(sc.length).toBe(15);
    for (const row of sc) expect(row.elements, `${row.clause} elements`).not.toEqual([]);
  });

  it('names for every clause at least one test, or says "not yet: issue N" where nothing carries the clause out yet', () => {
    const sections = testsByClause();
    expect(sections.length).toBeGreaterThan(25);
    for (const s of sections) {
      expect(s.unread, `${s.clause}: lines that are neither a test nor "not yet: issue N"`).toEqual([]);
      if (s.notYet === undefined) expect(s.tests.length, `${s.clause}: no test, and no "not yet: issue N"`).toBeGreaterThan(0);
    }
  });

  it('names each test by its exact full title in the runner\'s own list (vitest list)', () => {
    expect(Object.values(listed).flat().length).toBeGreaterThan(300);
    const named = testsByClause().flatMap((s) => s.tests.map((t) => ({ ...t, clause: s.clause })));
    expect(named.length).toBeGreaterThan(30);
    for (const t of named) {
      expect(listed[t.file], `${t.clause}: ${t.file} is not a test file of the suite`).toBeDefined();
      expect(listed[t.file], `${t.clause}: “${t.title}” is not a test of ${t.file}`).toContain(t.title);
    }
  });

  it('checks the tags both ways: a named test carries its clause in its title, and a tagged test is named under each clause it tags', () => {
    const sections = testsByClause();
    const clauses = new Set(policyClauses());
    const key = (file: string, title: string) => `${file} — “${title}”`;
    const namedUnder = new Map(sections.map((s) => [s.clause, new Set(s.tests.map((t) => key(t.file, t.title)))]));
    for (const s of sections) {
      for (const t of s.tests) expect(tagsOf(t.title), `${s.clause} names “${t.title}”, whose title does not carry [${s.clause}]`).toContain(s.clause);
    }
    const tagged = Object.entries(listed).flatMap(([file, titles]) => titles.filter((t) => tagsOf(t).length).map((title) => ({ file, title })));
    // At least the eight channels' it.each rows.
    expect(tagged.length).toBeGreaterThanOrEqual(8);
    for (const { file, title } of tagged) {
      for (const tag of tagsOf(title)) {
        expect(clauses.has(tag), `“${title}” (${file}) tags ${tag}, which is not a clause of the policy`).toBe(true);
        expect(namedUnder.get(tag)?.has(key(file, title)), `“${title}” (${file}) tags ${tag}, but the map does not name it under ${tag}`).toBe(true);
      }
    }
  });

  it('tests every channel of the policy (C1–C8), and the code knows each of them', () => {
    const channels = policyClauses().filter((c) => c.startsWith('C'));
    expect(channels).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    for (const channel of channels) expect(CHANNELS, `${channel} is missing from libs/intake/src/applications/vocabulary.ts`).toContain(channel);
    for (const s of testsByClause().filter((t) => channels.includes(t.clause))) {
      expect(s.notYet, `${s.clause}: a channel is never "not yet"`).toBeUndefined();
    }
  });

  it('names only elements and code files that exist', async () => {
    const names = await diagramElements();
    for (const row of rows()) {
      for (const id of row.elements) expect(names.has(id), `${row.clause}: element ${id}`).toBe(true);
      for (const file of row.files) expect(existsSync(join(root, file)), `${row.clause}: ${file}`).toBe(true);
    }
  });

  it('lists, for each S and C clause, every element the diagrams say carry it out', async () => {
    const names = await diagramElements();
    const byClause = new Map(rows().map((r) => [r.clause, new Set(r.elements)]));
    for (const [id, name] of names) {
      for (const clause of name.clauses.filter((c) => /^[SC]/.test(c))) {
        expect(byClause.get(clause)?.has(id), `${id} carries out ${clause} in the diagram but the map does not list it`).toBe(true);
      }
    }
  });
});
