import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsInt64 } from '../shared/values';

/** The longest a message may stay buffered: ten years (a later expiry no date column holds well). */
export const TIME_TO_LIVE_MAX_MS = 3650 * 24 * 3600 * 1000;

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/publish-message/ */
export class PublishMessageDto {
  @IsString()
  @MinLength(1, { message: 'name is required: the message name in the diagram' })
  @MaxLength(255)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  correlationKey?: string;

  /** ms the message stays buffered for subscriptions opened later (0: correlate now or never). */
  @IsOptional()
  @IsInt64({ min: 0, max: TIME_TO_LIVE_MAX_MS })
  timeToLive?: number | string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  messageId?: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  tenantId?: string;
}

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/correlate-message/ */
export class CorrelateMessageDto {
  @IsString()
  @MinLength(1, { message: 'name is required: the message name in the diagram' })
  @MaxLength(255)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  correlationKey?: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  tenantId?: string;
}
