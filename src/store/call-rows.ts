import type { CallTableRow } from './call-table.js';
import { tryE164 } from './e164.js';
import { CallIndexInputError } from './errors.js';
import type { NumberProtector } from './number-protection.js';
import { traceUrl } from './trace-link.js';
import type { CallRow, CallUpdate, IndexedCall } from './types.js';

/** Conversions at the index's edges: updates in, rows out, and the checks on lookup input. */

const MAX_QUERY_LENGTH = 256;
const MAX_FIELD_LENGTH = 256;
const MAX_LIMIT = 500;

/** An update as it is queued: numbers already protected, bad fields dropped. */
export function toCallRow(
  u: CallUpdate,
  numbers: NumberProtector,
  cc: string,
): CallRow | undefined {
  if (typeof u?.callId !== 'string' || !u.callId || u.callId.length > MAX_FIELD_LENGTH) return;
  const from = u.from === undefined ? undefined : tryE164(u.from, cc);
  const to = u.to === undefined ? undefined : tryE164(u.to, cc);
  const caller = from ? numbers.protect(from) : undefined;
  const callee = to ? numbers.protect(to) : undefined;
  return {
    callId: u.callId,
    traceId: field(u.traceId)?.toLowerCase(),
    provider: field(u.provider),
    providerCallId: field(u.providerCallId),
    openaiSessionId: field(u.openaiSessionId),
    direction: field(u.direction),
    callerHash: caller?.hash,
    callerLast4: caller?.last4,
    calleeHash: callee?.hash,
    calleeLast4: callee?.last4,
    startedAt: date(u.startedAt),
    endedAt: date(u.endedAt),
    status: field(u.status),
    firstAudioMaxMs: finite(u.firstAudioMaxMs),
    firstAudioP50Ms: finite(u.firstAudioP50Ms),
    error: u.error === true ? true : undefined,
  };
}

export function toIndexedCall(r: CallTableRow, template: string | undefined): IndexedCall {
  const startedAt = r.started_at ? new Date(r.started_at) : null;
  const endedAt = r.ended_at ? new Date(r.ended_at) : null;
  const call = {
    callId: r.call_id,
    traceId: r.trace_id,
    provider: r.provider,
    providerCallId: r.provider_call_id,
    openaiSessionId: r.openai_session_id,
    direction: r.direction,
    callerLast4: r.caller_last4,
    calleeLast4: r.callee_last4,
    startedAt,
    endedAt,
    durationMs: startedAt && endedAt ? endedAt.getTime() - startedAt.getTime() : null,
    status: r.status,
    firstAudioMaxMs: r.first_audio_max_ms,
    firstAudioP50Ms: r.first_audio_p50_ms,
    error: r.error,
  };
  return { ...call, traceUrl: traceUrl(template, call) };
}

export function checkQuery(query: unknown): string {
  if (typeof query !== 'string') throw new CallIndexInputError('query must be a string');
  const q = query.trim();
  if (!q) throw new CallIndexInputError('query is empty');
  if (q.length > MAX_QUERY_LENGTH)
    throw new CallIndexInputError(`query longer than ${MAX_QUERY_LENGTH} characters`);
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

const field = (v: unknown) =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_FIELD_LENGTH ? v : undefined;
const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const date = (v: unknown) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v : undefined);
