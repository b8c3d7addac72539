// The policy's words for a request, from the server's own list (libs/intake's vocabulary.ts
// has no imports, so the web build takes it as it is). Their names live in the language
// files under `vocabulary.*`; vocabulary.spec.ts keeps them equal to the server's.
export {
  CHANNELS,
  CHANNEL_NAMES,
  DOCUMENT_NAMES,
  DOCUMENT_TYPES,
  REQUIRED_DOCUMENTS,
  SUPPORT_TYPES,
  SUPPORT_TYPE_NAMES,
  type Channel,
  type DocumentType,
  type SupportType,
} from '../../../../libs/intake/src/applications/vocabulary';
import { DOCUMENT_TYPES, SUPPORT_TYPES, type DocumentType, type SupportType } from '../../../../libs/intake/src/applications/vocabulary';

/** A household member's relation to the applicant (the server's RELATIONS, application.dto.ts). */
export const RELATIONS = ['spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** A case's status (the server's CaseQueryDto). */
export const STATUSES = ['open', 'closed-incomplete', 'rejected', 'completed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

const member = <T extends string>(list: readonly T[]) => (value: unknown): value is T => typeof value === 'string' && (list as readonly string[]).includes(value);

export const isSupportType: (value: unknown) => value is SupportType = member(SUPPORT_TYPES);
export const isDocumentType: (value: unknown) => value is DocumentType = member(DOCUMENT_TYPES);
export const isStatus: (value: unknown) => value is Status = member(STATUSES);
