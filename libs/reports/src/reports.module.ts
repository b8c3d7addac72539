import { Module } from '@nestjs/common';
import { EngineAuditFeedModule } from '@mustafid/audit/feed/engine-audit-feed';
import { WorkflowModule } from '@mustafid/workflow';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** The managers' service-quality reports (issue 9): SQL over the cases, tasks, incidents and audit log. */
@Module({ imports: [WorkflowModule, EngineAuditFeedModule], controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
