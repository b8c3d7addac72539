export * from './data-dir-lock';
export * from './database';
export * from './database.module';
export * from './embedded-postgres';
export * from './migration-commands';
export * from './sql-conditions';
