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
import { AUDIO_DELTA, feedExchange } from './realtime-events.js';

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

const delta = AUDIO_DELTA;
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
const exchange = (s: typeof traced) =>
  feedExchange(s, `resp_t${n++}`, { input_tokens: 1, output_tokens: 1 });
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
