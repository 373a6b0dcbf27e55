import { context, SpanKind, SpanStatusCode, trace, type TextMapSetter } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  errorType,
  reportFault,
  safeInject,
  safeTracer,
} from '../kit.js';

const headersSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

/** Follows the global provider, looked up per request (it may be registered later). */
const tracer = safeTracer();

/**
 * The request's headers plus the given context's `traceparent`/`tracestate`, or undefined
 * when the headers cannot be copied (then fetch gets the caller's own, untouched).
 */
function headersWith(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  ctx = context.active(),
): Headers | undefined {
  try {
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    return safeInject(headers, headersSetter, ctx);
  } catch (error) {
    reportFault('fetch headers', error);
    return undefined;
  }
}

/** `init` with the trace headers, or the caller's own `init` when they could not be added. */
function withHeaders(input: RequestInfo | URL, init: RequestInit | undefined) {
  const headers = headersWith(input, init);
  return headers ? { ...init, headers } : init;
}

/**
 * `fetch` that carries the current context (`traceparent`, `tracestate`) to the server,
 * without a span of its own: the HTTP tool service's SERVER span becomes a child of whatever
 * is active — in a tool's `execute`, the `execute_tool` span.
 */
export function fetchWithContext(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return fetch(input, withHeaders(input, init));
}

/**
 * `fetch` with a CLIENT span (`METHOD`, `http.request.method`, `server.address`,
 * `server.port`, `http.response.status_code`; ERROR on a network error or a status ≥ 400)
 * whose context is carried to the server. Errors and responses pass through unchanged: a
 * broken tracer or span processor never turns a response into a rejection.
 */
export async function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const method = methodOf(input, init);
  const span = tracer.startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, ...serverAttributes(input) },
  });
  const headers = headersWith(input, init, trace.setSpan(context.active(), span));
  let response: Response;
  try {
    response = await fetch(input, headers ? { ...init, headers } : init);
  } catch (error) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    throw error;
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
  if (response.status >= 400) {
    span.setAttribute(ATTR_ERROR_TYPE, errorType(response.status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end(); // a guarded span: a processor throwing in onEnd cannot reach the caller
  return response;
}

function methodOf(input: RequestInfo | URL, init: RequestInit | undefined): string {
  try {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    return typeof method === 'string' ? method.toUpperCase() : 'GET';
  } catch {
    return 'GET';
  }
}

function serverAttributes(input: RequestInfo | URL): Record<string, string | number> {
  try {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { [ATTR_SERVER_ADDRESS]: url.hostname, [ATTR_SERVER_PORT]: port };
  } catch {
    return {}; // a relative URL (browsers): fetch resolves it, we skip the attributes
  }
}
