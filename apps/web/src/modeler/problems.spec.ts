import { describe, expect, it } from 'vitest';
import { ApiError } from '../session/api';
import { hasErrors, problemsFromIssues, problemsOf, serverProblems } from './problems';

describe('lint problems in one shape', () => {
  it('flattens the canvas lint (grouped by element), errors first, infos dropped, rule failures as errors', () => {
    const problems = problemsFromIssues({
      Task_B: [{ id: 'Task_B', message: 'Element is missing label/name', category: 'warn', rule: 'label-required' }],
      Task_A: [
        { id: 'Task_A', message: 'Task_A has no job type, so no worker would ever do it', category: 'error', rule: 'mustafid/known-job-types' },
        { id: 'Task_A', message: 'fyi', category: 'info', rule: 'x' },
      ],
      Process_1: [{ id: 'Process_1', actualElementId: 'Flow_9', message: 'broken rule', category: 'rule-error', rule: 'camunda-compat/feel' }],
    });
    expect(problems).toEqual([
      { elementId: 'Flow_9', rule: 'camunda-compat/feel', message: 'broken rule', severity: 'error' },
      { elementId: 'Task_A', rule: 'mustafid/known-job-types', message: 'Task_A has no job type, so no worker would ever do it', severity: 'error' },
      { elementId: 'Task_B', rule: 'label-required', message: 'Element is missing label/name', severity: 'warning' },
    ]);
    expect(hasErrors(problems)).toBe(true);
    expect(hasErrors(problems.filter((p) => p.severity === 'warning'))).toBe(false);
  });

  it("reads the server's lint and a refused deployment's problems", () => {
    expect(serverProblems({ errors: [{ elementId: 'T', rule: 'r', message: 'm' }], warnings: [{ rule: 'w', message: 'n' }] })).toEqual([
      { elementId: 'T', rule: 'r', message: 'm', severity: 'error' },
      { rule: 'w', message: 'n', severity: 'warning' },
    ]);
    const refused = new ApiError(400, 'INVALID_BPMN', 'The diagram cannot be deployed', {
      problems: [{ elementId: 'Task_VerifyData', rule: 'mustafid/known-job-types', message: 'no job type' }, { rule: 'unsupported', message: 'x' }, 'junk'],
    });
    expect(problemsOf(refused)).toEqual([
      { rule: 'unsupported', message: 'x', severity: 'error' },
      { elementId: 'Task_VerifyData', rule: 'mustafid/known-job-types', message: 'no job type', severity: 'error' },
    ]);
    expect(problemsOf(new ApiError(409, 'CONFLICT', 'taken'))).toEqual([]);
    expect(problemsOf(new Error('x'))).toEqual([]);
  });
});
