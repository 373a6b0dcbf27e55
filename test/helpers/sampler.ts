import {
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startCall, type CallHandle } from '../../src/call.js';
import { callTailSampler, type TailSamplerOptions } from '../../src/sampler/index.js';

/**
 * A real SDK pipeline with the tail sampler in front of an in-memory exporter:
 * provider → callTailSampler → SimpleSpanProcessor → InMemorySpanExporter.
 */
export function samplerPipeline(options: TailSamplerOptions = {}, next?: SpanProcessor) {
  const exporter = new InMemorySpanExporter();
  const sampler = callTailSampler({ next: next ?? new SimpleSpanProcessor(exporter), ...options });
  const provider = new BasicTracerProvider({ spanProcessors: [sampler] });
  const tracer = provider.getTracer('test');
  return {
    exporter,
    sampler,
    provider,
    names: () => exporter.getFinishedSpans().map((s) => s.name),
    exported: () => exporter.getFinishedSpans(),
    call: (callId?: string): CallHandle => startCall({ callId, tracerProvider: provider }),
    /** A finished child span of `parent` with these attributes (and an ERROR status if asked). */
    child(parent: CallHandle | Context, name: string, attrs: Attributes = {}, error = false) {
      const ctx = 'context' in parent ? parent.context : parent;
      const span = tracer.startSpan(name, { attributes: attrs }, ctx);
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      span.end();
      return span;
    },
    /** Starts an unfinished child (for late spans). */
    open: (parent: CallHandle, name: string) => tracer.startSpan(name, {}, parent.context),
    /** A span in another process's trace: its parent is remote, so it is a local root. */
    remoteRoot(traceId: string, name = 'tool-service') {
      const parent = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      });
      return tracer.startSpan(name, {}, parent);
    },
    shutdown: () => provider.shutdown(),
  };
}
