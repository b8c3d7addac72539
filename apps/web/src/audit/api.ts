import { requestJson } from '../session/api';
import type { CaseStep, LocalisedName } from '../tasks/api';

/**
 * What an auditor reads (libs/audit, libs/intake); nothing here changes anything:
 *   GET /api/cases?q&limit → CaseList (search by application number, name or ID number)
 *   GET /api/cases/:id/path → CasePath (the diagram version, visited elements and flows with counts, current steps, incidents)
 *   GET /api/cases/:id/history → CaseHistory (the timeline); .csv and .json are downloads
 *   GET /api/audit/verify → VerifyResult (the audit log's hash chain recomputed)
 */
export interface CaseListItem {
  id: string;
  applicationNumber: string;
  fullName: string;
  status: string;
  channel: { code: string; name?: LocalisedName };
  submittedAt?: string;
  currentSteps: CaseStep[];
}

export interface CaseList {
  items: CaseListItem[];
  total: number;
}

export interface Incident {
  key: string;
  elementId: string;
  errorType?: string;
  errorMessage?: string;
  createdAt?: string;
}

export interface CasePath {
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  state: string;
  visited: Record<string, number>;
  completed: Record<string, number>;
  flowsTaken: Record<string, number>;
  current: string[];
  incidents: Incident[];
}

export interface TimelineChanges {
  names?: string[];
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export interface TimelineEntry {
  seq: string;
  at: string;
  actor: string;
  action: string;
  elementId?: string;
  element?: LocalisedName;
  changes?: TimelineChanges;
  /** A task completion's fields by their form labels. */
  labels?: Record<string, LocalisedName>;
  details?: Record<string, unknown>;
}

export interface CaseHistory {
  case: { id: string; applicationNumber: string };
  timeline: TimelineEntry[];
}

export type VerifyResult = { ok: true; checked: number; lastSeq?: string | null } | { ok: false; checked: number; seq: string; reason: string };

export const SEARCH_LIMIT = 20;

const casePath = (id: string) => `/api/cases/${encodeURIComponent(id)}`;

export function searchCases(q: string): Promise<CaseList> {
  return requestJson<CaseList>(`/api/cases?${new URLSearchParams({ q, limit: String(SEARCH_LIMIT) }).toString()}`);
}

export function fetchCasePath(id: string): Promise<CasePath> {
  return requestJson<CasePath>(`${casePath(id)}/path`);
}

export function fetchCaseHistory(id: string): Promise<CaseHistory> {
  return requestJson<CaseHistory>(`${casePath(id)}/history`);
}

/** The exports: plain links, the session cookie authenticates the download. */
export function historyExport(id: string, format: 'csv' | 'json'): string {
  return `${casePath(id)}/history.${format}`;
}

export function verifyAuditLog(): Promise<VerifyResult> {
  return requestJson<VerifyResult>('/api/audit/verify');
}
