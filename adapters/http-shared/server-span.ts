import {
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
import { errorType, reportFault } from '../kit.js';
import type { ResolvedHttpServerOptions } from './options.js';

/** Opens the SERVER span (named `METHOD` until the route is known) in the caller's trace. */
export function serverSpanStarter<C>(getter: TextMapGetter<C>) {
  return function startServerSpan(
    o: ResolvedHttpServerOptions,
    headers: C,
    method: string,
    path: string,
  ): { span: Span; ctx: Context } {
    const { parent, links } = incomingContext(headers, getter, o.trust);
    const span = o.tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path },
        links,
      },
      parent,
    );
    return { span, ctx: trace.setSpan(parent, span) };
  };
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
  } catch (error) {
    reportFault('http server span', error); // a throwing span processor must not reach the response
  }
}
