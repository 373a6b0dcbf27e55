/**
 * How the client reaches the fake, which decides how agent audio leaves the server.
 * - `websocket`: `OpenAIRealtimeWebSocket` (and Twilio's transport on top of it): audio travels
 *   as `response.output_audio.delta` events and the CLIENT plays it.
 * - `sip`: the sideband WebSocket `OpenAIRealtimeSIP` opens with `?call_id=`; the audio goes to
 *   the phone over RTP, so the server plays it: `output_audio_buffer.*`, no audio deltas.
 * - `webrtc`: the `oai-events` data channel of `OpenAIRealtimeWebRTC`; audio on the media track,
 *   so again `output_audio_buffer.*` and no audio deltas.
 */
export type FakeTransportMode = 'websocket' | 'sip' | 'webrtc';

/** One scripted function call in a response. */
export interface FakeToolCall {
  name: string;
  /** JSON string or a value to stringify. */
  arguments: string | Record<string, unknown>;
  callId: string;
}

/** Token usage on `response.done` (GA `RealtimeResponseUsage`). */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  input_audio_tokens?: number;
  output_audio_tokens?: number;
  /** Cached input tokens (a subset of input_tokens). */
  cached_tokens?: number;
  cached_audio_tokens?: number;
  cached_text_tokens?: number;
}

export interface FakeResponseOptions {
  /** Wait before `response.created` (model think time). Default: 0. */
  delayMs?: number;
  /** Wait between `response.created` and the first audio. Default: 0. */
  firstAudioDelayMs?: number;
  /** Audio to produce, in ms. Default: 0 (no audio). */
  audioMs?: number;
  /** Audio per chunk, in ms. Default: 20 (50 deltas a second, like the real API). */
  chunkMs?: number;
  /** Wall-clock wait between chunks; 0 streams as fast as possible. Default: 0. */
  paceMs?: number;
  /** Transcript of the audio (sent as transcript deltas, one word per chunk). */
  transcript?: string;
  /** Function calls the model asks for (sent after the audio). */
  toolCalls?: FakeToolCall[];
  /** Token usage on `response.done`. */
  usage?: FakeUsage;
  /** End the response as failed with this error code instead of completing it. */
  failWith?: string;
}

export interface FakeResponseResult {
  responseId: string;
  /**
   * `completed`, `cancelled` (by the server on the caller's speech, or by the client's
   * `response.cancel`) or `failed`.
   */
  status: 'completed' | 'cancelled' | 'failed';
  /** Why a cancelled response was cancelled: `turn_detected` or `client_cancelled`. */
  reason?: 'turn_detected' | 'client_cancelled';
}
