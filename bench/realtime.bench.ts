/**
 * The Realtime hot path. Audio deltas arrive ~50 times a second per call; calltrace must add
 * next to nothing to each one.
 * 1. Cost per transport event (an audio delta inside an open response), session traced vs the
 *    same kind of session untraced. Target ≤ 1.05x.
 * 2. Cost of one whole traced exchange (speech started/stopped, committed → response.created →
 *    25 deltas → response.done: the exchange span, the realtime_inference span and the
 *    timeline's figures) vs the same events untraced.
 * Events are fed through the real OpenAIRealtimeWebSocket's message handler (`_onMessage`,
 * what the socket calls), so the SDK's own parsing is part of both sides, as in production.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { callTracing, startCall } from '../src/index.js';
import { FakeRealtimeServer } from '../src/testing/index.js';
import { formatNs, measure, report } from './harness.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
);

const server = await FakeRealtimeServer.start();
const plugin = callTracing();

async function connectedSession(traced: boolean) {
  const session = new RealtimeSession(new RealtimeAgent({ name: 'bench' }), {
    transport: 'websocket',
  });
  session.on('error', () => {});
  if (traced) startCall({ callId: 'bench' }).run(() => plugin.attach(session));
  const conn = server.nextConnection();
  await session.connect({ apiKey: 'k', url: server.url });
  await conn;
  const transport = session.transport as unknown as { _onMessage(e: { data: string }): void };
  const feed = (event: Record<string, unknown>) =>
    transport._onMessage({ data: JSON.stringify(event) });
  return { session, feed, transport };
}

const traced = await connectedSession(true);
const plain = await connectedSession(false);

// 20 ms of 24 kHz PCM16, like the real API sends.
const delta = JSON.stringify({
  type: 'response.output_audio.delta',
  event_id: 'evt',
  response_id: 'resp_1',
  item_id: 'item_1',
  output_index: 0,
  content_index: 0,
  delta: Buffer.alloc(960).toString('base64'),
});
for (const s of [traced, plain]) {
  s.feed({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 0, item_id: 'u1' });
  s.feed({
    type: 'response.created',
    response: { id: 'resp_1', object: 'realtime.response', status: 'in_progress', output: [] },
  });
}

const [withPlugin, without] = await measure(
  [
    { name: 'traced', fn: () => traced.transport._onMessage({ data: delta }) },
    { name: 'untraced', fn: () => plain.transport._onMessage({ data: delta }) },
  ],
  { iterations: 20_000, rounds: 9 },
);
report('transport event (audio delta)', withPlugin!, without!, { max: 1.05 });

let n = 0;
const exchange = (s: typeof traced) => {
  const id = `resp_t${n++}`;
  s.feed({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: 'u' });
  s.feed({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 0, item_id: 'u' });
  s.feed({ type: 'input_audio_buffer.committed', item_id: 'u', previous_item_id: null });
  s.feed({
    type: 'response.created',
    response: { id, object: 'realtime.response', status: 'in_progress', output: [] },
  });
  const d = delta.replace('resp_1', id);
  for (let i = 0; i < 25; i++) s.transport._onMessage({ data: d });
  s.feed({
    type: 'response.done',
    response: {
      id,
      object: 'realtime.response',
      status: 'completed',
      output: [],
      usage: { input_tokens: 1, output_tokens: 1 },
    },
  });
};
const [exchangeTraced, exchangePlain] = await measure(
  [
    { name: 'traced exchange', fn: () => exchange(traced) },
    { name: 'untraced exchange', fn: () => exchange(plain) },
  ],
  { iterations: 500, rounds: 7 },
);
report('one exchange (30 events)', exchangeTraced!, exchangePlain!);
console.log(
  `tracing cost per exchange: ${formatNs(exchangeTraced!.nsPerOp - exchangePlain!.nsPerOp)}`,
);

traced.session.close();
plain.session.close();
await server.close();
process.exit(0);
