import { context } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { reportFault } from '../kit.js';
import { webHeadersGetter } from '../http-shared/getters.js';
import { resolveHttpServerOptions, type HttpServerTracingOptions } from '../http-shared/options.js';
import { wantsServerSpan } from '../http-shared/detect.js';
import { endServerSpan, serverSpanStarter } from '../http-shared/server-span.js';

const startServerSpan = serverSpanStarter(webHeadersGetter);

/**
 * Hono middleware (`app.use(httpTracing())`, before your routes): runs each request in the
 * caller's trace under a SERVER span `METHOD route`. ERROR on a 5xx or an error thrown by a
 * handler (Hono hands it to `app.onError` first, unchanged; the span reads it from `c.error`).
 * Web-standard only: runs on Workers, Deno and Bun as well as Node.
 */
export function httpTracing(options: HttpServerTracingOptions = {}): MiddlewareHandler {
  const o = resolveHttpServerOptions(options);
  return async function calltraceServerSpan(c, next) {
    if (!wantsServerSpan(o)) return next();
    let started;
    try {
      started = startServerSpan(o, c.req.raw.headers, c.req.method, c.req.path);
    } catch (error) {
      reportFault('http server span', error);
      return next();
    }
    let thrown: unknown;
    try {
      await context.with(started.ctx, next);
    } catch (error) {
      thrown = error;
      throw error;
    } finally {
      endServerSpan(started.span, c.req.method, matchedRoute(c), c.res.status, thrown ?? c.error);
    }
  };
}

/**
 * The handler's route (`/orders/:id`), or undefined when none matched: then the last route
 * run is a catch-all middleware (`/*`) and the answer a 404. Never throws.
 */
function matchedRoute(c: Context): string | undefined {
  try {
    const path = routePath(c);
    return path && !(c.res.status === 404 && path.endsWith('*')) ? path : undefined;
  } catch {
    return undefined;
  }
}
