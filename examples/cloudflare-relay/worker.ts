/**
 * The Worker: routes `GET /calls/:id` (a WebSocket upgrade from the caller's app) to the
 * Durable Object that holds that call. calltrace's Hono middleware gives the request a SERVER
 * span; the caller's app is on the internet, so its `traceparent` is linked, not adopted.
 */
import { Hono } from 'hono';
import { injectHeaders } from 'calltrace';
import { httpTracing } from 'calltrace/hono';
import { telemetry } from './telemetry.js';
import type { DurableObjectNamespace, ExecutionContext } from './workers-types.js';
import type { RelayEnv } from './relay.js';

export { CallRelay } from './relay.js';

interface Env extends RelayEnv {
  RELAY: DurableObjectNamespace;
}

const app = new Hono<{ Bindings: Env }>();

// First: set up the isolate's exporter, and keep it alive until the request's spans are sent.
app.use(async (c, next) => {
  const provider = telemetry(c.env);
  await next();
  (c.executionCtx as ExecutionContext).waitUntil(provider.forceFlush());
});
app.use(httpTracing({ trustIncoming: 'link' }));

app.get('/calls/:id', (c) => {
  if (c.req.header('upgrade') !== 'websocket') return c.text('expected a WebSocket upgrade', 426);
  const relay = c.env.RELAY.get(c.env.RELAY.idFromName(c.req.param('id')));
  // The hop to the object carries this request's span: the call links to it.
  const headers = new Headers(c.req.raw.headers);
  for (const [k, v] of Object.entries(injectHeaders())) headers.set(k, v);
  return relay.fetch(new Request(c.req.raw, { headers }));
});

export default app;
