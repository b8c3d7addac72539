import { IsObject, IsOptional, IsString, Length } from 'class-validator';

/**
 * https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/evaluate-decision/:
 * the decision by its key, or by its id (its latest version), with the variables it reads.
 */
export class EvaluateDecisionDto {
  @IsOptional()
  @IsString({ message: 'decisionDefinitionId must be a string' })
  @Length(1, 256, { message: 'decisionDefinitionId must be 1 to 256 characters' })
  decisionDefinitionId?: string;

  @IsOptional()
  @IsString({ message: 'decisionDefinitionKey must be a key written as a string, e.g. "2251799813685249"' })
  decisionDefinitionKey?: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  @IsOptional()
  tenantId?: unknown;
}
