import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CHANNELS, type Channel, PREFERRED_CONTACTS, type PreferredContact, normaliseMobile } from '@mustafid/intake';
import { Omittable } from '@mustafid/platform';
import { ANSWER_METHODS, type AnswerMethod, INQUIRY_KINDS, INQUIRY_TOPICS, type InquiryKind, type InquiryTopic } from '../vocabulary';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const oneLine = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
/** Free text: anything but markup brackets and control characters other than line breaks and tabs. */
const PLAIN_TEXT = /^(?:[^<>\p{Cc}]|[\n\r\t])*$/u;
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .-]*$/u;
const plain = (field: string) => `${field} must be plain text, without < or > (نص عادي بلا < أو >)`;

/** What the person wrote or said, and how to reach them: the same from reception and from the website. */
export class InquiryFromPersonDto {
  @IsIn(INQUIRY_KINDS, { message: `kind must be one of ${INQUIRY_KINDS.join(', ')}` })
  kind!: InquiryKind;

  @IsIn(INQUIRY_TOPICS, { message: `topic must be one of ${INQUIRY_TOPICS.join(', ')}` })
  topic!: InquiryTopic;

  /** The inquiry in the person's words (5 to 4,000 characters). */
  @Transform(trim) @IsString({ message: 'body must be text' })
  @Length(5, 4000, { message: 'body must be 5 to 4,000 characters long (النص من ٥ إلى ٤٠٠٠ حرف)' })
  @Matches(PLAIN_TEXT, { message: plain('body') })
  body!: string;

  @Omittable() @Transform(oneLine) @IsString() @Length(2, 120, { message: 'personName must be 2 to 120 characters long' })
  @Matches(PERSON_NAME, { message: 'personName must be a name: letters, spaces, hyphens, apostrophes and dots' })
  personName?: string;

  /** A Saudi mobile number (05XXXXXXXX, +9665XXXXXXXX; Arabic-Indic digits too). */
  @Omittable() @Transform(({ value }) => normaliseMobile(value))
  @Matches(/^\+9665\d{8}$/, { message: 'mobile must be a Saudi mobile number such as 0551234567' })
  mobile?: string;

  @Omittable() @Transform(trim) @IsEmail({}, { message: 'email must be an e-mail address' }) @MaxLength(254)
  email?: string;

  @Omittable() @IsIn(PREFERRED_CONTACTS, { message: `preferredContact must be one of ${PREFERRED_CONTACTS.join(', ')}` })
  preferredContact?: PreferredContact;
}

/** An inquiry recorded by reception, from any channel. */
export class RecordInquiryDto extends InquiryFromPersonDto {
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')} (the policy's contact channels)` })
  channel!: Channel;

  /** The person's request, when they have one (REQ-YYYY-NNNNNN). */
  @Omittable() @IsString() @Matches(/^REQ-\d{4}-\d{6,}$/, { message: 'applicationNumber must be a request number such as REQ-2026-000123' })
  applicationNumber?: string;

  /** The staff member a complaint names (their username): they may not close it. */
  @Omittable() @IsString() @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/, { message: 'concernsUsername must be the username of a member of staff' })
  concernsUsername?: string;
}

export class CitationDto {
  @IsUUID('all', { message: 'citation.articleId must be the id of an article of the library' })
  articleId!: string;

  @IsInt({ message: 'citation.version must be the version number cited' }) @Min(1) @Max(1_000_000)
  version!: number;
}

/** The officer's answer: what was said, how it reached the person, and the article it rests on (R1). */
export class AnswerInquiryDto {
  @Transform(trim) @IsString({ message: 'answer must be text' })
  @Length(2, 4000, { message: 'answer must be 2 to 4,000 characters long (الرد من حرفين إلى ٤٠٠٠ حرف)' })
  @Matches(PLAIN_TEXT, { message: plain('answer') })
  answer!: string;

  @IsIn(ANSWER_METHODS, { message: `method must be one of ${ANSWER_METHODS.join(', ')}` })
  method!: AnswerMethod;

  /** The article version the answer rests on. */
  @Omittable() @ValidateNested() @Type(() => CitationDto)
  citation?: CitationDto;

  /** For a complaint or a suggestion: what was done about it (T5). */
  @Omittable() @Transform(trim) @IsString() @MaxLength(2000, { message: 'actionTaken must be at most 2,000 characters long' })
  @Matches(PLAIN_TEXT, { message: plain('actionTaken') })
  actionTaken?: string;
}

export class InquiryRatingDto {
  /** 1 (poor) to 5 (excellent). */
  @IsInt({ message: 'rating must be a whole number from 1 to 5' }) @Min(1, { message: 'rating must be a whole number from 1 to 5' }) @Max(5, { message: 'rating must be a whole number from 1 to 5' })
  rating!: number;
}

export class InquiryListDto {
  @Omittable() @IsIn(['open', 'answered'], { message: 'status must be open or answered' })
  status?: 'open' | 'answered';

  /** A request's id or number: the inquiries linked to it. */
  @Omittable() @IsString() @MaxLength(40)
  application?: string;
}
