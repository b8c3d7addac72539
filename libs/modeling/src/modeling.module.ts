import { Module } from '@nestjs/common';
import { AuditModule } from '@mustafid/audit';
import { WorkflowModule } from '@mustafid/workflow';
import { ProcessDrafts } from './drafts.service';
import { ModelingController } from './modeling.controller';
import { ProcessModeling } from './process-modeling.service';
import { ProjectLint } from './project-lint';

/**
 * The process owners' modeling: drafts, forms with their processes, the project's lint, and
 * deploying through the engine port (`/api/modeling/...`; decision 0017).
 */
@Module({
  imports: [AuditModule, WorkflowModule],
  controllers: [ModelingController],
  providers: [ProjectLint, ProcessModeling, ProcessDrafts],
  exports: [ProjectLint],
})
export class ModelingModule {}
