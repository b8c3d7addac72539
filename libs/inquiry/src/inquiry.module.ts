import { Inject, Injectable, Module } from '@nestjs/common';
import { AuthModule } from '@mustafid/auth';
import { IntakeModule } from '@mustafid/intake';
import { ModelingModule } from '@mustafid/modeling';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { ReservedProcesses, WorkflowModule } from '@mustafid/workflow';
import { InquiryDiagram } from './diagram/inquiry-diagram';
import { InquiriesController } from './inquiries/inquiries.controller';
import { InquiriesService } from './inquiries/inquiries.service';
import { PublicInquiriesController } from './inquiries/public-inquiries.controller';
import { InquiryRetention } from './inquiries/inquiry-retention';
import { PublicInquiryLimits } from './inquiries/public-limits';
import { LibraryController, PublicQuestionsController } from './library/library.controller';
import { LibrarySeed } from './library/library-seed';
import { LibraryService } from './library/library.service';
import { INQUIRY_PROCESS_ID } from './vocabulary';
import { InquiryWorkers } from './workers/inquiry-workers';

/**
 * What a running server does for inquiries, after the intake's start: load the shipped library
 * articles (the policy first), deploy the inquiry diagram when it changed, start its workers
 * (embedded engine, workers in the server), and start any inquiry whose process did not begin.
 */
@Injectable()
export class InquiryRuntime {
  constructor(
    private readonly diagram: InquiryDiagram,
    private readonly workers: InquiryWorkers,
    private readonly seed: LibrarySeed,
    private readonly inquiries: InquiriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    reserved: ReservedProcesses,
  ) {
    reserved.reserve(INQUIRY_PROCESS_ID, 'recording an inquiry (POST /api/inquiries, or POST /api/public/inquiries)');
  }

  async start(): Promise<void> {
    await this.seed.ensure();
    await this.diagram.deploy();
    if (this.config.engine.kind === 'embedded' && this.config.intake.workers === 'server') this.workers.start();
    await this.inquiries.startInterrupted();
  }
}

/** Inquiries, suggestions, complaints and compliments (S1, O3, G1, T1, T5) and the officer's reference library (R1). */
@Module({
  imports: [AuthModule, WorkflowModule, ModelingModule, IntakeModule],
  controllers: [InquiriesController, PublicInquiriesController, LibraryController, PublicQuestionsController],
  providers: [InquiryRuntime, InquiryDiagram, InquiryWorkers, InquiriesService, LibraryService, LibrarySeed, PublicInquiryLimits, InquiryRetention],
  exports: [InquiryRuntime, InquiryWorkers, InquiriesService, LibraryService, InquiryRetention],
})
export class InquiryModule {}
