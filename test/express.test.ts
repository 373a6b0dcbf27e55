import { createServer, type createServer as CreateServer } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { setTraceProcessors, setTracingDisabled } from '@openai/agents';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { callToolService } from './helpers/http-tool.js';
import { httpTracing, type HttpServerTracingOptions } from '../adapters/express/index.js';
import { fetchWithContext } from '../adapters/fetch/index.js';

const otel = setupOtel();
const tracer = trace.getTracer('order-service');
const REMOTE_TRACE = '0af7651916cd43dd8448eb211c80319c';
const REMOTE_SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01`;

class OrderDbError extends Error {}

/** A real Express tool service on loopback; `seen` holds what reached its error handler. */
async function orderService(options?: HttpServerTracingOptions) {
  const seen: unknown[] = [];
  const thrown = new OrderDbError('orders table locked');
  const app = express();
  app.use(httpTracing(options));
  app.get('/orders/:id', (req, res) => {
    tracer.startActiveSpan('SELECT orders', (span) => {
      span.end();
      res.json({ id: req.params.id, status: 'shipped' });
    });
  });
  app.get('/boom', () => {
    throw thrown;
  });
  app.get('/unavailable', (_req, res) => {
    res.status(503).send('down');
  });
  const api = express.Router();
  api.get('/items/:sku', (_req, res) => {
    res.send('ok');
  });
  app.use('/api/v1', api);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    seen.push(err);
    res.status(500).send('handled');
  });
  const server = await listen(createServer(app));
  return { ...server, seen, thrown };
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

/** Spans end on the response's `close`, which can land just after the client has the body. */
async function serverSpan(name: string) {
  for (let i = 0; i < 100 && otel.byName(name).length === 0; i++)
    await new Promise((r) => setTimeout(r, 5));
  return otel.one(name);
}

describe('calltrace/express', () => {
  it('joins the calling tool’s trace: execute_tool → client GET → SERVER span → handler span', async () => {
    const { traceId, output } = await callToolService(service.url);
    expect(JSON.parse(output)).toEqual({ id: '42', status: 'shipped' });
    const server = await serverSpan('GET /orders/:id');
    const tool = otel.one('execute_tool lookup_order');
    const client = otel.one('GET');
    const db = otel.one('SELECT orders');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([traceId]));
    expect(parentOf(client)).toBe(idOf(tool));
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(server)).toBe(idOf(client));
    expect(parentOf(db)).toBe(idOf(server));
  });

  it('records method, route, path and status on the SERVER span', async () => {
    await fetch(`${service.url}/orders/7?verbose=1`);
    const server = await serverSpan('GET /orders/:id');
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'url.path': '/orders/7',
      'http.response.status_code': 200,
    });
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('names a route in a mounted router with its base path', async () => {
    await fetch(`${service.url}/api/v1/items/A-1`);
    const server = await serverSpan('GET /api/v1/items/:sku');
    expect(server.attributes['http.route']).toBe('/api/v1/items/:sku');
  });

  it('passes a thrown error to the app’s error handler unchanged and marks the span ERROR', async () => {
    const res = await fetch(`${service.url}/boom`);
    expect(await res.text()).toBe('handled');
    expect(service.seen.at(-1)).toBe(service.thrown);
    const server = await serverSpan('GET /boom');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['http.response.status_code']).toBe(500);
  });

  it('marks a 5xx answer ERROR with error.type', async () => {
    await fetch(`${service.url}/unavailable`);
    const server = await serverSpan('GET /unavailable');
    expect(server.status.code).toBe(SpanStatusCode.ERROR);
    expect(server.attributes['error.type']).toBe('503');
  });

  it('keeps the method as the name when no route matched', async () => {
    const res = await fetch(`${service.url}/nowhere`);
    expect(res.status).toBe(404);
    const server = await serverSpan('GET');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('adopts a valid incoming traceparent as the parent by default', async () => {
    await fetch(`${service.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
    const server = await serverSpan('GET /orders/:id');
    expect(traceOf(server)).toBe(REMOTE_TRACE);
    expect(parentOf(server)).toBe(REMOTE_SPAN);
  });

  it('starts a fresh trace on a malformed traceparent', async () => {
    const bad = `00-${'0'.repeat(32)}-${REMOTE_SPAN}-01`;
    const res = await fetch(`${service.url}/orders/1`, {
      headers: { traceparent: bad, tracestate: 'x'.repeat(4000) },
    });
    expect(res.status).toBe(200);
    const server = await serverSpan('GET /orders/:id');
    expect(parentOf(server)).toBeUndefined();
    expect(traceOf(server)).not.toBe('0'.repeat(32));
    expect(traceOf(server)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("in 'link' mode starts a new root that links to the caller", async () => {
    const edge = await orderService({ trustIncoming: 'link' });
    try {
      await fetch(`${edge.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
      const server = await serverSpan('GET /orders/:id');
      expect(parentOf(server)).toBeUndefined();
      expect(traceOf(server)).not.toBe(REMOTE_TRACE);
      expect(server.links.map((l) => l.context.spanId)).toEqual([REMOTE_SPAN]);
      expect(server.links[0]!.context.traceId).toBe(REMOTE_TRACE);
    } finally {
      await edge.close();
    }
  });

  it("with serverSpan: 'off' opens no span and leaves the handler in the active context", async () => {
    const quiet = await orderService({ serverSpan: 'off' });
    try {
      await fetchWithContext(`${quiet.url}/orders/1`);
      await new Promise((r) => setTimeout(r, 20));
      expect(otel.byName('GET /orders/:id')).toHaveLength(0);
      expect(otel.byName('SELECT orders')).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });
});

describe('calltrace/express under @opentelemetry/instrumentation-http', () => {
  it('opens no second SERVER span and runs the handler inside the instrumentation’s', async () => {
    const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
    const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
    const instrumentation = new HttpInstrumentation();
    const unregister = registerInstrumentations({ instrumentations: [instrumentation] });
    // The instrumentation patches `http` when it is required (ESM imports need the loader hook).
    const http = createRequire(import.meta.url)('node:http') as {
      createServer: typeof CreateServer;
    };
    const app = express();
    app.use(httpTracing());
    app.get('/orders/:id', (_req, res) => {
      tracer.startActiveSpan('SELECT orders', (span) => {
        span.end();
        res.send('ok');
      });
    });
    const server = await listen(http.createServer(app));
    try {
      await fetch(`${server.url}/orders/1`, { headers: { traceparent: TRACEPARENT } });
      for (let i = 0; i < 100 && otel.byName('SELECT orders').length === 0; i++)
        await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
      const servers = otel.spans().filter((s) => s.kind === SpanKind.SERVER);
      expect(servers).toHaveLength(1);
      expect(servers[0]!.instrumentationScope.name).toBe('@opentelemetry/instrumentation-http');
      expect(parentOf(servers[0]!)).toBe(REMOTE_SPAN);
      expect(parentOf(otel.one('SELECT orders'))).toBe(idOf(servers[0]!));
    } finally {
      await server.close();
      instrumentation.disable();
      unregister();
    }
  });
});
