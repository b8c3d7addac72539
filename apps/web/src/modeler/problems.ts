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

/**
 * Lint findings in Arabic (issue 19 point 4), by rule: bpmnlint's rules, Camunda's compatibility
 * rules and the project's own. The quoted name an English message carries (a job type, a
 * group) is kept. A rule without words here shows its English message.
 */
const LINT_ARABIC: Readonly<Record<string, string>> = {
  'label-required': 'العنصر بلا اسم: سمِّه ليُعرف في القوائم والسجل.',
  'no-disconnected': 'العنصر غير متصل بأي مسار.',
  'start-event-required': 'العملية بلا حدث بداية.',
  'end-event-required': 'العملية بلا حدث نهاية.',
  'no-implicit-split': 'يتفرّع المسار دون بوابة: استعمل بوابة صريحة.',
  'no-implicit-start': 'عنصر يبدأ دون مسار داخل إليه.',
  'no-implicit-end': 'عنصر ينتهي دون مسار خارج منه.',
  'fake-join': 'يندمج أكثر من مسار في مهمة دون بوابة.',
  'no-gateway-join-fork': 'بوابة تدمج وتفرّع معًا: افصلهما في بوابتين.',
  'no-complex-gateway': 'البوابة المعقّدة غير مدعومة.',
  'single-blank-start-event': 'في العملية أكثر من حدث بداية عادي.',
  'single-event-definition': 'الحدث يحمل أكثر من تعريف.',
  'superfluous-gateway': 'بوابة زائدة: مسار داخل واحد ومسار خارج واحد.',
  'superfluous-termination': 'حدث إنهاء زائد.',
  'conditional-flows': 'مسار خارج من بوابة بلا شرط ولا هو المسار الافتراضي.',
  'no-duplicate-sequence-flows': 'مساران مكرّران بين العنصرين نفسيهما.',
  'no-overlapping-elements': 'عناصر متراكبة في الرسم.',
  'sub-process-blank-start-event': 'العملية الفرعية تبدأ بحدث غير عادي.',
  'event-sub-process-typed-start-event': 'العملية الفرعية الحدثية تحتاج حدث بداية محدد النوع.',
  'link-event': 'حدث الربط بلا نظير أو باسم مكرّر.',
  'no-bpmndi': 'عنصر بلا رسم في المخطط.',
  'known-candidate-groups': 'المجموعات المرشّحة للمهمة ليست أدوارًا معروفة، أو لا مجموعات لها: لن تظهر في قائمة مهام أحد.',
  'known-job-types': 'لا منفّذ مسجّل لنوع هذه المهمة الآلية: لن يؤديها أحد.',
  'minimum-response-timer': 'قد يُبلَّغ القرار قبل مضيّ الحد الأدنى لمدة الرد (السياسة S5).',
  'called-element': 'استدعاء العملية بلا معرّف العملية المستدعاة.',
  'element-type': 'هذا النوع من العناصر لا يعمل على نسخة Camunda المستهدفة.',
  'feel': 'تعبير FEEL غير صحيح.',
  'timer': 'المؤقّت غير صالح: المدة أو التاريخ أو الدورة بصيغة ISO 8601.',
  'user-task-form': 'نموذج المهمة غير محدد أو غير صالح.',
  'task-definition': 'المهمة الآلية بلا نوع.',
  'no-candidate-users': 'المستخدمون المرشّحون غير مدعومين هنا.',
  'error-reference': 'الخطأ غير معرّف أو بلا رمز.',
  'message-reference': 'الرسالة غير معرّفة أو بلا اسم.',
  'escalation-reference': 'التصعيد غير معرّف أو بلا رمز.',
  'loop-characteristics': 'تعدد النسخ بلا مجموعة مدخلات.',
  'subscription': 'الرسالة بلا مفتاح ربط.',
  'start-event-form': 'نموذج حدث البداية غير مدعوم هنا.',
  'history-time-to-live': 'مدة الاحتفاظ بالسجل غير محددة.',
  'implementation': 'المهمة بلا تنفيذ.',
  'inclusive-gateway': 'البوابة الشاملة غير مدعومة على هذه النسخة.',
  'duplicate-task-headers': 'ترويسة مكرّرة في المهمة.',
  'no-expression': 'تعبير غير مدعوم هنا.',
  'no-loop': 'حلقة في المسار بلا مخرج.',
  'no-propagate-all-parent-variables': 'تمرير كل متغيرات العملية الأم غير مدعوم هنا.',
  'no-task-schedule': 'مواعيد المهمة غير مدعومة على هذه النسخة.',
  'no-zeebe-user-task': 'المهمة تحتاج أن تكون مهمة مستخدم من Zeebe.',
  'secrets': 'الأسرار تُكتب بصيغة {{secrets.NAME}}.',
};

/** The finding in the language asked: Arabic by its rule (with the quoted name it carries), else its English. */
export function lintMessage(problem: Pick<Problem, 'rule' | 'message'>, language: 'ar' | 'en'): { text: string; translated: boolean } {
  if (language !== 'ar') return { text: problem.message, translated: false };
  const rule = problem.rule.slice(problem.rule.lastIndexOf('/') + 1);
  const words = Object.hasOwn(LINT_ARABIC, rule) ? LINT_ARABIC[rule] : undefined;
  if (!words) return { text: problem.message, translated: false };
  const quoted = /"([^"]+)"/.exec(problem.message)?.[1];
  return { text: quoted ? `${words} («${quoted}»)` : words, translated: true };
}
