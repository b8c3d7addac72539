import { randomBytes } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { ServerSecret } from './server-secret.entity';

const NAME = 'session-signing-key';

/**
 * The key that signs session tokens: generated once and kept in the database, so every
 * server process shares it and sessions survive a restart. Safe when two processes race.
 */
export async function loadOrCreateSigningKey(secrets: Repository<ServerSecret>): Promise<string> {
  await secrets
    .createQueryBuilder()
    .insert()
    .values({ name: NAME, value: randomBytes(48).toString('base64url') })
    .orIgnore()
    .execute();
  const row = await secrets.findOneByOrFail({ name: NAME });
  return row.value;
}
