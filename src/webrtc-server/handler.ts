import { trace, type SpanContext, type Tracer } from '@opentelemetry/api';
import { calltraceLogger, safely } from '../safe.js';
import { SCOPE_NAME, VERSION } from '../version.js';
import { resolveReportOptions, type WebRTCReportOptions } from './options.js';
import { recordReportSpan } from './span.js';
import { validateReport } from './validate.js';

export interface WebRTCReportResult {
  /** 204: recorded; 400: malformed or too large; 403: refused by `acceptReport`. */
  status: 204 | 400 | 403;
  error?: string;
  /** The `webrtc.peer_connection` span written, on 204. */
  spanContext?: SpanContext;
}

/** A body as a framework hands it over: raw text or bytes, or JSON already parsed. */
export type ReportBody = string | Uint8Array | object | null | undefined;

/**
 * Framework-agnostic report endpoint: `handle(body)` validates one browser report and writes it
 * as a `webrtc.peer_connection` span under the call's span. A bad report opens nothing. Never
 * throws. Options are resolved once here.
 */
export function createWebRTCReportHandler(options: WebRTCReportOptions = {}) {
  const o = resolveReportOptions(options);
  let tracer: Tracer | undefined;
  const handle = (body: ReportBody, receivedAt = Date.now()): WebRTCReportResult => {
    // A hostile object (throwing getters) is an invalid report, not a crash.
    const input: Parsed = orInvalid(() => parseBody(body, o.maxBytes));
    const valid = input.ok ? orInvalid(() => validateReport(input.value, o.maxAgeMs)) : input;
    if (!valid.ok) {
      calltraceLogger.debug(`webrtc report rejected: ${valid.error}`);
      return { status: 400, error: valid.error };
    }
    const { traceId, spanId } = valid.parent;
    const who = { traceId, spanId, callId: valid.report.callId };
    if (o.acceptReport && safely('acceptReport', () => o.acceptReport!(who)) !== true)
      return { status: 403, error: 'report refused' };
    const spanContext = safely('webrtc report span', () => {
      // The global provider is a proxy: a tracer taken from it follows a later registration.
      tracer ??= (o.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, VERSION);
      return recordReportSpan(tracer, valid.report, valid.parent, receivedAt);
    });
    return spanContext ? { status: 204, spanContext } : { status: 204 };
  };
  return { handle, maxBytes: o.maxBytes };
}

/** One-off form of `createWebRTCReportHandler(options).handle(body)`. */
export function handleWebRTCReport(
  body: ReportBody,
  options: WebRTCReportOptions = {},
): WebRTCReportResult {
  return createWebRTCReportHandler(options).handle(body);
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function parseBody(body: ReportBody, maxBytes: number): Parsed {
  let text: string;
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) return { ok: false, error: 'report too large' };
    text = new TextDecoder().decode(body);
  } else if (typeof body === 'string') {
    // UTF-8 is at most 3 bytes per UTF-16 unit: only measure exactly when it could matter.
    if (body.length * 3 > maxBytes && new TextEncoder().encode(body).byteLength > maxBytes)
      return { ok: false, error: 'report too large' };
    text = body;
  } else if (body && typeof body === 'object') {
    return { ok: true, value: body }; // parsed upstream; validation bounds every field
  } else return { ok: false, error: 'empty report' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'report is not JSON' };
  }
}

/** A hostile body (throwing getters) is an invalid report, not a telemetry fault. */
function orInvalid<T>(fn: () => T): T | { ok: false; error: string } {
  try {
    return fn();
  } catch {
    return { ok: false, error: 'report is not valid' };
  }
}
