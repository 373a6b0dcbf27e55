import { context, SpanKind, trace } from '@opentelemetry/api';
import type { ResolvedHttpServerOptions } from './options.js';

/**
 * True when the active context already holds a recording SERVER span: OpenTelemetry's HTTP
 * instrumentation and @hono/otel run the request inside theirs. The API's `Span` has no kind;
 * the SDK's span class exposes it as `kind`.
 */
export function activeServerSpan(): boolean {
  const span = trace.getSpan(context.active());
  return (
    span !== undefined &&
    span.isRecording() &&
    (span as unknown as { kind?: SpanKind }).kind === SpanKind.SERVER
  );
}

/** Whether this request gets calltrace's own span (decided per request in `'auto'` mode). */
export function wantsServerSpan(o: ResolvedHttpServerOptions): boolean {
  return o.serverSpan === 'always' || (o.serverSpan === 'auto' && !activeServerSpan());
}
