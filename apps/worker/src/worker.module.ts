import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DatabaseEndpoint, DatabaseModule } from '@mustafid/database';
import { type AppConfig, ConfigModule, HealthModule, loggingModule } from '@mustafid/platform';

/**
 * The job-worker process for ENGINE=zeebe scale-out. Today it connects to the database
 * and reports health; the Zeebe job workers join it with the Zeebe adapter.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, database: DatabaseEndpoint): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config), DiscoveryModule, DatabaseModule.forRoot(database), HealthModule],
    };
  }
}
