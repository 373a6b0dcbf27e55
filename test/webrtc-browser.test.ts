import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startCall, type CallHandle } from '../src/call.js';
import { WebRTCAttr, WebRTCEvent } from '../src/webrtc-server/index.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from '../src/semconv.js';
import { idOf, parentOf, setupOtel, traceOf } from './helpers/otel.js';
import {
  bundleAgentsPage,
  bundleBrowserEntry,
  REPORT_PATH,
  startExpress,
  startHono,
  type TestServer,
} from './fixtures/webrtc/servers.js';
import { localAddress, startFakeStun } from './fixtures/webrtc/stun.js';
import { recordSkip, skipUnless } from './helpers/skip.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = skipUnless(
  existsSync(CHROMIUM),
  `chromium not found at ${CHROMIUM} (apt-get install -y chromium)`,
);

const otel = setupOtel();
let browser: Browser;
let expressServer: TestServer;
let honoServer: TestServer;

beforeAll(async () => {
  if (!hasChromium) return;
  const [js, agentsJs] = await Promise.all([bundleBrowserEntry(), bundleAgentsPage()]);
  [browser, expressServer, honoServer] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    }),
    startExpress(js, undefined, agentsJs),
    startHono(js),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await expressServer?.close();
  await honoServer?.close();
  await otel.shutdown();
});
beforeEach(() => otel.reset());

/** Opens the pair page for `call` and waits for the server to have written the report's span. */
async function runPage(
  server: TestServer,
  call: CallHandle,
  mode: string,
  extra: Record<string, string> = {},
  path = '/pair.html',
) {
  const page = await browser.newPage();
  const query = new URLSearchParams({
    traceparent: call.traceparent,
    callId: call.callId,
    report: REPORT_PATH,
    mode,
    ...extra,
  });
  await page.goto(`${server.url}${path}?${query}`);
  const span = await waitForSpan();
  const reports = (await page.evaluate('window.calltraceReports')) as unknown[];
  const transport = await page.evaluate('window.transportConnected');
  await page.close();
  call.end();
  return { span, reports, transport, root: otel.one('call') };
}

async function waitForSpan(timeoutMs = 15_000): Promise<ReadableSpan> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = otel.byName('webrtc.peer_connection');
    if (found.length) return found[0]!;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no webrtc.peer_connection span arrived');
}

const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
const eventNames = (s: ReadableSpan) => s.events.map((e) => e.name);

/** `expected` appears in `actual` in this order (other entries may sit between). */
function inOrder(actual: string[], expected: string[]): boolean {
  let i = 0;
  for (const a of actual) if (a === expected[i]) i++;
  return i === expected.length;
}

describe('the calltrace/webrtc browser bundle', () => {
  it('pulls in nothing but its own files (no Node, no OpenTelemetry) and stays under 8 KiB minified', async () => {
    const out = await build({
      entryPoints: ['src/webrtc/index.ts'],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.every((f) => f.startsWith('src/webrtc/'))).toBe(true);
    expect(out.outputFiles[0]!.contents.byteLength).toBeLessThan(8 * 1024);
  });
});

describe.skipIf(!hasChromium)('WebRTC peer connection in real Chromium', () => {
  it('a connected pair becomes one webrtc.peer_connection span under the call (Express)', async () => {
    const call = startCall({ callId: 'webrtc-ok', provider: 'webrtc' });
    const { span, root } = await runPage(expressServer, call, 'connect');
    expect(traceOf(span)).toBe(traceOf(root));
    expect(parentOf(span)).toBe(idOf(root));
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({
      [WebRTCAttr.outcome]: 'connected',
      [WebRTCAttr.localCandidateType]: 'host',
      [WebRTCAttr.protocol]: 'udp',
      [ATTR_GEN_AI_CONVERSATION_ID]: 'webrtc-ok',
      [WebRTCAttr.iceRestarts]: 0,
    });
    const connected = span.attributes[WebRTCAttr.connectedMs] as number;
    const firstHost = span.attributes[WebRTCAttr.firstHostCandidateMs] as number;
    expect(connected).toBeGreaterThan(0);
    expect(firstHost).toBeLessThanOrEqual(connected);
    expect(['host', 'prflx']).toContain(span.attributes[WebRTCAttr.remoteCandidateType]);
    expect(typeof span.attributes[WebRTCAttr.rttMs]).toBe('number');
  });

  it('records the negotiation as span events in order, inside the span', async () => {
    const call = startCall({ callId: 'webrtc-order' });
    const { span } = await runPage(expressServer, call, 'connect');
    const names = eventNames(span);
    expect(
      inOrder(names, [
        WebRTCEvent.signaling, // have-local-offer
        WebRTCEvent.ice_gathering, // gathering
        WebRTCEvent.candidate, // first host candidate (the answer may land before or after it)
        WebRTCEvent.ice_connection, // checking
        WebRTCEvent.connection, // connecting
        WebRTCEvent.connection, // connected
        WebRTCEvent.selected_pair,
      ]),
    ).toBe(true);
    const statesOf = (name: string) =>
      span.events.filter((e) => e.name === name).map((e) => e.attributes?.[WebRTCAttr.state]);
    expect(statesOf(WebRTCEvent.signaling)).toEqual(['have-local-offer', 'stable']);
    expect(statesOf(WebRTCEvent.ice_gathering)[0]).toBe('gathering');
    expect(statesOf(WebRTCEvent.connection)).toEqual(['connecting', 'connected']);
    const pair = span.events.find((e) => e.name === WebRTCEvent.selected_pair);
    // The remote side is prflx when its checks arrive before its candidate was signaled.
    expect(pair?.attributes?.[WebRTCAttr.pair]).toMatch(/^host\/(host|prflx)$/);
    const times = span.events.map((e) => ms(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThanOrEqual(ms(span.startTime));
    expect(times.at(-1)).toBeLessThanOrEqual(ms(span.endTime));
  });

  it('anchors the span on the server clock: it starts after the call and ends by its receipt', async () => {
    const call = startCall({ callId: 'webrtc-clock' });
    const before = Date.now();
    const { span, root } = await runPage(expressServer, call, 'connect');
    expect(ms(span.startTime)).toBeGreaterThanOrEqual(ms(root.startTime));
    expect(ms(span.startTime)).toBeGreaterThanOrEqual(before - 1);
    expect(ms(span.endTime)).toBeLessThanOrEqual(ms(root.endTime));
    const elapsed = span.attributes[WebRTCAttr.reportElapsedMs] as number;
    expect(ms(span.endTime) - ms(span.startTime)).toBeCloseTo(elapsed, 0);
  });

  it('no local candidates: reported as failed, with the reason, through Hono', async () => {
    const call = startCall({ callId: 'webrtc-nocand' });
    const { span, root } = await runPage(honoServer, call, 'no-candidates');
    expect(parentOf(span)).toBe(idOf(root));
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[WebRTCAttr.outcome]).toBe('failed');
    expect(span.attributes[ATTR_ERROR_TYPE]).toBe('no_local_candidates');
    expect(span.attributes[WebRTCAttr.firstHostCandidateMs]).toBeUndefined();
    expect(typeof span.attributes[WebRTCAttr.failedMs]).toBe('number');
    const names = eventNames(span);
    expect(inOrder(names, [WebRTCEvent.ice_gathering, WebRTCEvent.error])).toBe(true);
    expect(names).not.toContain(WebRTCEvent.candidate);
  });

  it('a rejected remote description recorded by the app: failed with the error name', async () => {
    const call = startCall({ callId: 'webrtc-badanswer' });
    const { span, reports } = await runPage(expressServer, call, 'bad-answer');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[WebRTCAttr.outcome]).toBe('failed');
    const reason = span.attributes[ATTR_ERROR_TYPE] as string;
    expect(reason).toMatch(/Error$/); // the DOMException's name, e.g. OperationError
    const errorEvent = span.events.find((e) => e.name === WebRTCEvent.error);
    expect(errorEvent?.attributes?.[WebRTCAttr.error]).toBe(reason);
    expect(span.attributes[WebRTCAttr.connectedMs]).toBeUndefined();
    expect(reports).toHaveLength(1); // one report, sent once
  });

  it('bounds the timeline in the browser and reports how much it dropped', async () => {
    const call = startCall({ callId: 'webrtc-bound' });
    const { span, reports } = await runPage(expressServer, call, 'connect', { maxEvents: '3' });
    expect(span.events).toHaveLength(3);
    expect(span.attributes[WebRTCAttr.droppedEvents]).toBeGreaterThan(0);
    expect(span.attributes[WebRTCAttr.outcome]).toBe('connected'); // summary survives the bound
    expect((reports[0] as { droppedEvents: number }).droppedEvents).toBe(
      span.attributes[WebRTCAttr.droppedEvents],
    );
  });

  it('instruments the Agents SDK’s OpenAIRealtimeWebRTC connection through changePeerConnection', async () => {
    const call = startCall({ callId: 'webrtc-agents' });
    const { span, root, transport } = await runPage(
      expressServer,
      call,
      'connect',
      {},
      '/agents.html',
    );
    expect(parentOf(span)).toBe(idOf(root));
    expect(span.attributes[WebRTCAttr.outcome]).toBe('connected');
    expect(span.attributes[WebRTCAttr.connectedMs]).toBeGreaterThan(0);
    expect(span.attributes[WebRTCAttr.localCandidateType]).toBeDefined();
    const signaling = span.events
      .filter((e) => e.name === WebRTCEvent.signaling)
      .map((e) => e.attributes?.[WebRTCAttr.state]);
    expect(signaling).toEqual(['have-local-offer', 'stable']); // the transport's own offer/answer
    expect(transport).toBe('connected'); // the SDK's connect() went through with the hook in place
  });

  it('an ICE restart is counted and on the timeline (report sent manually after it)', async () => {
    const call = startCall({ callId: 'webrtc-restart' });
    const { span, reports } = await runPage(expressServer, call, 'restart');
    expect(span.attributes[WebRTCAttr.iceRestarts]).toBe(1);
    expect(span.attributes[WebRTCAttr.outcome]).toBe('connected');
    const names = eventNames(span);
    const g = WebRTCEvent.ice_gathering;
    expect(inOrder(names, [g, g, WebRTCEvent.ice_restart, g, g])).toBe(true);
    expect(names.filter((n) => n === WebRTCEvent.ice_restart)).toHaveLength(1);
    const gathering = span.events
      .filter((e) => e.name === WebRTCEvent.ice_gathering)
      .map((e) => e.attributes?.[WebRTCAttr.state]);
    expect(gathering).toEqual(['gathering', 'complete', 'gathering', 'complete']);
    expect(reports).toHaveLength(1);
  });

  it('a connection that never connects is reported as timeout after settleTimeoutMs', async () => {
    const call = startCall({ callId: 'webrtc-timeout' });
    const { span } = await runPage(expressServer, call, 'alone', { settleTimeoutMs: '300' });
    expect(span.attributes[WebRTCAttr.outcome]).toBe('timeout');
    expect(span.attributes[WebRTCAttr.connectedMs]).toBeUndefined();
    expect(span.attributes[WebRTCAttr.reportElapsedMs]).toBeGreaterThanOrEqual(300);
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  if (!localAddress()) recordSkip('no non-loopback IPv4 address for the STUN delay test');
  it.skipIf(!localAddress())(
    'a slow STUN server shows as the first srflx candidate’s delay',
    async () => {
      const stun = await startFakeStun(localAddress()!, 200);
      try {
        const call = startCall({ callId: 'webrtc-stun' });
        const { span } = await runPage(expressServer, call, 'connect', {
          stun: stun.url,
          answerDelayMs: '600', // Chromium stops gathering once connected
        });
        const host = span.attributes[WebRTCAttr.firstHostCandidateMs] as number;
        const srflx = span.attributes[WebRTCAttr.firstSrflxCandidateMs] as number;
        expect(stun.requests).toBeGreaterThan(0);
        expect(srflx).toBeGreaterThanOrEqual(200);
        expect(srflx).toBeGreaterThan(host);
        const types = span.events
          .filter((e) => e.name === WebRTCEvent.candidate)
          .map((e) => e.attributes?.[WebRTCAttr.candidateType]);
        expect(types).toEqual(['host', 'srflx']); // the first of each type, once
      } finally {
        stun.close();
      }
    },
  );
});
