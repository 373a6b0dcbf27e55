import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, trace } from '@opentelemetry/api';
import { Agent, run, setTraceProcessors, setTracingDisabled, tool } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import { callTracing, startCall } from '../src/index.js';
import { TracedScriptedModel } from '../src/testing/index.js';
import {
  onTracedMessage,
  upgradeHeaders,
  withTrace,
  type TracedMessage,
  type WsTracingOptions,
} from '../adapters/ws/index.js';

const otel = setupOtel();
const REMOTE_TRACE = '0af7651916cd43dd8448eb211c80319c';
const TRACEPARENT = `00-${REMOTE_TRACE}-b7ad6b7169203331-01`;
const closers: (() => Promise<void>)[] = [];

/** A ws server on loopback whose every connection hands messages to `handler`. */
async function socketServer(
  handler: (m: TracedMessage, ws: WebSocket) => unknown,
  options: Omit<WsTracingOptions, 'request'> = {},
) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws, request) =>
    onTracedMessage(ws, (m) => handler(m, ws), { ...options, request }),
  );
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

async function open(url: string, headers?: Record<string, string>) {
  const ws = new WebSocket(url, { headers });
  await once(ws, 'open');
  closers.push(async () => ws.terminate());
  return ws;
}

/** Collects handled messages until `count` have arrived. */
function inbox(count: number) {
  const got: TracedMessage[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    got,
    done,
    push: (m: TracedMessage) => {
      got.push(m);
      if (got.length === count) setImmediate(resolve);
    },
  };
}

beforeEach(() => otel.reset());
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('calltrace/ws (ws 8 on both ends)', () => {
  it('a tool’s message relayed by a socket worker to the agent host stays in the call’s trace', async () => {
    const agentHost = inbox(1);
    const agentUrl = await socketServer(
      (m) => {
        trace.getTracer('agent-host').startSpan('handle utterance').end();
        agentHost.push(m);
      },
      { destination: 'agent-host' },
    );
    const upstream = await open(agentUrl);
    const workerUrl = await socketServer(
      (m) => upstream.send(JSON.stringify(withTrace(m.payload ?? {}))),
      { destination: 'socket-worker' },
    );
    const relay = tool({
      name: 'relay_text',
      description: 'Send text to the agent host',
      parameters: z.object({ text: z.string() }),
      execute: async ({ text }) => {
        const ws = await open(workerUrl, upgradeHeaders());
        ws.send(JSON.stringify(withTrace({ type: 'say', text })));
        await agentHost.done;
        return 'sent';
      },
    });
    const agent = new Agent({
      name: 'frontdesk',
      tools: [relay],
      model: new TracedScriptedModel([
        [functionCall('relay_text', { text: 'hello' }, { callId: 'call_1' })],
        [assistantMessage('done')],
      ]),
    });
    setTracingDisabled(false);
    setTraceProcessors([]);
    const detach = callTracing().attach(agent);
    const call = startCall();
    try {
      await call.run(() => run(agent, 'relay hello'));
    } finally {
      call.end();
      detach();
    }
    const toolSpan = otel.one('execute_tool relay_text');
    const worker = otel.one('process socket-worker');
    const host = otel.one('process agent-host');
    const inner = otel.one('handle utterance');
    expect(new Set(otel.spans().map(traceOf))).toEqual(new Set([call.traceId]));
    expect(parentOf(worker)).toBe(idOf(toolSpan));
    expect(parentOf(host)).toBe(idOf(worker));
    expect(parentOf(inner)).toBe(idOf(host));
    expect(host.kind).toBe(SpanKind.CONSUMER);
    expect(host.attributes).toMatchObject({
      'messaging.system': 'websocket',
      'messaging.destination.name': 'agent-host',
      'messaging.operation.type': 'process',
    });
    expect(agentHost.got[0]!.payload).toEqual({ type: 'say', text: 'hello' });
  });

  it('a message without an envelope runs in the upgrade request’s context', async () => {
    const box = inbox(1);
    const url = await socketServer((m) => box.push(m));
    const ws = await open(url, { traceparent: TRACEPARENT });
    ws.send(JSON.stringify({ type: 'ping' }));
    await box.done;
    const span = otel.one('process ws');
    expect(traceOf(span)).toBe(REMOTE_TRACE);
    expect(box.got[0]!.payload).toEqual({ type: 'ping' });
  });

  it('the envelope wins over the upgrade request', async () => {
    const box = inbox(1);
    const url = await socketServer((m) => box.push(m));
    const ws = await open(url, { traceparent: TRACEPARENT });
    const call = startCall();
    call.run(() => ws.send(JSON.stringify(withTrace({ type: 'ping' }))));
    call.end();
    await box.done;
    expect(parentOf(otel.one('process ws'))).toBe(call.spanId);
  });

  it('garbage envelopes, non-JSON text and binary frames are handled in a fresh trace', async () => {
    const frames: (string | Buffer)[] = [
      JSON.stringify({ _trace: 'x', a: 1 }),
      JSON.stringify({
        _trace: { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` },
        a: 2,
      }),
      JSON.stringify({ _trace: { traceparent: 'y'.repeat(10_000) }, a: 3 }),
      JSON.stringify({ _trace: [TRACEPARENT], a: 4 }),
      'not json {',
      Buffer.from([1, 2, 3]),
    ];
    const box = inbox(frames.length);
    const url = await socketServer((m) => box.push(m));
    const ws = await open(url);
    for (const f of frames) ws.send(f);
    await box.done;
    expect(box.got.slice(0, 4).map((m) => m.payload)).toEqual([
      { a: 1 },
      { a: 2 },
      { a: 3 },
      { a: 4 },
    ]);
    expect(box.got[4]!.payload).toBeUndefined();
    expect(box.got[5]!.isBinary).toBe(true);
    const spans = otel.byName('process ws');
    expect(spans).toHaveLength(frames.length);
    for (const s of spans) {
      expect(s.parentSpanContext).toBeUndefined();
      expect(traceOf(s)).not.toBe(REMOTE_TRACE);
    }
  });

  it('trustIncoming "link": a new trace linked to the sender', async () => {
    const box = inbox(1);
    const url = await socketServer((m) => box.push(m), { trustIncoming: 'link' });
    const ws = await open(url, { traceparent: TRACEPARENT });
    ws.send('{}');
    await box.done;
    const span = otel.one('process ws');
    expect(traceOf(span)).not.toBe(REMOTE_TRACE);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links[0]?.context.traceId).toBe(REMOTE_TRACE);
  });

  it('off() stops handling', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    closers.push(
      () =>
        new Promise<void>((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    );
    const seen: unknown[] = [];
    wss.on('connection', (server) => {
      const off = onTracedMessage(server, (m) => {
        seen.push(m.payload);
        off();
        server.send('stopped');
      });
    });
    const ws = await open(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    ws.send('{"n":1}');
    await once(ws, 'message');
    ws.send('{"n":2}');
    ws.send('{"n":3}');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([{ n: 1 }]);
  });
});
