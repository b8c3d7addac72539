import { checkNationalId } from '../../../../libs/intake/src/applications/national-id';
import { isAcceptedFile, type AttachedFile } from './api';

/**
 * The new-request form's state, its checks before sending, and the request it sends
 * (POST /api/applications). Field keys are the server's, so that its 400 details.fields
 * ("nationalId", "documents.0.expiryDate") land on the same inputs as our own checks.
 */
export interface HouseholdMemberDraft {
  rowId: number;
  fullName: string;
  relation: string;
  birthDate: string;
}

export interface DocumentDraft {
  rowId: number;
  type: string;
  number: string;
  expiryDate: string;
  file: File | null;
}

export interface RequestDraft {
  channel: string;
  fullName: string;
  nationalId: string;
  birthDate: string;
  mobile: string;
  email: string;
  /** How the applicant wants notices; '' leaves it to what is available. */
  preferredContact: '' | 'sms' | 'email';
  /** Recorded at reception: the applicant agrees to follow the request in the portal. */
  portalConsent: boolean;
  city: string;
  address: string;
  householdMembers: HouseholdMemberDraft[];
  monthlyIncome: string;
  supportType: string;
  documents: DocumentDraft[];
  notes: string;
}

/** A problem found here (translated at render time) or reported by the server (its words). */
export type FieldProblem =
  | { code: 'required' | 'nationalIdDigits' | 'nationalIdStart' | 'nationalIdCheck' | 'date' | 'mobile' | 'email' | 'income' | 'documentNumber' | 'fileType' | 'name' }
  | { code: 'tooShort'; min: number }
  | { code: 'tooLong'; max: number }
  | { server: string; code?: string; params?: Record<string, string | number> };

export type FieldProblems = Record<string, FieldProblem[]>;

let rows = 0;
const nextRow = () => ++rows;

export function newHouseholdMember(): HouseholdMemberDraft {
  return { rowId: nextRow(), fullName: '', relation: '', birthDate: '' };
}

export function newDocument(type = ''): DocumentDraft {
  return { rowId: nextRow(), type, number: '', expiryDate: '', file: null };
}

export function emptyDraft(): RequestDraft {
  return {
    channel: '',
    fullName: '',
    nationalId: '',
    birthDate: '',
    mobile: '',
    email: '',
    preferredContact: '',
    portalConsent: false,
    city: '',
    address: '',
    householdMembers: [],
    monthlyIncome: '',
    supportType: '',
    documents: [newDocument('national-id')],
    notes: '',
  };
}

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Arabic-Indic (٠–٩) and Persian (۰–۹) digits as ASCII digits: staff may type either. */
export function toLatinDigits(value: string): string {
  return value.replace(ARABIC_INDIC, (d) => String(d.charCodeAt(0) & 0xf)).replace(/[٫]/g, '.');
}

const tidy = (value: string) => value.trim().replace(/\s+/g, ' ');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u;
const DOCUMENT_NUMBER = /^[\p{L}\p{N}/-]+$/u;
const MOBILE = /^(?:\+966|00966|966|0)?(5\d{8})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const AMOUNT = /^\d+(\.\d{1,2})?$/;

function isDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The checks a person can fix before sending; the server checks everything again. */
export function checkDraft(draft: RequestDraft): FieldProblems {
  const problems: FieldProblems = {};
  const say = (key: string, problem: FieldProblem) => (problems[key] ??= []).push(problem);
  const required = (key: string, value: string) => {
    if (!value.trim()) say(key, { code: 'required' });
    return Boolean(value.trim());
  };
  const name = (key: string, value: string, min: number) => {
    if (!required(key, value)) return;
    if (tidy(value).length < min) say(key, { code: 'tooShort', min });
    else if (!PERSON_NAME.test(tidy(value))) say(key, { code: 'name' });
  };
  const optionalDate = (key: string, value: string) => {
    if (value && !isDate(value)) say(key, { code: 'date' });
  };

  required('channel', draft.channel);
  name('fullName', draft.fullName, 3);
  const nationalId = toLatinDigits(draft.nationalId.trim());
  if (required('nationalId', nationalId)) {
    const check = checkNationalId(nationalId);
    if (!check.valid) {
      say('nationalId', {
        code: !/^\d{10}$/.test(nationalId) ? 'nationalIdDigits' : nationalId[0] !== '1' && nationalId[0] !== '2' ? 'nationalIdStart' : 'nationalIdCheck',
      });
    }
  }
  if (required('birthDate', draft.birthDate)) optionalDate('birthDate', draft.birthDate);
  if (required('mobile', draft.mobile) && !MOBILE.test(toLatinDigits(draft.mobile).replace(/[\s-]/g, ''))) say('mobile', { code: 'mobile' });
  if (draft.email.trim() && !EMAIL.test(draft.email.trim())) say('email', { code: 'email' });
  // Notices by e-mail need an address to go to.
  if (draft.preferredContact === 'email' && !draft.email.trim()) say('email', { code: 'required' });
  if (required('city', draft.city) && tidy(draft.city).length < 2) say('city', { code: 'tooShort', min: 2 });
  if (required('address', draft.address) && tidy(draft.address).length < 5) say('address', { code: 'tooShort', min: 5 });
  draft.householdMembers.forEach((m, i) => {
    name(`householdMembers.${i}.fullName`, m.fullName, 2);
    required(`householdMembers.${i}.relation`, m.relation);
    optionalDate(`householdMembers.${i}.birthDate`, m.birthDate);
  });
  const income = toLatinDigits(draft.monthlyIncome.trim());
  if (required('monthlyIncome', income) && !AMOUNT.test(income)) say('monthlyIncome', { code: 'income' });
  required('supportType', draft.supportType);
  draft.documents.forEach((d, i) => {
    required(`documents.${i}.type`, d.type);
    const number = toLatinDigits(d.number.trim());
    if (required(`documents.${i}.number`, number) && !DOCUMENT_NUMBER.test(number)) say(`documents.${i}.number`, { code: 'documentNumber' });
    optionalDate(`documents.${i}.expiryDate`, d.expiryDate);
    if (d.file && !isAcceptedFile(d.file)) say(`documents.${i}.file`, { code: 'fileType' });
  });
  if (draft.notes.length > 2000) say('notes', { code: 'tooLong', max: 2000 });
  return problems;
}

/** The request as the server takes it, and the files with the parts their documents name. */
export function toApplication(draft: RequestDraft): { application: Record<string, unknown>; files: AttachedFile[] } {
  const files: AttachedFile[] = [];
  const documents = draft.documents.map((d, i) => {
    const doc: Record<string, unknown> = { type: d.type, number: toLatinDigits(d.number.trim()) };
    if (d.expiryDate) doc.expiryDate = d.expiryDate;
    if (d.file) {
      const part = `document-${i}`;
      doc.file = part;
      files.push({ part, file: d.file });
    }
    return doc;
  });
  const application: Record<string, unknown> = {
    channel: draft.channel,
    fullName: tidy(draft.fullName),
    nationalId: toLatinDigits(draft.nationalId.trim()),
    birthDate: draft.birthDate,
    mobile: toLatinDigits(draft.mobile.trim()),
    city: tidy(draft.city),
    address: tidy(draft.address),
    householdMembers: draft.householdMembers.map((m) => ({
      fullName: tidy(m.fullName),
      relation: m.relation,
      ...(m.birthDate ? { birthDate: m.birthDate } : {}),
    })),
    monthlyIncome: Number(toLatinDigits(draft.monthlyIncome.trim())),
    supportType: draft.supportType,
    documents,
  };
  if (draft.email.trim()) application.email = draft.email.trim();
  if (draft.preferredContact) application.preferredContact = draft.preferredContact;
  if (draft.portalConsent) application.portalConsent = true;
  if (draft.notes.trim()) application.notes = draft.notes.trim();
  return { application, files };
}

/**
 * The server's 400 details.fields as problems of the same fields, each with its code
 * (details.codes) for the page to word; a file part (document-0) is its document's file field.
 */
export function serverProblems(fields: Record<string, string[]>, codes: Record<string, Array<{ code: string; params?: Record<string, string | number> }>> = {}): FieldProblems {
  return Object.fromEntries(
    Object.entries(fields).map(([key, messages]) => {
      const part = /^document-(\d+)$/.exec(key);
      return [part ? `documents.${part[1]}.file` : key, messages.map((server, i) => ({ server, ...(codes[key]?.[i] ?? {}) }))];
    }),
  );
}

/** Field keys in the order the form shows them: the first one at fault takes the focus. */
export function fieldOrder(draft: RequestDraft): string[] {
  return [
    'channel',
    'supportType',
    'fullName',
    'nationalId',
    'birthDate',
    'mobile',
    'email',
    'preferredContact',
    'portalConsent',
    'city',
    'address',
    'monthlyIncome',
    ...draft.householdMembers.flatMap((_, i) => [`householdMembers.${i}.fullName`, `householdMembers.${i}.relation`, `householdMembers.${i}.birthDate`]),
    'householdMembers',
    ...draft.documents.flatMap((_, i) => [`documents.${i}.type`, `documents.${i}.number`, `documents.${i}.expiryDate`, `documents.${i}.file`]),
    'documents',
    'notes',
  ];
}
