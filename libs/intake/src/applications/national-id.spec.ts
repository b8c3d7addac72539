import { describe, expect, it } from 'vitest';
import { checkNationalId, withCheckDigit } from './national-id';

describe('checkNationalId', () => {
  it('accepts numbers whose last digit is the Luhn check digit, for citizens and residents', () => {
    // Worked by hand: 1·2 = 2 → check digit 8; 2·2 = 4 → check digit 6.
    expect(checkNationalId('1000000008')).toEqual({ valid: true, holder: 'citizen' });
    expect(checkNationalId('2000000006')).toEqual({ valid: true, holder: 'resident' });
    expect(checkNationalId(withCheckDigit('108765432'))).toEqual({ valid: true, holder: 'citizen' });
  });

  it('refuses a wrong check digit, a wrong first digit and anything that is not ten digits, saying why', () => {
    const good = withCheckDigit('112233445');
    const bad = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);
    expect(checkNationalId(bad)).toMatchObject({ valid: false, reason: expect.stringContaining('check digit') });
    expect(checkNationalId(withCheckDigit('312233445'))).toMatchObject({ valid: false, reason: expect.stringContaining('start with 1') });
    for (const v of ['', '12345', '10000000081', '1O00000008', ' 1000000008']) {
      expect(checkNationalId(v)).toMatchObject({ valid: false, reason: 'must be exactly 10 digits' });
    }
  });
});
