import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ProjectLint } from '@mustafid/modeling';
import { FormStore, type StoredForm, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { INTAKE_JOB_TYPES } from '../workers/intake-workers';

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

/** The task forms in bpmn/forms (Camunda Forms, form-js JSON), each with its form id. */
export function readFormFiles(): StoredForm[] {
  const dir = join(bpmnDir(), 'forms');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.form'))
    .sort()
    .map((file) => {
      const form = JSON.parse(readFileSync(join(dir, file), 'utf8')) as StoredForm;
      if (!form.id) throw new Error(`${file} has no form id`);
      return form;
    });
}

/**
 * The intake diagram and its forms, shipped in bpmn/ and deployed at start when the files
 * hold something new. A file whose content is already one of the deployed versions is left
 * alone, so a version a process owner deployed from the browser stays the newest after a
 * restart; a new file (an upgrade) becomes the newest version, with a warning when it
 * replaces a version a person deployed.
 */
@Injectable()
export class IntakeDiagram {
  private readonly logger = new Logger('IntakeDiagram');

  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @InjectDataSource() private readonly db: DataSource,
    private readonly forms: FormStore,
    lint: ProjectLint,
  ) {
    lint.declareJobTypes(INTAKE_JOB_TYPES);
    lint.guardMinimumResponse(INTAKE_PROCESS_ID);
  }

  async deploy(): Promise<{ version: number; isNewVersion: boolean }> {
    const xml = readIntakeDiagram();
    const checksum = createHash('sha256').update(xml).digest('hex');
    const versions = (await this.engine.listProcessDefinitions()).find((p) => p.bpmnProcessId === INTAKE_PROCESS_ID)?.versions ?? [];
    let target: { key: string; version: number; isNewVersion: boolean };
    if (versions.some((v) => v.checksum === checksum)) {
      target = { key: versions[0].key, version: versions[0].version, isNewVersion: false };
    } else {
      const result = await this.engine.deploy({ resourceName: INTAKE_RESOURCE, xml });
      const process = result.processes.find((p) => p.bpmnProcessId === INTAKE_PROCESS_ID);
      if (!process) throw new Error(`${INTAKE_RESOURCE} holds no process ${INTAKE_PROCESS_ID}`);
      target = process;
      if (versions[0]?.deployedBy) {
        this.logger.warn(`The shipped ${INTAKE_RESOURCE} is new: version ${process.version} replaces version ${versions[0].version}, which ${versions[0].deployedBy} deployed`);
      }
    }
    await this.deployForms(target.key, target.isNewVersion);
    this.logger.log(
      target.isNewVersion
        ? `Deployed the intake process as version ${target.version}`
        : `The intake process is deployed (version ${target.version}, newest; the shipped file is already a deployed version)`,
    );
    return { version: target.version, isNewVersion: target.isNewVersion };
  }

  /**
   * The shipped forms: each whose content no version holds becomes the newest version and is
   * bound to the newest intake version; a newly deployed intake version is bound to every form.
   */
  private async deployForms(processDefinitionKey: string, newProcessVersion: boolean): Promise<void> {
    await this.db.transaction(async (em) => {
      const saved = await this.forms.save(em, readFormFiles(), undefined, new Date(), true);
      const latest = await this.forms.latest(saved.map((f) => f.id), em);
      const bind = saved.filter((f) => newProcessVersion || f.isNewVersion).map((f) => ({ id: f.id, version: f.isNewVersion ? f.version : latest.get(f.id)! }));
      await this.forms.bind(em, processDefinitionKey, bind);
    });
  }
}
