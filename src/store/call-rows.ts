import { CALL_FIELDS, FIELD_LIST, type CallFieldSpec, type CallRow } from './call-fields.js';
import type { CallTableRow } from './call-table.js';
import { tryE164 } from './e164.js';
import { CallIndexInputError } from './errors.js';
import type { NumberProtector } from './number-protection.js';
import { openaiTraceUrl, traceUrl } from './trace-link.js';
import type { CallUpdate, IndexedCall } from './types.js';

/** Conversions at the index's edges: updates in (validated), rows out, and the checks on lookup input. */

const MAX_QUERY_LENGTH = 256;
const MAX_FIELD_LENGTH = 256;
const MAX_LIMIT = 500;
/** timestamptz takes years 4713 BC–294276 AD, but JSON/ISO text past 9999 or before 1 is refused: keep 1–9999. */
const MIN_TIME = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const INT4_MAX = 2 ** 31 - 1;
/** PostgreSQL text cannot hold NUL; C0 controls and DEL are refused in queries too. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface ConvertedRow {
  /** Undefined when the update cannot be stored at all (no usable call id). */
  row: CallRow | undefined;
  /** Fields given but refused (wrong type, too long, NUL, a date PostgreSQL cannot store). */
  refused: number;
}

/** An update as it is queued: validated field by field against `CALL_FIELDS`, numbers protected. */
export function toCallRow(u: CallUpdate, numbers: NumberProtector, cc: string): ConvertedRow {
  const callId = u?.callId;
  if (valid(CALL_FIELDS.callId, callId) === undefined) return { row: undefined, refused: 1 };
  const row: Record<string, unknown> = { callId };
  let refused = 0;
  const given = u as unknown as Record<string, unknown>;
  for (const f of FIELD_LIST) {
    if (f.name === 'callId' || f.hidden || f.format === 'last4') continue;
    const raw = given[f.name];
    if (raw === undefined) continue;
    const value = valid(f, raw);
    if (value === undefined) refused++;
    else row[f.name] = value;
  }
  for (const [input, hash, last4] of NUMBERS) {
    if (u[input] === undefined) continue;
    const e164 = tryE164(u[input], cc);
    if (!e164) {
      refused++;
      continue;
    }
    const p = numbers.protect(e164);
    row[hash] = p.hash;
    row[last4] = p.last4;
  }
  return { row: row as CallRow, refused };
}

const NUMBERS = [
  ['from', 'callerHash', 'callerLast4'],
  ['to', 'calleeHash', 'calleeLast4'],
] as const;

/** The value as it can be stored in the column, or undefined when PostgreSQL would refuse it. */
export function valid(f: CallFieldSpec, v: unknown): unknown {
  switch (f.type) {
    case 'text':
      if (typeof v !== 'string' || !v || v.length > MAX_FIELD_LENGTH || v.includes('\0')) return;
      return f.lowerCase ? v.toLowerCase() : v;
    case 'timestamptz': {
      const t = v instanceof Date ? v.getTime() : NaN;
      return t >= MIN_TIME && t <= MAX_TIME ? v : undefined;
    }
    case 'float8':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'int4':
      return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= INT4_MAX
        ? Math.round(v)
        : undefined;
    case 'bool':
      return typeof v === 'boolean' ? v : undefined;
  }
}

export function toIndexedCall(r: CallTableRow, template: string | undefined): IndexedCall {
  const call: Record<string, unknown> = {};
  for (const f of FIELD_LIST) {
    if (f.hidden) continue;
    const v = r[f.column];
    call[f.name] =
      v === null || v === undefined
        ? null
        : f.type === 'timestamptz'
          ? new Date(v as string)
          : f.type === 'float8' || f.type === 'int4'
            ? Number(v)
            : v;
  }
  call.error = r.error === true;
  const c = call as unknown as Omit<IndexedCall, 'durationMs' | 'traceUrl' | 'openaiTraceUrl'>;
  const durationMs = c.startedAt && c.endedAt ? c.endedAt.getTime() - c.startedAt.getTime() : null;
  return {
    ...c,
    durationMs,
    traceUrl: traceUrl(template, c),
    openaiTraceUrl: openaiTraceUrl(c.openaiTraceId),
  };
}

export function checkQuery(query: unknown): string {
  if (typeof query !== 'string') throw new CallIndexInputError('query must be a string');
  const q = query.trim();
  if (!q) throw new CallIndexInputError('query is empty');
  if (q.length > MAX_QUERY_LENGTH)
    throw new CallIndexInputError(`query longer than ${MAX_QUERY_LENGTH} characters`);
  if (CONTROL.test(q)) throw new CallIndexInputError('query contains control characters');
  return q;
}

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isInteger(limit) || limit < 1)
    throw new CallIndexInputError('limit must be a positive integer');
  return Math.min(limit, MAX_LIMIT);
}

export function dedupe(rows: CallTableRow[]): CallTableRow[] {
  return [...new Map(rows.map((r) => [r.call_id, r])).values()];
}
