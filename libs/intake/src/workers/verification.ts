import { checkNationalId } from '../applications/national-id';
import { DOCUMENT_NAMES, type DocumentType, REQUIRED_DOCUMENTS, type SupportType } from '../applications/vocabulary';

export interface VerifiedDocument {
  type: string;
  number: string;
  /** YYYY-MM-DD or null */
  expiryDate: string | null;
  /** The day (Riyadh) it was provided: the day its validity is judged on. */
  providedOn: string;
}

export interface Verification {
  complete: boolean;
  /** Document types still needed. */
  missing: string[];
  /** What is wrong, in words for the officer and the applicant. */
  problems: string[];
  /** Other open cases for the same ID number. */
  duplicateOpenCases: string[];
  submissionDate: string;
}

/**
 * The problems are words for the officer and the applicant, and travel in the process's
 * variables and notices: they name documents and dates, never the numbers on them.
 *
 * S2: is the request complete, and is every document valid at the time it was submitted?
 * A document counts when it had not expired on the day it was provided — never judged by
 * today's date, so a card that expires while the case waits does not undo a valid request.
 */
export function verifyApplication(input: {
  nationalId: string;
  supportType: SupportType;
  submissionDate: string;
  documents: VerifiedDocument[];
  duplicateOpenCases: string[];
}): Verification {
  const problems: string[] = [];
  const id = checkNationalId(input.nationalId);
  if (!id.valid) problems.push(`The ID number ${id.reason}`);
  const identity: DocumentType = input.nationalId.startsWith('2') ? 'iqama' : 'national-id';
  const required: DocumentType[] = [identity, ...REQUIRED_DOCUMENTS[input.supportType]];
  const satisfied = new Set<string>();
  for (const doc of input.documents) {
    const name = DOCUMENT_NAMES[doc.type as DocumentType]?.en ?? doc.type;
    if (doc.expiryDate && doc.expiryDate < doc.providedOn) {
      problems.push(`The ${name} expired on ${doc.expiryDate}, before it was submitted on ${doc.providedOn}`);
      continue;
    }
    if (doc.type === identity && doc.number !== input.nationalId) {
      problems.push(`The ${name}'s number does not match the request's ID number`);
      continue;
    }
    satisfied.add(doc.type);
  }
  const missing = required.filter((t) => !satisfied.has(t));
  return {
    complete: missing.length === 0 && problems.length === 0,
    missing,
    problems,
    duplicateOpenCases: input.duplicateOpenCases,
    submissionDate: input.submissionDate,
  };
}
