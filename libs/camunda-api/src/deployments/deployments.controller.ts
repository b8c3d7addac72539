import { Controller, HttpCode, Inject, Post, Req, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, Roles } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { requestValueProblem } from '@mustafid/platform';
import { deploymentAuditEntries } from '@mustafid/engine-api';
import { WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { Request } from 'express';
import { ACCESS } from '../shared/access';
import { DEFAULT_TENANT, assertDefaultTenant, badRequest } from '../shared/values';

/** Most resources in one deployment. */
export const MAX_RESOURCES = 10;

/** Why a resource is not deployed (yet), by its file name's ending. */
function refusal(name: string): string | undefined {
  if (/\.(bpmn|dmn|xml)$/i.test(name)) return undefined;
  if (/\.form$/i.test(name)) return `${name} is a form: Mustafid deploys BPMN diagrams (.bpmn) and DMN decisions (.dmn) through /v2 so far; forms are deployed from the bpmn/forms folder or the modeler`;
  return `${name} is neither a BPMN diagram nor a DMN decision: send .bpmn or .dmn files`;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/ */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@Controller('v2')
export class DeploymentsController {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Deploys BPMN and DMN resources (multipart parts named `resources`), all or none. When every
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
      throw badRequest('Send the resources as multipart/form-data, one part named "resources" per .bpmn or .dmn file');
    }
    for (const file of files) {
      const why = refusal(file.originalname);
      if (why) throw badRequest(why);
    }
    const result = await this.engine.deployResources({
      resources: files.map((f) => ({ resourceName: f.originalname, xml: f.buffer.toString('utf8') })),
      deployedBy: { id: user.id, username: user.username },
    });
    await this.audit.record(...deploymentAuditEntries(result, user.username, 'camunda-v2'));
    return {
      deploymentKey: result.deploymentKey,
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
      ],
    };
  }
}
