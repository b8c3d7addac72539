import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class DeployXmlDto {
  /** File name shown in the version history, e.g. beneficiary-intake.bpmn */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.\- ]{1,200}\.(bpmn|xml)$/, { message: 'resourceName must be a file name ending in .bpmn or .xml' })
  resourceName?: string;

  /** The BPMN XML */
  @IsString()
  @MinLength(1, { message: 'xml is required' })
  xml!: string;
}

export class CreateInstanceDto {
  /** The process id in the diagram, e.g. beneficiary-intake */
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  bpmnProcessId!: string;

  /** A deployed version; the latest when omitted */
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  /** The instance's first variables: a JSON object */
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;
}

export class SetVariablesDto {
  @IsObject({ message: 'variables must be a JSON object' })
  variables!: Record<string, unknown>;
}

export class PublishMessageDto {
  /** Message name in the diagram, e.g. documents-provided */
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;

  /** The value the waiting instance expects, e.g. the application number */
  @IsString()
  @MaxLength(255)
  correlationKey!: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  /** How long the message waits for a subscription: ISO-8601 (PT1H) or milliseconds; 0 by default */
  @IsOptional()
  @ValidateIf((_, v) => typeof v !== 'number')
  @IsString({ message: 'timeToLive must be an ISO-8601 duration such as PT1H, or milliseconds' })
  timeToLive?: string | number;

  /** At most one waiting message per name and id */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  messageId?: string;
}

export class IncidentQuery {
  @IsOptional()
  @IsIn(['ACTIVE', 'RESOLVED'], { message: 'state must be ACTIVE or RESOLVED' })
  state?: 'ACTIVE' | 'RESOLVED';

  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'processInstanceKey must be a key (digits)' })
  processInstanceKey?: string;
}

export class JobRetriesDto {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  retries!: number;
}

export class AdvanceClockDto {
  /** ISO-8601 duration, e.g. P14D */
  @IsString()
  @MinLength(2)
  advance!: string;
}

export class ActivateJobsDto {
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  type!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  worker?: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  maxJobsToActivate!: number;

  /** Lock duration in milliseconds */
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  timeout!: number;

  @IsOptional()
  @IsString({ each: true })
  fetchVariable?: string[];
}

export class CompleteDto {
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;
}

export class FailJobDto {
  @IsInt()
  @Min(0)
  retries!: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  errorMessage?: string;

  /** Milliseconds before the job may be activated again */
  @IsOptional()
  @IsInt()
  @Min(0)
  retryBackOff?: number;
}

export class ThrowErrorDto {
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  errorCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  errorMessage?: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;
}

export class UserTaskQuery {
  @Matches(/^\d{1,19}$/, { message: 'processInstanceKey must be a key (digits)' })
  processInstanceKey!: string;

  @IsOptional()
  @IsIn(['CREATED', 'COMPLETED', 'CANCELED'], { message: 'state must be CREATED, COMPLETED or CANCELED' })
  state?: 'CREATED' | 'COMPLETED' | 'CANCELED';
}
