import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';

export const INTAKE_PROCESS_ID = 'beneficiary-intake';
export const INTAKE_RESOURCE = 'beneficiary-intake.bpmn';

/** bpmn/ at the repository root: beside the sources in development and tests, above dist/ when built. */
export function bpmnDir(): string {
  const candidates = [join(__dirname, '..', '..', '..', '..', 'bpmn'), join(__dirname, '..', '..', '..', 'bpmn'), join(process.cwd(), 'bpmn')];
  const found = candidates.find((dir) => existsSync(join(dir, INTAKE_RESOURCE)));
  if (!found) throw new Error(`The intake diagram ${INTAKE_RESOURCE} was not found in ${candidates.join(', ')}`);
  return found;
}

export function readIntakeDiagram(): string {
  return readFileSync(join(bpmnDir(), INTAKE_RESOURCE), 'utf8');
}

/**
 * The intake diagram, deployed at start: a new version only when the file changed.
 */
@Injectable()
export class IntakeDiagram {
  private readonly logger = new Logger('IntakeDiagram');

  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  async deploy(): Promise<{ version: number; isNewVersion: boolean }> {
    const result = await this.engine.deploy({ resourceName: INTAKE_RESOURCE, xml: readIntakeDiagram() });
    const process = result.processes.find((p) => p.bpmnProcessId === INTAKE_PROCESS_ID);
    if (!process) throw new Error(`${INTAKE_RESOURCE} holds no process ${INTAKE_PROCESS_ID}`);
    this.logger.log(
      process.isNewVersion
        ? `Deployed the intake process as version ${process.version}`
        : `The intake process is deployed (version ${process.version}, unchanged)`,
    );
    return { version: process.version, isNewVersion: process.isNewVersion };
  }
}
