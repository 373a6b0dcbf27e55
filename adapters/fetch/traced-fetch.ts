import { context, SpanKind, SpanStatusCode, trace, type TextMapSetter } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '../../src/semconv.js';
import { safeInject } from '../../src/propagation/index.js';
import { SCOPE_NAME, VERSION } from '../../src/version.js';

const headersSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

/** The request's headers plus the given context's `traceparent`/`tracestate`. Never throws. */
function headersWith(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  ctx = context.active(),
) {
  const headers = new Headers(
    init?.headers ?? (input instanceof Request ? input.headers : undefined),
  );
  safeInject(headers, headersSetter, ctx); // W3C Level 2; never throws
  return headers;
}

/**
 * `fetch` that carries the current context (`traceparent`, `tracestate`) to the server,
 * without a span of its own: the HTTP tool service's SERVER span becomes a child of whatever
 * is active — in a tool's `execute`, the `execute_tool` span.
 */
export function fetchWithContext(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return fetch(input, { ...init, headers: headersWith(input, init) });
}

/**
 * `fetch` with a CLIENT span (`METHOD`, `http.request.method`, `server.address`,
 * `server.port`, `http.response.status_code`; ERROR on a network error or a status ≥ 400)
 * whose context is carried to the server. Errors and responses pass through unchanged.
 */
export async function tracedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  // Looked up per call: follows a global provider registered (or replaced) later.
  const span = trace.getTracer(SCOPE_NAME, VERSION).startSpan(method, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, ...serverAttributes(input) },
  });
  const headers = headersWith(input, init, trace.setSpan(context.active(), span));
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers });
  } catch (error) {
    span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : '_OTHER');
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    throw error;
  }
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
  if (response.status >= 400) {
    span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
  return response;
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
