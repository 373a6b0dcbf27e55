import { CallIndexInputError } from './errors.js';

/** Longest input accepted as a phone number; anything longer is refused before parsing. */
const MAX_INPUT_LENGTH = 64;
/** Characters people put in numbers: digits, `+`, spaces, dashes, dots, slashes, brackets. */
const NUMBER_CHARS = /^\+?[\d\s().\-/]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Normalises a phone number in any common format to E.164 (`+15550100100`): `+1 (555) 010-0100`,
 * `tel:+1-555-010-0100`, `00 44 20 7946 0000`, `011 44 …` (from NANP), and national numbers
 * (`555-010-0100`, `020 7946 0000`) in `defaultCountryCode`. Throws `CallIndexInputError`.
 */
export function toE164(raw: unknown, defaultCountryCode = '1'): string {
  if (typeof raw !== 'string') throw new CallIndexInputError('phone number must be a string');
  if (raw.length > MAX_INPUT_LENGTH)
    throw new CallIndexInputError(`phone number longer than ${MAX_INPUT_LENGTH} characters`);
  const text = raw.trim().replace(/^tel:/i, '');
  if (!NUMBER_CHARS.test(text))
    throw new CallIndexInputError('not a phone number: only digits, +, spaces, ( ) . - / allowed');
  // `+44 (0)20 …`: the bracketed trunk 0 is not dialled after the country code.
  const digits = (text.startsWith('+') ? text.replace('(0)', '') : text).replace(/\D/g, '');
  const e164 = text.startsWith('+') ? `+${digits}` : international(digits, defaultCountryCode);
  if (!E164.test(e164))
    throw new CallIndexInputError('not a phone number: E.164 allows 7 to 15 digits after +');
  return e164;
}

/** Like `toE164` but returns undefined instead of throwing. */
export function tryE164(raw: unknown, defaultCountryCode?: string): string | undefined {
  try {
    return toE164(raw, defaultCountryCode);
  } catch {
    return undefined;
  }
}

function international(digits: string, cc: string): string {
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (cc === '1') {
    if (digits.startsWith('011')) return `+${digits.slice(3)}`;
    if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
    return `+1${digits}`;
  }
  // Outside NANP a single leading 0 is the national trunk prefix.
  return `+${cc}${digits.replace(/^0/, '')}`;
}
