import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  registerDecorator,
} from 'class-validator';
import { Omittable } from '@mustafid/platform';
import { checkNationalId } from './national-id';
import { westernDigits } from '../notifications/sms-text';
import { CHANNELS, type Channel, DOCUMENT_TYPES, type DocumentType, PREFERRED_CONTACTS, type PreferredContact, SUPPORT_TYPES, type SupportType } from './vocabulary';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
/** Digits as typed on an Arabic keyboard (٠-٩, ۰-۹) are the same digits: a number field reads them as 0-9. */
const digits = ({ value }: { value: unknown }) => (typeof value === 'string' ? westernDigits(value.trim()) : value);
/**
 * An amount sent as text in any digits ("٣٥٠٠٫٥٠", "3,500") is read as the number it writes;
 * anything else is left for the validator to refuse.
 */
export const amount = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const text = westernDigits(value.trim()).replace(/[٬,\s]/g, '').replace('٫', '.');
  return /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : value;
};
/** A name: letters (any script), spaces, hyphens, apostrophes and dots; no markup. */
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u;
/** Free text: anything but markup brackets and control characters. */
const PLAIN_TEXT = /^[^<>\p{Cc}]*$/u;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** What a list item must be (a list inside the list, or a string, is refused before class-transformer makes it a document). */
const DOCUMENT_SHAPE = 'each of documents must be an object such as {"type": "national-id", "number": "1012345678"}';
const HOUSEHOLD_MEMBER_SHAPE = 'each of householdMembers must be an object such as {"fullName": "سارة", "relation": "daughter"}';

function IsSaudiNationalId() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isSaudiNationalId',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && checkNationalId(value).valid,
        defaultMessage: (args) => {
          const check = typeof args?.value === 'string' ? checkNationalId(args.value) : undefined;
          return `${args?.property} ${check && !check.valid ? check.reason : 'must be a 10-digit national ID or iqama number'}`;
        },
      },
    });
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
function IsCalendarDate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: (args) => `${args?.property} must be a date written YYYY-MM-DD, e.g. 2027-03-31`,
      },
    });
}

export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Saudi mobile numbers: 05XXXXXXXX, 5XXXXXXXX, 9665XXXXXXXX or +9665XXXXXXXX, in Western or Arabic-Indic digits; kept as +9665XXXXXXXX. */
export function normaliseMobile(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const digits = westernDigits(value).replace(/[\s-]/g, '');
  const m = /^(?:\+966|00966|966|0)?(5\d{8})$/.exec(digits);
  return m ? `+966${m[1]}` : value;
}

export const RELATIONS = ['spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'other'] as const;

export class HouseholdMemberDto {
  @Transform(trim)
  @IsString()
  @Length(2, 150, { message: 'fullName must be 2 to 150 characters long' })
  @Matches(PERSON_NAME, { message: 'fullName may hold only letters, spaces, hyphens, apostrophes and dots' })
  fullName!: string;

  @IsIn(RELATIONS, { message: `relation must be one of ${RELATIONS.join(', ')}` })
  relation!: (typeof RELATIONS)[number];

  @Omittable()
  @Transform(digits) @IsCalendarDate()
  birthDate?: string;
}

export class ApplicationDocumentDto {
  @IsIn(DOCUMENT_TYPES, { message: `type must be one of ${DOCUMENT_TYPES.join(', ')}` })
  type!: DocumentType;

  /** The number printed on the document (for an ID card: the ID number). */
  @Transform((v) => digits({ value: trim(v) }))
  @IsString()
  @Length(1, 40, { message: 'number must be 1 to 40 characters long' })
  @Matches(/^[\p{L}\p{N}/-]+$/u, { message: 'number may hold only letters, digits, / and -' })
  number!: string;

  /** Expiry date on the document, YYYY-MM-DD (omit for documents that do not expire). */
  @Omittable()
  @Transform(digits) @IsCalendarDate()
  expiryDate?: string;

  /** Name of the multipart file part holding a scan of it, e.g. "document-0". */
  @Omittable()
  @IsString()
  @Matches(/^document-\d{1,2}$/, { message: 'file must name a file part such as document-0' })
  file?: string;
}

/** A request for support, as reception enters it or an applicant submits it. */
export class CreateApplicationDto {
  /** The contact channel the request came through (policy C1–C8). */
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')} (the policy's contact channels)` })
  channel!: Channel;

  @Transform(trim)
  @IsString({ message: 'fullName must be text' })
  @Length(3, 150, { message: 'fullName must be 3 to 150 characters long' })
  @Matches(PERSON_NAME, { message: 'fullName may hold only letters, spaces, hyphens, apostrophes and dots' })
  fullName!: string;

  /** National ID (citizens, starts with 1) or iqama number (residents, starts with 2), in any digits. */
  @Transform(digits)
  @IsString({ message: 'nationalId must be text of 10 digits' })
  @IsSaudiNationalId()
  nationalId!: string;

  /** YYYY-MM-DD; the applicant must be 18 or older on the submission date. */
  @Transform(digits) @IsCalendarDate()
  birthDate!: string;

  /** Saudi mobile number, e.g. 0551234567 or +966551234567. */
  @Transform(({ value }) => normaliseMobile(value))
  @IsString({ message: 'mobile must be a Saudi mobile number such as 0551234567' })
  @Matches(/^\+9665\d{8}$/, { message: 'mobile must be a Saudi mobile number such as 0551234567' })
  mobile!: string;

  @Omittable()
  @Transform(trim)
  @MaxLength(254, { message: 'email must be at most 254 characters long' })
  @IsEmail({}, { message: 'email must be an email address such as name@example.com' })
  email?: string;

  /** How the applicant wants notices: sms or email. Unset: e-mail when there is an address, else SMS to the mobile number. */
  @Omittable()
  @IsIn(PREFERRED_CONTACTS, { message: `preferredContact must be ${PREFERRED_CONTACTS.join(' or ')} (how the applicant wants notices)` })
  preferredContact?: PreferredContact;

  /**
   * The applicant agrees to follow this request in the portal, signing in with this mobile
   * number (recorded at reception; a request made in the portal is the account's own anyway).
   */
  @Omittable()
  @IsBoolean({ message: 'portalConsent must be true or false (the applicant agrees to follow the request in the portal)' })
  portalConsent?: boolean;

  @Transform(trim)
  @IsString()
  @Length(2, 100, { message: 'city must be 2 to 100 characters long' })
  @Matches(PLAIN_TEXT, { message: 'city must be plain text (no < or >)' })
  city!: string;

  @Transform(trim)
  @IsString()
  @Length(5, 300, { message: 'address must be 5 to 300 characters long' })
  @Matches(PLAIN_TEXT, { message: 'address must be plain text (no < or >)' })
  address!: string;

  /** The people living with the applicant (at most 30). */
  @Omittable()
  @IsArray({ message: 'householdMembers must be a list' })
  @ArrayMaxSize(30, { message: 'householdMembers may list at most 30 people' })
  @IsObject({ each: true, message: HOUSEHOLD_MEMBER_SHAPE })
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  householdMembers: HouseholdMemberDto[] = [];

  /** Monthly household income in Saudi riyals (a number, or text in Western or Arabic-Indic digits). */
  @Transform(amount)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'monthlyIncome must be an amount in riyals, e.g. 3500 or 3500.50' })
  @Min(0, { message: 'monthlyIncome cannot be negative' })
  @Max(10_000_000, { message: 'monthlyIncome must be at most 10,000,000 riyals' })
  monthlyIncome!: number;

  @IsIn(SUPPORT_TYPES, { message: `supportType must be one of ${SUPPORT_TYPES.join(', ')}` })
  supportType!: SupportType;

  /** The documents provided with the request (at most 20); scans attach as multipart file parts. */
  @Omittable()
  @IsArray({ message: 'documents must be a list' })
  @ArrayMaxSize(20, { message: 'documents may list at most 20 documents' })
  @IsObject({ each: true, message: DOCUMENT_SHAPE })
  @ValidateNested({ each: true })
  @Type(() => ApplicationDocumentDto)
  documents: ApplicationDocumentDto[] = [];

  /** What the applicant asked or said, as reception noted it. */
  @Omittable()
  @Transform(trim)
  @IsString()
  @MaxLength(2000, { message: 'notes must be at most 2,000 characters long' })
  @Matches(PLAIN_TEXT, { message: 'notes must be plain text (no < or >)' })
  notes?: string;
}

/** The applicant's data that a signature covers; changing it voids the attestation. */
export const SIGNED_FIELDS = [
  'fullName',
  'nationalId',
  'birthDate',
  'mobile',
  'email',
  'city',
  'address',
  'householdMembers',
  'monthlyIncome',
  'supportType',
] as const;

export class UpdateApplicantDto {
  @Omittable() @Transform(trim) @IsString() @Length(3, 150, { message: 'fullName must be 3 to 150 characters long' })
  @Matches(PERSON_NAME, { message: 'fullName may hold only letters, spaces, hyphens, apostrophes and dots' })
  fullName?: string;

  @Omittable() @Transform(({ value }) => normaliseMobile(value))
  @Matches(/^\+9665\d{8}$/, { message: 'mobile must be a Saudi mobile number such as 0551234567' })
  mobile?: string;

  @Omittable() @Transform(trim) @MaxLength(254) @IsEmail({}, { message: 'email must be an email address such as name@example.com' })
  email?: string;

  @Omittable() @Transform(trim) @IsString() @Length(2, 100, { message: 'city must be 2 to 100 characters long' })
  @Matches(PLAIN_TEXT, { message: 'city must be plain text (no < or >)' })
  city?: string;

  @Omittable() @Transform(trim) @IsString() @Length(5, 300, { message: 'address must be 5 to 300 characters long' })
  @Matches(PLAIN_TEXT, { message: 'address must be plain text (no < or >)' })
  address?: string;

  @Omittable() @IsArray({ message: 'householdMembers must be a list' }) @ArrayMaxSize(30, { message: 'householdMembers may list at most 30 people' })
  @IsObject({ each: true, message: HOUSEHOLD_MEMBER_SHAPE }) @ValidateNested({ each: true }) @Type(() => HouseholdMemberDto)
  householdMembers?: HouseholdMemberDto[];

  @Omittable()
  @Transform(amount)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'monthlyIncome must be an amount in riyals, e.g. 3500 or 3500.50' })
  @Min(0, { message: 'monthlyIncome cannot be negative' })
  @Max(10_000_000, { message: 'monthlyIncome must be at most 10,000,000 riyals' })
  monthlyIncome?: number;

  /** Why the data changed (kept with the voided attestation). */
  @Transform(trim) @IsString() @Length(3, 500, { message: 'reason must be 3 to 500 characters long' })
  @Matches(PLAIN_TEXT, { message: 'reason must be plain text (no < or >)' })
  reason!: string;
}

export class AttestationDto {
  /** The applicant's full name, typed by the applicant (or by reception from the paper form). */
  @Transform(trim) @IsString() @Length(3, 150, { message: 'typedName must be 3 to 150 characters long' })
  @Matches(PERSON_NAME, { message: 'typedName may hold only letters, spaces, hyphens, apostrophes and dots' })
  typedName!: string;

  /** The applicant confirms the data is correct and that they are responsible for it (S4). */
  @IsIn([true], { message: 'consent must be true: the applicant confirms the data is correct' })
  consent!: boolean;

  /** paper: signed on the printed form, the scan attached as multipart part "scan"; electronic: in the portal. */
  @IsIn(['paper', 'electronic'], { message: 'method must be paper or electronic' })
  method!: 'paper' | 'electronic';
}

export class ProvideDocumentsDto {
  @IsArray({ message: 'documents must be a list' })
  @ArrayMaxSize(20, { message: 'documents may list at most 20 documents' })
  @IsObject({ each: true, message: DOCUMENT_SHAPE })
  @ValidateNested({ each: true })
  @Type(() => ApplicationDocumentDto)
  documents!: ApplicationDocumentDto[];
}

export class CaseQueryDto {
  @Omittable() @IsIn(['open', 'closed-incomplete', 'rejected', 'completed', 'cancelled'])
  status?: string;

  @Omittable() @IsIn(CHANNELS)
  channel?: Channel;

  /** An element id of the diagram the case is at, e.g. Task_ChairDecision. */
  @Omittable() @IsString() @Matches(/^[A-Za-z_][\w.-]{0,99}$/, { message: 'step must be an element id of the diagram' })
  step?: string;

  /** Submitted on or after this date (YYYY-MM-DD). */
  @Omittable() @Transform(digits) @IsCalendarDate()
  from?: string;

  /** Submitted on or before this date (YYYY-MM-DD). */
  @Omittable() @Transform(digits) @IsCalendarDate()
  to?: string;

  /** Part of the name, the application number, the ID number or the mobile number (any digits). */
  @Omittable() @Transform(trim) @IsString() @Length(2, 100, { message: 'q must be 2 to 100 characters long' })
  q?: string;

  @Omittable() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit = 25;

  @Omittable() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset = 0;
}
