import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * A field that may be left out, but not sent as null: unlike @IsOptional (which skips both),
 * null is checked like any value, so `"displayName": null` is a 400 ("displayName must be a
 * string") instead of a NULL reaching a NOT NULL column. For fields where null means "clear
 * it", keep @IsOptional.
 */
export function Omittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined, options);
}
