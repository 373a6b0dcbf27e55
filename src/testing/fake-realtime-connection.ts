import type { WebSocket } from 'ws';
import { defaultSession } from './fake-realtime-events.js';
import { CallerInput, type CallerSpeechOptions } from './fake-realtime-input.js';
import { handleClientEvent, type ClientEventHost } from './fake-realtime-client-events.js';
import { FakeConversation } from './fake-realtime-conversation.js';
import { ServerPlayback } from './fake-realtime-playback.js';
import {
  streamResponse,
  type ActiveResponse,
  type ResponseHost,
} from './fake-realtime-response.js';
import type {
  FakeResponseOptions,
  FakeResponseResult,
  FakeTransportMode,
} from './fake-realtime-types.js';

export type {
  FakeResponseOptions,
  FakeResponseResult,
  FakeToolCall,
  FakeTransportMode,
  FakeUsage,
} from './fake-realtime-types.js';

type Json = Record<string, any>;

/**
 * The server side of one Realtime connection, scripted by the test: caller speech, responses
 * with audio and tool calls, server errors, a normal close or a dropped socket. Behaves like the
 * real server by default: server-side turn detection with `interrupt_response` and
 * `create_response` on, so the SERVER cancels a response the caller talks over. Records every
 * client event so tests can wait for the SDK's answers (`function_call_output`,
 * `response.create`, ...).
 */
export class FakeRealtimeConnection implements ResponseHost, ClientEventHost {
  readonly clientEvents: Array<Record<string, any>> = [];
  readonly sessionId: string;
  /** The session as the server holds it (what `session.updated` echoes). */
  session: Json;
  readonly playback: ServerPlayback | undefined;
  readonly #waiters: Array<{ type: string; from: number; resolve: (e: Json) => void }> = [];
  readonly #conversation = new FakeConversation();
  #seq = 0;
  #active: ActiveResponse | undefined;
  readonly #caller = new CallerInput(this);
  readonly #queued: FakeResponseOptions[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly model: string,
    index: number,
    readonly mode: FakeTransportMode = 'websocket',
  ) {
    this.sessionId = `sess_fake_${index}`;
    this.session = defaultSession(this.sessionId, model);
    this.playback = mode === 'websocket' ? undefined : new ServerPlayback((e) => this.send(e));
    socket.on('message', (data) => this.#onClientEvent(data.toString()));
    socket.on('close', () => this.playback?.close());
    // Sent on every connection, the SIP sideband and the WebRTC data channel included (guide
    // "Webhooks and server-side controls": the sideband gets the same events as a WebSocket).
    this.send({ type: 'session.created', session: this.session });
  }

  send(event: Record<string, unknown>): void {
    if (!this.isOpen()) return;
    this.socket.send(JSON.stringify({ event_id: `evt_${++this.#seq}`, ...event }));
  }

  isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  nextId(prefix: string): string {
    return `${prefix}_${++this.#seq}`;
  }

  /** The server's turn detection; `null` is push-to-talk. */
  get turnDetection(): Json | null {
    return this.session.audio?.input?.turn_detection ?? null;
  }

  get outputFormat(): unknown {
    return this.session.audio?.output?.format;
  }

  /** The response being generated, if any. */
  get activeResponseId(): string | undefined {
    return this.#active?.id;
  }

  setActive(active: ActiveResponse | undefined): void {
    this.#active = active;
  }

  addItem(item: Json): string | null {
    return this.#conversation.add(item);
  }

  getItem(id: string): Json | undefined {
    return this.#conversation.get(id);
  }

  /** @internal A response is due: the next queued one starts. */
  responseDue(): void {
    const next = this.#queued.shift();
    if (next) void this.respond(next);
  }

  /** @internal */
  cancelResponse(reason: 'turn_detected' | 'client_cancelled'): void {
    const active = this.#active;
    if (!active || active.reason) return;
    active.reason = reason;
    active.abort.abort();
  }

  /** @internal */
  appendInput(bytes: number): void {
    this.#caller.append(bytes);
  }

  /** @internal */
  commitInput(): boolean {
    return this.#caller.commit();
  }

  /**
   * The caller speaks for `speechMs` and stops; the server's VAD reports it: speech_started →
   * speech_stopped (after `silenceMs`, the VAD's silence window: `audio_end_ms` is still the end
   * of speech) → committed → the user item. With `create_response` the server then creates a
   * response: the next `respond()` (or a queued response) stands for it. On SIP it first waits
   * for `OpenAIRealtimeSIP`'s `output_audio_buffer.clear` answering the speech start.
   */
  callerSpeech(options: CallerSpeechOptions = {}): Promise<void> {
    return this.#caller.speech(options);
  }

  /**
   * The caller starts talking (without stopping). With `interrupt_response` (the default) the
   * server cancels the response in progress (`response.done`, `cancelled`, `turn_detected`)
   * and, on SIP/WebRTC, clears the audio playing to the caller and truncates its item.
   * Returns the item id of the caller's turn. Throws under push-to-talk.
   */
  callerStartsSpeaking(): string {
    return this.#caller.startsSpeaking();
  }

  /** Resolves with the next client event of `type` (counting from now, or from index `from`). */
  nextClientEvent(type: string, from = this.clientEvents.length): Promise<Record<string, any>> {
    const seen = this.clientEvents.slice(from).find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ type, from, resolve }));
  }

  /** Streams one response now; resolves when `response.done` has been sent. */
  respond(o: FakeResponseOptions = {}): Promise<FakeResponseResult> {
    return streamResponse(this, o);
  }

  /**
   * Responses the server creates by itself, in order, each when a response is due: after the
   * caller's committed turn with `create_response`, or on the client's `response.create`.
   */
  queueResponses(...responses: FakeResponseOptions[]): void {
    this.#queued.push(...responses);
  }

  /** A server `error` event (e.g. `rate_limit_exceeded`). */
  error(code: string, message = code): void {
    this.send({ type: 'error', error: { type: 'server_error', code, message } });
  }

  /**
   * A normal end: the server closes with 1000 (on SIP the sideband closes when the phone call
   * ends). Close codes per RFC 6455 §7.4.1.
   */
  close(code = 1000, reason = ''): void {
    this.playback?.close();
    this.socket.close(code, reason);
  }

  /** SIP: the caller hung up; the sideband WebSocket closes normally. */
  hangUp(): void {
    this.close(1000, 'call ended');
  }

  /** Drops the socket without a close handshake, like a network failure. */
  drop(): void {
    this.playback?.close();
    this.socket.terminate();
  }

  /** committed + the user item (realtime.d.ts `InputAudioBufferCommittedEvent`). */
  #onClientEvent(raw: string): void {
    let event: Json;
    try {
      event = JSON.parse(raw);
    } catch {
      return;
    }
    this.clientEvents.push(event);
    handleClientEvent(this, event);
    const index = this.clientEvents.length - 1;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const w = this.#waiters[i]!;
      if (w.type === event.type && index >= w.from) {
        this.#waiters.splice(i, 1);
        w.resolve(event);
      }
    }
  }
}
