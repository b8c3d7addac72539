import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectLint } from './project-lint';

// The real intake diagram, and the facts the intake module declares at start.
const intake = readFileSync(join(__dirname, '..', '..', '..', 'bpmn', 'beneficiary-intake.bpmn'), 'utf8');
const JOB_TYPES = ['verify-data', 'refer-researcher', 'notify-applicant', 'record-committee-decision', 'complete-registration', 'send-survey', 'remind-committee-chair'];

function projectLint(): ProjectLint {
  const lint = new ProjectLint();
  lint.declareJobTypes(JOB_TYPES);
  lint.guardMinimumResponse('beneficiary-intake');
  return lint;
}

async function ownErrors(xml: string) {
  const { errors } = await projectLint().check(xml);
  return errors.filter((e) => e.rule.startsWith('mustafid/'));
}

function replaceOnce(xml: string, from: string, to: string): string {
  expect(xml.split(from)).toHaveLength(2);
  return xml.replace(from, to);
}

describe('the project lint rules (bpmnlint-plugin-mustafid)', () => {
  it('pass the intake diagram as shipped, with no error of any rule', async () => {
    const { errors } = await projectLint().check(intake);
    expect(errors).toEqual([]);
  });

  it('hand the browser the same configuration the server lints with', () => {
    const { camundaTarget, config } = projectLint().context();
    expect(camundaTarget).toBe('camunda-cloud-8-8');
    expect(config.extends).toEqual(['bpmnlint:correctness', 'plugin:camunda-compat/camunda-cloud-8-8']);
    expect(config.rules['mustafid/known-job-types']).toEqual(['error', { jobTypes: [...JOB_TYPES].sort() }]);
    expect(config.rules['mustafid/known-candidate-groups']).toEqual(['error', { roles: expect.arrayContaining(['committee', 'committee-chair', 'reception']) }]);
    expect(config.rules['mustafid/minimum-response-timer']).toEqual(['error', { processIds: ['beneficiary-intake'] }]);
  });

  it('refuse a candidate group that is not a role, naming the task and the group', async () => {
    const xml = replaceOnce(intake, 'candidateGroups="committee-chair"', 'candidateGroups="committee-chairman"');
    expect(await ownErrors(xml)).toEqual([
      expect.objectContaining({ rule: 'mustafid/known-candidate-groups', message: expect.stringContaining('"committee-chairman"') }),
    ]);
  });

  it('refuse a service task whose job type no worker handles, and one with no job type at all', async () => {
    const renamed = replaceOnce(intake, 'type="verify-data"', 'type="verify-everything"');
    expect(await ownErrors(renamed)).toEqual([
      expect.objectContaining({ elementId: 'Task_VerifyData', rule: 'mustafid/known-job-types', message: expect.stringContaining('"verify-everything"') }),
    ]);
    const removed = replaceOnce(intake, '<zeebe:taskDefinition type="complete-registration" retries="3" />', '');
    const errors = await ownErrors(removed);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: 'mustafid/known-job-types', message: expect.stringContaining('has no job type') });
  });

  it('refuse an intake process whose decision can go out before the minimum response period', async () => {
    // The decision gateway follows the signature directly: the committee review, and its timer, are bypassed.
    const bypass = replaceOnce(
      intake,
      'id="Flow_ToDecision" sourceRef="SubProcess_CommitteeReview"',
      'id="Flow_ToDecision" sourceRef="Task_Attestation"',
    );
    const errors = await ownErrors(bypass);
    expect(errors.map((e) => e.elementId).sort()).toEqual(['Task_NotifyAccepted', 'Task_NotifyRejected']);
    expect(errors[0]).toMatchObject({ rule: 'mustafid/minimum-response-timer', message: expect.stringContaining('before the minimum response period') });

    // A join that no longer waits for the timer still cannot end the review early: the
    // timer's token keeps the subprocess open until it fires.
    const exclusiveJoin = intake
      .replace('<bpmn:parallelGateway id="Gateway_CommitteeJoin">', '<bpmn:exclusiveGateway id="Gateway_CommitteeJoin">')
      .replace(/(<bpmn:exclusiveGateway id="Gateway_CommitteeJoin">[\s\S]*?)<\/bpmn:parallelGateway>/, '$1</bpmn:exclusiveGateway>');
    expect(exclusiveJoin).not.toBe(intake);
    expect(await ownErrors(exclusiveJoin)).toEqual([]);

    // The timer no longer waits for the policy's period at all.
    const noTimer = replaceOnce(intake, '>=minimumResponsePeriod</bpmn:timeDuration>', '>PT1M</bpmn:timeDuration>');
    expect(await ownErrors(noTimer)).toEqual([
      expect.objectContaining({ elementId: 'beneficiary-intake', rule: 'mustafid/minimum-response-timer', message: expect.stringContaining('no minimum-response timer') }),
    ]);
  });

  it('leave processes it does not guard alone', async () => {
    const lint = new ProjectLint();
    lint.declareJobTypes(JOB_TYPES);
    const noTimer = replaceOnce(intake, '>=minimumResponsePeriod</bpmn:timeDuration>', '>PT1M</bpmn:timeDuration>');
    const { errors } = await lint.check(noTimer);
    expect(errors.filter((e) => e.rule === 'mustafid/minimum-response-timer')).toEqual([]);
  });
});
