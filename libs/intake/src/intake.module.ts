import { Inject, Injectable, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig, bytes } from '@mustafid/platform';
import { AuthModule } from '@mustafid/auth';
import { ModelingModule } from '@mustafid/modeling';
import { ReservedProcesses, WorkflowModule } from '@mustafid/workflow';
import { ApplicationsService } from './applications/applications.service';
import { AttestationService } from './attestation/attestation.service';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { INTAKE_PROCESS_ID, IntakeDiagram } from './diagram/intake-diagram';
import { DocumentStore } from './documents/document-store';
import { MailSender } from './notifications/mail-sender';
import { SmsSender } from './notifications/sms-sender';
import { NotificationOutbox } from './notifications/outbox';
import { CaseProgress } from './progress/case-progress';
import { RetentionService } from './retention/retention.service';
import { IntakeWorkers } from './workers/intake-workers';
import { PortalController } from './portal/portal.controller';
import { PortalService } from './portal/portal.service';
import { SignInCodes } from './portal/sign-in-codes';
import { SurveyController } from './survey/survey.controller';
import { SurveyService } from './survey/survey.service';
import { ServiceDelivery } from './service/service-delivery';

/**
 * The intake process of the policy (S1–S7, O5): its diagram, deployed at start; the case API;
 * the workers of its service tasks; the documents, signatures and notification outbox; the
 * applicant portal (C7) and the satisfaction survey.
 */
/**
 * What a running server does for intake, after migrations: deploy the diagram when it changed,
 * start the workers and the case-progress follower, and start any request whose process did
 * not begin. Called by the server (not by the operations commands that only touch the schema).
 */
@Injectable()
export class IntakeRuntime {
  constructor(
    private readonly diagram: IntakeDiagram,
    private readonly workers: IntakeWorkers,
    private readonly progress: CaseProgress,
    private readonly applications: ApplicationsService,
    private readonly mail: MailSender,
    private readonly sms: SmsSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    reserved: ReservedProcesses,
  ) {
    reserved.reserve(INTAKE_PROCESS_ID, 'recording a request (POST /api/applications, or the portal)');
  }

  async start(): Promise<void> {
    await this.diagram.deploy();
    // On Zeebe the workers run in their own processes (apps/worker), never in the server; on the
    // embedded engine too when INTAKE_WORKERS=external (apps/worker against this server's gateway).
    if (this.config.engine.kind === 'embedded' && this.config.intake.workers === 'server') this.workers.start();
    this.progress.start();
    this.mail.start();
    this.sms.start();
    await this.applications.startInterrupted();
  }
}

@Module({
  imports: [
    AuthModule,
    WorkflowModule,
    ModelingModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Browsers send a file's name as UTF-8; multer reads it as Latin-1 unless told, and an Arabic name came out as mojibake.
        defParamCharset: 'utf8',
        limits: { fileSize: config.intake.documentMaxBytes, files: 21, fields: 10, fieldSize: bytes(config.http.bodyLimit), parts: 40 },
      }),
    }),
  ],
  controllers: [CasesController, PortalController, SurveyController],
  providers: [
    IntakeRuntime, ApplicationsService, AttestationService, CasesService, IntakeDiagram, DocumentStore, NotificationOutbox, MailSender, SmsSender, CaseProgress, IntakeWorkers, RetentionService,
    SignInCodes, PortalService, SurveyService, ServiceDelivery,
  ],
  exports: [IntakeRuntime, CasesService, ApplicationsService, RetentionService, ServiceDelivery, NotificationOutbox],
})
export class IntakeModule {}
