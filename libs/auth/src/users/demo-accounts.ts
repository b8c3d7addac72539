import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig, ConfigError } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { hashPassword, verifyPassword } from '../passwords/passwords';
import { ROLE_NAMES, ROLES, type Role } from '../roles';
import { User } from './user.entity';

/**
 * Creates one demo account per role, named after the role, and a second committee member
 * (`committee2`), all with one password.
 * Existing usernames are left alone. Returns the usernames created.
 */
export async function seedDemoAccounts(db: DataSource, password: string): Promise<string[]> {
  const passwordHash = await hashPassword(password);
  const rows = demoAccounts(passwordHash);
  const result = await db.createQueryBuilder().insert().into(User).values(rows).orIgnore().returning(['username']).execute();
  return (result.raw as Array<{ username: string }>).map((r) => r.username);
}

/** The demo accounts' rows, every one with the same password hash. */
function demoAccounts(passwordHash: string) {
  return [
    ...ROLES.map((role: Role) => ({
      username: role,
      displayName: `${ROLE_NAMES[role].ar} (${ROLE_NAMES[role].en})`,
      roles: [role],
      passwordHash,
      active: true,
    })),
    // The committee votes with two members (the intake diagram's committeeQuorum): a second one.
    { username: 'committee2', displayName: `${ROLE_NAMES.committee.ar} ٢ (${ROLE_NAMES.committee.en} 2)`, roles: ['committee' as Role], passwordHash, active: true },
  ];
}

/** The demo usernames that are active and still sign in with the demo password. */
export async function activeDemoAccounts(db: DataSource, password: string): Promise<string[]> {
  const usernames = demoAccounts('').map((a) => a.username);
  const rows: Array<{ username: string; password_hash: string | null }> = await db.query(
    'SELECT username, password_hash FROM app_user WHERE username = ANY($1) AND active',
    [usernames],
  );
  // Seeded accounts share one hash: verify each distinct hash once (argon2 takes ~50 ms).
  const verdicts = new Map<string, Promise<boolean>>();
  const open: string[] = [];
  for (const row of rows) {
    const hash = row.password_hash;
    if (!hash) continue;
    if (!verdicts.has(hash)) verdicts.set(hash, verifyPassword(hash, password));
    if (await verdicts.get(hash)) open.push(row.username);
  }
  return open.sort();
}

/** Creates the `admin` account with the given password when no administrator exists. */
export async function ensureInitialAdmin(db: DataSource, password: string): Promise<boolean> {
  const admins = await db.getRepository(User).createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getCount();
  if (admins > 0) return false;
  const result = await db
    .createQueryBuilder()
    .insert()
    .into(User)
    .values({ username: 'admin', displayName: 'مدير النظام (Administrator)', roles: ['admin'], passwordHash: await hashPassword(password) })
    .orIgnore()
    .returning(['id'])
    .execute();
  return (result.raw as unknown[]).length > 0;
}

/**
 * At the server's start (after migrations, before listening; not for commands): demo accounts on a fresh embedded database (or when SEED_DEMO=true), and the initial
 * admin. Whenever demo accounts sign in with the demo password the log says so in one loud line;
 * with NODE_ENV=production such accounts make the server refuse to start.
 */
@Injectable()
export class AccountSeeding {
  private readonly logger = new Logger('Accounts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async atStart(): Promise<void> {
    const { demoUsers, demoPassword, initialAdminPassword } = this.config.seed;
    if (demoUsers && (await this.db.getRepository(User).count()) === 0) {
      const created = await seedDemoAccounts(this.db, demoPassword);
      this.logger.log(`Demo accounts created (one per role, password from DEMO_PASSWORD): ${created.join(', ')}`);
    }
    const open = await activeDemoAccounts(this.db, demoPassword);
    if (open.length > 0 && this.config.production) {
      throw new ConfigError(
        'NODE_ENV',
        `Refusing to start with NODE_ENV=production: the demo accounts ${open.join(', ')} still sign in with the demo password. ` +
          'Give them passwords of their own or deactivate them (start once without NODE_ENV=production, as admin, in Users), or start on a new database',
      );
    }
    if (open.length > 0) {
      this.logger.warn(
        `DEMO ACCOUNTS ACTIVE: ${open.join(', ')} sign in with the demo password (DEMO_PASSWORD). For a demo on this machine only, never with real applicants' data: production runs with NODE_ENV=production`,
      );
    }
    if (initialAdminPassword && (await ensureInitialAdmin(this.db, initialAdminPassword))) {
      this.logger.log('Initial administrator "admin" created from INITIAL_ADMIN_PASSWORD');
    }
    const admins = await this.db.getRepository(User).createQueryBuilder('u').where(`'admin' = ANY(u.roles) AND u.active`).getCount();
    if (admins === 0) {
      this.logger.warn('No active administrator exists: start once with INITIAL_ADMIN_PASSWORD set (at least 10 characters) to create the account "admin"');
    }
  }
}
