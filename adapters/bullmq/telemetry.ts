import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type Span,
  type TracerProvider,
} from '@opentelemetry/api';
import type { ContextManager, Telemetry, Tracer, Span as BullSpan } from 'bullmq';
import { ATTR_MESSAGING_SYSTEM, readField, safeTracer } from '../kit.js';
import { contextFromMetadata, contextToMetadata } from './metadata.js';

export interface BullmqTelemetryOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

const SYSTEM = 'bullmq';

/** bullmq's span facade over an OpenTelemetry span (a guarded one: it never throws). */
function bullSpan(span: Span): BullSpan<Context> {
  return {
    setSpanOnContext: (ctx) => trace.setSpan(ctx, span),
    setAttribute: (key, value) => void span.setAttribute(key, value),
    setAttributes: (attributes) => void span.setAttributes(attributes),
    addEvent: (name, attributes) => void span.addEvent(name, attributes),
    recordException: (exception, time) => span.recordException(exception, time),
    end: () => span.end(),
  };
}

/**
 * A `telemetry` for bullmq's `Queue`, `Worker` and `FlowProducer`: bullmq opens `add {queue}.{job}`
 * PRODUCER and `process {queue}` CONSUMER spans itself, and carries the context in
 * `job.opts.telemetry.metadata` in bullmq-otel's format, so either side may use bullmq-otel.
 * Unlike bullmq-otel, bad metadata (not JSON, oversized, invalid `traceparent`) never fails the
 * job, and neither does a throwing tracer or span processor: the job runs, its span is lost.
 */
export function bullmqTelemetry(options: BullmqTelemetryOptions = {}): Telemetry<Context> {
  const otelTracer = safeTracer(readField(options, 'tracerProvider'));
  const tracer: Tracer<Context> = {
    startSpan(name, spanOptions, ctx) {
      const kind = spanOptions?.kind as number | undefined;
      const messaging = kind === SpanKind.PRODUCER || kind === SpanKind.CONSUMER;
      return bullSpan(
        otelTracer.startSpan(
          name,
          { kind, attributes: messaging ? { [ATTR_MESSAGING_SYSTEM]: SYSTEM } : undefined },
          ctx ?? context.active(),
        ),
      );
    },
  };
  const contextManager: ContextManager<Context> = {
    with: (ctx, fn) => context.with(ctx, fn),
    active: () => context.active(),
    root: () => ROOT_CONTEXT,
    getMetadata: (ctx) => contextToMetadata(ctx),
    fromMetadata: (active, metadata) => contextFromMetadata(metadata, active),
  };
  return { tracer, contextManager };
}
