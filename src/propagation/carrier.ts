import {
  context as otelContext,
  ROOT_CONTEXT,
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { calltraceLogger } from '../safe.js';
import { currentPlan, extractBy, injectBy } from './global.js';

/**
 * For fields other than `traceparent`/`tracestate` (those are read by calltrace's Level 2 code,
 * with the spec's own limits): W3C Baggage's cap of 8192 bytes; longer is hostile.
 */
const MAX_VALUE_LENGTH = 8192;
const MAX_KEYS = 64;

/**
 * Wraps a getter so the global propagator only ever sees bounded strings: arrays give their
 * first element, non-strings and over-long values read as missing, and key listing is capped.
 * (`traceparent`/`tracestate` do not go through it: the Level 2 code reads them itself.)
 */
export function boundedGetter<C>(getter: TextMapGetter<C>): TextMapGetter<C> {
  // Getters are module constants: wrap each once, so per-message extraction allocates nothing.
  let bounded = boundedByGetter.get(getter) as TextMapGetter<C> | undefined;
  if (!bounded) {
    bounded = makeBounded(getter);
    boundedByGetter.set(getter, bounded);
  }
  return bounded;
}

const boundedByGetter = new WeakMap<TextMapGetter<any>, TextMapGetter<any>>();

function makeBounded<C>(getter: TextMapGetter<C>): TextMapGetter<C> {
  return {
    keys(carrier) {
      try {
        const keys = getter.keys(carrier);
        return Array.isArray(keys) ? keys.slice(0, MAX_KEYS) : [];
      } catch {
        return [];
      }
    },
    get(carrier, key) {
      let value: unknown;
      try {
        value = getter.get(carrier, key);
      } catch {
        return undefined;
      }
      if (Array.isArray(value)) value = value[0];
      if (typeof value !== 'string' || value.length > MAX_VALUE_LENGTH) return undefined;
      return value;
    },
  };
}

/** Getter for plain header records (`{ traceparent: '…' }`, Node's `IncomingHttpHeaders`). */
export const recordGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => (carrier && typeof carrier === 'object' ? Object.keys(carrier) : []),
  get: (carrier, key) => {
    if (!carrier || typeof carrier !== 'object') return undefined;
    const direct = carrier[key];
    if (direct !== undefined) return direct as string;
    const lower = key.toLowerCase();
    for (const k of Object.keys(carrier))
      if (k.toLowerCase() === lower) return carrier[k] as string;
    return undefined;
  },
};

export const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/**
 * Extracts a remote context with the global propagator — `traceparent`/`tracestate` by W3C
 * Trace Context Level 2 (see global.ts) — never throwing and never adopting an invalid span
 * context. Returns the context to use as parent (ROOT_CONTEXT-based) and the
 * remote span context when a valid one was found.
 */
export function safeExtract<C>(
  carrier: C,
  getter: TextMapGetter<C>,
  base: Context = ROOT_CONTEXT,
): { context: Context; remote: SpanContext | undefined } {
  try {
    const plan = currentPlan();
    const ctx = extractBy(plan, base, carrier, getter, plan.others && boundedGetter(getter));
    const sc = trace.getSpanContext(ctx);
    // The Level 2 parser only ever gives valid ids; another propagator's result is checked.
    if (sc?.isRemote && (!plan.others || trace.isSpanContextValid(sc)))
      return { context: ctx, remote: sc };
    return { context: base, remote: undefined };
  } catch (error) {
    calltraceLogger.debug('extract failed, starting fresh', error);
    return { context: base, remote: undefined };
  }
}

/**
 * Injects `ctx` (default: the active context) with the global propagator — `traceparent`/
 * `tracestate` by W3C Trace Context Level 2: the random-trace-id flag kept, no empty
 * `tracestate`. Never throws.
 */
export function safeInject<C>(carrier: C, setter: TextMapSetter<C>, ctx?: Context): C {
  try {
    injectBy(currentPlan(), ctx ?? otelContext.active(), carrier, setter as TextMapSetter);
  } catch (error) {
    calltraceLogger.debug('inject failed', error);
  }
  return carrier;
}

/** The current context's propagation headers as a fresh record (`traceparent`, `tracestate`, …). */
export function injectHeaders(
  headers: Record<string, string> = {},
  ctx?: Context,
): Record<string, string> {
  return safeInject(headers, recordSetter, ctx);
}
