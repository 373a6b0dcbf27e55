/**
 * Runs the relay offline in workerd (Miniflare): a local fake of the Realtime API, a loopback
 * OTLP collector, one call with an exchange, the object restarted over its stored state, a
 * second exchange, a hangup — then prints the call's trace.
 *
 *   npx tsx examples/cloudflare-relay/local.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { WebSocket } from 'ws';
import { formatTraceTree, type FinishedSpanLike } from 'calltrace';
import { FakeRealtimeServer } from 'calltrace/testing';
import { bundleWorker } from './bundle.js';

const spans: FinishedSpanLike[] = [];
const collector = createServer((req, res) => {
  let body = '';
  req
    .on('data', (c) => (body += c))
    .on('end', () => {
      for (const rs of JSON.parse(body).resourceSpans ?? [])
        for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push(fromOtlp(s));
      res.end('{}');
    });
});
await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
const realtime = await FakeRealtimeServer.start();
const state = mkdtempSync(join(tmpdir(), 'cf-relay-'));
const script = await bundleWorker();

const runtime = () =>
  new Miniflare({
    cf: false,
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: script }],
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { RELAY: 'CallRelay' },
    durableObjectsPersist: state,
    bindings: {
      REALTIME_URL: realtime.url,
      OTLP_URL: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`,
      OPENAI_API_KEY: 'offline',
    },
  });

/** One activation: dial in, one exchange, then `last` (hold, or hang up). */
async function activation(last: 'hold' | 'hangup'): Promise<void> {
  const mf = runtime();
  try {
    const url = (await mf.ready).href.replace(/^http/, 'ws');
    const connected = realtime.nextConnection();
    const caller = new WebSocket(`${url}calls/demo-call`);
    const heard = new Promise((r) => caller.once('message', r)); // the agent's first audio
    await new Promise((r, j) => caller.once('open', r).once('error', j));
    const conn = await connected;
    await conn.nextClientEvent('session.update', 0);
    await conn.callerSpeech({ speechMs: 40 });
    await conn.respond({ audioMs: 200, firstAudioDelayMs: 30 });
    await heard;
    const done = new Promise((r) => caller.once(last === 'hold' ? 'message' : 'close', r));
    caller.send(JSON.stringify({ type: last }));
    await done;
    await new Promise((r) => setTimeout(r, 200)); // the last exports are in flight
    caller.terminate();
  } finally {
    await mf.dispose(); // the object's memory is gone; its storage stays
  }
}

try {
  await activation('hold');
  await activation('hangup');
  console.log(
    formatTraceTree(spans, {
      showAttributes: ['calltrace.edge.resume_reason', 'calltrace.call.end_reason'],
    }),
  );
} finally {
  await realtime.close();
  collector.close();
  rmSync(state, { recursive: true, force: true });
}

function fromOtlp(s: any): FinishedSpanLike {
  const time = (ns: string): [number, number] => {
    const n = BigInt(ns);
    return [Number(n / 1_000_000_000n), Number(n % 1_000_000_000n)];
  };
  const attributes: Record<string, unknown> = {};
  for (const a of s.attributes ?? []) attributes[a.key] = Object.values(a.value ?? {})[0];
  return {
    name: s.name,
    spanContext: () => ({ traceId: s.traceId, spanId: s.spanId }),
    parentSpanContext: s.parentSpanId ? { spanId: s.parentSpanId } : undefined,
    startTime: time(s.startTimeUnixNano),
    endTime: time(s.endTimeUnixNano),
    status: { code: s.status?.code ?? 0 },
    attributes,
  };
}
