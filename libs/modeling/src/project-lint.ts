import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mustafid/platform';
import { ROLES } from '@mustafid/auth';
import { CAMUNDA_TARGET, checkDiagram, type CheckedDiagram, LINT_CONFIG, type LintConfig } from '@mustafid/workflow';

/**
 * The lint a process owner's diagram passes before it deploys: the engine's (bpmnlint
 * correctness, camunda-compat for the target Camunda version, what the engine runs) plus the
 * project's own rules (bpmnlint-plugin-mustafid, libs/workflow/bpmnlint-plugin-mustafid),
 * whose facts come from here: the roles, the job types a registered worker handles, and the
 * processes that must keep the policy's minimum response period. The browser lints with the
 * same configuration (GET /api/modeling/lint-context).
 */
@Injectable()
export class ProjectLint {
  constructor(@Optional() @Inject(APP_CONFIG) private readonly appConfig?: AppConfig) {}

  private readonly jobTypes = new Set<string>();
  private readonly minimumResponseProcesses = new Set<string>();

  /** Called by each module that brings workers, whether or not they run in this process. */
  declareJobTypes(types: Iterable<string>): void {
    for (const type of types) this.jobTypes.add(type);
  }

  /** Processes whose decision may go out only after the minimum-response timer (policy S5). */
  guardMinimumResponse(bpmnProcessId: string): void {
    this.minimumResponseProcesses.add(bpmnProcessId);
  }

  config(): Required<LintConfig> {
    return {
      extends: LINT_CONFIG.extends,
      rules: {
        ...LINT_CONFIG.rules,
        'mustafid/known-candidate-groups': ['error', { roles: [...ROLES] }],
        'mustafid/known-job-types': ['error', { jobTypes: [...this.jobTypes].sort() }],
        'mustafid/minimum-response-timer': ['error', { processIds: [...this.minimumResponseProcesses].sort() }],
      },
    };
  }

  context(): { camundaTarget: string; config: Required<LintConfig> } {
    return { camundaTarget: CAMUNDA_TARGET, config: this.config() };
  }

  check(xml: string): Promise<CheckedDiagram> {
    return checkDiagram(xml, this.config(), { minTimerCycleMs: this.appConfig?.engine.minTimerCycleMs ?? 0, core: this.appConfig?.engine.core });
  }
}
