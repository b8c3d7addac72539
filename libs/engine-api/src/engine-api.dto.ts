import { IsKeyText } from '@mustafid/platform';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

/** Retries are a 32-bit integer, as in Zeebe (and the wf_job.retries column). */
const RETRIES_MAX = 2_147_483_647;
const RETRIES_MESSAGE = `retries must be a whole number no larger than ${RETRIES_MAX.toLocaleString('en')}`;
/** A failed job waits at most a year before it may be activated again. */
const RETRY_BACKOFF_MAX_MS = 365 * 24 * 3600 * 1000;

export class DeployXmlDto {
  /** File name shown in the version history, e.g. beneficiary-intake.bpmn; a .dmn name deploys decisions */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.\- ]{1,200}\.(bpmn|dmn|xml)$/, { message: 'resourceName must be a file name ending in .bpmn, .dmn or .xml' })
  resourceName?: string;

  /** The BPMN or DMN XML */
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
  @IsInt({ message: 'version must be a whole number' })
  @Min(1, { message: 'version must be 1 or more' })
  @Max(2_147_483_647, { message: 'version must be a deployed version number (at most 2,147,483,647)' })
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

export class BroadcastSignalDto {
  /** Signal name in the diagram (the `bpmn:signal`'s name), e.g. policy-changed */
  @IsString()
  @MinLength(1, { message: 'signalName must not be empty: give the name of the signal to broadcast' })
  @MaxLength(255, { message: 'signalName must be at most 255 characters long' })
  signalName!: string;

  /** Variables for every instance the signal starts or whose catch event it triggers: a JSON object */
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;
}

export class IncidentQuery {
  @IsOptional()
  @IsIn(['ACTIVE', 'RESOLVED'], { message: 'state must be ACTIVE or RESOLVED' })
  state?: 'ACTIVE' | 'RESOLVED';

  @IsOptional()
  @IsKeyText({ message: 'processInstanceKey must be a key: a whole number from 0 to 9223372036854775807' })
  processInstanceKey?: string;
}

export class JobRetriesDto {
  @IsInt({ message: RETRIES_MESSAGE })
  @Min(1, { message: 'retries must be 1 or more' })
  @Max(RETRIES_MAX, { message: RETRIES_MESSAGE })
  retries!: number;
}

export class AdvanceClockDto {
  /** ISO-8601 duration, e.g. P14D */
  @IsString()
  @MinLength(2)
  advance!: string;
}

export class PinClockDto {
  /** true: time stands still and moves only by advancing it; false: it flows again. */
  @IsBoolean({ message: 'pinned must be true or false' })
  pinned!: boolean;
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

export class CompleteJobDto extends CompleteDto {
  /** The job of an ad-hoc sub-process: what to activate, whether it is done (Camunda's `adHocSubProcess` job result). */
  @IsOptional()
  @IsObject({ message: 'result must be a JSON object, e.g. {"type": "adHocSubProcess", "activateElements": [{"elementId": "…"}]}' })
  result?: Record<string, unknown>;
}

export class FailJobDto {
  @IsInt({ message: RETRIES_MESSAGE })
  @Min(0, { message: 'retries must be 0 or more' })
  @Max(RETRIES_MAX, { message: RETRIES_MESSAGE })
  retries!: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  errorMessage?: string;

  /** Milliseconds before the job may be activated again */
  @IsOptional()
  @IsInt({ message: 'retryBackOff must be a whole number of milliseconds' })
  @Min(0, { message: 'retryBackOff must be 0 or more milliseconds' })
  @Max(RETRY_BACKOFF_MAX_MS, { message: `retryBackOff must be at most a year (${RETRY_BACKOFF_MAX_MS.toLocaleString('en')} ms)` })
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
  @IsKeyText({ message: 'processInstanceKey must be a key: a whole number from 0 to 9223372036854775807' })
  processInstanceKey!: string;

  @IsOptional()
  @IsIn(['CREATED', 'COMPLETED', 'CANCELED'], { message: 'state must be CREATED, COMPLETED or CANCELED' })
  state?: 'CREATED' | 'COMPLETED' | 'CANCELED';
}
