import type { TimelineChanges, TimelineEntry } from './api';

/**
 * The actions the timeline names in words (their strings: `audit.actions.<key>` in both
 * language files); any other action is shown as the server wrote it.
 */
export const ACTION_KEYS = {
  'application.submitted': 'applicationSubmitted',
  'case.read': 'caseRead',
  'cases.listed': 'casesListed',
  'case.history.read': 'caseHistoryRead',
  'case.path.read': 'casePathRead',
  'case.record.read': 'caseRecordRead',
  'case.notifications.read': 'caseNotificationsRead',
  'document.read': 'documentRead',
  'documents.provided': 'documentsProvided',
  'attestation.recorded': 'attestationRecorded',
  'attestation.voided': 'attestationVoided',
  'applicant.changed': 'applicantChanged',
  'task.claimed': 'taskClaimed',
  'task.unclaimed': 'taskUnclaimed',
  'task.assigned': 'taskAssigned',
  'task.scheduled': 'taskScheduled',
  'task.completed': 'taskCompleted',
  'auth.login': 'authLogin',
  'retention.anonymised': 'retentionAnonymised',
  'engine.ELEMENT_ACTIVATED': 'elementActivated',
  'engine.ELEMENT_COMPLETED': 'elementCompleted',
  'engine.SEQUENCE_FLOW_TAKEN': 'sequenceFlowTaken',
  'engine.JOB_CREATED': 'jobCreated',
  'engine.JOB_COMPLETED': 'jobCompleted',
  'engine.TIMER_CREATED': 'timerCreated',
  'engine.TIMER_TRIGGERED': 'timerTriggered',
  'engine.MESSAGE_CORRELATED': 'messageCorrelated',
  'engine.USER_TASK_CREATED': 'userTaskCreated',
  'engine.USER_TASK_COMPLETED': 'userTaskCompleted',
  'engine.INCIDENT_CREATED': 'incidentCreated',
  'engine.VARIABLE_SET': 'variableSet',
  'engine.ELEMENT_TERMINATED': 'elementTerminated',
  'engine.JOB_ACTIVATED': 'jobActivated',
  'engine.JOB_FAILED': 'jobFailed',
  'engine.JOB_OUTCOME_REFUSED': 'jobOutcomeRefused',
  'engine.JOB_CANCELED': 'jobCanceled',
  'engine.JOB_ERROR_THROWN': 'jobErrorThrown',
  'engine.ERROR_THROWN': 'errorThrown',
  'engine.TIMER_CANCELED': 'timerCanceled',
  'engine.USER_TASK_ASSIGNED': 'userTaskAssigned',
  'engine.USER_TASK_UPDATED': 'userTaskUpdated',
  'engine.USER_TASK_CANCELED': 'userTaskCanceled',
  'engine.INCIDENT_RESOLVED': 'incidentResolved',
  'engine.MESSAGE_SUBSCRIPTION_CREATED': 'messageSubscriptionCreated',
  'engine.SIGNAL_SUBSCRIPTION_CREATED': 'signalSubscriptionCreated',
  'engine.SIGNAL_TRIGGERED': 'signalTriggered',
  'engine.SIGNAL_BROADCASTED': 'signalBroadcasted',
  'engine.ESCALATION_NOT_CAUGHT': 'escalationNotCaught',
  'engine.DECISION_EVALUATED': 'decisionEvaluated',
  'engine.COMPENSATION_SUBSCRIPTION_CREATED': 'compensationRecorded',
  'engine.COMPENSATION_SUBSCRIPTION_TRIGGERED': 'compensationStarted',
  'engine.COMPENSATION_SUBSCRIPTION_COMPLETED': 'compensationDone',
  'engine.COMPENSATION_SUBSCRIPTION_DELETED': 'compensationDropped',
  'engine.PROCESS_DEPLOYED': 'processDeployed',
  'engine.PROCESS_DELETED': 'processDeleted',
} as const;

export type ActionKey = (typeof ACTION_KEYS)[keyof typeof ACTION_KEYS];

export function actionKey(action: string): ActionKey | undefined {
  return Object.hasOwn(ACTION_KEYS, action) ? ACTION_KEYS[action as keyof typeof ACTION_KEYS] : undefined;
}

/** The engine's own bookkeeping, as against what people did. */
export const isEngineAction = (action: string) => action.startsWith('engine.');

export interface TimelineFilter {
  /** Show every engine event; otherwise only element completions among them. */
  showEngine: boolean;
  /** Only the entries of this element (a step, gateway, event or flow). */
  elementId?: string | null;
}

export function visibleEntries(timeline: readonly TimelineEntry[], filter: TimelineFilter): TimelineEntry[] {
  return timeline.filter((entry) => {
    if (filter.elementId && entry.elementId !== filter.elementId) return false;
    if (!filter.showEngine && isEngineAction(entry.action) && entry.action !== 'engine.ELEMENT_COMPLETED') return false;
    return true;
  });
}

export interface ValueChange {
  name: string;
  /** Absent when the variable had no value before. */
  before?: string;
  after?: string;
}

const MAX_VALUE = 120;

/** A variable's value as one short line. */
export function writeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * What a step changed: for a task completion the variables whose value differs (before →
 * after), else the names the server listed.
 */
export function valueChanges(changes: TimelineChanges | undefined): ValueChange[] {
  if (!changes) return [];
  if (changes.before || changes.after) {
    const before = changes.before ?? {};
    const after = changes.after ?? {};
    const names = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    return names
      .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
      .map((name) => ({
        name,
        ...(Object.hasOwn(before, name) ? { before: writeValue(before[name]) } : {}),
        ...(Object.hasOwn(after, name) ? { after: writeValue(after[name]) } : {}),
      }));
  }
  return (changes.names ?? []).map((name) => ({ name }));
}

/** The elements the timeline mentions, in the order first met, with their names. */
export function timelineElements(timeline: readonly TimelineEntry[]): Array<{ elementId: string; name?: { ar?: string; en?: string } }> {
  const seen = new Map<string, { ar?: string; en?: string } | undefined>();
  for (const entry of timeline) {
    if (!entry.elementId) continue;
    if (!seen.has(entry.elementId) || (!seen.get(entry.elementId) && entry.element)) seen.set(entry.elementId, entry.element);
  }
  return [...seen].map(([elementId, name]) => ({ elementId, ...(name ? { name } : {}) }));
}
