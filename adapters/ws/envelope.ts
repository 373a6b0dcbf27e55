import { context, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { injectHeaders, plainOptions, recordGetter, safeExtract } from '../kit.js';

/**
 * The envelope field: `{ "_trace": { "traceparent": "00-…", "tracestate": "…" }, ...payload }`.
 * Only the propagator's fields go in; the receiver strips it before the handler sees the payload.
 */
export const TRACE_FIELD = '_trace';

/** `payload` plus the context (default: the active one) under `_trace`. Never throws. */
export function withTrace<T extends object>(payload: T, ctx: Context = context.active()): T {
  return { ...plainOptions<T>(payload), [TRACE_FIELD]: injectHeaders({}, ctx) } as T;
}

/** The headers for `new WebSocket(url, { headers })`: yours plus `traceparent`/`tracestate`. */
export function upgradeHeaders(
  headers: Record<string, string> = {},
  ctx: Context = context.active(),
): Record<string, string> {
  return injectHeaders({ ...(plainOptions(headers) as Record<string, string>) }, ctx);
}

/**
 * Reads and removes the envelope field of a parsed message. Returns the sender's context on
 * top of `fallback`, or `fallback` when the field is missing, not an object or invalid.
 */
export function takeTrace(
  message: Record<string, unknown>,
  fallback: Context = ROOT_CONTEXT,
): Context {
  let field: unknown;
  try {
    if (!message || typeof message !== 'object' || !Object.hasOwn(message, TRACE_FIELD))
      return fallback;
    field = message[TRACE_FIELD];
    delete message[TRACE_FIELD];
  } catch {
    return fallback; // a hostile object: no envelope
  }
  if (!field || typeof field !== 'object' || Array.isArray(field)) return fallback;
  const { context: ctx, remote } = safeExtract(field as Record<string, unknown>, recordGetter);
  return remote ? ctx : fallback;
}
