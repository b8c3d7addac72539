import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { hashPassword } from '../passwords/passwords';
import { ROLE_NAMES, ROLES, type Role } from '../roles';
import { User } from './user.entity';

/**
 * Creates one demo account per role, named after the role, and a second committee member
 * (`committee2`), all with one password.
 * Existing usernames are left alone. Returns the usernames created.
 */
export async function seedDemoAccounts(db: DataSource, password: string): Promise<string[]> {
  const passwordHash = await hashPassword(password);
  const rows = [
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
  const result = await db.createQueryBuilder().insert().into(User).values(rows).orIgnore().returning(['username']).execute();
  return (result.raw as Array<{ username: string }>).map((r) => r.username);
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

/** At start: demo accounts on a fresh embedded database (or when SEED_DEMO=true), and the initial admin. */
@Injectable()
export class AccountSeeding implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { demoUsers, demoPassword, initialAdminPassword } = this.config.seed;
    if (demoUsers && (await this.db.getRepository(User).count()) === 0) {
      const created = await seedDemoAccounts(this.db, demoPassword);
      this.logger.log(`Demo accounts created (one per role, password from DEMO_PASSWORD): ${created.join(', ')}`);
    }
    if (initialAdminPassword && (await ensureInitialAdmin(this.db, initialAdminPassword))) {
      this.logger.log('Initial administrator "admin" created from INITIAL_ADMIN_PASSWORD');
    }
  }
}
