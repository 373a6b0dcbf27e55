import {
  context,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { reportFault } from './safe.js';
import { SCOPE_NAME, VERSION } from './version.js';

/**
 * A span whose every method is guarded: a span processor that throws in `onEnd` (reached
 * through `end()`), or an SDK that throws on a setter, costs the span, never the host.
 */
class GuardedSpan implements Span {
  constructor(readonly inner: Span) {}
  spanContext(): SpanContext {
    return this.inner.spanContext();
  }
  setAttribute(...a: Parameters<Span['setAttribute']>): this {
    return this.#guard('span.setAttribute', () => this.inner.setAttribute(...a));
  }
  setAttributes(...a: Parameters<Span['setAttributes']>): this {
    return this.#guard('span.setAttributes', () => this.inner.setAttributes(...a));
  }
  addEvent(...a: Parameters<Span['addEvent']>): this {
    return this.#guard('span.addEvent', () => this.inner.addEvent(...a));
  }
  addLink(...a: Parameters<Span['addLink']>): this {
    return this.#guard('span.addLink', () => this.inner.addLink(...a));
  }
  addLinks(...a: Parameters<Span['addLinks']>): this {
    return this.#guard('span.addLinks', () => this.inner.addLinks(...a));
  }
  setStatus(...a: Parameters<Span['setStatus']>): this {
    return this.#guard('span.setStatus', () => this.inner.setStatus(...a));
  }
  updateName(...a: Parameters<Span['updateName']>): this {
    return this.#guard('span.updateName', () => this.inner.updateName(...a));
  }
  end(...a: Parameters<Span['end']>): void {
    this.#guard('span.end', () => this.inner.end(...a));
  }
  isRecording(): boolean {
    try {
      return this.inner.isRecording();
    } catch (error) {
      reportFault('span.isRecording', error);
      return false;
    }
  }
  recordException(...a: Parameters<Span['recordException']>): void {
    this.#guard('span.recordException', () => this.inner.recordException(...a));
  }
  #guard(where: string, fn: () => unknown): this {
    try {
      fn();
    } catch (error) {
      reportFault(where, error);
    }
    return this;
  }
}

const NOOP_SPAN_CONTEXT: SpanContext = {
  traceId: '00000000000000000000000000000000',
  spanId: '0000000000000000',
  traceFlags: 0,
};

/**
 * The tracer every calltrace entry point starts spans with. `getTracer` is called lazily
 * (and again after it threw), `startSpan` never throws — a fault gives a non-recording span
 * that keeps the parent's context — and the spans it returns never throw either.
 */
export class SafeTracer implements Tracer {
  #tracer: Tracer | undefined;
  constructor(private readonly provider?: TracerProvider) {}

  #get(): Tracer {
    if (this.#tracer) return this.#tracer;
    // The global provider is looked up per span: it may be registered (or replaced) later.
    const tracer = (this.provider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, VERSION);
    if (!tracer || typeof tracer.startSpan !== 'function') throw new TypeError('not a tracer');
    if (this.provider) this.#tracer = tracer;
    return tracer;
  }

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    try {
      return new GuardedSpan(this.#get().startSpan(name, options, ctx));
    } catch (error) {
      reportFault(`startSpan ${name}`, error);
      const parent = safeSpanContext(ctx);
      return trace.wrapSpanContext(parent ?? NOOP_SPAN_CONTEXT);
    }
  }

  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: unknown[]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = (rest.length >= 2 ? rest[0] : undefined) as SpanOptions | undefined;
    const ctx = (rest.length >= 3 ? rest[1] : undefined) as Context | undefined;
    const parent = ctx ?? context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

function safeSpanContext(ctx: Context): SpanContext | undefined {
  try {
    const sc = trace.getSpanContext(ctx);
    return sc && { ...sc, isRemote: false };
  } catch {
    return undefined;
  }
}

/** The safe tracer for `provider` (default: the global one, followed as it changes). */
export function safeTracer(provider?: unknown): SafeTracer {
  return new SafeTracer(isProvider(provider) ? provider : undefined);
}

function isProvider(value: unknown): value is TracerProvider {
  try {
    return (
      !!value &&
      typeof value === 'object' &&
      typeof (value as TracerProvider).getTracer === 'function'
    );
  } catch {
    return false;
  }
}

/**
 * The provider's tracer, resolved once at setup, for hot paths that guard their own span
 * calls; when `getTracer` throws, the fault is counted and a `SafeTracer` (which retries per
 * span) stands in, so building middleware never throws at the host.
 */
export function resolveTracer(provider?: unknown): Tracer {
  try {
    const p = isProvider(provider) ? provider : trace.getTracerProvider();
    const tracer = p.getTracer(SCOPE_NAME, VERSION);
    if (tracer && typeof tracer.startSpan === 'function') return tracer;
  } catch (error) {
    reportFault('getTracer', error);
  }
  return safeTracer(provider);
}
