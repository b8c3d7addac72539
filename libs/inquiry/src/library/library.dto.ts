import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Omittable } from '@mustafid/platform';
import { ARTICLE_KINDS, type ArticleKind } from '../vocabulary';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Text people read: no markup brackets, no control characters but line breaks and tabs. */
export const ARTICLE_TEXT = /^(?:[^<>\p{Cc}]|[\n\r\t])*$/u;
const plain = (field: string) => `${field} must be plain text (no < or >)`;

/** One version of an article's texts, in Arabic and English. */
export class ArticleTextDto {
  /** The title in Arabic. */
  @Transform(trim) @IsString() @Length(2, 200, { message: 'titleAr must be 2 to 200 characters long' }) @Matches(ARTICLE_TEXT, { message: plain('titleAr') })
  titleAr!: string;

  /** The title in English. */
  @Transform(trim) @IsString() @Length(2, 200, { message: 'titleEn must be 2 to 200 characters long' }) @Matches(ARTICLE_TEXT, { message: plain('titleEn') })
  titleEn!: string;

  /** The text in Arabic (at most 100,000 characters). */
  @Transform(trim) @IsString() @Length(2, 100_000, { message: 'bodyAr must be 2 to 100,000 characters long' }) @Matches(ARTICLE_TEXT, { message: plain('bodyAr') })
  bodyAr!: string;

  /** The text in English (at most 100,000 characters). */
  @Transform(trim) @IsString() @Length(2, 100_000, { message: 'bodyEn must be 2 to 100,000 characters long' }) @Matches(ARTICLE_TEXT, { message: plain('bodyEn') })
  bodyEn!: string;

  /** Whether the portal shows it to everyone (T1: the published questions and answers). */
  @IsBoolean({ message: 'public must be true or false' })
  public!: boolean;

  /** What changed, for the history. */
  @Omittable() @Transform(trim) @IsString() @MaxLength(500, { message: 'note must be at most 500 characters long' }) @Matches(ARTICLE_TEXT, { message: plain('note') })
  note?: string;
}

/** A new article: its address name and kind, and its first version. */
export class CreateArticleDto extends ArticleTextDto {
  /** Lower-case letters, digits and hyphens, e.g. "how-to-apply". */
  @IsString() @Matches(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, { message: 'slug must be lower-case letters, digits and hyphens, e.g. how-to-apply' })
  slug!: string;

  @IsIn(ARTICLE_KINDS, { message: `kind must be one of ${ARTICLE_KINDS.join(', ')}` })
  kind!: ArticleKind;
}

/** A new version of an article; `version` is the one the editor started from. */
export class EditArticleDto extends ArticleTextDto {
  /** The version the edit was made on: if someone saved another since, the edit is refused (409 ARTICLE_CHANGED). */
  @IsInt({ message: 'version must be the whole number of the version you edited' }) @Min(1) @Max(1_000_000)
  version!: number;
}

export class ArticleSearchDto {
  /** Words to look for, in Arabic or English; spelling variants and diacritics do not matter. */
  @Omittable() @IsString() @MaxLength(200, { message: 'q must be at most 200 characters long' })
  q?: string;
}
