import { requestJson } from '../session/api';

/**
 * Cases (libs/intake):
 *   POST /api/applications, multipart: part "application" = the request as JSON, each
 *        document's scan in the part its `file` names (document-0, document-1, …)
 *        → 201 { id, applicationNumber, processInstanceKey } · 400 details.fields
 *   POST /api/cases/:id/attestation, multipart: part "attestation" = {typedName, consent, method},
 *        part "scan" = the scanned signed paper form → 201 { id, dataHash, … }
 */
export interface RecordedApplication {
  id: string;
  applicationNumber: string;
  processInstanceKey: string;
}

export interface AttachedFile {
  /** The multipart part, as the document's `file` names it. */
  part: string;
  file: File;
}

export function submitApplication(application: Record<string, unknown>, files: AttachedFile[]): Promise<RecordedApplication> {
  const body = new FormData();
  body.append('application', JSON.stringify(application));
  for (const { part, file } of files) body.append(part, file, file.name);
  return requestJson<RecordedApplication>('/api/applications', { method: 'POST', body });
}

export interface RecordedAttestation {
  id: string;
  dataHash: string;
}

/** S4: the applicant's signature on paper, recorded by reception with its scan. */
export function recordPaperAttestation(caseId: string, typedName: string, scan: File): Promise<RecordedAttestation> {
  const body = new FormData();
  body.append('attestation', JSON.stringify({ typedName, consent: true, method: 'paper' }));
  body.append('scan', scan, scan.name);
  return requestJson<RecordedAttestation>(`/api/cases/${encodeURIComponent(caseId)}/attestation`, { method: 'POST', body });
}

/** Files staff may attach: what a browser opens safely (the server checks the content too). */
export const ACCEPTED_FILES = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

export function isAcceptedFile(file: Pick<File, 'name' | 'type'>): boolean {
  if (['application/pdf', 'image/jpeg', 'image/png'].includes(file.type)) return true;
  return !file.type && /\.(pdf|jpe?g|png)$/i.test(file.name);
}
