/**
 * Streams one model response with the GA event sequence (realtime.d.ts, server events):
 * response.created → rate_limits.updated → per output item: response.output_item.added,
 * conversation.item.added, [audio: response.content_part.added, (SIP/WebRTC:
 * output_audio_buffer.started), response.output_audio_transcript.delta + (WebSocket only)
 * response.output_audio.delta, response.output_audio.done, response.output_audio_transcript.done,
 * response.content_part.done] | [function call: response.function_call_arguments.delta/.done],
 * response.output_item.done, conversation.item.done → response.done ("always emitted, no
 * matter the final state"; `status_details.reason` `turn_detected` | `client_cancelled`,
 * realtime.d.ts `RealtimeResponseStatus`).
 */
import {
  assistantItem,
  bytesPerMs,
  functionCallItem,
  rateLimitsUpdated,
  responseObject,
  usageObject,
} from './fake-realtime-events.js';
import type { ServerPlayback } from './fake-realtime-playback.js';
import type {
  FakeResponseOptions,
  FakeResponseResult,
  FakeTransportMode,
} from './fake-realtime-types.js';

type Json = Record<string, any>;

/** The response in progress; the connection cancels it through `cancel`. */
export interface ActiveResponse {
  id: string;
  reason?: 'turn_detected' | 'client_cancelled';
  readonly abort: AbortController;
}

/** What a response needs from its connection. */
export interface ResponseHost {
  readonly mode: FakeTransportMode;
  readonly playback: ServerPlayback | undefined;
  readonly outputFormat: unknown;
  send(event: Json): void;
  nextId(prefix: string): string;
  /** Appends an item to the conversation; returns the id of the item before it. */
  addItem(item: Json): string | null;
  isOpen(): boolean;
  setActive(active: ActiveResponse | undefined): void;
}

/** A wait that ends early when the response is cancelled. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function streamResponse(
  host: ResponseHost,
  o: FakeResponseOptions,
): Promise<FakeResponseResult> {
  const active: ActiveResponse = { id: host.nextId('resp'), abort: new AbortController() };
  const { signal } = active.abort;
  await wait(o.delayMs ?? 0, signal);
  host.setActive(active);
  const responseId = active.id;
  const send = (event: Json) => host.send({ response_id: responseId, ...event });
  host.send({
    type: 'response.created',
    response: responseObject(responseId, 'in_progress', [], {
      audio: { output: { format: host.outputFormat, voice: 'marin' } },
    }),
  });
  host.send(rateLimitsUpdated());
  await wait(o.firstAudioDelayMs ?? 0, signal);
  const output: Json[] = [];
  if ((o.audioMs ?? 0) > 0 && !active.reason) {
    output.push(await streamAudio(host, active, o, send));
  }
  for (const call of active.reason ? [] : (o.toolCalls ?? [])) {
    output.push(sendFunctionCall(host, call, output.length, send));
  }
  const status: FakeResponseResult['status'] = active.reason
    ? 'cancelled'
    : o.failWith
      ? 'failed'
      : 'completed';
  host.send({
    type: 'response.done',
    response: responseObject(responseId, status, output, {
      status_details:
        status === 'cancelled'
          ? { type: 'cancelled', reason: active.reason }
          : o.failWith
            ? { type: 'failed', error: { type: 'server_error', code: o.failWith } }
            : null,
      usage: usageObject(o.usage),
    }),
  });
  host.playback?.responseDone(responseId);
  host.setActive(undefined);
  return { responseId, status, ...(active.reason ? { reason: active.reason } : {}) };
}

async function streamAudio(
  host: ResponseHost,
  active: ActiveResponse,
  o: FakeResponseOptions,
  send: (event: Json) => void,
): Promise<Json> {
  const itemId = host.nextId('item');
  const part = { item_id: itemId, output_index: 0, content_index: 0 };
  send({
    type: 'response.output_item.added',
    output_index: 0,
    item: assistantItem(itemId, 'in_progress'),
  });
  const previous = host.addItem(assistantItem(itemId, 'in_progress'));
  host.send({
    type: 'conversation.item.added',
    previous_item_id: previous,
    item: assistantItem(itemId, 'in_progress'),
  });
  send({ type: 'response.content_part.added', ...part, part: { type: 'audio', transcript: '' } });
  host.playback?.begin(active.id, itemId);
  const chunkMs = o.chunkMs ?? 20;
  const chunk = Buffer.alloc(Math.round(chunkMs * bytesPerMs(host.outputFormat))).toString(
    'base64',
  );
  const words = o.transcript?.match(/\S+\s*/g) ?? [];
  let said = '';
  const say = (word: string | undefined) => {
    if (!word) return;
    said += word;
    send({ type: 'response.output_audio_transcript.delta', ...part, delta: word });
  };
  for (let sent = 0, i = 0; sent < o.audioMs!; sent += chunkMs, i++) {
    if (active.reason || !host.isOpen()) break;
    say(words[i]);
    // WebSocket: the audio itself; SIP/WebRTC: it goes to the caller over RTP instead.
    if (host.mode === 'websocket')
      send({ type: 'response.output_audio.delta', ...part, delta: chunk });
    else host.playback?.generated(active.id, chunkMs);
    await wait(o.paceMs ?? 0, active.abort.signal);
  }
  if (!active.reason) for (const word of words.slice(Math.ceil(o.audioMs! / chunkMs))) say(word);
  const status = active.reason ? 'incomplete' : 'completed';
  const item = assistantItem(itemId, status, said);
  send({ type: 'response.output_audio.done', ...part });
  send({ type: 'response.output_audio_transcript.done', ...part, transcript: said });
  send({ type: 'response.content_part.done', ...part, part: { type: 'audio', transcript: said } });
  send({ type: 'response.output_item.done', output_index: 0, item });
  host.send({ type: 'conversation.item.done', previous_item_id: previous, item });
  return item;
}

function sendFunctionCall(
  host: ResponseHost,
  call: NonNullable<FakeResponseOptions['toolCalls']>[number],
  outputIndex: number,
  send: (event: Json) => void,
): Json {
  const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
  const itemId = host.nextId('item_fc');
  const ids = { item_id: itemId, output_index: outputIndex, call_id: call.callId };
  send({
    type: 'response.output_item.added',
    output_index: outputIndex,
    item: functionCallItem(itemId, 'in_progress', call, ''),
  });
  const previous = host.addItem(functionCallItem(itemId, 'in_progress', call, ''));
  host.send({
    type: 'conversation.item.added',
    previous_item_id: previous,
    item: functionCallItem(itemId, 'in_progress', call, ''),
  });
  const half = Math.ceil(args.length / 2);
  for (const delta of [args.slice(0, half), args.slice(half)].filter(Boolean))
    send({ type: 'response.function_call_arguments.delta', ...ids, delta });
  send({ type: 'response.function_call_arguments.done', ...ids, name: call.name, arguments: args });
  const item = functionCallItem(itemId, 'completed', call, args);
  send({ type: 'response.output_item.done', output_index: outputIndex, item });
  host.send({ type: 'conversation.item.done', previous_item_id: previous, item });
  return item;
}
