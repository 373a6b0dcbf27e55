/**
 * Phone numbers are personal data. The core only ever writes them masked (last four digits)
 * unless the user opts in; hashing is left to a user-supplied function so the core needs no
 * crypto module and runs on any runtime.
 */

const MAX_NUMBER_LENGTH = 64;

/** Best-effort E.164: keeps a leading `+` and the digits. Returns undefined when too few digits. */
export function normalizePhoneNumber(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_NUMBER_LENGTH)
    return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 3 || digits.length > 15) return undefined;
  return raw.trimStart().startsWith('+') ? `+${digits}` : digits;
}

/** `+15550100100` → `+*******0100`: enough to tell calls apart, not enough to dial. */
export function maskPhoneNumber(raw: string | undefined): string | undefined {
  const n = normalizePhoneNumber(raw);
  if (!n) return undefined;
  const plus = n.startsWith('+') ? '+' : '';
  const digits = plus ? n.slice(1) : n;
  const keep = Math.min(4, Math.max(0, digits.length - 4));
  return plus + '*'.repeat(digits.length - keep) + digits.slice(digits.length - keep);
}
