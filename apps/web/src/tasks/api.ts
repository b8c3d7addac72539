import { postJson, request, requestJson, toApiError } from '../session/api';
import type { FormSchema } from './formSchema';
import { taskQuery, type TaskFilters } from './filters';

/**
 * The staff task list (libs/tasks, /api/tasks):
 *   GET  /api/tasks?mine|myGroups&state&overdue&case&sort&order&limit&cursor → TaskPage
 *   GET  /api/tasks/counts → TaskCounts
 *   GET  /api/tasks/:key → TaskDetail
 *   POST /api/tasks/:key/claim | /unclaim → Task
 *   POST /api/tasks/:key/complete {variables, version} → Task
 *     400 VALIDATION_FAILED details.fields · 409 TASK_HELD | STALE_TASK | TASK_COMPLETED | TASK_CANCELLED | ALREADY_VOTED
 */
export interface LocalisedName {
  ar?: string;
  en?: string;
}

export interface Task {
  key: string;
  elementId: string;
  name: LocalisedName;
  caseId?: string;
  caseNumber?: string;
  assignee?: string;
  candidateGroups: string[];
  formKey?: string;
  dueDate?: string;
  followUpDate?: string;
  overdue: boolean;
  priority: number;
  state: 'open' | 'completed' | 'cancelled';
  createdAt: string;
  completedAt?: string;
  completedBy?: string;
  version: number;
  processInstanceKey: string;
  processDefinitionKey: string;
}

export interface TaskPage {
  items: Task[];
  nextCursor?: string;
}

export interface TaskCounts {
  mine: number;
  myGroups: number;
  overdue: number;
  /** Only for those who see every task. */
  all?: number;
}

export interface CaseDocument {
  id: string;
  type: string;
  number: string;
  expiryDate?: string | null;
  fileName?: string | null;
  mediaType?: string | null;
  sizeBytes?: number | null;
}

export interface CaseStep {
  elementId: string;
  name: LocalisedName;
}

export interface CaseSummaryView {
  id: string;
  applicationNumber: string;
  channel: { code: string; name?: LocalisedName };
  status: string;
  currentSteps: CaseStep[];
  applicant: { fullName: string; nationalId: string; mobile: string; email?: string; city?: string };
  supportType: string;
  submittedAt?: string;
  earliestAnswerAt?: string;
  documents: CaseDocument[];
  attestation?: { typedName: string; method: string; signedAt: string } | null;
  /** The committee's decision, once it has been communicated to the applicant (S5). */
  decision?: { decision: 'accepted' | 'rejected'; reasons: string; decidedAt: string; communicatedAt: string };
  processDefinitionKey?: string;
}

export interface TaskDetail {
  task: Task;
  form: FormSchema | null;
  /** Set when the task is completed through its own endpoint (the applicant's attestation). */
  completeWith?: string;
  variables: Record<string, unknown>;
  case?: CaseSummaryView;
}

export const PAGE_SIZE = 25;

export function fetchTasks(filters: TaskFilters, cursor?: string): Promise<TaskPage> {
  return requestJson<TaskPage>(`/api/tasks?${taskQuery(filters, { limit: PAGE_SIZE, cursor })}`);
}

export function fetchTaskCounts(): Promise<TaskCounts> {
  return requestJson<TaskCounts>('/api/tasks/counts');
}

const taskPath = (key: string) => `/api/tasks/${encodeURIComponent(key)}`;

export function fetchTask(key: string): Promise<TaskDetail> {
  return requestJson<TaskDetail>(taskPath(key));
}

export function claimTask(key: string): Promise<Task> {
  return postJson<Task>(`${taskPath(key)}/claim`);
}

export function unclaimTask(key: string): Promise<Task> {
  return postJson<Task>(`${taskPath(key)}/unclaim`);
}

export function completeTask(key: string, variables: Record<string, unknown>, version: number): Promise<Task> {
  return postJson<Task>(`${taskPath(key)}/complete`, { variables, version });
}

/** The BPMN XML of the deployed version a task belongs to (for the case diagram). */
export async function fetchProcessXml(processDefinitionKey: string): Promise<string> {
  const response = await request(`/api/process-definitions/${encodeURIComponent(processDefinitionKey)}/xml`, {
    headers: { Accept: 'application/xml' },
  });
  if (!response.ok) throw await toApiError(response);
  return response.text();
}
