import { plainOptions } from '../read-options.js';
import type { TracerProvider } from '@opentelemetry/api';

export interface WebRTCReportOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /** Largest report body accepted, in bytes; larger gets 400 unread. Default: 16 KiB. */
  maxBytes?: number;
  /** Oldest timeline accepted: `elapsedMs` and every offset are clamped to it. Default: 6 hours. */
  maxAgeMs?: number;
  /**
   * Whether a well-formed report may join this call — e.g. check the trace id is one you handed
   * out (a `CallRegistry` lookup). `false` gets 403 and opens nothing. Default: every
   * well-formed report is accepted. Errors it throws count as `false`.
   */
  acceptReport?: (report: {
    traceId: string;
    spanId: string;
    callId: string | undefined;
  }) => boolean;
}

export interface ResolvedReportOptions {
  tracerProvider: TracerProvider | undefined;
  maxBytes: number;
  maxAgeMs: number;
  acceptReport: WebRTCReportOptions['acceptReport'];
}

export function resolveReportOptions(raw: WebRTCReportOptions = {}): ResolvedReportOptions {
  const o = plainOptions<WebRTCReportOptions>(raw);
  const positive = (v: number | undefined, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
  return {
    tracerProvider: o.tracerProvider,
    maxBytes: positive(o.maxBytes, 16 * 1024),
    maxAgeMs: positive(o.maxAgeMs, 6 * 60 * 60 * 1000),
    acceptReport: o.acceptReport,
  };
}
