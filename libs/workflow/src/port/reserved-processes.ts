import { Injectable } from '@nestjs/common';
import { ConflictError } from '@mustafid/platform';

/**
 * Processes that only their owner's own route starts: the intake process begins when a request is
 * recorded (POST /api/applications, the portal) and is linked to it, so starting it through the
 * generic POST /api/process-instances would give a request a second process, or a process no
 * request. The owner reserves it at start; the generic route refuses it.
 */
@Injectable()
export class ReservedProcesses {
  private readonly startedBy = new Map<string, string>();

  reserve(bpmnProcessId: string, startedBy: string): void {
    this.startedBy.set(bpmnProcessId, startedBy);
  }

  /** Throws 409 PROCESS_STARTED_ELSEWHERE for a reserved process. */
  assertStartable(bpmnProcessId: string): void {
    const route = this.startedBy.get(bpmnProcessId);
    if (route) {
      throw new ConflictError(
        'PROCESS_STARTED_ELSEWHERE',
        `The process ${bpmnProcessId} is started only by ${route}, which records what it belongs to; it cannot be started directly`,
        { startedBy: route },
      );
    }
  }
}
