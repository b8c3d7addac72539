import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';

/** Applies every pending migration; returns the names applied. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** Reverts the newest applied migration; returns its name, or undefined when none was applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<string | undefined> {
  const executed = await dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`).catch(() => []);
  if (executed.length === 0) return undefined;
  await dataSource.undoLastMigration({ transaction: 'each' });
  return executed[0].name as string;
}

/**
 * Writes a migration holding the difference between the entities and the database
 * (as `typeorm migration:generate` does) into `dir`, and lists it in `dir/index.ts`.
 * Returns the file written, or undefined when there is no difference.
 */
export async function generateMigration(dataSource: DataSource, name: string, dir: string): Promise<string | undefined> {
  if (!/^[A-Z][A-Za-z0-9]{2,80}$/.test(name)) {
    throw new Error('The migration name must be PascalCase letters and digits, e.g. AddCaseTable');
  }
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) return undefined;
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const line = (q: { query: string; parameters?: unknown[] }) =>
    `    await q.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`;
  const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(q: QueryRunner): Promise<void> {
${sql.upQueries.map(line).join('\n')}
  }

  async down(q: QueryRunner): Promise<void> {
${[...sql.downQueries].reverse().map(line).join('\n')}
  }
}
`;
  const file = join(dir, `${timestamp}-${name}.ts`);
  writeFileSync(file, body);
  const indexPath = join(dir, 'index.ts');
  const index = readFileSync(indexPath, 'utf8')
    .replace(/(\nexport const MIGRATIONS = \[)/, `import { ${className} } from './${timestamp}-${name}';\n$1`)
    .replace(/(export const MIGRATIONS = \[[^\]]*?)(\];)/, (_, head: string, tail: string) => `${head}, ${className}${tail}`);
  writeFileSync(indexPath, index);
  return file;
}
