import type { AuditEntry } from '@mustafid/audit';
import type { DeployResult } from '@mustafid/workflow';

/**
 * The audit entries of one deployment, whichever API made it: each process version deployed (or
 * found unchanged) and each DMN file with its decisions. `via` names the API when it is not
 * Mustafid's own (`camunda-v2`, `zeebe-grpc`).
 */
export function deploymentAuditEntries(result: DeployResult, actor: string, via?: string): AuditEntry[] {
  const from = via ? { via } : {};
  return [
    ...result.processes.map((p) => ({
      at: p.deployedAt,
      actor,
      action: p.isNewVersion ? 'process.deployed' : 'process.deploy-unchanged',
      details: { bpmnProcessId: p.bpmnProcessId, version: p.version, key: p.key, checksum: p.checksum, resourceName: p.resourceName, ...from },
    })),
    ...result.decisionRequirements.map((d) => ({
      at: d.deployedAt,
      actor,
      action: d.isNewVersion === false ? 'decisions.deploy-unchanged' : 'decisions.deployed',
      details: {
        decisionRequirementsId: d.decisionRequirementsId,
        version: d.version,
        key: d.key,
        checksum: d.checksum,
        resourceName: d.resourceName,
        decisions: result.decisions.filter((x) => x.decisionRequirementsKey === d.key).map((x) => ({ decisionId: x.decisionId, version: x.version, key: x.key })),
        ...from,
      },
    })),
  ];
}
