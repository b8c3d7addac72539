import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { type AuthUser } from '@mustafid/auth';
import { NotFoundError } from '@mustafid/platform';
import type { DataSource } from 'typeorm';
import { type BpmnProblem, type DeployResult, executableProcesses, formBundle, FormStore, type FormVersion, type InstanceCounts, InvalidBpmnError, linkedFormIds, parseDiagram, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import { ProjectLint } from './project-lint';

export interface ProcessVersionView {
  key: string;
  version: number;
  resourceName: string;
  checksum: string;
  deployedAt: Date;
  deployedBy: string | null;
  comment: string | null;
  /** null where the engine cannot count them (Zeebe: Operate can). */
  instances: InstanceCounts | null;
}

export interface ModelDeployCommand {
  xml: string;
  comment: string;
  forms?: Record<string, unknown>;
  resourceName?: string;
  draftId?: string;
}

export type ModelDeployResult = DeployResult & { forms: FormVersion[] };

function blocking(problems: BpmnProblem[]): InvalidBpmnError {
  const shown = problems.slice(0, 3).map((p) => `${p.elementId ? `${p.elementId}: ` : ''}${p.message}`);
  const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
  return new InvalidBpmnError(`The diagram has ${problems.length} problem(s) that block deployment: ${shown.join('; ')}${more}`, problems);
}

/**
 * What a process owner does with a process (issue 6): check it with the project's lint, deploy
 * it with its forms and a comment, see each version's history and instances, deploy an old
 * version again as the newest.
 */
@Injectable()
export class ProcessModeling {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @InjectDataSource() private readonly db: DataSource,
    private readonly lintRules: ProjectLint,
    private readonly forms: FormStore,
    private readonly audit: AuditLog,
  ) {}

  async lint(xml: string): Promise<{ errors: BpmnProblem[]; warnings: BpmnProblem[] }> {
    const { errors, warnings } = await this.lintRules.check(xml);
    return { errors, warnings };
  }

  async processes(): Promise<Array<{ bpmnProcessId: string; name: string | null; latestVersion: number; latestKey: string }>> {
    return (await this.engine.listProcessDefinitions()).map((p) => ({
      bpmnProcessId: p.bpmnProcessId,
      name: p.versions[0]?.name ?? p.name ?? null,
      latestVersion: p.versions[0].version,
      latestKey: p.versions[0].key,
    }));
  }

  async versions(bpmnProcessId: string): Promise<ProcessVersionView[]> {
    const process = (await this.engine.listProcessDefinitions()).find((p) => p.bpmnProcessId === bpmnProcessId);
    if (!process) throw new NotFoundError('Process', bpmnProcessId);
    const notes: Array<{ key: string; comment: string }> = await this.db.query(
      `SELECT process_definition_key::text AS key, comment FROM wf_deployment_note WHERE bpmn_process_id = $1`,
      [bpmnProcessId],
    );
    const comments = new Map(notes.map((n) => [n.key, n.comment]));
    return process.versions.map((v) => ({
      key: v.key,
      version: v.version,
      resourceName: v.resourceName,
      checksum: v.checksum,
      deployedAt: v.deployedAt,
      deployedBy: v.deployedBy ?? null,
      comment: comments.get(v.key) ?? null,
      instances: v.instances ?? null,
    }));
  }

  /** The forms a deployed version uses, by form id. */
  async formsOf(processDefinitionKey: string): Promise<Record<string, unknown>> {
    const xml = await this.engine.getProcessDefinitionXml(processDefinitionKey);
    const ids = linkedFormIds((await parseDiagram(xml)).rootElement);
    return this.forms.ofDefinition(processDefinitionKey, ids);
  }

  /**
   * Checks everything first (the diagram with the project's lint, the forms, that every form the
   * diagram links exists), then deploys; then, in one transaction, the new form versions, which
   * form versions the process version uses, the comment and the audit event. Deploying the same
   * content again is idempotent, so a retry after a failure of that last step completes it.
   */
  async deploy(command: ModelDeployCommand, user: AuthUser): Promise<ModelDeployResult> {
    const checked = await this.lintRules.check(command.xml);
    const bundle = formBundle(command.forms);
    const linked = linkedFormIds(checked.definitions);
    const problems = [...checked.errors];
    const existing = await this.forms.latest(linked);
    for (const form of bundle.filter((f) => !linked.includes(f.id))) {
      problems.push({ rule: 'forms', message: `Form "${form.id}" is sent but no user task of the diagram links it` });
    }
    for (const id of linked.filter((i) => !existing.has(i) && !bundle.some((f) => f.id === i))) {
      problems.push({ rule: 'forms', message: `The diagram links form "${id}", which was never deployed and is not sent with it` });
    }
    if (problems.length > 0) throw blocking(problems);

    const result = await this.engine.deploy({
      resourceName: command.resourceName ?? `${String(executableProcesses(checked.definitions)[0]?.id ?? 'diagram')}.bpmn`,
      xml: command.xml,
      deployedBy: { id: user.id, username: user.username },
      forms: bundle,
    });
    const at = new Date();
    const saved = await this.db.transaction(async (em) => {
      const savedForms = await this.forms.save(em, bundle, user.username, at);
      const versions = new Map<string, number>([...existing, ...savedForms.map((f) => [f.id, f.version] as const)]);
      for (const process of result.processes) {
        await this.forms.bind(em, process.key, linked.map((id) => ({ id, version: versions.get(id)! })));
        await em.query(
          `INSERT INTO wf_deployment_note (process_definition_key, bpmn_process_id, comment, deployed_by, deployed_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (process_definition_key) DO NOTHING`,
          [process.key, process.bpmnProcessId, command.comment, user.username, at],
        );
      }
      await this.audit.append(
        em,
        result.processes.map((p) => ({
          at,
          actor: user.username,
          action: p.isNewVersion ? 'process.deployed' : 'process.deploy-unchanged',
          details: {
            bpmnProcessId: p.bpmnProcessId,
            version: p.version,
            key: p.key,
            checksum: p.checksum,
            resourceName: p.resourceName,
            comment: command.comment,
            forms: savedForms,
            ...(command.draftId ? { draftId: command.draftId } : {}),
          },
        })),
      );
      return savedForms;
    });
    return { ...result, forms: saved };
  }

  /** An old version, with the forms it used, deployed again as the newest. */
  async redeploy(bpmnProcessId: string, version: number, comment: string, user: AuthUser): Promise<ModelDeployResult> {
    const old = (await this.versions(bpmnProcessId)).find((v) => v.version === version);
    if (!old) throw new NotFoundError(`Version of ${bpmnProcessId}`, String(version));
    const [xml, forms] = await Promise.all([this.engine.getProcessDefinitionXml(old.key), this.formsOf(old.key)]);
    return this.deploy({ xml, forms, comment, resourceName: old.resourceName }, user);
  }
}
