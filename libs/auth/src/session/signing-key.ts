import { type KeyObject, createSecretKey, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import type { Repository } from 'typeorm';
import { ServerSecret } from './server-secret.entity';

const NAME = 'session-signing-key';

/**
 * The key that signs session tokens: JWT_SECRET when set, else generated once and kept in
 * the database, so every server process shares it and sessions survive a restart. Read on
 * first use (not at start, when migrations may not have run yet); safe when two processes race.
 */
@Injectable()
export class SigningKey {
  private key?: Promise<KeyObject>;

  constructor(
    @InjectRepository(ServerSecret) private readonly secrets: Repository<ServerSecret>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A key object, made once: a string secret would be turned into one on every token checked. */
  get(): Promise<KeyObject> {
    if (!this.key) {
      const secret = this.config.auth.jwtSecret ? Promise.resolve(this.config.auth.jwtSecret) : this.loadOrCreate();
      this.key = secret.then((value) => createSecretKey(Buffer.from(value, 'utf8')));
      this.key.catch(() => (this.key = undefined)); // try again on the next call
    }
    return this.key;
  }

  private async loadOrCreate(): Promise<string> {
    await this.secrets
      .createQueryBuilder()
      .insert()
      .values({ name: NAME, value: randomBytes(48).toString('base64url') })
      .orIgnore()
      .execute();
    return (await this.secrets.findOneByOrFail({ name: NAME })).value;
  }
}
