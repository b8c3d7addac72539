import { Controller, HttpCode, Inject, Post, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { requestValueProblem } from '@mustafid/platform';
import { deploymentAuditEntries } from '@mustafid/engine-api';
import { FormStore, type StoredForm, WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import type { Request } from 'express';
import { ACCESS } from '../shared/access';
import { deployWithForms, formResource } from '../shared/forms';
import { DEFAULT_TENANT, assertDefaultTenant, badRequest } from '../shared/values';

/** Most resources in one deployment. */
export const MAX_RESOURCES = 10;

/** What a resource is, by its file name's ending (as Zeebe tells resources apart). */
function kindOf(name: string): 'model' | 'form' {
  if (/\.(bpmn|dmn|xml)$/i.test(name)) return 'model';
  if (/\.form$/i.test(name)) return 'form';
  throw badRequest(`${name.slice(0, 100)} is neither a BPMN diagram (.bpmn), a DMN decision (.dmn) nor a form (.form): those are the resources Mustafid deploys`);
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/ */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2')
export class DeploymentsController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly forms: FormStore,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Deploys BPMN, DMN and form resources (multipart parts named `resources`), all or none. When every
   * resource is the same as its latest version nothing new is stored; otherwise every resource
   * becomes a new version under the deployment's key (what bindingType "deployment" resolves by).
   */
  @Roles(...ACCESS.deploy)
  @Post('deployments')
  @HttpCode(200)
  @UseInterceptors(FilesInterceptor('resources', MAX_RESOURCES))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { resources: { type: 'array', items: { type: 'string', format: 'binary' } }, tenantId: { type: 'string', example: DEFAULT_TENANT } },
    },
  })
  async deploy(@Req() req: Request, @CurrentUser() user: AuthUser, @UploadedFiles() files: Express.Multer.File[] | undefined) {
    // Multipart text parts come from multer, after the edge's checks of a parsed body: the same checks here.
    const problem = requestValueProblem(req.body, 'body');
    if (problem) throw problem;
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(fields).find((k) => k !== 'tenantId');
    if (unknown) throw badRequest(`${unknown.slice(0, 60)} is not a field of a deployment: send resources (files) and optionally tenantId`);
    assertDefaultTenant([fields.tenantId], 'tenantId');
    if (!files || files.length === 0) {
      throw badRequest('Send the resources as multipart/form-data, one part named "resources" per .bpmn, .dmn or .form file');
    }
    const models: Array<{ resourceName: string; xml: string }> = [];
    const forms: Array<{ resourceName: string; form: StoredForm }> = [];
    for (const file of files) {
      const content = file.buffer.toString('utf8');
      if (kindOf(file.originalname) === 'model') models.push({ resourceName: file.originalname, xml: content });
      else forms.push({ resourceName: file.originalname, form: formResource(file.originalname, content, badRequest) });
    }
    const twice = forms.find((f, i) => forms.findIndex((g) => g.form.id === f.form.id) !== i);
    if (twice) throw badRequest(`The form id ${twice.form.id} is in more than one resource: deploy each form once`);
    const { deploymentKey, deployed: result, forms: stored } = await deployWithForms(this.engine, this.forms, models, forms, { id: user.id, username: user.username });
    const at = new Date();
    await this.audit.record(
      ...deploymentAuditEntries(result, user.username, 'camunda-v2'),
      ...stored.map((f) => ({
        at,
        actor: user.username,
        action: f.isNewVersion ? 'form.deployed' : 'form.deploy-unchanged',
        details: { formId: f.id, version: f.version, key: f.key, resourceName: f.resourceName, via: 'camunda-v2' },
      })),
    );
    return {
      deploymentKey,
      tenantId: DEFAULT_TENANT,
      deployments: [
        ...result.processes.map((p) => ({
          processDefinition: {
            processDefinitionId: p.bpmnProcessId,
            processDefinitionVersion: p.version,
            resourceName: p.resourceName,
            tenantId: DEFAULT_TENANT,
            processDefinitionKey: p.key,
          },
        })),
        ...result.decisionRequirements.map((r) => ({
          decisionRequirements: {
            decisionRequirementsId: r.decisionRequirementsId,
            version: r.version,
            decisionRequirementsName: r.name ?? r.decisionRequirementsId,
            tenantId: DEFAULT_TENANT,
            resourceName: r.resourceName,
            decisionRequirementsKey: r.key,
          },
        })),
        ...result.decisions.map((d) => ({
          decisionDefinition: {
            decisionDefinitionId: d.decisionId,
            version: d.version,
            name: d.name ?? d.decisionId,
            tenantId: DEFAULT_TENANT,
            decisionRequirementsId: d.decisionRequirementsId,
            decisionDefinitionKey: d.key,
            decisionRequirementsKey: d.decisionRequirementsKey,
          },
        })),
        ...stored.map((f) => ({ form: { formId: f.id, version: f.version, resourceName: f.resourceName, tenantId: DEFAULT_TENANT, formKey: f.key } })),
      ],
    };
  }
}
