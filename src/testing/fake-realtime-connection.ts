import type { WebSocket } from 'ws';

/** One scripted function call in a response. */
export interface FakeToolCall {
  name: string;
  /** JSON string or a value to stringify. */
  arguments: string | Record<string, unknown>;
  callId: string;
}

export interface FakeResponseOptions {
  /** Wait before `response.created` (model think time). Default: 0. */
  delayMs?: number;
  /** Wait between `response.created` and the first audio delta. Default: 0. */
  firstAudioDelayMs?: number;
  /** Audio to stream, in ms of 24 kHz PCM16. Default: 0 (no audio). */
  audioMs?: number;
  /** Audio per delta, in ms. Default: 20 (50 deltas a second, like the real API). */
  chunkMs?: number;
  /** Wall-clock wait between deltas; 0 streams as fast as possible. Default: 0. */
  paceMs?: number;
  /** Transcript of the audio. */
  transcript?: string;
  /** Function calls the model asks for (sent after the audio). */
  toolCalls?: FakeToolCall[];
  /** Token usage on `response.done`. */
  usage?: {
    input_tokens: number;
    output_tokens: number;
    input_audio_tokens?: number;
    output_audio_tokens?: number;
  };
  /** End the response as failed with this error code instead of completing it. */
  failWith?: string;
}

export interface FakeResponseResult {
  responseId: string;
  /** `completed`, `cancelled` (the client sent response.cancel) or `failed`. */
  status: 'completed' | 'cancelled' | 'failed';
}

const wait = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * The server side of one Realtime WebSocket connection, scripted by the test: caller speech,
 * responses with audio and tool calls, server errors, a dropped socket. Records every client
 * event so tests can wait for the SDK's answers (e.g. `function_call_output`, `response.create`).
 */
export class FakeRealtimeConnection {
  readonly clientEvents: Array<Record<string, any>> = [];
  readonly sessionId: string;
  readonly #waiters: Array<{
    type: string;
    from: number;
    resolve: (e: Record<string, any>) => void;
  }> = [];
  #seq = 0;
  #cancelled = new Set<string>();
  #activeResponse: string | undefined;
  #audioStartMs = 0;

  constructor(
    readonly socket: WebSocket,
    readonly model: string,
    index: number,
  ) {
    this.sessionId = `sess_fake_${index}`;
    socket.on('message', (data) => this.#onClientEvent(data.toString()));
    this.send({
      type: 'session.created',
      session: { id: this.sessionId, model, type: 'realtime' },
    });
  }

  send(event: Record<string, unknown>): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ event_id: `evt_${++this.#seq}`, ...event }));
  }

  /** Resolves with the next client event of `type` (counting from now, or from index `from`). */
  nextClientEvent(type: string, from = this.clientEvents.length): Promise<Record<string, any>> {
    const seen = this.clientEvents.slice(from).find((e) => e.type === type);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ type, from, resolve }));
  }

  /** The caller speaks for `speechMs` and stops: speech_started → speech_stopped → committed. */
  async callerSpeech({ speechMs = 0 } = {}): Promise<void> {
    const itemId = `item_user_${++this.#seq}`;
    this.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: this.#audioStartMs,
      item_id: itemId,
    });
    await wait(speechMs);
    this.#audioStartMs += speechMs;
    this.send({
      type: 'input_audio_buffer.speech_stopped',
      audio_end_ms: this.#audioStartMs,
      item_id: itemId,
    });
    this.send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: null });
  }

  /** The caller starts talking (without stopping): the SDK interrupts audio that is playing. */
  callerStartsSpeaking(): void {
    this.send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: this.#audioStartMs,
      item_id: `item_user_${++this.#seq}`,
    });
  }

  /** Streams one response; resolves when `response.done` has been sent. */
  async respond(o: FakeResponseOptions = {}): Promise<FakeResponseResult> {
    const responseId = `resp_${++this.#seq}`;
    const itemId = `item_${++this.#seq}`;
    await wait(o.delayMs ?? 0);
    this.#activeResponse = responseId;
    this.send({
      type: 'response.created',
      response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
    });
    await wait(o.firstAudioDelayMs ?? 0);
    const output: Array<Record<string, unknown>> = [];
    const chunkMs = o.chunkMs ?? 20;
    const chunk = Buffer.alloc(Math.round(chunkMs * 48)).toString('base64'); // 24 kHz × 2 bytes
    let status: FakeResponseResult['status'] = 'completed';
    if (o.audioMs && o.audioMs > 0) {
      this.send({
        type: 'response.output_item.added',
        response_id: responseId,
        output_index: 0,
        item: {
          id: itemId,
          type: 'message',
          role: 'assistant',
          status: 'in_progress',
          content: [],
        },
      });
      if (o.transcript) {
        this.send({
          type: 'response.output_audio_transcript.delta',
          response_id: responseId,
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          delta: o.transcript,
        });
      }
      for (let sent = 0; sent < o.audioMs; sent += chunkMs) {
        if (this.#cancelled.has(responseId) || this.socket.readyState !== this.socket.OPEN) break;
        this.send({
          type: 'response.output_audio.delta',
          response_id: responseId,
          item_id: itemId,
          output_index: 0,
          content_index: 0,
          delta: chunk,
        });
        await wait(o.paceMs ?? 0);
      }
      if (this.#cancelled.has(responseId)) status = 'cancelled';
      this.send({
        type: 'response.output_audio.done',
        response_id: responseId,
        item_id: itemId,
        output_index: 0,
        content_index: 0,
      });
      const message = {
        id: itemId,
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_audio', transcript: o.transcript ?? '' }],
      };
      this.send({
        type: 'response.output_item.done',
        response_id: responseId,
        output_index: 0,
        item: message,
      });
      output.push(message);
    }
    if (status === 'completed') {
      for (const [i, call] of (o.toolCalls ?? []).entries()) {
        const args =
          typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
        const item = {
          id: `item_fc_${++this.#seq}`,
          type: 'function_call',
          status: 'completed',
          call_id: call.callId,
          name: call.name,
          arguments: args,
        };
        this.send({
          type: 'response.output_item.done',
          response_id: responseId,
          output_index: i + 1,
          item,
        });
        output.push(item);
      }
    }
    if (o.failWith) status = 'failed';
    const usage = o.usage ?? { input_tokens: 0, output_tokens: 0 };
    this.send({
      type: 'response.done',
      response: {
        id: responseId,
        object: 'realtime.response',
        status,
        status_details: o.failWith
          ? { type: 'failed', error: { type: 'server_error', code: o.failWith } }
          : null,
        output,
        usage: {
          total_tokens: usage.input_tokens + usage.output_tokens,
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          input_token_details: {
            audio_tokens: usage.input_audio_tokens ?? 0,
            text_tokens: 0,
            cached_tokens: 0,
          },
          output_token_details: { audio_tokens: usage.output_audio_tokens ?? 0, text_tokens: 0 },
        },
      },
    });
    this.#activeResponse = undefined;
    return { responseId, status };
  }

  /** A server `error` event (e.g. `rate_limit_exceeded`). */
  error(code: string, message = code): void {
    this.send({ type: 'error', error: { type: 'server_error', code, message } });
  }

  /** Drops the socket without a close handshake, like a network failure. */
  drop(): void {
    this.socket.terminate();
  }

  #onClientEvent(raw: string): void {
    let event: Record<string, any>;
    try {
      event = JSON.parse(raw);
    } catch {
      return;
    }
    this.clientEvents.push(event);
    if (event.type === 'session.update')
      this.send({
        type: 'session.updated',
        session: { id: this.sessionId, model: this.model, ...event.session },
      });
    if (event.type === 'response.cancel' && this.#activeResponse)
      this.#cancelled.add(this.#activeResponse);
    if (event.type === 'conversation.item.truncate')
      this.send({
        type: 'conversation.item.truncated',
        item_id: event.item_id,
        content_index: event.content_index,
        audio_end_ms: event.audio_end_ms,
      });
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
