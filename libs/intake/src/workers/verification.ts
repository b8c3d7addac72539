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
  /** What is wrong, in words for the officer and the applicant (English). */
  problems: string[];
  /** The same problems in Arabic, in the same order. */
  problemsAr: string[];
  /**
   * The check in one sentence each language, for the officer's form: the missing documents by
   * name and the problems, or that all is complete (never codes or raw lists).
   */
  summary: { ar: string; en: string };
  /** Other open cases for the same ID number. */
  duplicateOpenCases: string[];
  /** Their application numbers as one line, for the officer's form. */
  duplicateList: string;
  submissionDate: string;
}

/** checkNationalId's reasons in Arabic. */
const ID_REASONS_AR: Record<string, string> = {
  'must be exactly 10 digits': 'رقم الهوية يجب أن يكون عشرة أرقام',
  'must start with 1 (national ID of a citizen) or 2 (iqama of a resident)': 'رقم الهوية يبدأ بـ1 (هوية وطنية) أو 2 (إقامة)',
  'has a wrong check digit (the last digit does not match the others): please re-type it from the card': 'رقم الهوية فيه خانة تحقق خاطئة (الرقم الأخير لا يوافق بقية الأرقام): يُعاد إدخاله من البطاقة',
};

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
  const problemsAr: string[] = [];
  const id = checkNationalId(input.nationalId);
  if (!id.valid) {
    problems.push(`The ID number ${id.reason}`);
    problemsAr.push(ID_REASONS_AR[id.reason] ?? 'رقم الهوية غير صحيح');
  }
  const identity: DocumentType = input.nationalId.startsWith('2') ? 'iqama' : 'national-id';
  const required: DocumentType[] = [identity, ...REQUIRED_DOCUMENTS[input.supportType]];
  const satisfied = new Set<string>();
  for (const doc of input.documents) {
    const name = DOCUMENT_NAMES[doc.type as DocumentType]?.en ?? doc.type;
    const nameAr = DOCUMENT_NAMES[doc.type as DocumentType]?.ar ?? doc.type;
    if (doc.expiryDate && doc.expiryDate < doc.providedOn) {
      problems.push(`The ${name} expired on ${doc.expiryDate}, before it was submitted on ${doc.providedOn}`);
      problemsAr.push(`انتهت صلاحية ${nameAr} في ${doc.expiryDate} قبل تقديمها في ${doc.providedOn}`);
      continue;
    }
    if (doc.type === identity && doc.number !== input.nationalId) {
      problems.push(`The ${name}'s number does not match the request's ID number`);
      problemsAr.push(`رقم ${nameAr} لا يطابق رقم الهوية في الطلب`);
      continue;
    }
    satisfied.add(doc.type);
  }
  const missing = required.filter((t) => !satisfied.has(t));
  const complete = missing.length === 0 && problems.length === 0;
  return {
    complete,
    missing,
    problems,
    problemsAr,
    summary: complete
      ? { ar: 'البيانات والمستندات مكتملة وصالحة في تاريخ التقديم.', en: 'The data and documents are complete and valid on the submission date.' }
      : {
          ar: [
            missing.length ? `ينقص: ${missing.map((t) => DOCUMENT_NAMES[t]?.ar ?? t).join('، ')}.` : '',
            problemsAr.length ? `${problemsAr.join('؛ ')}.` : '',
          ]
            .filter(Boolean)
            .join(' '),
          en: [missing.length ? `Missing: ${missing.map((t) => DOCUMENT_NAMES[t]?.en ?? t).join(', ')}.` : '', problems.length ? `${problems.join('; ')}.` : '']
            .filter(Boolean)
            .join(' '),
        },
    duplicateOpenCases: input.duplicateOpenCases,
    duplicateList: input.duplicateOpenCases.join('، '),
    submissionDate: input.submissionDate,
  };
}
