import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { idOf, setupOtel, traceOf } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { fetchWithContext, injectHeaders, tracedFetch } from '../adapters/fetch/index.js';

const otel = setupOtel();
const tracer = trace.getTracer('tool');
const received: IncomingHttpHeaders[] = [];
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  server = await listen(
    createServer((req, res) => {
      received.push(req.headers);
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end('ok');
    }),
  );
});
beforeEach(() => {
  otel.reset();
  received.length = 0;
});
afterAll(async () => {
  await server.close();
  await otel.shutdown();
});

const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;

describe('calltrace/fetch', () => {
  it('tracedFetch opens a CLIENT span under the active span and sends its context', async () => {
    await tracer.startActiveSpan('execute_tool lookup_order', async (tool) => {
      await tracedFetch(`${server.url}/orders/1`);
      tool.end();
    });
    const client = otel.one('GET');
    const tool = otel.one('execute_tool lookup_order');
    expect(client.kind).toBe(SpanKind.CLIENT);
    expect(client.parentSpanContext?.spanId).toBe(idOf(tool));
    expect(received[0]!.traceparent).toBe(traceparentOf(traceOf(tool), idOf(client)));
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    });
    expect(client.attributes['server.port']).toBe(Number(new URL(server.url).port));
  });

  it('keeps the caller’s own headers, whatever their form, and the Request’s method', async () => {
    await tracedFetch(`${server.url}/a`, { headers: { 'x-api-key': 'k1' } });
    await tracedFetch(`${server.url}/b`, { headers: new Headers({ 'x-api-key': 'k2' }) });
    await tracedFetch(`${server.url}/c`, { headers: [['x-api-key', 'k3']] });
    await tracedFetch(
      new Request(`${server.url}/d`, {
        method: 'POST',
        body: '{}',
        headers: { 'x-api-key': 'k4' },
      }),
    );
    expect(received.map((h) => h['x-api-key'])).toEqual(['k1', 'k2', 'k3', 'k4']);
    for (const h of received) expect(h.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(otel.byName('POST')).toHaveLength(1);
  });

  it('marks a 4xx/5xx answer ERROR and returns the response unchanged', async () => {
    const res = await tracedFetch(`${server.url}/missing`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('ok');
    const client = otel.one('GET');
    expect(client.status.code).toBe(SpanStatusCode.ERROR);
    expect(client.attributes['error.type']).toBe('404');
  });

  it('rejects with fetch’s own error on a network failure and ends the span as ERROR', async () => {
    const closed = await listen(createServer());
    await closed.close();
    const error = await tracedFetch(`${closed.url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    const client = otel.one('GET');
    expect(client.status.code).toBe(SpanStatusCode.ERROR);
    expect(client.attributes['error.type']).toBe('TypeError');
  });

  it('fetchWithContext sends the active span’s context and opens no span', async () => {
    await tracer.startActiveSpan('execute_tool lookup_order', async (tool) => {
      await fetchWithContext(`${server.url}/orders/1`, { headers: { 'x-api-key': 'k' } });
      tool.end();
    });
    const tool = otel.one('execute_tool lookup_order');
    expect(otel.spans()).toHaveLength(1);
    expect(received[0]!.traceparent).toBe(traceparentOf(traceOf(tool), idOf(tool)));
    expect(received[0]!['x-api-key']).toBe('k');
  });

  it('injectHeaders gives the active context as a header record, and nothing outside a span', () => {
    expect(injectHeaders()).toEqual({});
    tracer.startActiveSpan('t', (span) => {
      expect(injectHeaders({ accept: 'json' })).toEqual({
        accept: 'json',
        traceparent: traceparentOf(span.spanContext().traceId, span.spanContext().spanId),
      });
      span.end();
    });
  });
});
