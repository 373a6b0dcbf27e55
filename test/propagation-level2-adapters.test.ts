import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import express from 'express';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { SpanKind } from '@opentelemetry/api';
import { connect, headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { setupOtel } from './helpers/otel.js';
import { listen } from './helpers/http.js';
import { hasService, SERVICES } from './helpers/services.js';
import { httpTracing as expressTracing } from '../adapters/express/index.js';
import { httpTracing as honoTracing } from '../adapters/hono/index.js';
import { tracedFetch } from '../adapters/fetch/index.js';
import { natsTracing } from '../adapters/nats/index.js';

/**
 * W3C Trace Context Level 2 through the real adapters, with @opentelemetry/core's Level 1
 * propagator registered globally (what most setups have): a request arrives with the random
 * flag and a long or Level 2-only tracestate; what the server span adopts and what the
 * handler's own outgoing call sends on is read off the wire.
 */
const otel = setupOtel();
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const RANDOM_SAMPLED = `00-${TRACE}-${SPAN}-03`;
/** The finding's shape: 671 characters, 7 members of 95; Level 1 and the old getter lost it. */
const LONG = Array.from({ length: 7 }, (_, i) => `v${i}@t=${String(i).repeat(90)}`);
const LONG_STATE = LONG.join(',');
const KEPT_STATE = LONG.slice(0, 5).join(',');

/** A downstream service that records the trace headers it receives. */
async function downstream() {
  const received: IncomingHttpHeaders[] = [];
  const server = await listen(
    createServer((req, res) => {
      received.push(req.headers);
      res.end('ok');
    }),
  );
  return { ...server, received };
}

let sink: Awaited<ReturnType<typeof downstream>>;
beforeAll(async () => {
  expect(LONG_STATE).toHaveLength(671);
  sink = await downstream();
});
beforeEach(() => {
  otel.reset();
  sink.received.length = 0;
});
afterAll(async () => {
  await sink.close();
  await otel.shutdown();
});

/** Asserts the server span adopted the caller and the handler's call carried it on. */
function expectCarriedOn(tracestate: string | undefined) {
  const server = otel.spans().find((s) => s.kind === SpanKind.SERVER)!;
  expect(server.spanContext().traceId).toBe(TRACE);
  expect(server.parentSpanContext?.spanId).toBe(SPAN);
  expect(server.spanContext().traceState?.serialize()).toBe(tracestate);
  const sent = sink.received[0]!;
  expect(sent.traceparent).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-03$`));
  expect(sent.tracestate).toBe(tracestate);
}

describe('Express middleware → tracedFetch', () => {
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    app.use(expressTracing());
    app.get('/tool', async (_req, res) => {
      await (await tracedFetch(sink.url)).text();
      res.send('done');
    });
    ({ url, close } = await listen(createServer(app)));
  });
  afterAll(() => close());

  it('a 671-character tracestate is truncated by whole entries and sent on with the random flag', async () => {
    const res = await fetch(`${url}/tool`, {
      headers: { traceparent: RANDOM_SAMPLED, tracestate: LONG_STATE },
    });
    expect(await res.text()).toBe('done');
    expectCarriedOn(KEPT_STATE);
  });

  it('an invalid tracestate is discarded whole and no empty tracestate is sent', async () => {
    await fetch(`${url}/tool`, {
      headers: { traceparent: RANDOM_SAMPLED, tracestate: 'ok=1,BAD=2' },
    });
    expectCarriedOn(undefined);
    expect('tracestate' in sink.received[0]!).toBe(false);
  });

  it('multi-tenant keys with @ anywhere after the first character are kept', async () => {
    await fetch(`${url}/tool`, {
      headers: { traceparent: RANDOM_SAMPLED, tracestate: `${'t'.repeat(242)}@v=1,a@b@c=2` },
    });
    expectCarriedOn(`${'t'.repeat(242)}@v=1,a@b@c=2`);
  });
});

describe('Hono middleware (@hono/node-server) → tracedFetch', () => {
  let url: string;
  let server: ReturnType<typeof serve>;
  beforeAll(async () => {
    const app = new Hono();
    app.use(honoTracing());
    app.get('/tool', async (c) => {
      await (await tracedFetch(sink.url)).text();
      return c.text('done');
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a 671-character tracestate sent as two header fields is joined, truncated and sent on', async () => {
    const h = new Headers({ traceparent: RANDOM_SAMPLED });
    h.append('tracestate', LONG.slice(0, 3).join(','));
    h.append('tracestate', LONG.slice(3).join(','));
    await fetch(`${url}/tool`, { headers: h });
    expectCarriedOn(KEPT_STATE);
  });

  it('33 members: the tracestate is discarded whole, the trace kept', async () => {
    const state = Array.from({ length: 33 }, (_, i) => `k${i}=${i}`).join(',');
    await fetch(`${url}/tool`, { headers: { traceparent: RANDOM_SAMPLED, tracestate: state } });
    expectCarriedOn(undefined);
  });
});

const natsUp = await hasService('nats');
describe.skipIf(!natsUp)('NATS request/reply (real server)', () => {
  const nats = natsTracing({ headers });
  const subject = `l2.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let client: NatsConnection;
  let service: NatsConnection;
  const onWire: MsgHdrs[] = [];
  beforeAll(async () => {
    client = await connect({ servers: SERVICES.nats });
    service = await connect({ servers: SERVICES.nats });
    service.subscribe(`${subject}.tool`, {
      callback: (_e, msg) => {
        if (msg.headers) onWire.push(msg.headers);
        nats.process(msg, (m) => nats.respond(m, 'ok'));
      },
    });
    // The microservice's own next hop, published from inside its process span.
    service.subscribe(`${subject}.hop`, {
      callback: (_e, msg) =>
        nats.process(msg, (m) => {
          nats.publish(service, `${subject}.tool`, 'onward', { headers: headers() });
          nats.respond(m, 'ok');
        }),
    });
    await service.flush();
  });
  afterAll(async () => {
    await client?.close();
    await service?.close();
  });

  it('the process span adopts the Level 2 context; its next publish keeps the random flag', async () => {
    const h = headers();
    h.set('traceparent', RANDOM_SAMPLED);
    h.set('tracestate', LONG_STATE);
    await client.request(`${subject}.hop`, 'hi', { timeout: 5000, headers: h });
    for (let i = 0; i < 200 && onWire.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const process = otel.spans().find((s) => s.name === `process ${subject}.hop`)!;
    expect(process.spanContext().traceId).toBe(TRACE);
    expect(process.parentSpanContext?.spanId).toBe(SPAN);
    expect(process.spanContext().traceState?.serialize()).toBe(KEPT_STATE);
    const sent = onWire[0]!;
    expect(sent.get('traceparent')).toMatch(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-03$`));
    expect(sent.get('tracestate')).toBe(KEPT_STATE);
  });

  it('a context without tracestate sends no tracestate header', async () => {
    onWire.length = 0;
    await nats.request(client, `${subject}.tool`, 'hi', { timeout: 5000, headers: headers() });
    expect(onWire[0]!.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(onWire[0]!.has('tracestate')).toBe(false);
  });
});
