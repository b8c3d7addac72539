import { ApiError } from '../session/api';
import type { Problem } from './api';

/**
 * Lint findings in one shape, whether from the canvas's live lint (bpmn-js-bpmnlint's
 * `linting.completed`) or from the server (POST /api/modeling/lint, a 400 INVALID_BPMN).
 */
export type Severity = 'error' | 'warning';

export interface LintProblem extends Problem {
  severity: Severity;
}

/** One report as bpmn-js-bpmnlint gives it, grouped by the element it is shown on. */
export interface CanvasIssue {
  id: string;
  message: string;
  category: string;
  rule?: string;
  /** Set when the report is about an element not drawn (shown on the process instead). */
  actualElementId?: string;
}

/** `linting.completed` issues → problems, errors first, then by element. A rule that failed to run counts as an error. */
export function problemsFromIssues(issues: Record<string, CanvasIssue[]>): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const reports of Object.values(issues)) {
    for (const report of reports) {
      if (report.category === 'info') continue;
      problems.push({
        elementId: report.actualElementId ?? report.id,
        rule: report.rule ?? '',
        message: report.message,
        severity: report.category === 'warn' ? 'warning' : 'error',
      });
    }
  }
  return sortProblems(problems);
}

export function sortProblems(problems: LintProblem[]): LintProblem[] {
  return [...problems].sort(
    (a, b) =>
      Number(a.severity === 'warning') - Number(b.severity === 'warning') ||
      (a.elementId ?? '').localeCompare(b.elementId ?? '') ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

/** The server's lint answer as problems. */
export function serverProblems(result: { errors: Problem[]; warnings: Problem[] }): LintProblem[] {
  return sortProblems([
    ...result.errors.map((p) => ({ ...p, severity: 'error' as const })),
    ...result.warnings.map((p) => ({ ...p, severity: 'warning' as const })),
  ]);
}

/** details.problems of a 400 INVALID_BPMN (the server refused to deploy or lint); [] otherwise. */
export function problemsOf(error: unknown): LintProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details.problems)) return [];
  return sortProblems(
    (error.details.problems as unknown[])
      .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
      .map((p) => ({
        ...(typeof p.elementId === 'string' ? { elementId: p.elementId } : {}),
        rule: typeof p.rule === 'string' ? p.rule : '',
        message: typeof p.message === 'string' ? p.message : String(p.message ?? ''),
        severity: 'error' as const,
      })),
  );
}

export const hasErrors = (problems: readonly LintProblem[]) => problems.some((p) => p.severity === 'error');
