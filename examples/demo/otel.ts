import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

let otlp: BatchSpanProcessor | undefined;

/**
 * OpenTelemetry as a service would set it up, but keeping spans in memory to print them
 * (plus any `extra` processors, e.g. the call index). With OTEL_EXPORTER_OTLP_ENDPOINT set
 * (e.g. http://localhost:4318 for `npm run jaeger`), the spans also go there over OTLP/HTTP.
 */
export function setupDemoTracing(extra: SpanProcessor[] = []): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  const processors: SpanProcessor[] = [new SimpleSpanProcessor(exporter), ...extra];
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    otlp = new BatchSpanProcessor(new OTLPTraceExporter());
    processors.push(otlp);
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: processors }));
  return exporter;
}

/** Sends what the OTLP exporter still holds and stops it; call before the process exits. */
export async function flushDemoTracing(): Promise<void> {
  await otlp?.shutdown();
}
