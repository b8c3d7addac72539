import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuditLog } from '@mustafid/audit';
import { DatabaseEndpoint, DatabaseModule } from '@mustafid/database';
import { IntakeWorkers } from '@mustafid/intake';
import { InquiryWorkers } from '@mustafid/inquiry/workers/inquiry-workers';
import { LibraryService } from '@mustafid/inquiry/library/library.service';
import { NotificationOutbox } from '@mustafid/intake/notifications/outbox';
import { SurveyService } from '@mustafid/intake/survey/survey.service';
import { type AppConfig, ConfigModule, HealthModule, loggingModule } from '@mustafid/platform';
import { CLOCK, WORKFLOW_ENGINE, ZeebeEngineModule, ZeebeWorkflowEngine, systemClock } from '@mustafid/workflow';
import { WorkerHealthController } from './worker-health.controller';

/**
 * The job-worker process for ENGINE=zeebe scale-out: every intake and inquiry worker (the same handler
 * class the embedded engine runs) against the Zeebe cluster, the shared PostgreSQL for their
 * writes, and health on WORKER_PORT. Any number of copies may run; Zeebe hands each job to one.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, database: DatabaseEndpoint): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), loggingModule(config), DiscoveryModule, DatabaseModule.forRoot(database), HealthModule, ZeebeEngineModule],
      controllers: [WorkerHealthController],
      providers: [
        { provide: WORKFLOW_ENGINE, useExisting: ZeebeWorkflowEngine },
        { provide: CLOCK, useValue: systemClock },
        NotificationOutbox,
        // send-survey leaves a one-time survey link in its notice (an audited change). The log
        // itself, not AuditModule: the worker serves no audit routes.
        AuditLog,
        SurveyService,
        IntakeWorkers,
        // The inquiry process's workers (libs/inquiry); the answer notice reads the cited article.
        LibraryService,
        InquiryWorkers,
      ],
    };
  }
}
