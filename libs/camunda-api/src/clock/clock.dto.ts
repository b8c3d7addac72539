import { IsInt64 } from '../shared/values';

/** The latest instant a JavaScript date holds (epoch ms). */
export const TIMESTAMP_MAX_MS = 8_640_000_000_000_000;

/** https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/pin-clock/ */
export class PinClockDto {
  /** The instant to pin the clock at, in epoch milliseconds. */
  @IsInt64({ min: 0, max: TIMESTAMP_MAX_MS })
  timestamp!: number | string;
}
