import type { IndexedCall } from './types.js';

const PLACEHOLDER = /\{(traceId|callId|startMs|endMs|startSec|endSec)\}/g;
/** Without an end time, a link's time range covers this much after the start (Tempo, Honeycomb). */
const OPEN_CALL_RANGE_MS = 60 * 60 * 1000;

/**
 * Fills a trace link template. Values are URL-encoded; a call without a trace id has no link.
 * Jaeger: `http://localhost:16686/trace/{traceId}`.
 */
export function traceUrl(
  template: string | undefined,
  call: Omit<IndexedCall, 'traceUrl'>,
): string | null {
  if (!template || !call.traceId) return null;
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
