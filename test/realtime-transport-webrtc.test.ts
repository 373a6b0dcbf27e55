/**
 * WebRTC: the SDK's real `OpenAIRealtimeWebRTC` in the real headless Debian Chromium, traced by
 * calltrace in the page (test/fixtures/webrtc/realtime-page.ts), its `oai-events` data channel
 * relayed to the fake server in WebRTC mode. Audio would travel on the media track, so the data
 * channel carries no `response.output_audio.delta`: first audio and barge-ins come from the
 * server's `output_audio_buffer.*`. The spans are finished in the page's in-memory exporter and
 * read back serialized.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeRealtimeServer, type FakeRealtimeConnection } from '../src/testing/index.js';
import {
  bargeIns,
  exchanges,
  K,
  msBetween,
  wait,
  type SpanLike,
} from './helpers/realtime-transports.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  const message = `chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${message} (required under CI=true)`);
  console.warn(`[skip] ${message}: WebRTC transport tests are skipped`);
}

interface PageSpan extends SpanLike {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  status: { code: number };
}

let browser: Browser;
let http: Server;
let pageUrl: string;
let fake: FakeRealtimeServer;

beforeAll(async () => {
  if (!hasChromium) return;
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/webrtc/realtime-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  http = createServer((req, res) => {
    if (req.url?.startsWith('/realtime-page.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    } else {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="/realtime-page.js"></script>');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  pageUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/realtime.html`;
  [browser, fake] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    }),
    FakeRealtimeServer.start(),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fake?.close();
  await new Promise((r) => (http ? http.close(r) : r(undefined)));
});

/** Opens the page, connects the session through the relay; returns the fake's side. */
async function openSession(): Promise<{ page: Page; conn: FakeRealtimeConnection }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${pageUrl}?relay=${encodeURIComponent(fake.webrtcUrl)}`);
  await page.waitForFunction('window.rt !== undefined');
  const next = fake.nextConnection();
  expect(await page.evaluate('rt.connect()')).toBe('connected');
  const conn = await next;
  expect(conn.mode).toBe('webrtc');
  expect(errors).toEqual([]);
  return { page, conn };
}

const seen = (page: Page) => page.evaluate('rt.seen()') as Promise<string[]>;
async function untilSeen(page: Page, type: string, count = 1) {
  const deadline = Date.now() + 10_000;
  while ((await seen(page)).filter((t) => t === type).length < count) {
    if (Date.now() > deadline) throw new Error(`no ${type} reached the page`);
    await wait(20);
  }
}

/** Closes the session in the page, ends the call, returns the page's finished spans. */
async function finish(page: Page): Promise<PageSpan[]> {
  await page.evaluate('rt.close()');
  await page.evaluate('rt.endCall()');
  const spans = (await page.evaluate('rt.spans()')) as PageSpan[];
  await page.close();
  return spans;
}

const one = (spans: PageSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, got ${found.length}`);
  return found[0]!;
};

describe.skipIf(!hasChromium)('WebRTC (OpenAIRealtimeWebRTC in Chromium)', () => {
  it('one trace in the page: call → session → exchange; transport webrtc', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ audioMs: 40 });
    await untilSeen(page, 'output_audio_buffer.stopped');
    const spans = await finish(page);
    const call = one(spans, 'call');
    const session = one(spans, K.session);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([call.traceId]));
    expect(session.parentSpanId).toBe(call.spanId);
    expect(session.attributes[K.transport]).toBe('webrtc');
    const [exchange] = exchanges(spans, 'front desk');
    expect((exchange as PageSpan).parentSpanId).toBe(session.spanId);
  });

  it('first audio is when the server’s output buffer started, and the span says so', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ delayMs: 80, audioMs: 100 });
    await untilSeen(page, 'output_audio_buffer.stopped');
    expect(await seen(page)).not.toContain('response.output_audio.delta');
    const spans = await finish(page);
    const [exchange] = exchanges(spans, 'front desk');
    const a = exchange!.attributes;
    expect(a[K.firstAudioSource]).toBe('server_output_buffer_started');
    const firstAudio = Number(a[K.firstAudioMs]);
    expect(firstAudio).toBeGreaterThanOrEqual(75);
    expect(msBetween(exchange!, K.speechStopped, K.outputStarted)).toBeCloseTo(firstAudio, 0);
  });

  it('the caller cutting in is a barge-in on the playing response, at the server’s truncation', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    const streaming = conn.respond({ audioMs: 3000, paceMs: 5 });
    await untilSeen(page, 'output_audio_buffer.started');
    await wait(150);
    conn.callerStartsSpeaking();
    const cut = await streaming;
    await untilSeen(page, 'conversation.item.truncated');
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ audioMs: 40 });
    await untilSeen(page, 'output_audio_buffer.stopped');
    const spans = await finish(page);

    expect(cut).toMatchObject({ status: 'cancelled', reason: 'turn_detected' });
    const [first] = exchanges(spans, 'front desk');
    const events = bargeIns(first!);
    expect(events).toHaveLength(1);
    expect(events[0]!.attributes?.[K.responseId]).toBe(cut.responseId);
    expect(Number(events[0]!.attributes?.[K.bargeInAudioEndMs])).toBeGreaterThan(0);
    expect(one(spans, 'call').attributes[K.callBargeIns]).toBe(1);
  });

  it('session.interrupt() is a manual interruption, not a barge-in', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    const streaming = conn.respond({ audioMs: 3000, paceMs: 5 });
    await untilSeen(page, 'output_audio_buffer.started');
    await wait(100);
    await page.evaluate('rt.interrupt()'); // WebRTC: response.cancel + output_audio_buffer.clear
    await streaming;
    await untilSeen(page, 'output_audio_buffer.cleared');
    const spans = await finish(page);
    const [exchange] = exchanges(spans, 'front desk');
    expect(bargeIns(exchange!)).toEqual([]);
    expect(exchange!.attributes[K.interruptedBy]).toBe('manual');
    expect(one(spans, 'call').attributes[K.callBargeIns]).toBe(0);
  });

  it('the app closing the session ends it as closed, not an error', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ audioMs: 40 });
    await untilSeen(page, 'output_audio_buffer.stopped');
    const spans = await finish(page);
    const session = one(spans, K.session);
    expect(session.attributes[K.endReason]).toBe('closed');
    expect(session.status.code).not.toBe(2);
  });

  it('OpenAI ending the session (its peer goes away) is closed, not an error', async () => {
    const { page, conn } = await openSession();
    await conn.callerSpeech({ speechMs: 20 });
    await conn.respond({ audioMs: 40 });
    await untilSeen(page, 'output_audio_buffer.stopped');
    conn.close(); // the relay closes the data channel and OpenAI's peer connection
    const deadline = Date.now() + 20_000;
    let spans: PageSpan[] = [];
    while (!spans.some((s) => s.name === K.session)) {
      if (Date.now() > deadline) throw new Error('the session span never ended');
      await wait(100);
      spans = (await page.evaluate('rt.spans()')) as PageSpan[];
    }
    await page.evaluate('rt.endCall()');
    await page.close();
    const session = one(spans, K.session);
    expect(session.attributes[K.endReason]).toBe('closed');
    expect(session.status.code).not.toBe(2);
  }, 30_000);
});
