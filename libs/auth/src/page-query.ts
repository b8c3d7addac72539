import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Omittable } from '@mustafid/platform';

/** One page of an account list (people or machine clients): `limit` up to 200, `offset` up to a million. */
export class PageQuery {
  @Omittable()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be between 1 and 200' })
  @Max(200, { message: 'limit must be between 1 and 200' })
  limit: number = 50;

  @Omittable()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0, { message: 'offset must be 0 or more' })
  @Max(1_000_000, { message: 'offset must be at most 1,000,000' })
  offset: number = 0;
}
