import {
  createContextKey,
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import {
  FLAG_RANDOM,
  formatTraceparent,
  MAX_TRACEPARENT_LENGTH,
  parseTraceparent,
} from './traceparent.js';
import { MAX_TRACESTATE_INPUT, outgoingTraceState, parseTraceState } from './tracestate.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';
const FIELDS = [TRACEPARENT, TRACESTATE] as const;

/**
 * The trace id whose incoming `traceparent` had the random-trace-id flag. The SDK's tracer
 * gives every new span only the sampled bit, so the flag is kept here, beside the span, for
 * as long as the context descends from the extracted one; inject sets it again on any span of
 * that trace (the spec: set in all outgoing headers with the same trace id).
 */
const RANDOM_TRACE_ID = createContextKey('calltrace random trace id');
/** @opentelemetry/core's suppressTracing key (Symbol.for, so the same symbol). */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/) for `traceparent` and
 * `tracestate`: a drop-in for @opentelemetry/core's `W3CTraceContextPropagator`, which reads
 * `tracestate` by the Level 1 grammar, keeps invalid members, and whose tracer drops the
 * random-trace-id flag on the next hop. Never throws: a getter or setter that throws, or a
 * malformed header, leaves the context unchanged.
 */
export class W3CTraceContextLevel2Propagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(context);
    if (!sc || !trace.isSpanContextValid(sc) || context.getValue(SUPPRESS_TRACING) === true) return;
    const random = context.getValue(RANDOM_TRACE_ID) === sc.traceId ? FLAG_RANDOM : 0;
    try {
      setter.set(
        carrier,
        TRACEPARENT,
        formatTraceparent(sc.traceId, sc.spanId, sc.traceFlags | random),
      );
      const state = outgoingTraceState(sc.traceState);
      if (state) setter.set(carrier, TRACESTATE, state);
    } catch {
      // a throwing setter: the carrier keeps whatever was set
    }
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    try {
      const parsed = single(getter.get(carrier, TRACEPARENT));
      const tp = parsed === undefined ? undefined : parseTraceparent(parsed);
      if (!tp) return context;
      const state = combined(getter.get(carrier, TRACESTATE));
      const traceState = state === undefined ? undefined : parseTraceState(state);
      if (traceState) tp.traceState = traceState;
      const out = trace.setSpanContext(context, tp);
      return tp.traceFlags & FLAG_RANDOM ? out.setValue(RANDOM_TRACE_ID, tp.traceId) : out;
    } catch {
      return context;
    }
  }

  fields(): string[] {
    return [...FIELDS];
  }
}

/** One `traceparent`: two (a duplicated header) are invalid, as is anything not a string. */
function single(value: unknown): string | undefined {
  if (Array.isArray(value)) value = value.length === 1 ? value[0] : undefined;
  return typeof value === 'string' && value.length <= MAX_TRACEPARENT_LENGTH ? value : undefined;
}

/** Several `tracestate` fields are one list (RFC 9110 field order), joined by commas. */
function combined(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return undefined;
  let length = 0;
  for (const v of value as unknown[]) {
    if (typeof v !== 'string') return undefined;
    length += v.length + 1;
    if (length > MAX_TRACESTATE_INPUT + 1) return undefined; // cannot be valid: not joined
  }
  return value.join(',');
}

/** The context's outgoing `traceparent` (random flag included), or undefined. Never throws. */
export function traceparentOf(context: Context): string | undefined {
  let out: string | undefined;
  LEVEL2.inject(context, undefined, {
    set: (_c, key, value) => {
      if (key === TRACEPARENT) out = value;
    },
  });
  return out;
}

export const LEVEL2 = new W3CTraceContextLevel2Propagator();

/**
 * A remote span context from stored `traceparent`/`tracestate` strings (an edge snapshot,
 * a value handed over outside any carrier), by the same Level 2 rules; `undefined` when the
 * `traceparent` is invalid. Never throws.
 */
export function remoteSpanContext(
  traceparent: unknown,
  tracestate?: unknown,
): SpanContext | undefined {
  const tp = typeof traceparent === 'string' ? parseTraceparent(traceparent) : undefined;
  if (!tp) return undefined;
  const traceState = typeof tracestate === 'string' ? parseTraceState(tracestate) : undefined;
  if (traceState) tp.traceState = traceState;
  return tp;
}
