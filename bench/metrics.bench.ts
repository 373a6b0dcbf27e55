/**
 * Metrics on the Realtime hot path. Two traced sessions in one process, fed the same events
 * through the real OpenAIRealtimeWebSocket's message handler: one records voice and GenAI
 * metrics into a real sdk-metrics MeterProvider, the other has none (the API's no-op meter).
 * 1. One whole exchange (speech → response → 25 deltas → done), metrics on vs off. Target ≤ 1.05x.
 * 2. One transport event (audio delta), metrics on vs off: no metric is recorded per delta.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { callTracing, startCall } from '../src/index.js';
import { FakeRealtimeServer } from '../src/testing/index.js';
import { formatNs, measure, report } from './harness.js';
import { AUDIO_DELTA, feedExchange } from './realtime-events.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
);

class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}
const meterProvider = new MeterProvider({ readers: [new PullReader()] });
const server = await FakeRealtimeServer.start();

async function connectedSession(plugin: ReturnType<typeof callTracing>, withMeter: boolean) {
  const session = new RealtimeSession(new RealtimeAgent({ name: 'bench' }), {
    transport: 'websocket',
  });
  session.on('error', () => {});
  startCall({ callId: 'bench', meterProvider: withMeter ? meterProvider : undefined }).run(() =>
    plugin.attach(session),
  );
  const conn = server.nextConnection();
  await session.connect({ apiKey: 'k', url: server.url });
  await conn;
  const transport = session.transport as unknown as { _onMessage(e: { data: string }): void };
  const feed = (event: Record<string, unknown>) =>
    transport._onMessage({ data: JSON.stringify(event) });
  return { session, feed, transport };
}

const on = await connectedSession(callTracing({ meterProvider }), true);
const off = await connectedSession(callTracing(), false);

const delta = AUDIO_DELTA;

let n = 0;
const exchange = (s: typeof on) =>
  feedExchange(s, `resp_m${n++}`, {
    input_tokens: 120,
    output_tokens: 30,
    input_token_details: { audio_tokens: 100, text_tokens: 20, cached_tokens: 0 },
    output_token_details: { audio_tokens: 25, text_tokens: 5 },
  });
const [exOn, exOff] = await measure(
  [
    { name: 'exchange, metrics on', fn: () => exchange(on) },
    { name: 'exchange, metrics off', fn: () => exchange(off) },
  ],
  { iterations: 500, rounds: 9 },
);
report('one traced exchange, metrics on vs off', exOn!, exOff!, { max: 1.05 });
console.log(`metrics cost per exchange: ${formatNs(exOn!.nsPerOp - exOff!.nsPerOp)}`);

for (const s of [on, off]) {
  s.feed({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 0, item_id: 'u1' });
  s.feed({
    type: 'response.created',
    response: { id: 'resp_1', object: 'realtime.response', status: 'in_progress', output: [] },
  });
}
const [evOn, evOff] = await measure(
  [
    { name: 'delta, metrics on', fn: () => on.transport._onMessage({ data: delta }) },
    { name: 'delta, metrics off', fn: () => off.transport._onMessage({ data: delta }) },
  ],
  { iterations: 20_000, rounds: 9 },
);
report('transport event (audio delta), metrics on vs off', evOn!, evOff!, { max: 1.05 });

on.session.close();
off.session.close();
await server.close();
await meterProvider.shutdown();
process.exit(0);
