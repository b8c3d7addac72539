import { IsArray, IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsInt64, IsWholeNumber } from '../shared/values';

const INT32_MAX = 2_147_483_647;
const LONG = { min: -9_007_199_254_740_991, max: 9_007_199_254_740_991 };

/**
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-process-instance/
 * By `processDefinitionId` (and `processDefinitionVersion`, latest when omitted or -1) or by
 * `processDefinitionKey`.
 */
export class CreateProcessInstanceDto {
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[A-Za-z_][\w.-]*$/, { message: 'processDefinitionId must be a BPMN process id (letters, digits, _, - and ., not starting with a digit)' })
  processDefinitionId?: string;

  /** -1 (what Camunda's client sends by default) or omitted: the latest. */
  @IsOptional()
  @IsWholeNumber({ min: -1, max: INT32_MAX })
  processDefinitionVersion?: number;

  @IsOptional()
  @IsString({ message: 'processDefinitionKey must be a key written as a string, e.g. "2251799813685249"' })
  processDefinitionKey?: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  tenantId?: string;

  /** Accepted as Camunda's clients send it; Mustafid does not record it. */
  @IsOptional()
  @IsInt64(LONG)
  operationReference?: number | string;

  @IsOptional()
  @IsArray()
  startInstructions?: unknown[];

  @IsOptional()
  @IsArray()
  runtimeInstructions?: unknown[];

  @IsOptional()
  @IsBoolean()
  awaitCompletion?: boolean;

  @IsOptional()
  @IsString({ each: true })
  @IsArray()
  fetchVariables?: string[];

  @IsOptional()
  @IsInt64(LONG)
  requestTimeout?: number | string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/cancel-process-instance/ */
export class CancelProcessInstanceDto {
  @IsOptional()
  @IsInt64(LONG)
  operationReference?: number | string;
}
