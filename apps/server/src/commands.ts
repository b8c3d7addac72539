import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { seedDemoAccounts } from '@mustafid/auth';
import { InquiryRetention } from '@mustafid/inquiry';
import { RetentionService } from '@mustafid/intake';
import { generateMigration, openDatabase, revertLastMigration, runPendingMigrations } from '@mustafid/database';
import { type AppConfig, ConfigError } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';

export const COMMANDS = ['migration:run', 'migration:revert', 'migration:generate', 'seed:demo', 'retention:apply'] as const;
export type Command = (typeof COMMANDS)[number];

export function isCommand(value: string | undefined): value is Command {
  return (COMMANDS as readonly string[]).includes(value ?? '');
}

/** Where migration:generate writes, relative to the repository root it is run from. */
const MIGRATIONS_DIR = 'libs/database/src/migrations';

/**
 * Operations commands on the configured database (embedded or DATABASE_URL), without HTTP.
 * Returns the lines to print.
 */
export async function runCommand(command: Command, args: string[], config: AppConfig): Promise<string[]> {
  if (command === 'seed:demo' && config.production) {
    throw new ConfigError('NODE_ENV', 'seed:demo is refused when NODE_ENV=production: demo accounts share a password anyone can read in the README');
  }
  const quiet: AppConfig = { ...config, seed: { ...config.seed, demoUsers: false, initialAdminPassword: undefined } };
  const database = await openDatabase(config.database);
  try {
    const context = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config: quiet, database, migrationsRun: false }),
      { logger: ['error', 'warn'] },
    );
    try {
      const dataSource = context.get<DataSource>(getDataSourceToken());
      switch (command) {
        case 'migration:run': {
          const applied = await runPendingMigrations(dataSource);
          return applied.length ? applied.map((n) => `applied ${n}`) : ['no pending migrations'];
        }
        case 'migration:revert': {
          const reverted = await revertLastMigration(dataSource);
          return [reverted ? `reverted ${reverted}` : 'no migration to revert'];
        }
        case 'migration:generate': {
          const name = args[0];
          if (!name) throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
          await runPendingMigrations(dataSource);
          const file = await generateMigration(dataSource, name, resolve(MIGRATIONS_DIR));
          return [file ? `wrote ${file}` : 'the entities match the database: nothing to generate'];
        }
        case 'retention:apply': {
          await runPendingMigrations(dataSource);
          const now = new Date();
          const inquiries = await context.get(InquiryRetention).apply(now);
          const { anonymised, filesRemoved, auditRowsPruned } = await context.get(RetentionService).apply(now);
          return [
            anonymised.length
              ? `anonymised the personal data of ${anonymised.length} case(s) closed more than ${config.intake.retentionDays} days ago: ${anonymised.join(', ')}; ${filesRemoved} file(s) removed`
              : `no closed case is older than ${config.intake.retentionDays} days: nothing to anonymise`,
            inquiries.length
              ? `anonymised the personal data of ${inquiries.length} inquiry(ies) answered more than ${config.intake.retentionDays} days ago: ${inquiries.join(', ')}`
              : `no inquiry was answered more than ${config.intake.retentionDays} days ago: nothing to anonymise`,
            auditRowsPruned
              ? `pruned ${auditRowsPruned} audit row(s) older than ${config.intake.auditRetentionDays} days behind a checkpoint`
              : `no audit row is older than ${config.intake.auditRetentionDays} days`,
          ];
        }
        case 'seed:demo': {
          await runPendingMigrations(dataSource);
          const created = await seedDemoAccounts(dataSource, config.seed.demoPassword);
          return [created.length ? `demo accounts created: ${created.join(', ')}` : 'all demo accounts already exist'];
        }
      }
    } finally {
      await context.close();
    }
  } finally {
    await database.close();
  }
}
