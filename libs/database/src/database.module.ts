import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseEndpoint, dataSourceOptions } from './database';

export const DATABASE_ENDPOINT = Symbol('DATABASE_ENDPOINT');

/**
 * TypeORM over an already opened endpoint. The endpoint is opened before Nest starts
 * and closed after it stops, so the embedded database outlives every connection.
 */
@Module({})
export class DatabaseModule {
  static forRoot(endpoint: DatabaseEndpoint, options: { migrationsRun?: boolean } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(endpoint, options.migrationsRun ?? true),
          autoLoadEntities: true,
        }),
      ],
      providers: [{ provide: DATABASE_ENDPOINT, useValue: endpoint }],
      exports: [DATABASE_ENDPOINT],
    };
  }
}
