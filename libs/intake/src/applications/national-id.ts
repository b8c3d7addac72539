/**
 * Saudi national ID and iqama numbers: ten digits, the first 1 (citizen) or 2 (resident),
 * the last a Luhn check digit over the first nine.
 */
export type IdHolder = 'citizen' | 'resident';

export type IdCheck = { valid: true; holder: IdHolder } | { valid: false; reason: string };

export function checkNationalId(value: string): IdCheck {
  if (!/^\d{10}$/.test(value)) return { valid: false, reason: 'must be exactly 10 digits' };
  if (value[0] !== '1' && value[0] !== '2') {
    return { valid: false, reason: 'must start with 1 (national ID of a citizen) or 2 (iqama of a resident)' };
  }
  if (luhnDigit(value.slice(0, 9)) !== Number(value[9])) {
    return { valid: false, reason: 'has a wrong check digit (the last digit does not match the others): please re-type it from the card' };
  }
  return { valid: true, holder: value[0] === '1' ? 'citizen' : 'resident' };
}

/** The Luhn check digit for a string of digits (the Ministry of Interior's scheme for these numbers). */
export function luhnDigit(digits: string): number {
  let sum = 0;
  // Counting from the right of the payload, every first, third, … digit is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid number from nine digits (test data and demos). */
export function withCheckDigit(nineDigits: string): string {
  return nineDigits + String(luhnDigit(nineDigits));
}
