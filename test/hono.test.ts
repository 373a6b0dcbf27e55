import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Hono, type MiddlewareHandler } from 'hono';
import { serve } from '@hono/node-server';
import { httpInstrumentationMiddleware } from '@hono/otel';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { setTraceProcessors, setTracingDisabled } from '@openai/agents';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { callToolService } from './helpers/http-tool.js';
import { httpTracing, type HttpServerTracingOptions } from '../adapters/hono/index.js';

const otel = setupOtel();
const tracer = trace.getTracer('order-service');
const REMOTE_TRACE = '0af7651916cd43dd8448eb211c80319c';
const REMOTE_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`;

class OrderDbError extends Error {}

/** A real Hono tool service on loopback (@hono/node-server); `seen` holds what reached onError. */
async function orderService(options?: HttpServerTracingOptions, front?: MiddlewareHandler) {
  const seen: unknown[] = [];
  const thrown = new OrderDbError('orders table locked');
  const app = new Hono();
  if (front) app.use(front);
  app.use(httpTracing(options));
  app.get('/orders/:id', (c) =>
    tracer.startActiveSpan('SELECT orders', (span) => {
      span.end();
      return c.json({ id: c.req.param('id'), status: 'shipped' });
    }),
  );
  app.get('/boom', () => {
    throw thrown;
  });
  app.get('/unavailable', (c) => c.text('down', 503));
  const api = new Hono();
  api.get('/items/:sku', (c) => c.text('ok'));
  app.route('/api/v1', api);
  app.onError((err, c) => {
    seen.push(err);
    return c.text('handled', 500);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    seen,
    thrown,
  };
}

let service: Awaited<ReturnType<typeof orderService>>;
beforeAll(async () => {
  setTracingDisabled(false); // vitest sets NODE_ENV=test, which disables SDK tracing
  setTraceProcessors([]); // no OpenAI exporter
  service = await orderService();
});
beforeEach(() => otel.reset());
afterAll(async () => {
  await service.close();
  await otel.shutdown();
});

describe('calltrace/hono', () => {
  it('joins the calling tool’s trace: execute_tool → client GET → SERVER span → handler span', async () => {
    const { traceId, output } = await callToolService(service.url);
    expect(JSON.parse(output)).toEqual({ id: '42', status: 'shipped' });
    const server = otel.one('GET /orders/:id');
    const tool = otel.one('execute_tool lookup_order');
    const client = otel.one('GET');
    const db = otel.one('SELECT orders');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([traceId]));
    expect(parentOf(client)).toBe(idOf(tool));
    expect(parentOf(server)).toBe(idOf(client));
    expect(parentOf(db)).toBe(idOf(server));
  });

  it('records method, route, path and status on the SERVER span', async () => {
    await fetch(`${service.url}/orders/7?verbose=1`);
    const server = otel.one('GET /orders/:id');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'url.path': '/orders/7',
      'http.response.status_code': 200,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('names a route in a mounted sub-app with its base path', async () => {
    await fetch(`${service.url}/api/v1/items/A-1`);
    expect(otel.one('GET /api/v1/items/:sku').attributes['http.route']).toBe('/api/v1/items/:sku');
  });

  it('passes a thrown error to onError unchanged and records it on an ERROR span', async () => {
    const res = await fetch(`${service.url}/boom`);
    expect(await res.text()).toBe('handled');
    expect(service.seen.at(-1)).toBe(service.thrown);
    const server = otel.one('GET /boom');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['error.type']).toBe('OrderDbError');
    expect(server.events.map((e) => e.name)).toContain('exception');
  });

  it('marks a 5xx answer ERROR with error.type', async () => {
    await fetch(`${service.url}/unavailable`);
    const server = otel.one('GET /unavailable');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['error.type']).toBe('503');
  });

  it('keeps the method as the name when no route matched', async () => {
    const res = await fetch(`${service.url}/nowhere`);
    expect(res.status).toBe(404);
    const server = otel.one('GET');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('adopts a valid incoming traceparent as the parent by default', async () => {
    await fetch(`${service.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
    const server = otel.one('GET /orders/:id');
    expect(traceOf(server)).toBe(REMOTE_TRACE);
    expect(parentOf(server)).toBe(REMOTE_SPAN);
  });

  it('starts a fresh trace on a malformed traceparent', async () => {
    const res = await fetch(`${service.url}/orders/1`, {
      headers: { traceparent: `00-${REMOTE_TRACE}-${'0'.repeat(16)}-01`, tracestate: '=,=,=' },
    });
    expect(res.status).toBe(200);
    const server = otel.one('GET /orders/:id');
    expect(parentOf(server)).toBeUndefined();
    expect(traceOf(server)).not.toBe(REMOTE_TRACE);
  });

  it("in 'link' mode starts a new root that links to the caller", async () => {
    const edge = await orderService({ trustIncoming: 'link' });
    try {
      await fetch(`${edge.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
      const server = otel.one('GET /orders/:id');
      expect(parentOf(server)).toBeUndefined();
      expect(traceOf(server)).not.toBe(REMOTE_TRACE);
      expect(server.links.map((l) => l.context.spanId)).toEqual([REMOTE_SPAN]);
    } finally {
      await edge.close();
    }
  });

  it('behind @hono/otel opens no second SERVER span; the handler runs inside @hono/otel’s', async () => {
    const both = await orderService({}, httpInstrumentationMiddleware());
    try {
      await fetch(`${both.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
      const servers = otel.spans().filter((s) => s.kind === SpanKind.SERVER);
      expect(servers).toHaveLength(1);
      expect(servers[0]!.instrumentationScope.name).toBe('@hono/otel');
      expect(parentOf(servers[0]!)).toBe(REMOTE_SPAN);
      expect(parentOf(otel.one('SELECT orders'))).toBe(idOf(servers[0]!));
    } finally {
      await both.close();
    }
  });

  it("with serverSpan: 'always' opens its own span even behind @hono/otel", async () => {
    const both = await orderService({ serverSpan: 'always' }, httpInstrumentationMiddleware());
    try {
      await fetch(`${both.url}/orders/1`);
      expect(otel.spans().filter((s) => s.kind === SpanKind.SERVER)).toHaveLength(2);
    } finally {
      await both.close();
    }
  });
});
