import type { AttachedFile, RecordedApplication } from '../cases/api';
import { postJson, requestJson, type CurrentUser } from '../session/api';

/**
 * The applicant portal (libs/intake/src/portal, channel C7):
 *   POST /api/portal/sign-in/code {mobile}        → 202 { sentTo, expiresAt } · 429
 *   POST /api/portal/sign-in {mobile, code}       → 200 { user } + session cookie · 401 INVALID_CODE / CODE_EXPIRED · 429
 *   GET  /api/portal/demo/sign-in-codes?mobile=   → the sign-in notices in the outbox (demo setting only; 404 otherwise)
 *   GET  /api/portal/me, /requests, /requests/:id; POST /requests (multipart like staff intake),
 *        /requests/:id/documents, /requests/:id/attestation {typedName, consent, dataHash}, /requests/:id/survey
 * The one-time survey link (no session): GET /api/survey/invitations/:token, POST /api/survey/answers.
 */
export type Stage =
  | 'checking'
  | 'missing-documents'
  | 'researcher'
  | 'signature'
  | 'committee'
  | 'decision'
  | 'registration'
  | 'service'
  | 'survey'
  | 'in-progress'
  | 'closed-incomplete'
  | 'rejected'
  | 'completed'
  | 'cancelled';

export interface RequestSummary {
  id: string;
  applicationNumber: string;
  status: string;
  stage: Stage;
  supportType: string;
  submittedAt: string;
  earliestAnswerAt?: string;
}

export interface Message {
  id: string;
  notice: string;
  subject: { ar: string; en: string };
  body: { ar: string; en: string };
  sentAt: string;
}

export interface RequestDetail extends RequestSummary {
  /** problemsAr: the same problems in Arabic. */
  missing?: { documents: string[]; problems: string[]; problemsAr?: string[] };
  documents: Array<{ id: string; type: string; number: string; fileName?: string | null; providedAt: string }>;
  awaitingSignature: boolean;
  attestation: { method: string; signedAt: string } | null;
  decision?: { decision: 'accepted' | 'rejected'; reasons: string; communicatedAt: string };
  beneficiaryNumber?: string;
  messages: Message[];
  survey: { open: boolean; answered: boolean; closesAt?: string };
}

export interface DataToSign {
  awaitingSignature: boolean;
  fullName: string;
  dataHash: string;
  data: {
    applicationNumber: string;
    fullName: string;
    nationalId: string;
    birthDate: string;
    mobile: string;
    email?: string | null;
    city: string;
    address: string;
    householdMembers: Array<{ fullName: string; relation: string; birthDate?: string }>;
    monthlyIncome: string;
    supportType: string;
    documents: Array<{ type: string; number: string; expiryDate?: string | null }>;
  };
}

export interface SurveyAnswer {
  overall: number;
  clarity: number;
  timeTaken: number;
  courtesy: number;
  comment?: string;
}

const path = (id: string) => `/api/portal/requests/${encodeURIComponent(id)}`;

export const askCode = (mobile: string) => postJson<{ sentTo: string; expiresAt: string }>('/api/portal/sign-in/code', { mobile });
export const signInWithCode = (mobile: string, code: string) => postJson<{ user: CurrentUser }>('/api/portal/sign-in', { mobile, code }).then((r) => r.user);
export const demoNotices = (mobile: string) =>
  requestJson<Array<{ id: string; body: { ar: string; en: string }; used: boolean }>>(`/api/portal/demo/sign-in-codes?mobile=${encodeURIComponent(mobile)}`);
export const portalMe = () => requestJson<{ username: string; mobile: string }>('/api/portal/me');
export const listRequests = () => requestJson<RequestSummary[]>('/api/portal/requests');
export const requestDetail = (id: string) => requestJson<RequestDetail>(path(id));
export const dataToSign = (id: string) => requestJson<DataToSign>(`${path(id)}/attestation`);
export const sign = (id: string, typedName: string, dataHash: string) => postJson<{ signedAt: string }>(`${path(id)}/attestation`, { typedName, consent: true, dataHash });
export const answerSurvey = (id: string, answer: SurveyAnswer) => postJson<{ answeredAt: string }>(`${path(id)}/survey`, answer);
export const surveyInvitation = (token: string) =>
  requestJson<{ applicationNumber: string; expiresAt: string; used: boolean; answered: boolean }>(`/api/survey/invitations/${encodeURIComponent(token)}`);
export const answerSurveyLink = (applicationNumber: string, token: string, answer: SurveyAnswer) =>
  postJson<{ answeredAt: string }>('/api/survey/answers', { ...answer, applicationNumber, token });

export function submitPortalRequest(application: Record<string, unknown>, files: AttachedFile[]): Promise<RecordedApplication> {
  const body = new FormData();
  body.append('application', JSON.stringify(application));
  for (const { part, file } of files) body.append(part, file, file.name);
  return requestJson<RecordedApplication>('/api/portal/requests', { method: 'POST', body });
}

export function provideDocuments(id: string, documents: Array<{ type: string; number: string; expiryDate?: string; file: string }>, files: AttachedFile[]) {
  const body = new FormData();
  body.append('documents', JSON.stringify(documents));
  for (const { part, file } of files) body.append(part, file, file.name);
  return requestJson<{ added: number }>(`${path(id)}/documents`, { method: 'POST', body });
}
