import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { IncomingTrust } from '../../src/propagation/index.js';
import { plainOptions, resolveTracer } from '../kit.js';

/** Options of the Express and Hono server middleware. */
export interface HttpServerTracingOptions {
  /**
   * What an incoming `traceparent` becomes. `'parent'` (default): the request joins the
   * caller's trace — right for a tool service that only your agents call. `'link'`: a new
   * trace that links to the caller — for endpoints reachable from the internet, where anyone
   * can send a `traceparent`.
   */
  trustIncoming?: IncomingTrust;
  /**
   * Whether to open calltrace's SERVER span. `'auto'` (default): only when the active context
   * holds no recording SERVER span yet — OpenTelemetry's HTTP instrumentation and @hono/otel
   * run the request inside theirs, and the handler then simply stays in it. `'always'`: open
   * one regardless. `'off'`: never; the handler runs in whatever context is active.
   */
  serverSpan?: 'auto' | 'always' | 'off';
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

export interface ResolvedHttpServerOptions {
  trust: IncomingTrust;
  serverSpan: 'auto' | 'always' | 'off';
  tracer: Tracer;
}

/** Defaults resolved once, when the middleware is built. */
export function resolveHttpServerOptions(raw: HttpServerTracingOptions): ResolvedHttpServerOptions {
  const o = plainOptions<HttpServerTracingOptions>(raw);
  return {
    trust: o.trustIncoming === 'link' ? 'link' : 'parent',
    serverSpan: o.serverSpan === 'always' || o.serverSpan === 'off' ? o.serverSpan : 'auto',
    // A ProxyTracer from the global provider follows a provider registered later.
    tracer: resolveTracer(o.tracerProvider),
  };
}
