import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import type { TracerProvider } from '@opentelemetry/api';
import { startCall } from '../src/call.js';
import {
  createWebRTCReportHandler,
  handleWebRTCReport,
  webrtcReportExpress,
  WebRTCAttr,
  WebRTCEvent,
  type WebRTCReport,
} from '../src/webrtc-server/index.js';
import { idOf, parentOf, setupOtel } from './helpers/otel.js';
import {
  REPORT_PATH,
  startExpress,
  startHono,
  type TestServer,
} from './fixtures/webrtc/servers.js';

const otel = setupOtel();
let servers: Record<'express' | 'hono', TestServer>;

beforeAll(async () => {
  const [e, h] = await Promise.all([startExpress(''), startHono('')]);
  servers = { express: e, hono: h };
});
afterAll(async () => {
  await servers.express.close();
  await servers.hono.close();
  await otel.shutdown();
});
beforeEach(() => otel.reset());

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function report(overrides: Record<string, unknown> = {}): WebRTCReport & Record<string, unknown> {
  return {
    v: 1,
    traceparent: TRACEPARENT,
    callId: 'call-1',
    elapsedMs: 400,
    outcome: 'connected',
    connectedMs: 120,
    firstCandidateMs: { host: 10, srflx: 80 },
    selectedPair: { local: 'srflx', remote: 'host', protocol: 'udp', rttMs: 12.5 },
    iceRestarts: 0,
    droppedEvents: 0,
    events: [
      { t: 1, e: 'signaling', v: 'have-local-offer' },
      { t: 10, e: 'candidate', v: 'host' },
      { t: 120, e: 'connection', v: 'connected' },
      { t: 130, e: 'selected_pair', v: 'srflx/host' },
    ],
    ...overrides,
  };
}

const post = (server: TestServer, body: BodyInit, init: RequestInit = {}) =>
  fetch(`${server.url}${REPORT_PATH}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    ...init,
  });

const spans = () => otel.byName('webrtc.peer_connection');
const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;

describe.each(['express', 'hono'] as const)('report endpoint over HTTP (%s)', (name) => {
  it('a well-formed report: 204 and one span under the traceparent', async () => {
    const call = startCall({ callId: 'call-http' });
    const res = await post(
      servers[name],
      JSON.stringify(report({ traceparent: call.traceparent })),
    );
    call.end();
    expect(res.status).toBe(204);
    expect(spans()).toHaveLength(1);
    expect(parentOf(spans()[0]!)).toBe(idOf(otel.one('call')));
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['an array', '[]'],
    ['a wrong version', JSON.stringify(report({ v: 2 }))],
    ['a malformed traceparent', JSON.stringify(report({ traceparent: '00-xyz-01' }))],
    ['an all-zero trace id', JSON.stringify(report({ traceparent: `00-${'0'.repeat(32)}-b7ad6b7169203331-01` }))],
    ['an unknown outcome', JSON.stringify(report({ outcome: 'great' }))],
    ['a negative time', JSON.stringify(report({ elapsedMs: -5 }))],
    ['a string time', JSON.stringify(report({ connectedMs: '120' }))],
    ['an unknown event kind', JSON.stringify(report({ events: [{ t: 1, e: 'dtls_secret' }] }))],
    ['free text as a state', JSON.stringify(report({ events: [{ t: 1, e: 'connection', v: 'hi <script>' }] }))],
    ['a call id with spaces', JSON.stringify(report({ callId: 'a b' }))],
    ['too many events', JSON.stringify(report({ events: Array.from({ length: 257 }, () => ({ t: 1, e: 'ice_restart' })) }))],
    ['an unknown candidate type', JSON.stringify(report({ selectedPair: { local: 'magic', remote: 'host' } }))],
  ])('400 and no span for %s', async (_what, body) => {
    const res = await post(servers[name], body);
    expect(res.status).toBe(400);
    expect(spans()).toHaveLength(0);
  }); // prettier-ignore

  it('400 and no span for a body over 16 KiB, declared or streamed', async () => {
    const padded = JSON.stringify(report({ pad: 'x'.repeat(17 * 1024) }));
    expect((await post(servers[name], padded)).status).toBe(400);
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(servers[name], stream, { duplex: 'half' } as RequestInit);
    expect(res.status).toBe(400);
    expect(spans()).toHaveLength(0);
  });
});

describe('the webrtc.peer_connection span', () => {
  it('carries the summary as attributes and the timeline as events at their offsets', () => {
    const receivedAt = Date.UTC(2026, 10, 27, 12, 0, 0);
    const result = createWebRTCReportHandler().handle(JSON.stringify(report()), receivedAt);
    expect(result.status).toBe(204);
    const span = otel.one('webrtc.peer_connection');
    expect(span.attributes).toMatchObject({
      [WebRTCAttr.outcome]: 'connected',
      [WebRTCAttr.connectedMs]: 120,
      [WebRTCAttr.firstHostCandidateMs]: 10,
      [WebRTCAttr.firstSrflxCandidateMs]: 80,
      [WebRTCAttr.localCandidateType]: 'srflx',
      [WebRTCAttr.remoteCandidateType]: 'host',
      [WebRTCAttr.rttMs]: 12.5,
      'gen_ai.conversation.id': 'call-1',
    });
    expect(ms(span.startTime)).toBe(receivedAt - 400);
    expect(ms(span.endTime)).toBe(receivedAt);
    expect(span.events.map((e) => [e.name, ms(e.time) - (receivedAt - 400)])).toEqual([
      [WebRTCEvent.signaling, 1],
      [WebRTCEvent.candidate, 10],
      [WebRTCEvent.connection, 120],
      [WebRTCEvent.selected_pair, 130],
    ]);
  });

  it('drops unknown fields, at the top, in events and in the pair', () => {
    const body = report({ secret: 'top-secret-1' });
    (body.events[0] as unknown as Record<string, unknown>).note = 'top-secret-2';
    (body.selectedPair as unknown as Record<string, unknown>).ip = 'top-secret-3';
    expect(handleWebRTCReport(body).status).toBe(204);
    const span = otel.one('webrtc.peer_connection');
    expect(JSON.stringify([span.attributes, span.events])).not.toContain('top-secret');
    expect(span.events[0]!.attributes).toEqual({ [WebRTCAttr.state]: 'have-local-offer' });
  });

  it('clamps times: offsets to the report’s age, the age to maxAgeMs', () => {
    const receivedAt = 1_800_000_000_000;
    const body = report({
      elapsedMs: 1e15,
      connectedMs: 2e15,
      events: [{ t: 9e15, e: 'connection', v: 'connected' }],
    });
    const { handle } = createWebRTCReportHandler({ maxAgeMs: 60_000 });
    expect(handle(body, receivedAt).status).toBe(204);
    const span = otel.one('webrtc.peer_connection');
    expect(ms(span.startTime)).toBe(receivedAt - 60_000);
    expect(span.attributes[WebRTCAttr.connectedMs]).toBe(60_000);
    expect(ms(span.events[0]!.time)).toBe(receivedAt);
  });

  it('a failed report sets ERROR status and error.type from the recorded reason', () => {
    const body = report({
      outcome: 'failed',
      failedMs: 300,
      connectedMs: undefined,
      events: [{ t: 300, e: 'error', v: 'no_local_candidates' }],
    });
    handleWebRTCReport(body);
    const span = otel.one('webrtc.peer_connection');
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('no_local_candidates');
  });

  it('acceptReport refusing (or throwing) gives 403 and opens nothing', () => {
    const seen: unknown[] = [];
    const refuse = handleWebRTCReport(report(), {
      acceptReport: (who) => (seen.push(who), false),
    });
    const boom = handleWebRTCReport(report(), {
      acceptReport: () => {
        throw new Error('lookup down');
      },
    });
    expect([refuse.status, boom.status]).toEqual([403, 403]);
    expect(seen).toEqual([
      { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', callId: 'call-1' },
    ]);
    expect(spans()).toHaveLength(0);
  });

  it('a broken tracer provider never throws into the route', () => {
    const broken = {
      getTracer: () => {
        throw new Error('no tracer');
      },
    } as unknown as TracerProvider;
    expect(handleWebRTCReport(report(), { tracerProvider: broken })).toEqual({ status: 204 });
  });

  it('Express with a JSON parser in front uses the parsed body', async () => {
    const app = express();
    app.post('/r', express.json(), webrtcReportExpress());
    const server: Server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/r`, {
      method: 'POST',
      body: JSON.stringify(report()),
      headers: { 'content-type': 'application/json' },
    });
    await new Promise((r) => server.close(r));
    expect(res.status).toBe(204);
    expect(spans()).toHaveLength(1);
  });
});
