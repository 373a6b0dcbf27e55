import { context, type Span } from '@opentelemetry/api';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { reportFault } from '../kit.js';
import { nodeHeadersGetter } from '../http-shared/getters.js';
import { resolveHttpServerOptions, type HttpServerTracingOptions } from '../http-shared/options.js';
import { wantsServerSpan } from '../http-shared/detect.js';
import { endServerSpan, serverSpanStarter } from '../http-shared/server-span.js';

const SPAN = Symbol('calltrace.serverSpan');
const startServerSpan = serverSpanStarter(nodeHeadersGetter);
type TracedResponse = Response & { [SPAN]?: Span };

/**
 * Express middleware (`app.use(httpTracing())`, before your routes): runs each request in the
 * caller's trace under a SERVER span `METHOD route`. The span is ERROR when the response is
 * 5xx (Express's default error handler answers a thrown error with 500); errors are never
 * caught here, so they reach your error handler unchanged.
 */
export function httpTracing(options: HttpServerTracingOptions = {}): RequestHandler {
  const o = resolveHttpServerOptions(options);
  return function calltraceServerSpan(req: Request, res: Response, next: NextFunction) {
    if (!wantsServerSpan(o)) return next();
    let ctx;
    try {
      const path = req.originalUrl;
      const q = path.indexOf('?');
      const started = startServerSpan(
        o,
        req.headers,
        req.method,
        q === -1 ? path : path.slice(0, q),
      );
      (res as TracedResponse)[SPAN] = started.span;
      res.on('close', onClose); // emitted once: after finish, or when the client goes away
      ctx = started.ctx;
    } catch (error) {
      reportFault('http server span', error);
      return next();
    }
    context.with(ctx, next);
  };
}

/** Shared by every request (no closure per request): `this` is the response. */
function onClose(this: TracedResponse): void {
  const span = this[SPAN];
  if (!span) return;
  this[SPAN] = undefined;
  const req = this.req;
  const route = req.route as { path?: unknown } | undefined;
  const routePath =
    route && route.path !== undefined ? req.baseUrl + String(route.path) : undefined;
  endServerSpan(span, req.method, routePath, this.statusCode);
}
