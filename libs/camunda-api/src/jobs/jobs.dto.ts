import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsInt64, IsWholeNumber } from '../shared/values';

const LONG = { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 };
/** Retries are a 32-bit integer, as in Zeebe (and the wf_job.retries column). */
const RETRIES_MAX = 2_147_483_647;
/** A failed job waits at most a year before it may be activated again. */
const YEAR_MS = 365 * 24 * 3600 * 1000;
/** The longest a long poll may wait: an hour (Zeebe's gateway sets no bound; a request this long is a client bug). */
export const REQUEST_TIMEOUT_MAX_MS = 3_600_000;

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-jobs/ */
export class ActivateJobsDto {
  @IsString()
  @MinLength(1, { message: 'type is required: the job type of the service tasks, e.g. "payment-service"' })
  @MaxLength(255)
  type!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  worker?: string;

  /** How long the jobs stay locked to this worker, in ms. */
  @IsInt64({ min: 1, max: 30 * 24 * 3600 * 1000 })
  timeout!: number | string;

  @IsWholeNumber({ min: 1, max: 1000 })
  maxJobsToActivate!: number;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  fetchVariable?: string[];

  /** ms to wait for a job when none is activatable: 0 the default (10 s), negative not at all. */
  @IsOptional()
  @IsInt64({ min: LONG.min, max: REQUEST_TIMEOUT_MAX_MS })
  requestTimeout?: number | string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tenantIds?: string[];
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-job/ */
export class CompleteJobDto {
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown> | null;

  /** An ad-hoc sub-process's job result (see adHocJobResult); a task listener's corrections are refused (no task listeners here). */
  @IsOptional()
  @IsObject({ message: 'result must be a JSON object, e.g. {"type": "adHocSubProcess", "activateElements": [{"elementId": "…"}]}' })
  result?: Record<string, unknown>;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/fail-job/ */
export class FailJobDto {
  @IsOptional()
  @IsWholeNumber({ min: 0, max: RETRIES_MAX })
  retries?: number;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  errorMessage?: string;

  /** ms before the job may be activated again. */
  @IsOptional()
  @IsInt64({ min: 0, max: YEAR_MS })
  retryBackOff?: number | string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/throw-job-error/ */
export class ThrowJobErrorDto {
  @IsString()
  @MinLength(1, { message: 'errorCode is required: the code the error boundary or event sub-process catches' })
  @MaxLength(255)
  errorCode!: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  errorMessage?: string | null;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown> | null;
}

export class JobChangesetDto {
  @IsOptional()
  @IsWholeNumber({ min: 1, max: RETRIES_MAX })
  retries?: number | null;

  @IsOptional()
  @IsInt64({ min: 1, max: 30 * 24 * 3600 * 1000 })
  timeout?: number | string | null;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/update-job/ */
export class UpdateJobDto {
  @IsObject({ message: 'changeset is required: {"retries": 3}' })
  @ValidateNested()
  @Type(() => JobChangesetDto)
  changeset!: JobChangesetDto;

  @IsOptional()
  @IsInt64(LONG)
  operationReference?: number | string;
}
