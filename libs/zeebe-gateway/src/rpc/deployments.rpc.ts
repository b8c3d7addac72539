import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '@mustafid/audit';
import { deploymentAuditEntries } from '@mustafid/engine-api';
import { ACCESS } from '@mustafid/camunda-api/shared/access';
import { MAX_RESOURCES } from '@mustafid/camunda-api/deployments/deployments.controller';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { deployWithForms, formResource } from '@mustafid/camunda-api/shared/forms';
import { type DeployResult, type DeployedForm, FormStore, type StoredForm, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DeployResourceRequest } from '../protocol/gateway-protocol';
import { DEFAULT_TENANT, assertDefaultTenant, invalidArgument } from '../protocol/values';
import { type Rpc, type RpcContext, type RpcGroup, actorOf, roles, unary } from './rpc';

type Kind = 'model' | 'form';

/** What a resource is, by its name's ending (as Zeebe tells resources apart), or why it is refused. */
function kindOf(name: string): Kind {
  if (/\.(bpmn|dmn|xml)$/i.test(name)) return 'model';
  if (/\.form$/i.test(name)) return 'form';
  throw invalidArgument(`${name.slice(0, 100)} is neither a BPMN diagram (.bpmn), a DMN decision (.dmn) nor a form (.form): those are the resources Mustafid deploys`);
}

/**
 * https://docs.camunda.io/docs/apis-tools/zeebe-api/gateway-service/ "DeployResource RPC": BPMN
 * diagrams, DMN decisions and forms, several at once. Diagrams and decisions are deployed all or
 * none by the engine (as POST /v2/deployments); forms are checked before anything is stored and
 * then stored as versioned resources, each new process version bound to the versions of the forms
 * deployed with it.
 */
@Injectable()
export class DeploymentRpcs implements RpcGroup {
  constructor(
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly forms: FormStore,
    private readonly audit: AuditLog,
  ) {}

  rpcs(): Record<string, Rpc> {
    return { DeployResource: unary(roles(ACCESS.deploy), (request: DeployResourceRequest, context) => this.deploy(request, context)) };
  }

  private async deploy(request: DeployResourceRequest, { caller }: RpcContext) {
    assertDefaultTenant([request.tenantId], 'tenantId');
    const resources = request.resources;
    if (resources.length === 0) throw invalidArgument('Send at least one resource: a .bpmn, .dmn or .form file with its name and content');
    if (resources.length > MAX_RESOURCES) throw invalidArgument(`At most ${MAX_RESOURCES} resources may be deployed at once (got ${resources.length})`);
    const limit = this.config.engine.deploymentMaxBytes;
    const models: Array<{ resourceName: string; xml: string }> = [];
    const forms: Array<{ resourceName: string; form: StoredForm }> = [];
    for (const resource of resources) {
      const name = resource.name.trim();
      if (name === '' || name.length > 255) throw invalidArgument('Every resource needs a name of 1 to 255 characters, ending in .bpmn, .dmn or .form');
      if (resource.content.length > limit) throw invalidArgument(`${name} is ${resource.content.length} bytes; a resource may have at most ${limit} (DEPLOYMENT_MAX_BYTES)`);
      const text = resource.content.toString('utf8');
      if (kindOf(name) === 'model') models.push({ resourceName: name, xml: text });
      else forms.push({ resourceName: name, form: formResource(name, text, invalidArgument) });
    }
    const twice = forms.find((f, i) => forms.findIndex((g) => g.form.id === f.form.id) !== i);
    if (twice) throw invalidArgument(`The form id ${twice.form.id} is in more than one resource: deploy each form once`);

    const { deploymentKey, deployed, forms: storedForms } = await deployWithForms(this.engine, this.forms, models, forms, actorOf(caller));
    await this.record(deployed, storedForms, forms, caller.username);
    return {
      key: deploymentKey,
      tenantId: DEFAULT_TENANT,
      // In Zeebe's order (gateway ResponseMapper): processes, decisions, decision requirements, forms.
      deployments: [
        ...deployed.processes.map((p) => ({
          process: { bpmnProcessId: p.bpmnProcessId, version: p.version, processDefinitionKey: p.key, resourceName: p.resourceName, tenantId: DEFAULT_TENANT },
        })),
        ...deployed.decisions.map((d) => ({
          decision: {
            dmnDecisionId: d.decisionId,
            dmnDecisionName: d.name ?? d.decisionId,
            version: d.version,
            decisionKey: d.key,
            dmnDecisionRequirementsId: d.decisionRequirementsId,
            decisionRequirementsKey: d.decisionRequirementsKey,
            tenantId: DEFAULT_TENANT,
          },
        })),
        ...deployed.decisionRequirements.map((r) => ({
          decisionRequirements: {
            dmnDecisionRequirementsId: r.decisionRequirementsId,
            dmnDecisionRequirementsName: r.name ?? r.decisionRequirementsId,
            version: r.version,
            decisionRequirementsKey: r.key,
            resourceName: r.resourceName,
            tenantId: DEFAULT_TENANT,
          },
        })),
        ...storedForms.map((f, i) => ({ form: { formId: f.id, version: f.version, formKey: f.key, resourceName: forms[i].resourceName, tenantId: DEFAULT_TENANT } })),
      ],
    };
  }

  private async record(deployed: DeployResult, stored: DeployedForm[], forms: Array<{ resourceName: string }>, actor: string): Promise<void> {
    const at = new Date();
    await this.audit.record(
      ...deploymentAuditEntries(deployed, actor, 'zeebe-grpc'),
      ...stored.map((f, i) => ({
        at,
        actor,
        action: f.isNewVersion ? 'form.deployed' : 'form.deploy-unchanged',
        details: { formId: f.id, version: f.version, key: f.key, resourceName: forms[i].resourceName, via: 'zeebe-grpc' },
      })),
    );
  }
}
