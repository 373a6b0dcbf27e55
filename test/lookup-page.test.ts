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
import { TurnAttr } from '../src/attributes.js';
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
let browser: Browser | undefined;
const servers: Array<{ name: string; base: string; close: () => void }> = [];

beforeAll(async () => {
  const call = startCall({ callId: 'page-1', to: '+15550109999', provider: 'twilio' });
  index.track(call, { from: '+1 (555) 010-0100' });
  traceId = call.traceId;
  call.run(() => {
    const tracer = trace.getTracer('test');
    const turn = tracer.startSpan('invoke_agent front desk', {
      attributes: {
        [TurnAttr.index]: 1,
        [TurnAttr.firstAudioMs]: 640,
        [TurnAttr.waitOursMs]: 120,
        [TurnAttr.waitModelMs]: 520,
      },
    });
    trace
      .getTracer('test')
      .startSpan('execute_tool lookup_order', {}, trace.setSpan(call.context, turn))
      .end();
    turn.end();
  });
  call.state.recordFirstAudio(640);
  call.end();
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
  it('writes the spans of the trace so they can be read back by trace id', async () => {
    const spans = await readTraceSpans(spansFile, traceId);
    expect(spans.map((s) => s.name).sort()).toEqual([
      'call',
      'execute_tool lookup_order',
      'invoke_agent front desk',
    ]);
    const root = spans.find((s) => s.name === 'call')!;
    expect(spans.find((s) => s.name === 'invoke_agent front desk')!.parentSpanId).toBe(root.spanId);
    expect(
      spans.find((s) => s.name === 'invoke_agent front desk')!.attributes[TurnAttr.firstAudioMs],
    ).toBe(640);
    expect(await readTraceSpans(join(dir, 'missing.jsonl'), traceId)).toEqual([]);
  });
});

for (const name of ['Express', 'Hono']) {
  describe.skipIf(!hasChromium)(`lookup page on ${name} in Chromium`, () => {
    const base = () => servers.find((s) => s.name === name)!.base;

    it('finds the call by number and opens its waterfall with the per-turn breakdown', async () => {
      const page = await browser!.newPage();
      try {
        await page.goto(`${base()}/calls`);
        await page.fill('input[name=q]', '(555) 010-0100');
        await page.press('input[name=q]', 'Enter');
        const row = page.locator('tr[data-call-id="page-1"]');
        await row.waitFor();
        const text = await row.innerText();
        expect(text).toContain('completed');
        expect(text).toContain('640 ms');
        expect(text).toContain('…0100');
        expect(await row.locator('a', { hasText: 'trace' }).getAttribute('href')).toBe(
          `http://localhost:16686/trace/${traceId}`,
        );
        await row.locator('a', { hasText: 'waterfall' }).click();
        await page.locator('table.wf').waitFor();
        const names = await page.locator('table.wf tr td:first-child').allInnerTexts();
        expect(names).toEqual(['call', 'invoke_agent front desk', 'execute_tool lookup_order']);
        const turns = await page.locator('table.turns').innerText();
        expect(turns).toContain('first_audio_ms');
        expect(turns).toContain('wait.model_ms');
        expect(turns).toContain('520.0');
        mkdirSync('test/artifacts', { recursive: true });
        await page.screenshot({
          path: `test/artifacts/lookup-page-${name.toLowerCase()}.png`,
          fullPage: true,
        });
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

    it('says when a trace has no local spans, and 404s other paths', async () => {
      const none = await fetch(`${base()}/calls/trace/${'0'.repeat(32)}`);
      expect(await none.text()).toContain('No spans of this trace');
      expect((await fetch(`${base()}/calls/trace/not-hex`)).status).toBe(404);
    });
  });
}
