import { existsSync } from 'node:fs';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { AuthModule } from '@mustafid/auth';
import { DatabaseEndpoint, DatabaseModule } from '@mustafid/database';
import { type AppConfig, ConfigModule, HealthModule, loggingModule } from '@mustafid/platform';
import { AuditModule } from '@mustafid/audit';
import { CamundaApiModule, CamundaClockModule } from '@mustafid/camunda-api';
import { EngineAuditFeedModule } from '@mustafid/audit/feed/engine-audit-feed';
import { CaseHistoryModule } from '@mustafid/audit/history/case-history.module';
import { IntakeModule } from '@mustafid/intake';
import { InquiryModule } from '@mustafid/inquiry';
import { ReportsModule } from '@mustafid/reports';
import { TasksModule } from '@mustafid/tasks';
import { EngineApiModule, TestClockModule } from '@mustafid/engine-api';
import { ModelingModule } from '@mustafid/modeling';
import { WorkflowModule } from '@mustafid/workflow';
import { ZeebeGatewayModule } from '@mustafid/zeebe-gateway';

export interface ServerModuleOptions {
  config: AppConfig;
  database: DatabaseEndpoint;
  /** Folder of the built web UI (dist/apps/web); not served when absent. */
  webDir?: string;
  /** Apply pending migrations while starting (the server does; the migration commands do not). */
  migrationsRun?: boolean;
}

@Module({})
export class AppModule {
  static forRoot(options: ServerModuleOptions): DynamicModule {
    const web = options.webDir && existsSync(options.webDir) ? options.webDir : undefined;
    if (options.webDir && !web) {
      new Logger('Web').warn(`The web UI is not built (${options.webDir} is missing): run npm run build`);
    }
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(options.config),
        loggingModule(options.config),
        DiscoveryModule,
        DatabaseModule.forRoot(options.database, { migrationsRun: options.migrationsRun ?? true }),
        HealthModule,
        AuditModule,
        AuthModule,
        WorkflowModule,
        EngineApiModule,
        ModelingModule,
        CamundaApiModule,
        ZeebeGatewayModule,
        IntakeModule,
        InquiryModule,
        TasksModule,
        EngineAuditFeedModule,
        CaseHistoryModule,
        ReportsModule,
        TestClockModule.register(options.config.engine.testClock),
        CamundaClockModule.register(options.config.engine.testClock),
        ...(web ? [ServeStaticModule.forRoot({ rootPath: web, exclude: ['/api/{*path}', '/v2/{*path}', '/oauth/{*path}'] })] : []),
      ],
    };
  }
}
