import { describe, expect, it } from 'vitest';
import { isKeyText } from './keys';

describe('isKeyText', () => {
  it('takes the keys a bigint holds and nothing else', () => {
    for (const key of ['0', '1', '2251799813685249', '9223372036854775807']) expect(isKeyText(key), key).toBe(true);
    for (const key of ['9223372036854775808', '18446744073709551616', '-1', '', 'abc', '1e3', ' 1', '1.5', '12345678901234567890', 1, null]) expect(isKeyText(key), String(key)).toBe(false);
  });
});
