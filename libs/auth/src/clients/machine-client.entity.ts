import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../roles';

/**
 * A program that calls Mustafid's APIs on its own behalf (a Camunda job worker, an integration):
 * it trades its client id and secret at POST /oauth/token for short-lived access tokens
 * (OAuth 2.0 client credentials, RFC 6749 §4.4) and acts with the roles an administrator gave it.
 */
@Entity('app_machine_client')
export class MachineClient {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** What people call it; requests made with its tokens are audited as `client:<name>`. */
  @Column('varchar', { length: 48 })
  name!: string;

  /** The `client_id` it sends to the token endpoint: its name and a random suffix. */
  @Column('varchar', { name: 'client_id', length: 64, unique: true })
  clientId!: string;

  /** Argon2id hash of the secret (libs/auth/src/passwords); the secret itself is shown once. */
  @Column('text', { name: 'secret_hash', select: false })
  secretHash!: string;

  @Column('text', { array: true, default: () => "'{}'" })
  roles!: Role[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('varchar', { name: 'created_by', length: 64 })
  createdBy!: string;

  /** When it last got an access token. */
  @Column('timestamptz', { name: 'last_token_at', nullable: true })
  lastTokenAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column('varchar', { name: 'revoked_by', length: 64, nullable: true })
  revokedBy!: string | null;
}
