import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { serve, type ServerType } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { CallAttr, RealtimeAttr, RealtimeEvent, TurnAttr } from '../src/attributes.js';
import { ATTR_GEN_AI_CONVERSATION_ID, ATTR_GEN_AI_OUTPUT_MESSAGES } from '../src/semconv.js';
import { startCall } from '../src/call.js';
import {
  OtlpJsonFileExporter,
  callLookupRoute,
  callLookupRouter,
  createCallIndex,
  readTraceSpans,
} from '../src/store/index.js';
import { setupOtel } from './helpers/otel.js';
import { skipUnless } from './helpers/skip.js';

/**
 * The lookup page in real headless Chromium, mounted on Express and on Hono: type a number,
 * see the call, open its waterfall (drawn from the OTLP-JSON span file).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = skipUnless(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`);

const HOSTILE_ID = `"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;
const dir = mkdtempSync(join(tmpdir(), 'calltrace-page-'));
const spansFile = join(dir, 'spans.jsonl');
const index = createCallIndex({
  hashKey: 'page-key-0123456789abc',
  traceUrlTemplate: 'http://localhost:16686/trace/{traceId}',
  flushIntervalMs: 10,
});
const exporter = new OtlpJsonFileExporter({ path: spansFile });
const otel = setupOtel([index.spanProcessor, new SimpleSpanProcessor(exporter)]);
let traceId = '';
let plainTraceId = '';
let browser: Browser | undefined;
const servers: Array<{ name: string; base: string; close: () => void }> = [];
let T0 = Date.UTC(2026, 11, 1, 9, 30, 0);
const at = (ms: number) => new Date(T0 + ms);

/**
 * A call shaped like the Realtime span model (contract 11), on explicit timestamps: the
 * session, two caller turns (`invoke_agent` exchanges with speech_stopped anchors and the wait
 * split), a model response per turn and a tool that threw in turn 2.
 */
function recordCall(callId: string, opts: { claimOpenAiTrace: boolean; capture: boolean }) {
  const call = startCall({ callId, to: '+15550109999', provider: 'twilio', startTime: at(0) });
  index.track(call, { from: '+1 (555) 010-0100' });
  if (opts.claimOpenAiTrace)
    call.state.rootSpan.setAttribute(CallAttr.openaiTraceId, `trace_${call.traceId}`);
  const tracer = trace.getTracer('test');
  const under = (span: Span) => trace.setSpan(call.context, span);
  const session = tracer.startSpan(
    'gen_ai.realtime.session',
    {
      kind: SpanKind.CLIENT,
      startTime: at(0),
      attributes: {
        [ATTR_GEN_AI_CONVERSATION_ID]: callId,
        [RealtimeAttr.sessionId]: `sess_${callId}`,
        [RealtimeAttr.transport]: 'websocket',
      },
    },
    call.context,
  );
  const turn = (i: number, start: number, stop: number, ours: number, model: number) => {
    const exchange = tracer.startSpan(
      'invoke_agent front desk',
      {
        startTime: at(start),
        attributes: {
          [TurnAttr.index]: i,
          [TurnAttr.status]: 'answered',
          [TurnAttr.firstAudioMs]: ours + model,
          [TurnAttr.waitOursMs]: ours,
          [TurnAttr.waitModelMs]: model,
          [TurnAttr.toolMs]: ours,
        },
      },
      under(session),
    );
    exchange.addEvent(RealtimeEvent.speechStopped, at(stop));
    const inference = tracer.startSpan(
      'realtime_inference gpt-realtime',
      { kind: SpanKind.CLIENT, startTime: at(stop + 20) },
      under(exchange),
    );
    if (opts.capture)
      inference.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, `Your order ${i} ships today.`);
    inference.end(at(stop + ours + model + 900));
    return exchange;
  };
  turn(1, 100, 1_100, 120, 520).end(at(2_800));
  const second = turn(2, 3_000, 4_000, 30, 400);
  const tool = tracer.startSpan(
    'execute_tool lookup_order',
    { startTime: at(4_050) },
    under(second),
  );
  tool.setStatus({ code: SpanStatusCode.ERROR });
  tool.end(at(4_080));
  call.state.recordToolCall(true);
  call.state.recordFirstAudio(640);
  call.state.recordFirstAudio(430);
  second.end(at(5_500));
  session.end(at(6_000));
  call.end({ status: 'completed', endTime: at(6_100) });
  return call.traceId;
}

beforeAll(async () => {
  traceId = recordCall('page-1', { claimOpenAiTrace: true, capture: false });
  T0 += 60_000; // the second call a minute later
  plainTraceId = recordCall('page-2', { claimOpenAiTrace: false, capture: true });
  T0 -= 60_000;
  const hostile = startCall({ callId: HOSTILE_ID });
  index.track(hostile, { from: '+15550100666' });
  hostile.end();
  await exporter.forceFlush();
  await index.flush();

  const app = express();
  app.use('/calls', callLookupRouter({ index, spansFile }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  servers.push({
    name: 'Express',
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  });

  const hono = new Hono();
  const route = callLookupRoute({ index, spansFile });
  hono.get('/calls', route);
  hono.get('/calls/*', route);
  const honoServer: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: hono.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  servers.push({
    name: 'Hono',
    base: `http://127.0.0.1:${(honoServer.address() as AddressInfo).port}`,
    close: () => honoServer.close(),
  });

  if (hasChromium)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  await otel.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('OTLP-JSON file exporter', () => {
  it('writes the spans of the trace so they can be read back by trace id, events included', async () => {
    const spans = await readTraceSpans(spansFile, traceId);
    expect(spans.map((s) => s.name).sort()).toEqual([
      'call',
      'execute_tool lookup_order',
      'gen_ai.realtime.session',
      'invoke_agent front desk',
      'invoke_agent front desk',
      'realtime_inference gpt-realtime',
      'realtime_inference gpt-realtime',
    ]);
    const root = spans.find((s) => s.name === 'call')!;
    const session = spans.find((s) => s.name === 'gen_ai.realtime.session')!;
    expect(session.parentSpanId).toBe(root.spanId);
    const first = spans.find((s) => s.attributes[TurnAttr.index] === 1)!;
    expect(first.parentSpanId).toBe(session.spanId);
    expect(first.events).toEqual([{ name: RealtimeEvent.speechStopped, timeMs: T0 + 1_100 }]);
    expect(await readTraceSpans(join(dir, 'missing.jsonl'), traceId)).toEqual([]);
  });
});

for (const name of ['Express', 'Hono']) {
  describe.skipIf(!hasChromium)(`lookup page on ${name} in Chromium`, () => {
    const base = () => servers.find((s) => s.name === name)!.base;

    it('lists the calls of a number, marks a call whose tool failed and shows the wait split', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${base()}/calls`);
        await page.fill('input[name=q]', '(555) 010-0100');
        await page.press('input[name=q]', 'Enter');
        const row = page.locator('tr[data-call-id="page-1"]');
        await row.waitFor();
        expect(await page.locator('[role=status]').innerText()).toBe(
          '2 calls for this phone number, newest first.',
        );
        const text = await row.innerText();
        expect(text).toContain('completed');
        expect(text).toContain('⚠ 1 error');
        expect(await row.getAttribute('class')).toBe('error');
        expect(text).toContain('640 ms');
        expect(text).toContain('ours 150 ms · model 920 ms');
        expect(text).toContain('…0100 → …9999');
        const heads = await page.locator('table.calls th').allInnerTexts();
        expect(heads).toContain("Caller's wait: ours · model");
        expect(heads.join(' ')).not.toMatch(/calltrace\.|_ms/);
        expect(await row.locator('a', { hasText: 'trace' }).getAttribute('href')).toBe(
          `http://localhost:16686/trace/${traceId}`,
        );
        expect(await row.locator('a', { hasText: 'OpenAI' }).getAttribute('href')).toBe(
          `https://platform.openai.com/traces/trace?trace_id=trace_${traceId}`,
        );
        // The call that claimed no OpenAI trace gets no OpenAI link.
        const plain = page.locator('tr[data-call-id="page-2"]');
        expect(await plain.locator('a', { hasText: 'OpenAI' }).count()).toBe(0);
        mkdirSync('test/artifacts', { recursive: true });
        await page.screenshot({
          path: `test/artifacts/lookup-list-${name.toLowerCase()}.png`,
          fullPage: true,
        });
      } finally {
        await page.close();
      }
    });

    it('opens the call page: header, turns by position, the wait drawn ours vs model, a legend', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${base()}/calls?q=page-1`);
        await page.locator('tr[data-call-id="page-1"] a.details').click();
        await page.locator('table.wf').waitFor();
        expect(await page.locator('h1').innerText()).toBe('Call page-1');
        const header = await page.locator('dl.header').first().innerText();
        for (const part of [
          'page-1',
          '…0100 → …9999',
          'Started (UTC)',
          'Duration',
          'completed',
          'Errors\n1',
          'Transport\nwebsocket',
          'ours 150 ms · model 920 ms',
        ])
          expect(header).toContain(part);
        expect(await page.title()).toBe('Call page-1 — 2026-12-01 09:30:00 UTC');
        const names = await page.locator('table.wf tbody tr td:first-child').allInnerTexts();
        expect(names).toEqual([
          'call',
          'gen_ai.realtime.session',
          'Turn 1 invoke_agent front desk',
          'realtime_inference gpt-realtime',
          'Turn 2 invoke_agent front desk',
          'realtime_inference gpt-realtime',
          'execute_tool lookup_order',
        ]);
        expect(header).toContain('Started (UTC)\n2026-12-01 09:30:00');
        expect(header).toContain('Duration\n6.1 s');
        expect(await page.locator('table.wf .wait-ours').count()).toBe(2);
        expect(await page.locator('table.wf .wait-model').count()).toBe(2);
        expect(await page.locator('tr.error .bar-error').count()).toBe(1);
        const legend = await page.locator('.legend').innerText();
        expect(legend).toContain("caller's wait: ours");
        expect(legend).toContain("caller's wait: the model");
        const turns = page.locator('table.turns');
        const heads = await turns.locator('th').allInnerTexts();
        expect(heads).toEqual(expect.arrayContaining(["Caller's wait (ms)", 'of which ours (ms)']));
        expect(heads).not.toContain('Transcript'); // not captured for this call
        expect(await turns.innerText()).not.toMatch(/calltrace\./);
        expect(await turns.locator('tbody tr').first().innerText()).toContain('520.0');
        expect(await page.locator('a.openai-link').getAttribute('href')).toBe(
          `https://platform.openai.com/traces/trace?trace_id=trace_${traceId}`,
        );
        expect(await page.locator('a.trace-link').getAttribute('href')).toBe(
          `http://localhost:16686/trace/${traceId}`,
        );
        mkdirSync('test/artifacts', { recursive: true });
        await page.screenshot({
          path: `test/artifacts/lookup-call-${name.toLowerCase()}.png`,
          fullPage: true,
        });
      } finally {
        await page.close();
      }
    });

    it('shows the transcript column only for a call whose content was captured', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${base()}/calls/trace/${plainTraceId}`);
        const turns = page.locator('table.turns');
        expect(await turns.locator('th').allInnerTexts()).toContain('Transcript');
        expect(await turns.innerText()).toContain('Your order 2 ships today.');
        expect(await page.locator('a.openai-link').count()).toBe(0);
      } finally {
        await page.close();
      }
    });

    it('shows a hostile call id as text and runs none of it', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${base()}/calls?q=${encodeURIComponent('+15550100666')}`);
        const cell = page.locator('table.calls tbody tr td:nth-child(2)');
        expect(await cell.innerText()).toBe(HOSTILE_ID);
        expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
        expect(await page.locator('table.calls img, table.calls script').count()).toBe(0);
        await page.goto(`${base()}/calls?q=${encodeURIComponent(HOSTILE_ID)}`);
        expect(await page.inputValue('input[name=q]')).toBe(HOSTILE_ID);
        expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
      } finally {
        await page.close();
      }
    });
  });

  describe(`lookup page on ${name} over HTTP`, () => {
    const base = () => servers.find((s) => s.name === name)!.base;

    it('answers bad input with a clear 400 and a no-script policy', async () => {
      const res = await fetch(`${base()}/calls?q=${encodeURIComponent('x'.repeat(300))}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('longer than 256 characters');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    });

    it('answers a query containing %00 with 400, not 500', async () => {
      const res = await fetch(`${base()}/calls?q=abc%00def`);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('control characters');
    });

    it('says when a number does not parse and no call has that id', async () => {
      const res = await fetch(`${base()}/calls?q=${encodeURIComponent('+1 555')}`);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/not a phone number.*no call has this id/);
    });

    it('says when a trace has no local spans, and 404s other paths', async () => {
      const none = await fetch(`${base()}/calls/trace/${'0'.repeat(32)}`);
      expect(await none.text()).toContain('No spans of this trace');
      expect((await fetch(`${base()}/calls/trace/not-hex`)).status).toBe(404);
    });
  });
}
