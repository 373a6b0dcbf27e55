import type { SpanContext } from '@opentelemetry/api';
import { remoteSpanContext } from '../propagation/level2.js';
import type { CallHandle } from '../call.js';
import { assertCall } from '../call-context.js';

/**
 * What a Durable Object keeps of a call so that any later activation can continue its trace:
 * small, JSON-safe, and fit for `WebSocket.serializeAttachment` (2 KiB limit) or storage.
 */
export interface CallSnapshot {
  /** Format version. */
  v: 1;
  callId: string;
  /** W3C `traceparent` of the call's root span. */
  traceparent: string;
  /** W3C `tracestate`, when there was one. */
  tracestate?: string;
  /** Epoch ms when the call was first seen. */
  startedAt: number;
}

const MAX_CALL_ID = 256;
const MAX_TRACESTATE = 512;

/** The snapshot of a live call. Never throws. */
export function snapshotCall(call: CallHandle, startedAt = Date.now()): CallSnapshot {
  assertCall('snapshotCall', call);
  const snapshot: CallSnapshot = {
    v: 1,
    callId: call.callId,
    traceparent: call.traceparent,
    startedAt,
  };
  const tracestate = call.span.spanContext().traceState?.serialize();
  if (tracestate) snapshot.tracestate = tracestate;
  return snapshot;
}

/**
 * Reads back a stored snapshot: anything malformed (a foreign shape, an invalid or all-zero
 * `traceparent`, oversized fields) gives `undefined` and is never adopted.
 */
export function parseCallSnapshot(value: unknown): CallSnapshot | undefined {
  try {
    return parseSnapshot(value);
  } catch {
    return undefined; // a hostile object (throwing getters): not a snapshot
  }
}

function parseSnapshot(value: unknown): CallSnapshot | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (v.v !== 1 || typeof v.callId !== 'string' || typeof v.traceparent !== 'string')
    return undefined;
  if (!v.callId || v.callId.length > MAX_CALL_ID) return undefined;
  if (!spanContextOf(v.traceparent)) return undefined;
  const startedAt = typeof v.startedAt === 'number' && v.startedAt > 0 ? v.startedAt : Date.now();
  const snapshot: CallSnapshot = { v: 1, callId: v.callId, traceparent: v.traceparent, startedAt };
  if (typeof v.tracestate === 'string' && v.tracestate.length <= MAX_TRACESTATE)
    snapshot.tracestate = v.tracestate;
  return snapshot;
}

/**
 * The root span's context from a `traceparent`, marked remote: it was made by an earlier
 * activation. Parsed by calltrace's W3C Level 2 code rather than through the global
 * propagator, which a Worker may not have registered.
 */
export function spanContextOf(traceparent: string, tracestate?: string): SpanContext | undefined {
  return remoteSpanContext(traceparent, tracestate);
}
