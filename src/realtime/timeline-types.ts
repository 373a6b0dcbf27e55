/**
 * The shapes the voice timeline (`timeline.ts`) takes in and gives out. Plain data, no OTel:
 * the span layer writes them as attributes, and a metrics reader can consume them as they are.
 * Every time is a number on one monotonic clock (the span layer passes `performance.now()`).
 */

/** What the first-audio figure measured. */
export type FirstAudioSource =
  /** The first `response.output_audio.delta` reached us (WebSocket, Twilio). */
  | 'model_audio_received'
  /** The app's relay sent the first audio on to the caller (`markAudioSentToCaller`). */
  | 'relay_sent'
  /** The server started playing its output buffer (`output_audio_buffer.started`: SIP, WebRTC). */
  | 'server_output_buffer_started';

/** How the caller's turn came in. */
export type TurnInput = 'speech' | 'push_to_talk' | 'none';

/** What the caller's wait is measured from. */
export type WaitAnchor = 'speech_stopped' | 'input_committed';

/** Who cut the agent's audio short. Only `barge_in` is the caller. */
export type InterruptionKind = 'barge_in' | 'guardrail' | 'manual';

export type ExchangeStatus = 'answered' | 'no_audio' | 'interrupted' | 'failed' | 'unfinished';

/** The caller's wait in one exchange, ms from the anchor. Present only when both ends exist. */
export interface WaitFigures {
  anchor: WaitAnchor;
  /** Anchor → first agent audio, by `source`. */
  firstAudioMs: number;
  source: FirstAudioSource;
  /** Anchor → first audio delta received, when deltas were received. */
  receivedMs?: number;
  /** Anchor → first audio sent on by the relay, when it reported. */
  sentMs?: number;
  /** Anchor → the exchange's first `response.created`, when it came after the anchor. */
  responseCreatedMs?: number;
  /** Wall time our tools ran inside the wait (parallel tools counted once). */
  toolMs: number;
  /** Of `firstAudioMs`: our tools plus the relay's delay. */
  oursMs: number;
  /** Of `firstAudioMs`: the rest, the model's. */
  modelMs: number;
}

/** The caller spoke while the agent's audio was still playing. */
export interface BargeIn {
  at: number;
  /** The response whose audio was cut (not necessarily the newest). */
  responseId: string;
  /** How far into that response's audio the caller started speaking, ms. */
  elapsedMs: number;
  /** The server's `conversation.item.truncated` audio_end_ms, when reported. */
  audioEndMs?: number;
}

/** Playback stopped by the app or a guardrail: never a barge-in. */
export interface Interruption {
  at: number;
  kind: 'guardrail' | 'manual';
  /** The response whose audio was playing, if any. */
  responseId?: string;
}

/** One caller turn: their input, then every response (and tool) until the agent's answer. */
export interface ExchangeRecord<H = unknown> {
  index: number;
  input: TurnInput;
  startedAt: number;
  /** When the agent's answer was over (last response done / playback end / cut); set at close. */
  endedAt: number;
  speechStartedAt?: number;
  speechStoppedAt?: number;
  committedAt?: number;
  /** Server audio clock (`audio_start_ms` / `audio_end_ms`, the latter incl. the VAD window). */
  speechAudioStartMs?: number;
  speechAudioEndMs?: number;
  responseIds: string[];
  firstResponseAt?: number;
  lastDoneAt?: number;
  firstReceivedAt?: number;
  firstSentAt?: number;
  outputStartedAt?: number;
  /** Tool time inside the wait so far. */
  toolMs: number;
  /** A function call is outstanding: the next response belongs to this exchange. */
  awaitingTool: boolean;
  /** The last response finished with no function call outstanding. */
  answerDone: boolean;
  failed: boolean;
  bargeIn?: BargeIn;
  interruptions: Interruption[];
  /** Set at close. */
  figures?: WaitFigures;
  status?: ExchangeStatus;
  /** The span layer's handle (e.g. the span), returned by `TimelineSink.opened`. */
  handle?: H;
}

/** Where the timeline reports exchanges: `opened` at the first response, `closed` once. */
export interface TimelineSink<H> {
  opened(exchange: ExchangeRecord<H>): H;
  closed(exchange: ExchangeRecord<H>): void;
}

export function newExchange<H>(input: TurnInput, at: number): ExchangeRecord<H> {
  return {
    index: 0,
    input,
    startedAt: at,
    endedAt: at,
    responseIds: [],
    toolMs: 0,
    awaitingTool: false,
    answerDone: false,
    failed: false,
    interruptions: [],
  };
}
