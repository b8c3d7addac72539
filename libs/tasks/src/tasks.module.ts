import { Injectable, Module } from '@nestjs/common';
import { IntakeModule } from '@mustafid/intake';
import { WorkflowModule } from '@mustafid/workflow';
import { TasksController } from './api/tasks.controller';
import { TasksService } from './api/tasks.service';
import { FormRegistry } from './forms/form-registry';
import { TaskMirror } from './store/task-mirror';
import { CaseRecordController } from './record/case-record.controller';
import { CaseRecordService } from './record/case-record.service';

/** Starts mirroring the engine's user tasks (called by the server after migrations). */
@Injectable()
export class TasksRuntime {
  constructor(private readonly mirror: TaskMirror) {}

  start(): void {
    this.mirror.start();
  }
}

/** The staff task list (issue 5): the task store, its API, and the task forms. */
@Module({
  imports: [WorkflowModule, IntakeModule],
  controllers: [TasksController, CaseRecordController],
  providers: [TasksRuntime, TasksService, TaskMirror, FormRegistry, CaseRecordService],
  exports: [TasksRuntime, FormRegistry],
})
export class TasksModule {}
