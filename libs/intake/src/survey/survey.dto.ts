import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const rating = (field: string) => `${field} must be a whole number from 1 (poor) to 5 (excellent)`;

/** The satisfaction survey (O5): four ratings from 1 to 5 and a free comment. */
export class SurveyAnswerDto {
  /** Overall satisfaction with the service, 1–5. */
  @IsInt({ message: rating('overall') }) @Min(1, { message: rating('overall') }) @Max(5, { message: rating('overall') })
  overall!: number;

  /** How clear the procedures were, 1–5. */
  @IsInt({ message: rating('clarity') }) @Min(1, { message: rating('clarity') }) @Max(5, { message: rating('clarity') })
  clarity!: number;

  /** How reasonable the time taken was, 1–5. */
  @IsInt({ message: rating('timeTaken') }) @Min(1, { message: rating('timeTaken') }) @Max(5, { message: rating('timeTaken') })
  timeTaken!: number;

  /** Courtesy of the staff, 1–5 (seen only in aggregate, never beside a name: T3). */
  @IsInt({ message: rating('courtesy') }) @Min(1, { message: rating('courtesy') }) @Max(5, { message: rating('courtesy') })
  courtesy!: number;

  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'comment must be text' })
  @MaxLength(2000, { message: 'comment must be at most 2,000 characters long' })
  @Matches(/^[^<>\p{Cc}]*$/u, { message: 'comment must be plain text (no < or >)' })
  comment?: string;
}

/** An answer through the one-time link of the survey notice. */
export class SurveyLinkAnswerDto extends SurveyAnswerDto {
  /** The request the link names, e.g. REQ-2026-000123. */
  @IsString() @Matches(/^REQ-\d{4}-\d{6,}$/, { message: 'applicationNumber must be a request number such as REQ-2026-000123' })
  applicationNumber!: string;

  /** The token of the link. */
  @IsString() @Length(43, 43, { message: 'token must be the 43-character token of the survey link' })
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'token must be the 43-character token of the survey link' })
  token!: string;
}
