import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/complete-user-task/ */
export class CompleteUserTaskDto {
  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown> | null;

  /** Named in the task's completion event; "complete" when omitted. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string | null;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/assign-user-task/ */
export class AssignUserTaskDto {
  @IsString()
  @MinLength(1, { message: 'assignee is required: the username the task is assigned to' })
  @MaxLength(255)
  assignee!: string;

  /** false: refuse when the task is assigned to someone else already (default true). */
  @IsOptional()
  @IsBoolean()
  allowOverride?: boolean | null;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  action?: string | null;
}

