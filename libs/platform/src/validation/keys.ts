import { type ValidationOptions, registerDecorator } from 'class-validator';

/** The largest value a PostgreSQL bigint holds, and so the largest key (Zeebe's keys are 64-bit too): 2^63 − 1. */
export const BIGINT_MAX = 9_223_372_036_854_775_807n;

/**
 * A key or sequence number as text: digits only, at most 2^63 − 1. Anything else names nothing
 * that can exist (a lookup answers "not found", a filter "must be a key") and must not reach
 * SQL, where 9223372036854775808 is an out-of-range error rather than an empty result.
 */
export function isKeyText(value: unknown): boolean {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= BIGINT_MAX;
}

/** class-validator: the value is a key as text (see isKeyText). */
export function IsKeyText(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isKeyText',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => isKeyText(value),
        defaultMessage: (a) => `${a?.property} must be a key: a whole number from 0 to 9223372036854775807`,
      },
    });
}
