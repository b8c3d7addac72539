import { randomBytes } from 'node:crypto';
import { AuditLog } from '@mustafid/audit';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConflictError, NotFoundError } from '@mustafid/platform';
import { DataSource, QueryFailedError } from 'typeorm';
import { hashPassword } from '../passwords/passwords';
import { type ClientPage, type ClientView, type CreateClientDto, type CreatedClientView, type ListClientsQuery, MAX_ACTIVE_CLIENTS } from './clients.dto';
import { MachineClient } from './machine-client.entity';

export function toClientView(c: MachineClient): ClientView {
  return {
    id: c.id,
    name: c.name,
    clientId: c.clientId,
    roles: c.roles,
    createdAt: c.createdAt,
    createdBy: c.createdBy,
    lastTokenAt: c.lastTokenAt,
    revokedAt: c.revokedAt,
    revokedBy: c.revokedBy,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `<name>-<10 random base32 characters>`: readable in logs, never guessed from the name alone. */
function newClientId(name: string): string {
  const suffix = [...randomBytes(10)].map((b) => BASE32[b % 32]).join('');
  return `${name}-${suffix}`;
}

/** 256 random bits, base64url (43 characters). */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Administration of machine clients: create (the secret shown once), list, revoke. */
@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(dto: CreateClientDto, by: string): Promise<CreatedClientView> {
    const clientSecret = newSecret();
    const secretHash = await hashPassword(clientSecret);
    try {
      const client = await this.db.transaction(async (tx) => {
        // One creation at a time, so two cannot both pass the count below.
        await tx.query('LOCK TABLE app_machine_client IN SHARE ROW EXCLUSIVE MODE');
        const [{ n }] = await tx.query('SELECT count(*)::int AS n FROM app_machine_client WHERE revoked_at IS NULL');
        if (n >= MAX_ACTIVE_CLIENTS) {
          throw new ConflictError('TOO_MANY_CLIENTS', `There are already ${MAX_ACTIVE_CLIENTS} active machine clients, the most Mustafid keeps: revoke one that is no longer used first`);
        }
        const saved = await tx.save(
          tx.getRepository(MachineClient).create({ name: dto.name, clientId: newClientId(dto.name), secretHash, roles: dto.roles, createdBy: by, lastTokenAt: null, revokedAt: null, revokedBy: null }),
        );
        await this.audit.append(tx, [{ at: new Date(), actor: by, action: 'client.created', details: { client: saved.name, clientId: saved.clientId, roles: saved.roles } }]);
        return saved;
      });
      return { ...toClientView(client), clientSecret };
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
        throw new ConflictError('CLIENT_NAME_TAKEN', `An active machine client is already named ${dto.name}: choose another name, or revoke that one first`);
      }
      throw e;
    }
  }

  async list(query: ListClientsQuery): Promise<ClientPage> {
    const qb = this.db.getRepository(MachineClient).createQueryBuilder('c').orderBy('c.name').addOrderBy('c.createdAt', 'DESC').take(query.limit).skip(query.offset);
    if (!query.includeRevoked) qb.where('c.revokedAt IS NULL');
    const [clients, total] = await qb.getManyAndCount();
    return { items: clients.map(toClientView), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<ClientView> {
    return toClientView(await this.find(id));
  }

  /**
   * Revokes a client: every token it holds stops working with the next request (each request
   * reads the client's row). Revoking a revoked client changes nothing.
   */
  async revoke(id: string, by: string): Promise<void> {
    await this.find(id);
    await this.db.transaction(async (tx) => {
      const [rows] = await tx.query(
        'UPDATE app_machine_client SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING name, client_id',
        [id, by],
      );
      for (const row of rows as Array<{ name: string; client_id: string }>) {
        await this.audit.append(tx, [{ at: new Date(), actor: by, action: 'client.revoked', details: { client: row.name, clientId: row.client_id } }]);
      }
    });
  }

  private async find(id: string): Promise<MachineClient> {
    if (!UUID.test(id)) throw new NotFoundError('Machine client', id);
    const client = await this.db.getRepository(MachineClient).findOneBy({ id });
    if (!client) throw new NotFoundError('Machine client', id);
    return client;
  }
}
