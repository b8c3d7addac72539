import { AuditLog } from '@mustafid/audit';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError, NotFoundError } from '@mustafid/platform';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { hashPassword } from '../passwords/passwords';
import type { Role } from '../roles';
import { Session } from '../session/session.entity';
import { User } from './user.entity';
import type { CreateUserDto, ListUsersQuery, UpdateUserDto, UserPage, UserView } from './users.dto';

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    active: u.active,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Administration of accounts: create, change roles, deactivate, reset passwords. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(dto: CreateUserDto, by: string): Promise<UserView> {
    const passwordHash = await hashPassword(dto.password);
    try {
      const user = await this.db.transaction(async (tx) => {
        const saved = await tx.save(
          tx.getRepository(User).create({ username: dto.username, displayName: dto.displayName, roles: dto.roles, passwordHash, active: true }),
        );
        await this.audit.append(tx, [{ at: new Date(), actor: by, action: 'user.created', details: { user: saved.username, roles: saved.roles } }]);
        return saved;
      });
      return toUserView(user);
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
        throw new ConflictError('USERNAME_TAKEN', `The username ${dto.username} is already taken`);
      }
      throw e;
    }
  }

  async list(query: ListUsersQuery): Promise<UserPage> {
    const qb = this.db.getRepository(User).createQueryBuilder('u').orderBy('u.username').take(query.limit).skip(query.offset);
    if (query.role) qb.where(':role = ANY(u.roles)', { role: query.role });
    const [users, total] = await qb.getManyAndCount();
    return { items: users.map(toUserView), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<UserView> {
    return toUserView(await this.find(this.db.manager, id));
  }

  async update(id: string, dto: UpdateUserDto, by: string): Promise<UserView> {
    return this.db.transaction(async (tx) => {
      const user = await this.find(tx, id, true);
      const before = { roles: user.roles, active: user.active, displayName: user.displayName };
      const stillAdmin = (dto.roles ?? user.roles).includes('admin') && (dto.active ?? user.active);
      if (user.roles.includes('admin') && user.active && !stillAdmin) await this.assertAnotherAdmin(tx, id);
      if (dto.displayName !== undefined) user.displayName = dto.displayName;
      if (dto.roles !== undefined) user.roles = dto.roles;
      if (dto.active !== undefined) user.active = dto.active;
      const saved = await tx.save(user);
      if (dto.active === false) await this.revokeSessions(tx, id);
      await this.audit.append(tx, [
        { at: new Date(), actor: by, action: 'user.changed', details: { user: saved.username, before, after: { roles: saved.roles, active: saved.active, displayName: saved.displayName } } },
      ]);
      return toUserView(saved);
    });
  }

  async resetPassword(id: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (tx) => {
      await this.find(tx, id, true);
      await tx.update(User, { id }, { passwordHash });
      await this.revokeSessions(tx, id);
    });
  }

  private async find(tx: EntityManager, id: string, lock = false): Promise<User> {
    if (!UUID.test(id)) throw new NotFoundError('User', id);
    const user = await tx.findOne(User, { where: { id }, lock: lock ? { mode: 'pessimistic_write' } : undefined });
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Never leave the system without an active administrator. */
  private async assertAnotherAdmin(tx: EntityManager, exceptId: string): Promise<void> {
    const admin: Role = 'admin';
    // Lock the other admins' rows (FOR UPDATE cannot lock a count) so two demotions cannot both pass.
    const others = await tx
      .createQueryBuilder(User, 'u')
      .select('u.id')
      .setLock('pessimistic_write')
      .where(':admin = ANY(u.roles) AND u.active AND u.id <> :id', { admin, id: exceptId })
      .getMany();
    if (others.length === 0) {
      throw new ConflictError('LAST_ADMIN', 'This is the last active administrator: give another account the admin role first');
    }
  }

  private async revokeSessions(tx: EntityManager, userId: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
  }
}
