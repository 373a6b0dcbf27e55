import type { WebRTCReport } from './report.js';

export interface PeerConnectionTraceOptions {
  /** The call's W3C `traceparent`, handed out by your server with the session. Without it nothing is sent. */
  traceparent?: string;
  /** The call id, for the server to check and write as `gen_ai.conversation.id`. */
  callId?: string;
  /** Where the report is POSTed (`navigator.sendBeacon`, else `fetch` with `keepalive`). Default: nowhere. */
  reportUrl?: string;
  /**
   * When the report goes out. `'settled'` (default): once the connection is connected (after ICE
   * gathering has finished, at most 3 s later, and with the selected pair), failed, closed or
   * timed out. `'manual'`: only on `send()` — e.g. at hang-up,
   * so ICE restarts during the call are included. Either way an unsent report goes on page hide.
   */
  send?: 'settled' | 'manual';
  /** Report `'timeout'` if not connected after this many ms. Default: 30,000; 0 turns it off. */
  settleTimeoutMs?: number;
  /** Most timeline entries kept; the rest are counted in `droppedEvents`. Default: 64 (at most 256). */
  maxEvents?: number;
  /** Also receives the report when it is sent (e.g. to log it). Errors it throws are ignored. */
  onReport?: (report: WebRTCReport) => void;
}

export interface ResolvedTraceOptions {
  traceparent: string | undefined;
  callId: string | undefined;
  reportUrl: string | undefined;
  sendOnSettle: boolean;
  settleTimeoutMs: number;
  maxEvents: number;
  onReport: ((report: WebRTCReport) => void) | undefined;
}

/** Defaults, resolved once per instrumented connection. */
export function resolveTraceOptions(raw: PeerConnectionTraceOptions = {}): ResolvedTraceOptions {
  // The browser bundle imports nothing outside src/webrtc: the guard is inlined.
  let o: PeerConnectionTraceOptions = {};
  try {
    if (raw && typeof raw === 'object') o = { ...raw };
  } catch {
    // a hostile options object: defaults
  }
  const max = Number.isFinite(o.maxEvents) ? Math.floor(o.maxEvents!) : 64;
  const timeout = Number.isFinite(o.settleTimeoutMs) ? o.settleTimeoutMs! : 30_000;
  return {
    traceparent: typeof o.traceparent === 'string' ? o.traceparent : undefined,
    callId: typeof o.callId === 'string' ? o.callId : undefined,
    reportUrl: typeof o.reportUrl === 'string' ? o.reportUrl : undefined,
    sendOnSettle: o.send !== 'manual',
    settleTimeoutMs: Math.max(0, timeout),
    maxEvents: Math.min(256, Math.max(1, max)),
    onReport: typeof o.onReport === 'function' ? o.onReport : undefined,
  };
}
