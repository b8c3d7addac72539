import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/broadcast-signal/ */
export class BroadcastSignalDto {
  @IsString({ message: 'signalName is required: the signal name in the diagram' })
  @MinLength(1, { message: 'signalName is required: the signal name in the diagram' })
  @MaxLength(255)
  signalName!: string;

  @IsOptional()
  @IsObject({ message: 'variables must be a JSON object' })
  variables?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  tenantId?: string;
}
