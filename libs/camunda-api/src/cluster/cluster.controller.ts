import { Controller, Get, Inject, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AcceptsBasicAuth, type AuthUser, CurrentUser, SignedIn } from '@mustafid/auth';
import { WORKFLOW_ENGINE, type WorkflowEngine, ClientCommands } from '@mustafid/workflow';
import { DEFAULT_TENANT } from '../shared/values';

/**
 * Camunda 8.8's cluster and authentication routes:
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-topology/
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-authentication/
 */
@ApiTags('camunda-v2')
@AcceptsBasicAuth()
@UseInterceptors(ClientCommands)
@Controller('v2')
export class ClusterController {
  constructor(@Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine) {}

  /** The cluster the gateway is part of: for the embedded engine, this server alone. */
  @SignedIn()
  @Get('topology')
  async topology() {
    const t = await this.engine.topology();
    return { ...t, lastCompletedChangeId: '-1' };
  }

  /**
   * The caller, as Camunda describes a user: Mustafid's roles, the one tenant, no groups. A
   * machine client has no username, as in Camunda (its OIDC user service answers the
   * authentication's authenticatedUsername, which a client's token does not carry); its name is
   * in displayName.
   */
  @SignedIn()
  @Get('authentication/me')
  me(@CurrentUser() user: AuthUser) {
    return {
      username: user.client ? null : user.username,
      displayName: user.displayName,
      email: null,
      authorizedComponents: [],
      tenants: [{ tenantId: DEFAULT_TENANT, name: 'Default' }],
      groups: [],
      roles: user.roles,
      salesPlanType: '',
      c8Links: {},
      canLogout: user.sessionId !== '',
    };
  }
}
