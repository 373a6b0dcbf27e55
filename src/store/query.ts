import { toE164 } from './e164.js';
import { CallIndexInputError } from './errors.js';

const TRACE_ID = /^[0-9a-f]{32}$/;
/** Text a person means as a phone number: digits with number punctuation, or a `tel:` URI. */
const NUMBER_LIKE = /^(tel:)?\+?[\d\s().\-/]*\d[\d\s().\-/]*$/i;

/** What a lookup query was read as, so that the CLI and the page can say it. */
export interface ReadQuery {
  kind: 'trace id' | 'phone number' | 'call id';
  /** The normalised number, when the query is one. Never shown: it is the caller's number. */
  e164?: string;
  /** Why a query that looks like a phone number is not one (`+1 555`): it is then only tried as an id. */
  notANumber?: string;
}

export function readQuery(q: string, defaultCountryCode: string): ReadQuery {
  if (TRACE_ID.test(q.toLowerCase())) return { kind: 'trace id' };
  try {
    return { kind: 'phone number', e164: toE164(q, defaultCountryCode) };
  } catch (error) {
    if (!NUMBER_LIKE.test(q)) return { kind: 'call id' };
    const reason = error instanceof CallIndexInputError ? error.message : 'not a phone number';
    return { kind: 'call id', notANumber: reason };
  }
}
