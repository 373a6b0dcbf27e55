/**
 * Voice and GenAI metrics, recorded by the real @opentelemetry/sdk-metrics from the same
 * measurements the spans carry: a real RealtimeSession on the fake server (WebSocket and SIP
 * modes, push-to-talk), a real Agents SDK run, and a real Prometheus scrape endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run, setTracingDisabled } from '@openai/agents';
import { functionCall, assistantMessage } from '@openai/agents-core/testing';
import {
  OpenAIRealtimeSIP,
  RealtimeAgent,
  RealtimeSession,
  type RealtimeSessionOptions,
} from '@openai/agents-realtime';
import { metrics, type MeterProvider } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider as SdkMeterProvider } from '@opentelemetry/sdk-metrics';
import { callTracing, startCall, VoiceMetric } from '../src/index.js';
import { DropCounter } from '../src/safe.js';
import { FakeRealtimeServer } from '../src/testing/index.js';
import { Agent, GenerationSpanModel, makeTools } from './helpers/agents.js';
import { pointsOf, setupMetrics, total, type Point } from './helpers/metrics.js';
import { setupOtel } from './helpers/otel.js';
import { realtimeTools } from './helpers/realtime.js';
import { until, wait } from './helpers/realtime-transports.js';

const otel = setupOtel();
setTracingDisabled(false); // vitest sets NODE_ENV=test, which disables SDK tracing
const m = setupMetrics();
// One bridge per process (the SDK cannot unregister a processor): give it the test's meter.
const plugin = callTracing({ meterProvider: m.provider });
beforeEach(() => otel.reset());
afterAll(async () => {
  await m.shutdown();
  await otel.shutdown();
});

const CALLER = '+15550100100';
/** Every point recorded in this file, for the cardinality scan at the end. */
const seen: Point[] = [];
const traceIds: string[] = [];
const collect = async () => {
  const all = await m.points();
  seen.push(...all);
  return all;
};

/** A voice call on the fake server; `transport` 'websocket' (default) or a SIP sideband. */
async function voiceCall(
  callId: string,
  opts: { sip?: boolean; session?: Partial<RealtimeSessionOptions> } = {},
) {
  const server = await FakeRealtimeServer.start();
  const call = startCall({ callId, from: CALLER, meterProvider: m.provider });
  traceIds.push(call.traceId);
  const agent = new RealtimeAgent({ name: 'front desk', tools: [realtimeTools(20).lookupOrder] });
  const session = new RealtimeSession(agent, {
    transport: opts.sip ? new OpenAIRealtimeSIP() : 'websocket',
    model: 'gpt-realtime',
    ...opts.session,
  });
  session.on('error', () => {});
  const detach = call.run(() => plugin.attach(session));
  const next = server.nextConnection();
  await session.connect(
    opts.sip
      ? { apiKey: 'k', callId: 'rtc_metrics', url: server.sipUrl('rtc_metrics') }
      : { apiKey: 'k', url: server.url },
  );
  const conn = await next;
  await conn.nextClientEvent('session.update', 0);
  return {
    conn,
    async end() {
      await wait(30);
      if (opts.sip) conn.hangUp();
      else session.close();
      await until(() => otel.byName('gen_ai.realtime.session').length === 1, 'session span');
      call.end();
      detach();
      await server.close();
    },
  };
}

describe('voice metrics from a Realtime call', () => {
  it('WebSocket: first audio, the wait split, tokens and the response duration', async () => {
    const before = await collect();
    const v = await voiceCall('metrics-ws');
    await v.conn.callerSpeech({ speechMs: 10 });
    await v.conn.respond({
      delayMs: 40,
      audioMs: 60,
      usage: {
        input_tokens: 120,
        output_tokens: 30,
        input_audio_tokens: 100,
        output_audio_tokens: 25,
        cached_tokens: 40,
        cached_audio_tokens: 30,
        cached_text_tokens: 10,
      },
    });
    await v.end();
    const after = await collect();
    const delta = (metric: string, match: Record<string, unknown>, field: 'value' | 'count') =>
      total(pointsOf(after, metric, match), field) - total(pointsOf(before, metric, match), field);

    const ws = { 'calltrace.realtime.transport': 'websocket' };
    expect(
      delta(
        VoiceMetric.firstAudio,
        {
          ...ws,
          'calltrace.turn.first_audio.source': 'model_audio_received',
          'calltrace.turn.anchor': 'speech_stopped',
        },
        'count',
      ),
    ).toBe(1);
    // The split adds up to the first-audio figure the exchange span carries.
    const exchange = otel.one('invoke_agent front desk');
    const firstAudioS = Number(exchange.attributes['calltrace.turn.first_audio_ms']) / 1000;
    const ours = delta(VoiceMetric.wait, { ...ws, 'calltrace.wait.party': 'ours' }, 'value');
    const model = delta(VoiceMetric.wait, { ...ws, 'calltrace.wait.party': 'model' }, 'value');
    expect(ours + model).toBeCloseTo(firstAudioS, 6);
    expect(delta(VoiceMetric.firstAudio, ws, 'value')).toBeCloseTo(firstAudioS, 6);

    // Tokens: disjoint parts that add up to what the response reported.
    const tokens = (match: Record<string, unknown>) =>
      delta(
        VoiceMetric.tokenUsage,
        { 'gen_ai.operation.name': 'realtime_inference', ...match },
        'value',
      );
    expect(tokens({ 'gen_ai.token.type': 'input' })).toBe(120);
    expect(tokens({ 'gen_ai.token.type': 'output' })).toBe(30);
    expect(tokens({ 'gen_ai.token.type': 'input', 'calltrace.token.cached': true })).toBe(40);
    expect(
      tokens({
        'gen_ai.token.type': 'input',
        'calltrace.token.modality': 'audio',
        'calltrace.token.cached': true,
      }),
    ).toBe(30);
    expect(tokens({ 'gen_ai.token.type': 'output', 'calltrace.token.modality': 'audio' })).toBe(25);
    expect(
      delta(
        VoiceMetric.operationDuration,
        { 'gen_ai.operation.name': 'realtime_inference', 'gen_ai.request.model': 'gpt-realtime' },
        'count',
      ),
    ).toBe(1);
    expect(
      delta(
        VoiceMetric.callDuration,
        { 'calltrace.outcome': 'ok', 'calltrace.call.status': 'completed' },
        'count',
      ),
    ).toBe(1);
  });

  it('WebSocket: a tool round trip records the tool by name and outcome', async () => {
    const before = await collect();
    const v = await voiceCall('metrics-tool');
    await v.conn.callerSpeech({ speechMs: 10 });
    await v.conn.respond({
      toolCalls: [{ name: 'lookup_order', arguments: { orderId: '7' }, callId: 'call_m1' }],
    });
    await v.conn.nextClientEvent('response.create');
    await v.conn.respond({ audioMs: 40 });
    await v.end();
    const after = await collect();
    const match = { 'gen_ai.tool.name': 'lookup_order', 'calltrace.outcome': 'ok' };
    expect(
      total(pointsOf(after, VoiceMetric.toolDuration, match), 'count') -
        total(pointsOf(before, VoiceMetric.toolDuration, match), 'count'),
    ).toBe(1);
  });

  it('WebSocket: a caller barge-in is counted once, as the span records it', async () => {
    const before = await collect();
    const v = await voiceCall('metrics-barge');
    await v.conn.callerSpeech({ speechMs: 10 });
    const answer = v.conn.respond({ audioMs: 2000, chunkMs: 100, paceMs: 5 });
    await answer;
    await wait(30); // the agent's 2 s of audio is still "playing"
    await v.conn.callerSpeech({ speechMs: 10 });
    await v.conn.respond({ audioMs: 40 });
    await v.end();
    const after = await collect();
    const ws = { 'calltrace.realtime.transport': 'websocket' };
    const barge =
      total(pointsOf(after, VoiceMetric.bargeIns, ws)) -
      total(pointsOf(before, VoiceMetric.bargeIns, ws));
    expect(barge).toBe(1);
    const bargeSpans = otel
      .spans()
      .flatMap((s) => s.events)
      .filter((e) => e.name === 'gen_ai.audio.barge_in');
    expect(bargeSpans).toHaveLength(1); // the metric and the span agree
  });

  it('SIP sideband: first audio from the server output buffer, transport sip', async () => {
    const before = await collect();
    const v = await voiceCall('metrics-sip', { sip: true });
    await v.conn.callerSpeech({ speechMs: 10 });
    await v.conn.respond({ delayMs: 30, audioMs: 60 });
    await wait(120); // the buffer plays out on the server's clock
    await v.end();
    const after = await collect();
    const match = {
      'calltrace.realtime.transport': 'sip',
      'calltrace.turn.first_audio.source': 'server_output_buffer_started',
    };
    expect(
      total(pointsOf(after, VoiceMetric.firstAudio, match), 'count') -
        total(pointsOf(before, VoiceMetric.firstAudio, match), 'count'),
    ).toBe(1);
  });

  it('push-to-talk: anchored on input_audio_buffer.committed', async () => {
    const before = await collect();
    const v = await voiceCall('metrics-ptt', {
      session: { config: { audio: { input: { turnDetection: null } } } } as never,
    });
    v.conn.send({
      type: 'input_audio_buffer.committed',
      item_id: 'item_ptt',
      previous_item_id: null,
    });
    await v.conn.respond({ audioMs: 40 });
    await v.end();
    const after = await collect();
    const match = { 'calltrace.turn.anchor': 'input_committed' };
    expect(
      total(pointsOf(after, VoiceMetric.firstAudio, match), 'count') -
        total(pointsOf(before, VoiceMetric.firstAudio, match), 'count'),
    ).toBe(1);
  });
});

describe('GenAI metrics from a text agent (Agents SDK bridge)', () => {
  it('chat operation duration, token usage and tool duration', async () => {
    const before = await collect();
    const tools = makeTools();
    const agent = new Agent({
      name: 'front desk',
      tools: [tools.lookupOrder],
      model: new GenerationSpanModel([
        [functionCall('lookup_order', { orderId: '42' }, { callId: 'call_text' })],
        [assistantMessage('Shipped.')],
      ]),
    });
    const call = startCall({ callId: 'metrics-text', meterProvider: m.provider });
    traceIds.push(call.traceId);
    const detach = plugin.attach(agent);
    await call.run(() => run(agent, 'where is order 42?'));
    call.end();
    detach();
    const after = await collect();
    const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-test' };
    const diff = (metric: string, match: Record<string, unknown>, field: 'value' | 'count') =>
      total(pointsOf(after, metric, match), field) - total(pointsOf(before, metric, match), field);
    expect(diff(VoiceMetric.operationDuration, chat, 'count')).toBe(2);
    expect(diff(VoiceMetric.tokenUsage, { ...chat, 'gen_ai.token.type': 'input' }, 'value')).toBe(
      22,
    );
    expect(diff(VoiceMetric.tokenUsage, { ...chat, 'gen_ai.token.type': 'output' }, 'value')).toBe(
      14,
    );
    expect(
      diff(
        VoiceMetric.toolDuration,
        { 'gen_ai.tool.name': 'lookup_order', 'calltrace.outcome': 'ok' },
        'count',
      ),
    ).toBe(1);
  });
});

describe('bounds and safety', () => {
  it('a bound that drops is counted by kind through the global meter provider', async () => {
    const global = setupMetrics();
    metrics.setGlobalMeterProvider(global.provider);
    try {
      const counter = new DropCounter('calltrace tail sampler: spans of evicted traces');
      counter.add(3);
      const points = pointsOf(await global.points(), VoiceMetric.dropped, {
        'calltrace.drop.kind': 'tail_sampler_spans_of_evicted_traces',
      });
      expect(total(points)).toBe(3);
    } finally {
      metrics.disable();
      await global.shutdown();
    }
  });

  it('a meter provider that throws never reaches the call', async () => {
    const broken = {
      getMeter() {
        throw new Error('broken meter');
      },
    } as unknown as MeterProvider;
    const call = startCall({ callId: 'metrics-broken', meterProvider: broken });
    expect(() => call.end()).not.toThrow();
    expect(otel.one('call').attributes['calltrace.call.status']).toBe('completed');
  });

  it('no phone number, call id, trace id or free text in any metric attribute', async () => {
    await collect();
    expect(seen.length).toBeGreaterThan(20);
    const forbidden = [
      CALLER,
      CALLER.slice(1),
      ...traceIds,
      'metrics-ws',
      'metrics-tool',
      'metrics-text',
    ];
    const keys = new Set<string>();
    for (const p of seen) {
      for (const [key, value] of Object.entries(p.attributes)) {
        keys.add(key);
        const text = String(value);
        for (const bad of forbidden) expect(text).not.toContain(bad);
        expect(text.length).toBeLessThanOrEqual(64);
      }
    }
    expect([...keys].sort()).toEqual(
      [
        'calltrace.call.status',
        'calltrace.outcome',
        'calltrace.realtime.transport',
        'calltrace.token.cached',
        'calltrace.token.modality',
        'calltrace.turn.anchor',
        'calltrace.turn.first_audio.source',
        'calltrace.wait.party',
        'gen_ai.operation.name',
        'gen_ai.provider.name',
        'gen_ai.request.model',
        'gen_ai.token.type',
        'gen_ai.tool.name',
      ].sort(),
    );
  });
});

describe('Prometheus scrape endpoint (@opentelemetry/exporter-prometheus)', () => {
  it('serves the voice metrics in the exposition format', async () => {
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new SdkMeterProvider({ readers: [exporter] });
    const server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const fake = await FakeRealtimeServer.start();
      const own = callTracing({ meterProvider: provider });
      const call = startCall({ callId: 'metrics-prom', meterProvider: provider });
      const session = new RealtimeSession(new RealtimeAgent({ name: 'front desk' }), {
        transport: 'websocket',
        model: 'gpt-realtime',
      });
      const detach = call.run(() => own.attach(session));
      const next = fake.nextConnection();
      await session.connect({ apiKey: 'k', url: fake.url });
      const conn = await next;
      await conn.nextClientEvent('session.update', 0);
      await conn.callerSpeech({ speechMs: 10 });
      await conn.respond({ audioMs: 40, usage: { input_tokens: 9, output_tokens: 4 } });
      await wait(30);
      session.close();
      call.end();
      detach();
      await fake.close();

      const { port } = server.address() as AddressInfo;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(
        /calltrace_voice_first_audio_duration_count\{[^}]*calltrace_realtime_transport="websocket"[^}]*\} 1/,
      );
      expect(text).toMatch(
        /gen_ai_client_token_usage_sum\{[^}]*gen_ai_token_type="input"[^}]*\} 9/,
      );
      expect(text).toMatch(/calltrace_call_duration_count\{[^}]*calltrace_outcome="ok"[^}]*\} 1/);
    } finally {
      server.close();
      await provider.shutdown();
    }
  });
});
