import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../src/testing/index.js';
import { createTraceState, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  EdgeAttr,
  EDGE_END_SPAN,
  EDGE_RESUME_SPAN,
  openEdgeCall,
  OtlpFetchExporter,
  resumeCall,
} from '../src/edge/index.js';
import { idOf, parentOf, setupOtel } from './helpers/otel.js';
import { CallAttr, RealtimeAttr } from '../src/attributes.js';
import { bundleWorker, startCollector, type CollectedSpan } from './helpers/cloudflare-relay.js';

const run = promisify(execFile);
const CALL_ID = `cf-${process.pid}-${Date.now()}`;
const CLIENT_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

let collector: Awaited<ReturnType<typeof startCollector>>;
let realtime: FakeRealtimeServer;
let script: string;
let persistDir: string;
const upgradeTraceparents: string[] = [];

function miniflare(): Miniflare {
  return new Miniflare({
    cf: false, // no lookup of Cloudflare's request metadata: loopback only
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: script }],
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { RELAY: 'CallRelay' },
    durableObjectsPersist: persistDir,
    bindings: { REALTIME_URL: realtime.url, OTLP_URL: collector.url, OPENAI_API_KEY: 'test' },
  });
}

/** The caller's app: a WebSocket to the Worker, collecting the agent audio relayed back. */
async function dial(mf: Miniflare, headers: Record<string, string> = {}, callId = CALL_ID) {
  const url = (await mf.ready).href.replace(/^http/, 'ws');
  const ws = new WebSocket(`${url}calls/${callId}`, { headers });
  const messages: Array<Record<string, any>> = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = async (type: string) => {
    for (let i = 0; i < 400; i++) {
      const m = messages.find((x) => x.type === type);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no "${type}" from the relay`);
  };
  return { ws, messages, next };
}

/** One exchange: the caller speaks, the model answers with audio the relay passes on. */
async function exchange(conn: FakeRealtimeConnection, caller: Awaited<ReturnType<typeof dial>>) {
  await conn.nextClientEvent('session.update', 0);
  await conn.callerSpeech();
  await conn.respond({ audioMs: 60 });
  await caller.next('audio');
}

/** Every exported span; the call's are all but the Worker's own request spans. */
let spans: CollectedSpan[];
let callSpans: CollectedSpan[];
const isWorkerRequest = (s: CollectedSpan) => s.name.startsWith('GET');
const one = (name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  collector = await startCollector();
  realtime = await FakeRealtimeServer.start();
  script = await bundleWorker();
  persistDir = mkdtempSync(join(tmpdir(), 'calltrace-cf-'));

  // First activation: the call opens, one exchange, then the caller holds (the Realtime
  // leg closes so the object could hibernate) and the object is evicted.
  const mf1 = miniflare();
  try {
    const connected = realtime.nextConnection();
    const caller = await dial(mf1, { traceparent: CLIENT_TRACEPARENT });
    const conn = await connected;
    await exchange(conn, caller);
    caller.ws.send(JSON.stringify({ type: 'hold' }));
    await caller.next('held');
    await collector.waitFor('gen_ai.realtime.session', 1);
    caller.ws.terminate();
  } finally {
    await mf1.dispose(); // the object's memory is gone; its storage stays in persistDir
  }

  // Second activation, a new runtime over the same storage: the caller reconnects.
  const mf2 = miniflare();
  try {
    const connected = realtime.nextConnection();
    const caller = await dial(mf2);
    const conn = await connected;
    await exchange(conn, caller);
    caller.ws.send(JSON.stringify({ type: 'hangup' }));
    await new Promise((r) => caller.ws.once('close', r));
    await collector.waitFor(EDGE_END_SPAN, 1);
    await collector.waitFor('gen_ai.realtime.session', 2);
  } finally {
    await mf2.dispose();
  }
  for (const h of realtime.upgradeHeaders) upgradeTraceparents.push(String(h.traceparent));
  spans = [...collector.spans];
  callSpans = spans.filter((s) => !isWorkerRequest(s));
}, 60_000);

afterAll(async () => {
  await realtime?.close();
  await collector?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe('a Worker + Durable Object relay in workerd (Miniflare)', () => {
  it('exports every span of the call, before and after the restart, in one trace', () => {
    const root = one('call');
    expect(callSpans.map((s) => s.name).sort()).toEqual([
      'call',
      'call.end',
      'call.resume',
      'gen_ai.realtime.session',
      'gen_ai.realtime.session',
      'invoke_agent Front desk',
      'invoke_agent Front desk',
      'realtime_inference gpt-realtime',
      'realtime_inference gpt-realtime',
    ]);
    expect(new Set(callSpans.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    for (const s of callSpans) expect(s.attributes['gen_ai.conversation.id'], s.name).toBe(CALL_ID);
  });

  it('parents each activation’s session on the call root, and each turn on its session', () => {
    const root = one('call');
    const sessions = spans.filter((s) => s.name === 'gen_ai.realtime.session');
    const turns = spans.filter((s) => s.name.startsWith('invoke_agent'));
    expect(sessions).toHaveLength(2);
    expect(turns).toHaveLength(2);
    for (const session of sessions) expect(session.parentSpanId).toBe(root.spanId);
    const sessionIds = new Set(sessions.map((s) => s.spanId));
    for (const turn of turns) expect(sessionIds.has(turn.parentSpanId)).toBe(true);
    expect(new Set(turns.map((t) => t.parentSpanId)).size).toBe(2); // one turn per activation
    const known = new Set(callSpans.map((s) => s.spanId));
    for (const s of callSpans) if (s !== root) expect(known.has(s.parentSpanId), s.name).toBe(true);
  });

  it('ends the root in the first activation and records the resume and the end under it', () => {
    const root = one('call');
    const resume = one(EDGE_RESUME_SPAN);
    const end = one(EDGE_END_SPAN);
    expect(root.attributes).toMatchObject({
      [EdgeAttr.rootEndedEarly]: true,
      [CallAttr.status]: 'in_progress',
      [CallAttr.callId]: CALL_ID,
    });
    expect(resume.parentSpanId).toBe(root.spanId);
    expect(resume.attributes[EdgeAttr.resumeReason]).toBe('reconnect');
    expect(end.parentSpanId).toBe(root.spanId);
    expect(end.attributes).toMatchObject({
      [CallAttr.status]: 'completed',
      [CallAttr.endReason]: 'caller_hangup',
      [CallAttr.turns]: 1, // the totals of the activation that saw the end
    });
    const closed = spans.filter((s) => s.name === 'gen_ai.realtime.session');
    expect(closed.map((s) => s.attributes[RealtimeAttr.endReason])).toEqual(['closed', 'closed']);
  });

  it('does not adopt the caller’s traceparent: the Worker links to it, the call is a root', () => {
    const root = one('call');
    const requests = spans.filter(isWorkerRequest);
    expect(requests.map((s) => s.name)).toEqual(['GET /calls/:id', 'GET /calls/:id']);
    const clientTraceId = CLIENT_TRACEPARENT.split('-')[1];
    for (const r of requests) {
      expect(r.parentSpanId).toBe('');
      expect(r.traceId).not.toBe(clientTraceId);
      expect(r.traceId).not.toBe(root.traceId);
    }
    expect(root.parentSpanId).toBe('');
    expect(root.traceId).not.toBe(clientTraceId);
  });

  it('carries the call’s traceparent on both Realtime upgrades', () => {
    const root = one('call');
    expect(upgradeTraceparents).toHaveLength(2);
    for (const tp of upgradeTraceparents) expect(tp.split('-')[1]).toBe(root.traceId);
  });
});

describe('an object killed with the Realtime leg open (crash, deploy)', () => {
  const callId = `${CALL_ID}-killed`;
  const ofCall = () =>
    collector.spans.filter((s) => s.attributes['gen_ai.conversation.id'] === callId);
  const until = async (what: string, ok: () => boolean) => {
    for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!ok()) throw new Error(`timed out waiting for ${what}`);
  };

  it('continues the call in the same trace; only the spans open at the kill are lost', async () => {
    const mf1 = miniflare();
    const connected1 = realtime.nextConnection();
    const caller1 = await dial(mf1, {}, callId);
    await exchange(await connected1, caller1);
    await until('the first turn', () => ofCall().some((s) => s.name.startsWith('invoke_agent')));
    await mf1.dispose(); // no hold, no close handler: the session span is still open
    caller1.ws.terminate();

    const mf2 = miniflare();
    try {
      const connected2 = realtime.nextConnection();
      const caller2 = await dial(mf2, {}, callId);
      await exchange(await connected2, caller2);
      caller2.ws.send(JSON.stringify({ type: 'hangup' }));
      await until('call.end', () => ofCall().some((s) => s.name === EDGE_END_SPAN));
      await until('the second session', () =>
        ofCall().some((s) => s.name === 'gen_ai.realtime.session'),
      );
    } finally {
      await mf2.dispose();
    }

    const mine = ofCall();
    const root = mine.find((s) => s.name === 'call')!;
    const byName = (n: string) => mine.filter((s) => s.name === n || s.name.startsWith(`${n} `));
    expect(new Set(mine.map((s) => s.traceId))).toEqual(new Set([root.traceId]));
    const [session] = byName('gen_ai.realtime.session'); // the killed one never arrives
    expect(byName('gen_ai.realtime.session')).toHaveLength(1);
    expect(session!.parentSpanId).toBe(root.spanId);
    const [resume] = byName(EDGE_RESUME_SPAN);
    expect(resume!.parentSpanId).toBe(root.spanId);
    expect(resume!.attributes[EdgeAttr.resumeReason]).toBe('recovered'); // the gap is marked
    expect(byName(EDGE_END_SPAN)[0]!.parentSpanId).toBe(root.spanId);
    const turns = byName('invoke_agent');
    expect(turns).toHaveLength(2);
    const [before, after] = turns;
    expect(after!.parentSpanId).toBe(session!.spanId);
    // The documented loss: the first turn was exported, its session span died in memory.
    expect(mine.some((s) => s.spanId === before!.parentSpanId)).toBe(false);
    expect(before!.traceId).toBe(root.traceId);
  }, 40_000);
});

describe('calltrace/edge in Node (the helpers the relay runs on)', () => {
  const otel = setupOtel();
  afterAll(() => otel.shutdown());

  it('resumes a stored snapshot as the root’s context: children join the call’s trace', () => {
    otel.reset();
    const opened = openEdgeCall({ callId: 'edge-1' });
    const stored = JSON.parse(JSON.stringify(opened.snapshot)); // what storage gives back
    const resumed = resumeCall(stored, { reason: 'wake' })!;
    resumed.run(() => trace.getTracer('t').startSpan('work').end());
    const root = otel.one('call');
    expect(root.attributes[EdgeAttr.rootEndedEarly]).toBe(true);
    expect(resumed.traceId).toBe(root.spanContext().traceId);
    expect(parentOf(otel.one('work'))).toBe(idOf(root));
    expect(parentOf(otel.one(EDGE_RESUME_SPAN))).toBe(idOf(root));
    expect(otel.one(EDGE_RESUME_SPAN).attributes[EdgeAttr.resumeReason]).toBe('wake');
    expect(resumed.state.callId).toBe('edge-1');
  });

  it('keeps the tracestate of the call across the snapshot', () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      traceState: createTraceState('vendor=abc'),
    });
    const opened = openEdgeCall({ callId: 'edge-ts', parent });
    expect(opened.snapshot.tracestate).toBe('vendor=abc');
    const resumed = resumeCall(JSON.parse(JSON.stringify(opened.snapshot)))!;
    expect(trace.getSpanContext(resumed.context)?.traceState?.get('vendor')).toBe('abc');
  });

  it('never adopts a malformed snapshot, and records nothing for it', () => {
    otel.reset();
    const good = openEdgeCall({ callId: 'edge-2' }).snapshot;
    otel.reset();
    const bad: unknown[] = [
      undefined,
      null,
      'garbage',
      42,
      { ...good, v: 2 },
      { ...good, callId: '' },
      { ...good, callId: 'x'.repeat(300) },
      { ...good, traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
      { ...good, traceparent: '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01' },
      { ...good, traceparent: `${good.traceparent}-extra` },
      { ...good, traceparent: 'x'.repeat(10_000) },
    ];
    for (const value of bad) expect(resumeCall(value), JSON.stringify(value)).toBeUndefined();
    expect(otel.spans()).toHaveLength(0);
  });

  it('ends the call with a call.end span under the root, once', () => {
    otel.reset();
    const call = openEdgeCall({ callId: 'edge-3' });
    call.end({ error: new TypeError('boom'), reason: 'relay_failed' });
    call.end({ reason: 'again' });
    const end = otel.one(EDGE_END_SPAN);
    expect(parentOf(end)).toBe(idOf(otel.one('call')));
    expect(end.status.code).toBe(2);
    expect(end.attributes).toMatchObject({
      [CallAttr.status]: 'failed',
      [CallAttr.endReason]: 'relay_failed',
      'error.type': 'TypeError',
    });
  });

  it('exports to an unreachable collector without throwing or rejecting: the batch fails', async () => {
    otel.reset();
    const exporter = new OtlpFetchExporter({ url: 'http://127.0.0.1:9/v1/traces' });
    openEdgeCall({ callId: 'edge-4' });
    const result = await new Promise<{ code: number }>((resolve) =>
      exporter.export(otel.spans() as never, resolve),
    );
    expect(result.code).toBe(1);
    await expect(exporter.shutdown()).resolves.toBeUndefined();
  });

  it('bounds the exports in flight and fails the batches over the bound', async () => {
    otel.reset();
    openEdgeCall({ callId: 'edge-5' });
    let release!: () => void;
    const stalled = new Promise<Response>((r) => (release = () => r(new Response('{}'))));
    const exporter = new OtlpFetchExporter({ maxInFlight: 2, fetch: () => stalled });
    const results: number[] = [];
    for (let i = 0; i < 4; i++) exporter.export(otel.spans() as never, (r) => results.push(r.code));
    expect(results).toEqual([1, 1]); // the two over the bound, at once
    release();
    await exporter.forceFlush();
    expect(results).toEqual([1, 1, 0, 0]);
  });
});

describe('examples/cloudflare-relay', () => {
  it('runs offline in Miniflare and prints one call trace across the restart', async () => {
    const { stdout } = await run('npx', ['tsx', 'examples/cloudflare-relay/local.ts'], {
      timeout: 50_000,
    });
    const callTrace = stdout.slice(stdout.indexOf('call  '));
    expect(callTrace).toMatch(/call\.resume .*resume_reason=reconnect/);
    expect(callTrace.match(/gen_ai\.realtime\.session/g)).toHaveLength(2);
    expect(callTrace).toMatch(/└─ call\.end .*end_reason=caller_hangup/);
  }, 60_000);
});
