import { postJson, request, requestJson, toApiError } from '../session/api';
import type { LocalisedName } from '../tasks/api';

/**
 * The process owner's modeling calls (libs/workflow modeling). Errors are ApiError; a 400
 * INVALID_BPMN carries details.problems (see `problemsOf`).
 *   GET  /api/modeling/lint-context                       → LintContext
 *   POST /api/modeling/lint {xml}                         → LintResult
 *   GET  /api/modeling/processes                          → DeployedProcess[]
 *   GET  /api/modeling/processes/:id/versions             → ProcessVersion[] (newest first)
 *   GET  /api/process-definitions/:key/xml                → the XML of a version
 *   GET  /api/process-definitions/:key/elements           → element names per id
 *   GET  /api/modeling/versions/:key/forms                → { forms }
 *   GET|POST /api/modeling/processes/:id/drafts           → DraftSummary[] | Draft
 *   GET|PUT|DELETE /api/modeling/drafts/:id
 *   POST /api/modeling/deployments                        → DeploymentResult
 *   POST /api/modeling/processes/:id/versions/:v/redeploy → DeploymentResult
 */

/** One finding of a lint, the server's or the canvas's. */
export interface Problem {
  elementId?: string;
  rule: string;
  message: string;
}

export interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, unknown>;
}

export interface LintContext {
  camundaTarget: string;
  config: LintConfig;
  /** The largest XML the server deploys (DEPLOYMENT_MAX_BYTES), when it says. */
  maxXmlBytes?: number;
}

export interface LintResult {
  errors: Problem[];
  warnings: Problem[];
}

export interface DeployedProcess {
  bpmnProcessId: string;
  name: string | LocalisedName;
  latestVersion: number;
  latestKey: string;
}

export interface ProcessVersion {
  key: string;
  version: number;
  resourceName: string;
  checksum: string;
  deployedAt: string;
  deployedBy: string;
  comment: string | null;
  instances: { active: number; completed: number; canceled: number } | null;
}

/** A form-js schema: an object with an id and components. */
export type FormSchema = Record<string, unknown>;
export type Forms = Record<string, FormSchema>;

export interface DraftSummary {
  id: string;
  name: string;
  author: string;
  baseVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Draft extends DraftSummary {
  bpmnProcessId: string;
  xml: string;
  forms: Forms | null;
}

export interface DeploymentResult {
  processes: Array<{ key: string; bpmnProcessId: string; version: number; isNewVersion: boolean }>;
  warnings: Problem[];
  forms: Array<{ id: string; version: number; isNewVersion: boolean }>;
}

/** Names of the diagram's elements per id, in both languages. */
export type ElementNames = Record<string, LocalisedName>;

/** Length limits the server enforces; the inputs limit to them too. */
export const NAME_MAX = 120;
export const COMMENT_MAX = 500;
/** DEPLOYMENT_MAX_BYTES' default, used until the server says otherwise. */
export const DEFAULT_MAX_XML_BYTES = 5 * 1024 * 1024;

const enc = encodeURIComponent;

function sendJson<T>(path: string, method: 'PUT' | 'POST', body: unknown): Promise<T> {
  return requestJson<T>(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export const fetchLintContext = () => requestJson<LintContext>('/api/modeling/lint-context');
export const lintOnServer = (xml: string) => postJson<LintResult>('/api/modeling/lint', { xml });
export const fetchProcesses = () => requestJson<DeployedProcess[]>('/api/modeling/processes');
export const fetchVersions = (bpmnProcessId: string) => requestJson<ProcessVersion[]>(`/api/modeling/processes/${enc(bpmnProcessId)}/versions`);
export const fetchElementNames = (key: string) => requestJson<ElementNames>(`/api/process-definitions/${enc(key)}/elements`);
export const fetchVersionForms = (key: string) => requestJson<{ forms: Forms }>(`/api/modeling/versions/${enc(key)}/forms`).then((r) => r.forms ?? {});
export const fetchDrafts = (bpmnProcessId: string) => requestJson<DraftSummary[]>(`/api/modeling/processes/${enc(bpmnProcessId)}/drafts`);
export const fetchDraft = (id: string) => requestJson<Draft>(`/api/modeling/drafts/${enc(id)}`);

export function createDraft(bpmnProcessId: string, body: { name: string; xml: string; forms?: Forms; baseVersion?: number }): Promise<DraftSummary> {
  return sendJson<DraftSummary>(`/api/modeling/processes/${enc(bpmnProcessId)}/drafts`, 'POST', body);
}

export function updateDraft(id: string, body: { name?: string; xml: string; forms?: Forms }): Promise<DraftSummary> {
  return sendJson<DraftSummary>(`/api/modeling/drafts/${enc(id)}`, 'PUT', body);
}

export async function deleteDraft(id: string): Promise<void> {
  const response = await request(`/api/modeling/drafts/${enc(id)}`, { method: 'DELETE' });
  if (!response.ok) throw await toApiError(response);
}

export function deploy(body: { xml: string; comment: string; forms?: Forms; resourceName?: string; draftId?: string }): Promise<DeploymentResult> {
  return sendJson<DeploymentResult>('/api/modeling/deployments', 'POST', body);
}

export function redeploy(bpmnProcessId: string, version: number, comment: string): Promise<DeploymentResult> {
  return sendJson<DeploymentResult>(`/api/modeling/processes/${enc(bpmnProcessId)}/versions/${version}/redeploy`, 'POST', { comment });
}

export async function fetchVersionXml(key: string): Promise<string> {
  const response = await request(`/api/process-definitions/${enc(key)}/xml`, { headers: { Accept: 'application/xml' } });
  if (!response.ok) throw await toApiError(response);
  return response.text();
}
