import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type EngineEvent, EventFeedFollower, type UserTaskView, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';

const TASK_INTENTS = new Set(['USER_TASK_CREATED', 'USER_TASK_COMPLETED', 'USER_TASK_CANCELED', 'USER_TASK_ASSIGNED', 'USER_TASK_UPDATED']);
const STATE: Record<UserTaskView['state'], string> = { CREATED: 'open', COMPLETED: 'completed', CANCELED: 'cancelled' };

/**
 * Mirrors the engine's user tasks into the task store by following its event feed: each
 * instance whose tasks changed is re-read and its tasks upserted by key, so a wait the
 * engine announces twice is still one task. A task being completed here ('completing') is
 * left alone until the engine says it is done. The case a task belongs to comes from the
 * instance's `applicationId` / `applicationNumber` variables.
 */
@Injectable()
export class TaskMirror implements OnModuleDestroy {
  private readonly feed: EventFeedFollower;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
  ) {
    this.feed = new EventFeedFollower('task-store', db, engine, (events) => this.apply(events));
  }

  start(): void {
    this.feed.start(500);
  }

  onModuleDestroy(): void {
    this.feed.stop();
  }

  catchUp(): Promise<void> {
    return this.feed.catchUp();
  }

  private async apply(events: EngineEvent[]): Promise<void> {
    const instances = new Set(events.filter((e) => TASK_INTENTS.has(e.intent)).map((e) => e.processInstanceKey));
    for (const key of instances) await this.refresh(key);
  }

  async refresh(processInstanceKey: string): Promise<void> {
    const [tasks, instance] = await Promise.all([this.engine.listUserTasks(processInstanceKey), this.engine.getInstance(processInstanceKey)]);
    const caseId = typeof instance.variables.applicationId === 'string' ? instance.variables.applicationId : null;
    const caseNumber = typeof instance.variables.applicationNumber === 'string' ? instance.variables.applicationNumber : null;
    for (const t of tasks) {
      await this.db.query(
        `INSERT INTO task (key, process_instance_key, process_definition_key, bpmn_process_id, process_version, element_id, element_instance_key, name, case_id, case_number,
                           assignee, candidate_groups, candidate_users, form_key, due_date, follow_up_date, priority, state, created_at, completed_at, completed_by)
         VALUES ($1, $2, $20, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $21)
         ON CONFLICT (key) DO UPDATE SET
           assignee = EXCLUDED.assignee, due_date = EXCLUDED.due_date, follow_up_date = EXCLUDED.follow_up_date, priority = EXCLUDED.priority,
           completed_at = COALESCE(task.completed_at, EXCLUDED.completed_at),
           completed_by = COALESCE(task.completed_by, EXCLUDED.completed_by),
           state = CASE WHEN task.state = 'completing' AND EXCLUDED.state = 'open' THEN task.state ELSE EXCLUDED.state END,
           version = task.version + 1
         WHERE task.state IS DISTINCT FROM EXCLUDED.state OR task.assignee IS DISTINCT FROM EXCLUDED.assignee
            OR task.due_date IS DISTINCT FROM EXCLUDED.due_date OR task.follow_up_date IS DISTINCT FROM EXCLUDED.follow_up_date
            OR task.priority IS DISTINCT FROM EXCLUDED.priority`,
        [
          t.key, t.processInstanceKey, t.bpmnProcessId, t.processDefinitionVersion, t.elementId, t.elementInstanceKey, t.name ?? null, caseId, caseNumber,
          t.assignee ?? null, t.candidateGroups, t.candidateUsers, t.formKey ?? null, t.dueDate ?? null, t.followUpDate ?? null, t.priority,
          STATE[t.state], t.createdAt, t.completedAt ?? null, instance.processDefinitionKey, t.completedBy ?? null,
        ],
      );
    }
  }
}
