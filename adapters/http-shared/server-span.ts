import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { incomingContext } from '../../src/propagation/index.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '../../src/semconv.js';
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

/**
 * Opens the SERVER span (named `METHOD` until the route is known) under the caller's
 * context, or as a new root linked to it in `'link'` mode. Returns the span and the context to
 * run the handler in.
 */
export function startServerSpan<C>(
  o: ResolvedHttpServerOptions,
  headers: C,
  getter: TextMapGetter<C>,
  method: string,
  path: string,
): { span: Span; ctx: Context } {
  const incoming = incomingContext(headers, getter, o.trust);
  const span = o.tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path },
      links: incoming.links,
      root: incoming.root,
    },
    incoming.parent,
  );
  return { span, ctx: trace.setSpan(incoming.parent, span) };
}

/** Names the span `METHOD route` once routing is done, records status and errors, ends it. */
export function endServerSpan(
  span: Span,
  method: string,
  route: string | undefined,
  status: number,
  error?: unknown,
): void {
  try {
    if (route) {
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.updateName(`${method} ${route}`);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (error !== undefined) {
      if (error instanceof Error) span.recordException(error);
      span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  } catch {
    // A throwing span processor must not reach the response.
  }
}

function errorType(error: unknown): string {
  if (error instanceof Error) return error.constructor?.name || error.name || 'Error';
  return '_OTHER';
}
