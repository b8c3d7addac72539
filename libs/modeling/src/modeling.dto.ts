import { IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** No control characters in a name (a comment may hold new lines). */
const PLAIN_NAME = /^[^\p{Cc}]*$/u;

export class LintDto {
  /** The BPMN XML to check */
  @IsString()
  @MinLength(1, { message: 'xml is required' })
  xml!: string;
}

/** A diagram and the task forms edited beside it. */
class DiagramContentDto {
  /** The BPMN XML (a draft may still have lint problems; a deployment may not) */
  @IsString()
  @MinLength(1, { message: 'xml is required' })
  xml!: string;

  /** Task forms edited beside the diagram, by form id (form-js JSON); forms left out keep their latest version */
  @IsOptional()
  @IsObject({ message: 'forms must be an object of form-js schemas by form id' })
  forms?: Record<string, unknown>;
}

class DraftContentDto extends DiagramContentDto {
  /** The deployed version the draft started from */
  @IsOptional()
  @IsInt()
  @Min(1)
  baseVersion?: number;
}

export class CreateDraftDto extends DraftContentDto {
  /** A name the process owners recognise, e.g. "Shorter referral" (1–120 characters) */
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'name is required' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  @Matches(PLAIN_NAME, { message: 'name must not contain control characters' })
  name!: string;
}

export class UpdateDraftDto extends DraftContentDto {
  /** A new name (1–120 characters) */
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(120, { message: 'name must be at most 120 characters' })
  @Matches(PLAIN_NAME, { message: 'name must not contain control characters' })
  name?: string;
}

export class DeployCommentDto {
  /** Why this version: shown in the version history (1–500 characters) */
  @Transform(trimmed)
  @IsString({ message: 'comment is required' })
  @MinLength(1, { message: 'comment is required: say what changed and why' })
  @MaxLength(500, { message: 'comment must be at most 500 characters' })
  comment!: string;
}

export class ModelDeployDto extends IntersectionType(DiagramContentDto, DeployCommentDto) {
  /** File name shown in the history, e.g. beneficiary-intake.bpmn */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.\- ]{1,200}\.(bpmn|xml)$/, { message: 'resourceName must be a file name ending in .bpmn or .xml' })
  resourceName?: string;

  /** The draft this deployment came from (recorded in the audit log) */
  @IsOptional()
  @IsUUID('all', { message: 'draftId must be a draft id' })
  draftId?: string;
}
