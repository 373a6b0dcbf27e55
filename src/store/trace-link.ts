import type { IndexedCall } from './types.js';

const PLACEHOLDER = /\{(traceId|callId|startMs|endMs|startSec|endSec)\}/g;
/** Without an end time, a link's time range covers this much after the start (Tempo, Honeycomb). */
const OPEN_CALL_RANGE_MS = 60 * 60 * 1000;
/** The OpenAI dashboard's trace page, as the Agents SDK's own examples print it. */
const OPENAI_TRACE_PAGE = 'https://platform.openai.com/traces/trace?trace_id=';
const OPENAI_TRACE_ID = /^trace_[0-9a-zA-Z]{1,64}$/;

/**
 * Fills a trace link template. Values are URL-encoded; a call without a trace id has no link.
 * Jaeger: `http://localhost:16686/trace/{traceId}`.
 */
export function traceUrl(
  template: string | undefined,
  call: Pick<IndexedCall, 'traceId' | 'callId' | 'startedAt' | 'endedAt'>,
): string | null {
  if (typeof template !== 'string' || !template || !call?.traceId) return null;
  const start = call.startedAt?.getTime() ?? Date.now();
  const end = call.endedAt?.getTime() ?? start + OPEN_CALL_RANGE_MS;
  const values: Record<string, string> = {
    traceId: call.traceId,
    callId: call.callId,
    startMs: String(start),
    endMs: String(end),
    // Whole seconds that still cover the call.
    startSec: String(Math.floor(start / 1000)),
    endSec: String(Math.ceil(end / 1000)),
  };
  return template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(values[name]!));
}

/** The OpenAI dashboard page of the Agents SDK trace a call claimed; null when it claimed none. */
export function openaiTraceUrl(openaiTraceId: string | null | undefined): string | null {
  return typeof openaiTraceId === 'string' && OPENAI_TRACE_ID.test(openaiTraceId)
    ? OPENAI_TRACE_PAGE + openaiTraceId
    : null;
}
