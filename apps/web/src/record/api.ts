import { requestJson } from '../session/api';
import type { LocalisedName } from '../tasks/api';

/**
 * A case's record for the staff who work it (libs/tasks/src/record):
 *   GET /api/cases/:id/record → CaseRecord, oldest first
 */
export interface RecordField {
  key: string;
  label: LocalisedName;
  value: unknown;
  /** The chosen options' labels (radio, select, checklist). */
  choice?: LocalisedName[];
  type: string;
}

interface Who {
  at: string;
  actor: string;
  actorName?: string;
}

export type RecordEntry =
  | ({ kind: 'submitted'; channel: { code: string; name?: LocalisedName }; documents: string[]; notes?: string } & Who)
  | ({ kind: 'step'; elementId: string; element: LocalisedName; fields: RecordField[] } & Who)
  | ({ kind: 'documents'; documents: string[] } & Who)
  | ({ kind: 'attestation'; method?: string } & Who)
  | { kind: 'notice'; at: string; notice: string; subject: LocalisedName; body: LocalisedName; via: string; state: 'pending' | 'sent' | 'delivered' | 'failed'; to?: string };

export interface CaseRecord {
  case: { id: string; applicationNumber: string };
  entries: RecordEntry[];
}

export function fetchCaseRecord(caseId: string): Promise<CaseRecord> {
  return requestJson<CaseRecord>(`/api/cases/${encodeURIComponent(caseId)}/record`);
}
