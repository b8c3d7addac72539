import type { Role } from '@mustafid/auth';

/**
 * Who may call each /v2 route: the roles of the matching /api engine route
 * (libs/engine-api), so Camunda's clients get no more than Mustafid's own API gives.
 */
export const ACCESS = {
  deploy: ['process-owner', 'admin'],
  /** Process and decision definitions, decision requirements, forms: as GET /api/process-definitions. */
  readDefinitions: ['process-owner', 'admin', 'auditor'],
  /** Evaluate a decision on its own: as starting an instance. */
  evaluateDecisions: ['process-owner', 'admin'],
  /** Delete a deployed resource: as deploying one. */
  deleteResources: ['process-owner', 'admin'],
  startInstance: ['process-owner', 'admin'],
  readInstances: ['process-owner', 'admin', 'auditor'],
  /** Set variables on a process or element instance, as POST /api/process-instances/:key/variables (and the gateway's SetVariables). */
  setVariables: ['process-owner', 'admin'],
  cancelInstance: ['admin'],
  /** Activate, complete, fail and throw errors on jobs: Camunda's job workers. */
  workJobs: ['worker', 'admin'],
  jobRetries: ['process-owner', 'admin'],
  readUserTasks: ['admin', 'auditor'],
  workUserTasks: ['admin'],
  messages: ['process-owner', 'admin'],
  signals: ['process-owner', 'admin'],
  readIncidents: ['process-owner', 'admin', 'auditor'],
  resolveIncidents: ['process-owner', 'admin'],
  /** The test clock (ENABLE_TEST_CLOCK only), as POST /api/test/clock. */
  clock: ['admin'],
} satisfies Record<string, [Role, ...Role[]]>;
