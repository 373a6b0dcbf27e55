import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Hono, type MiddlewareHandler } from 'hono';
import { getRequestListener } from '@hono/node-server';
import twilio from 'twilio';
import { trace } from '@opentelemetry/api';
import { run } from '@openai/agents';
import { assistantMessage, functionCall } from '@openai/agents-core/testing';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import { Queue, Worker } from 'bullmq';
import { WebSocket, WebSocketServer } from 'ws';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { listen } from '../helpers/http.js';
import { SERVICES } from '../helpers/services.js';
import { Agent, GenerationSpanModel, makeTools } from '../helpers/agents.js';
import { RealtimeAgent, startVoiceCall } from '../helpers/realtime.js';
import { callTracing, startCall } from '../../src/index.js';
import { openEdgeCall, resumeCall } from '../../src/edge/index.js';
import { createCallIndex, type CallIndex } from '../../src/store/index.js';
import { callTailSampler } from '../../src/sampler/index.js';
import { createWebRTCReportHandler } from '../../src/webrtc-server/index.js';
import { twilioWebhookExpress, twilioWebhookHono } from '../../adapters/twilio/index.js';
import { openaiSipWebhookExpress, openaiSipWebhookHono } from '../../adapters/openai-sip/index.js';
import { httpTracing as expressTracing } from '../../adapters/express/index.js';
import { httpTracing as honoTracing } from '../../adapters/hono/index.js';
import { fetchWithContext, tracedFetch } from '../../adapters/fetch/index.js';
import { natsTracing } from '../../adapters/nats/index.js';
import { bullmqTelemetry } from '../../adapters/bullmq/index.js';
import { onTracedMessage, withTrace } from '../../adapters/ws/index.js';

/** What a matrix run gives an entry: its user hook (healthy or throwing) and a pipeline slot. */
export interface Env {
  hook<F extends (...a: any[]) => any>(fn: F): F;
  slot: { inner: SpanProcessor | undefined };
}

/** One public entry point: `run` does what a host does with it and returns what the host sees. */
export interface Entry {
  name: string;
  /** A real service it needs; skipped (with a notice) where it is absent. */
  needs?: 'nats' | 'redis';
  /** Takes a user hook: the matrix then also runs it with the hook throwing. */
  hook?: true;
  run(env: Env): Promise<unknown>;
}

const TOKEN = 'matrix-token';
const SECRET = 'whsec_' + Buffer.from('matrix-signing-key-0123456789').toString('base64');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const uid = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Serves `listener`, runs `fn(url)`, closes. */
async function serving<T>(listener: RequestListener, fn: (url: string) => Promise<T>): Promise<T> {
  const server = await listen(createServer(listener));
  try {
    return await fn(server.url);
  } finally {
    await server.close();
  }
}

/** POSTs and returns what the client sees: status and body. */
async function post(url: string, init: RequestInit): Promise<[number, string]> {
  const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(5000), ...init });
  return [res.status, await res.text()];
}

const twilioParams = { CallSid: 'CAmatrix', From: '+15550100100', To: '+15550109999' };
const twilioPost = (url: string) =>
  post(url, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, url, twilioParams),
    },
    body: new URLSearchParams(twilioParams).toString(),
  });

function openaiPost(url: string) {
  const body = JSON.stringify({ type: 'realtime.call.incoming', data: { call_id: 'rtc_m' } });
  const [id, at] = [`wh_${uid()}`, Math.floor(Date.now() / 1000)];
  const key = Buffer.from(SECRET.slice(6), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${at}.${body}`).digest('base64');
  return post(url, {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(at),
      'webhook-signature': `v1,${sig}`,
    },
    body,
  });
}

const expressApp = (mw: express.RequestHandler, parser?: express.RequestHandler) => {
  const app = express();
  app.post('/hook', ...(parser ? [parser] : []), mw, (_req, res) => void res.send('route ran'));
  return app;
};
const honoApp = (mw: MiddlewareHandler) =>
  getRequestListener(new Hono().post('/hook', mw, (c) => c.text('route ran')).fetch);
const tracedPost = (url: string) =>
  post(`${url}/hook`, { headers: { traceparent: TRACEPARENT }, body: 'x' });

async function natsPair<T>(fn: (a: any, b: any, subject: string) => Promise<T>): Promise<T> {
  const [a, b] = await Promise.all([
    connect({ servers: SERVICES.nats }),
    connect({ servers: SERVICES.nats }),
  ]);
  try {
    return await fn(a, b, `matrix.${uid()}`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

async function natsRequestReply() {
  const nats = natsTracing({ headers: natsHeaders });
  return natsPair(async (client, service, subject) => {
    service.subscribe(subject, {
      callback: (_e: unknown, msg: any) =>
        nats.process(msg, (m: any) => nats.respond(m, `pong:${m.string()}`)),
    });
    await service.flush();
    const reply = await nats.request(client, subject, 'ping', { timeout: 3000 });
    return (reply as any).string() as string;
  });
}

async function natsPublish() {
  const nats = natsTracing({ headers: natsHeaders });
  return natsPair(async (client, service, subject) => {
    const got = new Promise<string>((resolve) =>
      service.subscribe(subject, { callback: (_e: unknown, m: any) => resolve(m.string()) }),
    );
    await service.flush();
    nats.publish(client, subject, 'hello');
    return got;
  });
}

async function bullmqJobs() {
  const name = `matrix-${uid()}`;
  const { hostname, port } = new URL(SERVICES.redis);
  const connection = { host: hostname, port: Number(port), maxRetriesPerRequest: null };
  const telemetry = bullmqTelemetry();
  const queue = new Queue(name, { connection, telemetry });
  const worker = new Worker(name, async (job) => `done ${job.data.n}`, { connection, telemetry });
  try {
    const results: string[] = [];
    const all = new Promise<void>((resolve) =>
      worker.on('completed', (_job, value) => void (results.push(value) === 2 && resolve())),
    );
    await queue.add('a', { n: 1 });
    await queue.add('b', { n: 2 });
    await Promise.race([all, new Promise((r) => setTimeout(r, 5000))]);
    return results.sort();
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

async function wsEcho() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket, request) =>
    onTracedMessage(socket, (m) => socket.send(`echo ${JSON.stringify(m.payload)}`), { request }),
  );
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  try {
    await once(ws, 'open');
    const reply = once(ws, 'message');
    ws.send(JSON.stringify(withTrace({ n: 1 })));
    return String(
      ((await Promise.race([reply, new Promise((r) => setTimeout(r, 3000))])) as any)?.[0],
    );
  } finally {
    ws.terminate();
    await new Promise((r) => wss.close(r));
  }
}

async function realtimeTurn() {
  const v = await startVoiceCall(new RealtimeAgent({ name: 'voice', instructions: 'hi' }));
  await v.conn.callerSpeech();
  const done = await v.conn.respond({ audioMs: 40, transcript: 'Hello.' });
  await v.finish();
  return done.status;
}

async function agentsRun(env: Env) {
  const agent = new Agent({
    name: 'solo',
    tools: [makeTools().lookupOrder],
    model: new GenerationSpanModel([
      [functionCall('lookup_order', { orderId: '9' }, { callId: 'c9' })],
      [assistantMessage('shipped')],
    ]),
  });
  const detach = callTracing({ spanNameHook: env.hook((_i: unknown, n: string) => n) }).attach(
    agent,
  );
  try {
    const call = startCall();
    const result = await call.run(() => run(agent, 'where is my order'));
    call.end();
    return result.finalOutput;
  } finally {
    detach();
  }
}

let index: CallIndex | undefined;

/** Closes what entries keep between runs (the embedded index). */
export async function closeEntries(): Promise<void> {
  await index?.close();
}

async function storeTracking(env: Env) {
  index ??= createCallIndex({ hashKey: 'matrix-key-0123456789', flushIntervalMs: 10 });
  await index.ready();
  env.slot.inner = index.spanProcessor;
  const call = startCall({ from: '+15550100100', to: '+15550109999' });
  index.track(call, { from: '+15550100100', to: '+15550109999' });
  call.end({ status: 'completed' });
  return call.ended;
}

function sampled(env: Env) {
  const exporter = {
    export: (_s: unknown, done: (r: { code: number }) => void) => done({ code: 0 }),
    shutdown: async () => {},
  };
  env.slot.inner = callTailSampler({ exporter: exporter as never, rules: [env.hook(() => true)] });
  const call = startCall();
  call.run(() => trace.getTracer('host').startSpan('child').end());
  call.end({ error: new Error('failed') });
  return Promise.resolve(call.ended);
}

function webrtcReport() {
  const call = startCall();
  const report = {
    v: 1,
    traceparent: call.traceparent,
    callId: call.callId,
    elapsedMs: 400,
    outcome: 'connected',
    connectedMs: 120,
    events: [{ t: 120, e: 'connection', v: 'connected' }],
  };
  const result = createWebRTCReportHandler().handle(JSON.stringify(report));
  call.end();
  return Promise.resolve(result.status);
}

function edgeOpenResume() {
  const edge = openEdgeCall({ callId: 'edge-1' });
  const resumed = resumeCall(JSON.parse(JSON.stringify(edge.snapshot)), { reason: 'wake' });
  resumed?.run(() => trace.getTracer('host').startSpan('in do').end());
  resumed?.end({ status: 'completed' });
  return Promise.resolve([edge.callId, resumed?.callId, resumed?.traceId === edge.traceId]);
}

/** Every public entry point on the host's path: one line each. */
export const ENTRIES: Entry[] = [
  {
    name: 'startCall / end',
    hook: true,
    run: async (env) => {
      const c = startCall({ from: '+15550100100', hashCallerNumber: env.hook((n: string) => n) });
      c.end({ error: new Error('x') });
      return c.ended;
    },
  },
  {
    name: 'twilio webhook (express)',
    hook: true,
    run: (env) =>
      serving(
        expressApp(
          twilioWebhookExpress({ authToken: TOKEN, publicUrl: env.hook((u: string) => u) }),
          express.urlencoded({ extended: false }),
        ),
        (u) => twilioPost(`${u}/hook`),
      ),
  },
  {
    name: 'twilio webhook (hono)',
    hook: true,
    run: (env) =>
      serving(
        honoApp(twilioWebhookHono({ authToken: TOKEN, publicUrl: env.hook((u: string) => u) })),
        (u) => twilioPost(`${u}/hook`),
      ),
  },
  {
    name: 'openai-sip webhook (express)',
    run: () =>
      serving(
        expressApp(openaiSipWebhookExpress({ secret: SECRET }), express.text({ type: '*/*' })),
        (u) => openaiPost(`${u}/hook`),
      ),
  },
  {
    name: 'openai-sip webhook (hono)',
    run: () =>
      serving(honoApp(openaiSipWebhookHono({ secret: SECRET })), (u) => openaiPost(`${u}/hook`)),
  },
  { name: 'httpTracing (express)', run: () => serving(expressApp(expressTracing()), tracedPost) },
  { name: 'httpTracing (hono)', run: () => serving(honoApp(honoTracing()), tracedPost) },
  {
    name: 'tracedFetch',
    run: () =>
      serving(
        (_q, r) => r.end('fetched'),
        (u) => tracedFetch(u).then(async (r) => [r.status, await r.text()]),
      ),
  },
  {
    name: 'fetchWithContext',
    run: () =>
      serving(
        (_q, r) => r.end('fetched'),
        (u) => fetchWithContext(u).then(async (r) => [r.status, await r.text()]),
      ),
  },
  { name: 'NATS publish', needs: 'nats', run: natsPublish },
  { name: 'NATS request / process / respond', needs: 'nats', run: natsRequestReply },
  { name: 'BullMQ telemetry (queue + worker)', needs: 'redis', run: bullmqJobs },
  { name: 'ws onTracedMessage', run: wsEcho },
  { name: 'realtime attach (RealtimeSession)', run: realtimeTurn },
  { name: 'agents bridge (callTracing)', hook: true, run: agentsRun },
  { name: 'edge openEdgeCall / resumeCall', run: edgeOpenResume },
  { name: 'store tracking (spanProcessor + track)', run: storeTracking },
  { name: 'tail sampler', hook: true, run: sampled },
  { name: 'WebRTC report handler', run: webrtcReport },
];
