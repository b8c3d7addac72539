import { Module } from '@nestjs/common';
import { IntakeModule } from '@mustafid/intake';
import { WorkflowModule } from '@mustafid/workflow';
import { EngineAuditFeedModule } from '../feed/engine-audit-feed';
import { CaseHistoryController } from './case-history.controller';
import { CaseHistoryService } from './case-history.service';

/** Case history and path for auditors: the audit log and the engine's events, per case. */
@Module({ imports: [WorkflowModule, IntakeModule, EngineAuditFeedModule], controllers: [CaseHistoryController], providers: [CaseHistoryService] })
export class CaseHistoryModule {}
