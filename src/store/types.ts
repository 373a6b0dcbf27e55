import type { CallRow, StoredCall } from './call-fields.js';

/**
 * One call as the index returns it: every field of the call row (see `CALL_FIELDS`; null
 * until recorded), numbers as their last four digits only, and what is derived from them.
 */
export type IndexedCall = StoredCall & {
  durationMs: number | null;
  /** From `traceUrlTemplate`; null without one. */
  traceUrl: string | null;
  /** The OpenAI dashboard trace the call claimed (`trace_<trace id>`); null when it claimed none. */
  openaiTraceUrl: string | null;
};

/**
 * A partial update of one call; absent fields keep their stored value. `from` and `to` are
 * numbers in any format, protected (hash + last four) before the update is queued.
 */
export type CallUpdate = Omit<
  CallRow,
  'callerHash' | 'callerLast4' | 'calleeHash' | 'calleeLast4'
> & {
  /** Caller's number. */
  from?: string;
  /** Callee's number. */
  to?: string;
};

export type { CallRow };

export interface LookupOptions {
  /** Most results, newest first. Default: 50 (at most 500). */
  limit?: number;
}
