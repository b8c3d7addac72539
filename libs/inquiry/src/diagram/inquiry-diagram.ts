import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { bpmnDir } from '@mustafid/intake';
import { ProjectLint } from '@mustafid/modeling';
import { FormStore, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource } from 'typeorm';
import { INQUIRY_PROCESS_ID, INQUIRY_RESOURCE } from '../vocabulary';
import { INQUIRY_JOB_TYPES } from '../workers/inquiry-workers';

const ANSWER_FORM = 'inquiry-answer';

export function readInquiryDiagram(): string {
  return readFileSync(join(bpmnDir(), INQUIRY_RESOURCE), 'utf8');
}

/**
 * bpmn/beneficiary-inquiry.bpmn, deployed at start as the intake diagram is: a new version only
 * when the file holds something no deployed version does, so a version a process owner deployed
 * from the browser stays the newest after a restart.
 */
@Injectable()
export class InquiryDiagram {
  private readonly logger = new Logger('InquiryDiagram');

  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @InjectDataSource() private readonly db: DataSource,
    private readonly forms: FormStore,
    lint: ProjectLint,
  ) {
    lint.declareJobTypes(INQUIRY_JOB_TYPES);
  }

  async deploy(): Promise<{ version: number; isNewVersion: boolean }> {
    const xml = readInquiryDiagram();
    const checksum = createHash('sha256').update(xml).digest('hex');
    const versions = (await this.engine.listProcessDefinitions()).find((p) => p.bpmnProcessId === INQUIRY_PROCESS_ID)?.versions ?? [];
    if (versions.some((v) => v.checksum === checksum)) {
      this.logger.log(`The inquiry process is deployed (version ${versions[0].version}, newest; the shipped file is already a deployed version)`);
      await this.bindForm(versions[0].key);
      return { version: versions[0].version, isNewVersion: false };
    }
    const result = await this.engine.deploy({ resourceName: INQUIRY_RESOURCE, xml });
    const process = result.processes.find((p) => p.bpmnProcessId === INQUIRY_PROCESS_ID);
    if (!process) throw new Error(`${INQUIRY_RESOURCE} holds no process ${INQUIRY_PROCESS_ID}`);
    if (versions[0]?.deployedBy) {
      this.logger.warn(`The shipped ${INQUIRY_RESOURCE} is new: version ${process.version} replaces version ${versions[0].version}, which ${versions[0].deployedBy} deployed`);
    }
    await this.bindForm(process.key);
    this.logger.log(`Deployed the inquiry process as version ${process.version}`);
    return { version: process.version, isNewVersion: process.isNewVersion };
  }

  /** The answer task's form (bpmn/forms/inquiry-answer.form, stored with the other shipped forms by the intake's start), newest version. */
  private async bindForm(processDefinitionKey: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const latest = await this.forms.latest([ANSWER_FORM], em);
      const version = latest.get(ANSWER_FORM);
      if (version) await this.forms.bind(em, processDefinitionKey, [{ id: ANSWER_FORM, version }]);
    });
  }
}
