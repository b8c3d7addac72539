import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A secret the server generates once and keeps in the database (e.g. the token-signing key). */
@Entity('app_secret')
export class ServerSecret {
  @PrimaryColumn('varchar', { length: 64 })
  name!: string;

  @Column('text')
  value!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
