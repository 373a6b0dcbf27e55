import { exchangeStatus, waitFigures } from './exchange-figures.js';
import type { ExchangeRecord, TimelineSink, TurnInput } from './timeline-types.js';

/** One model response as far as playback is concerned. */
interface ResponseTrack<H> {
  id: string;
  exchange: ExchangeRecord<H>;
  /** When its audio started playing (first delta, relay send, or server buffer start); 0: none. */
  playStart: number;
  /** Audio received as deltas, ms of playback. */
  audioMs: number;
  /** Played by the server (SIP/WebRTC): playing between buffer started and stopped/cleared. */
  buffered: boolean;
  bufferPlaying: boolean;
  /** Playback ended early (cut, interrupted, buffer stopped); 0: not. */
  stoppedAt: number;
  sent: boolean;
}

export interface TimelineOptions {
  /**
   * The transport only reports `audio_interrupted` while audio is really still playing
   * (Twilio: its marks tell what the caller heard), so one right after speech_started is a
   * barge-in even when the received audio should have finished by our estimate.
   */
  transportConfirmsPlayback?: boolean;
  /**
   * The server plays the audio (SIP, WebRTC): `output_audio_buffer.started` may follow
   * `response.done`, so an answered exchange never closes early before its buffer started.
   */
  serverPlayback?: boolean;
}

const RECENT_RESPONSES = 32;
const MAX_RESPONSE_IDS = 16;
const MAX_INTERRUPTIONS = 8;
const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * The latency and barge-in logic of a voice session, as a pure state machine: Realtime events
 * with explicit timestamps in, exchanges (caller turns) with their figures out through the
 * sink. No OTel, no SDK: the span layer feeds it and writes what it reports.
 */
export class VoiceTimeline<H = unknown> {
  #index = 0;
  /** Caller input (speech or a push-to-talk commit) not answered by a response yet. */
  #pending: ExchangeRecord<H> | undefined;
  /** The exchange responses are being added to. */
  #current: ExchangeRecord<H> | undefined;
  /** Retired exchanges still waiting for the truncation (or Twilio's confirmation) of a cut. */
  #lingering: Array<ExchangeRecord<H>> = [];
  readonly #responses = new Map<string, ResponseTrack<H>>();
  #lastAudio: ResponseTrack<H> | undefined;
  #activeTools = 0;
  #busySince = 0;
  #speechJustStarted = false;

  constructor(
    private readonly sink: TimelineSink<H>,
    private readonly options: TimelineOptions = {},
  ) {}

  speechStarted(at: number, audioStartMs?: number): void {
    this.#cutPlayback(at);
    this.#retire(at);
    const x = this.#newExchange('speech', at);
    x.speechStartedAt = at;
    if (typeof audioStartMs === 'number') x.speechAudioStartMs = audioStartMs;
    this.#pending = x;
    this.#speechJustStarted = true;
  }

  speechStopped(at: number, audioEndMs?: number): void {
    this.#settle();
    if (this.#pending?.input !== 'speech') {
      this.#retire(at);
      this.#pending = this.#newExchange('speech', at);
    }
    const x = this.#pending;
    x.speechStoppedAt ??= at;
    if (typeof audioEndMs === 'number') x.speechAudioEndMs = audioEndMs;
  }

  /** `input_audio_buffer.committed`: the anchor for push-to-talk (no speech events). */
  inputCommitted(at: number): void {
    this.#settle();
    const speech = this.#pending ?? this.#current;
    if (speech?.input === 'speech' && speech.committedAt === undefined) {
      speech.committedAt = at; // the VAD committing the speech it just saw
      return;
    }
    if (this.#pending) return;
    this.#retire(at);
    const x = this.#newExchange('push_to_talk', at);
    x.committedAt = at;
    this.#pending = x;
  }

  /** Returns the exchange the response belongs to (opened through the sink if new). */
  responseCreated(at: number, id: string): ExchangeRecord<H> {
    this.#settle();
    let x = this.#pending;
    this.#pending = undefined;
    if (!x) {
      const current = this.#current;
      if (current && !current.answerDone) x = current;
      else {
        this.#retire(at);
        x = this.#newExchange('none', at);
      }
    }
    if (x !== this.#current) {
      this.#retire(at);
      x.index = ++this.#index;
      x.handle = this.sink.opened(x);
      this.#current = x;
    }
    if (x.responseIds.length < MAX_RESPONSE_IDS) x.responseIds.push(id);
    x.firstResponseAt ??= at;
    x.answerDone = false;
    x.awaitingTool = false;
    const track: ResponseTrack<H> = {
      id,
      exchange: x,
      playStart: 0,
      audioMs: 0,
      buffered: false,
      bufferPlaying: false,
      stoppedAt: 0,
      sent: false,
    };
    this.#responses.set(id, track);
    if (this.#responses.size > RECENT_RESPONSES) {
      this.#responses.delete(this.#responses.keys().next().value!);
    }
    return x;
  }

  /** The hot path. Returns true for a response's first audio. */
  audioDelta(at: number, id: string, playMs: number): boolean {
    this.#speechJustStarted = false;
    const last = this.#lastAudio;
    const r = last !== undefined && last.id === id ? last : this.#responses.get(id);
    if (r === undefined) return false;
    r.audioMs += playMs;
    if (r.playStart !== 0) return false;
    r.playStart = at;
    this.#lastAudio = r;
    this.#firstAudio(r.exchange, at);
    r.exchange.firstReceivedAt ??= at;
    return true;
  }

  /** The app's relay sent agent audio on to the caller (only the first per response counts). */
  audioSent(at: number): void {
    const r = this.#lastAudio;
    if (r === undefined || r.sent) return;
    r.sent = true;
    if (at > r.playStart) r.playStart = at;
    r.exchange.firstSentAt ??= at;
  }

  outputBufferStarted(at: number, id?: string): void {
    const r = this.#track(id);
    if (!r) return;
    r.buffered = true;
    r.bufferPlaying = true;
    if (r.playStart !== 0) return;
    r.playStart = at;
    this.#firstAudio(r.exchange, at);
    r.exchange.outputStartedAt ??= at;
  }

  /** `output_audio_buffer.stopped` or `.cleared`. */
  outputBufferEnded(at: number, id?: string): void {
    const r = this.#track(id);
    if (!r || !r.bufferPlaying) return;
    r.bufferPlaying = false;
    if (r.stoppedAt === 0) r.stoppedAt = at;
  }

  /** Returns the response's exchange, or undefined if the response is unknown. */
  responseDone(at: number, id: string, functionCall: boolean, failed: boolean) {
    this.#speechJustStarted = false;
    const r = this.#responses.get(id);
    if (!r) return undefined;
    const x = r.exchange;
    if (x.status !== undefined) return x; // closed already (e.g. cancelled after a barge-in)
    x.lastDoneAt = at;
    if (failed) x.failed = true;
    if (x === this.#current) {
      x.awaitingTool = functionCall;
      x.answerDone = !functionCall;
    }
    return x;
  }

  /** The server's `conversation.item.truncated`: how much of the cut audio was played. */
  truncated(audioEndMs: number): void {
    this.#speechJustStarted = false;
    const candidates = [...this.#lingering].reverse();
    if (this.#current) candidates.push(this.#current);
    const x = candidates.find((c) => c.bargeIn && c.bargeIn.audioEndMs === undefined);
    if (x) x.bargeIn!.audioEndMs = audioEndMs;
    this.#settle();
  }

  /** Playback stopped by the app (`session.interrupt()`) or a guardrail. */
  interrupted(at: number, kind: 'guardrail' | 'manual'): void {
    this.#speechJustStarted = false;
    const r = this.#playing(at);
    if (r) r.stoppedAt = at;
    const x = r?.exchange ?? this.#current;
    if (!x || x.interruptions.length >= MAX_INTERRUPTIONS) return;
    x.interruptions.push(r ? { at, kind, responseId: r.id } : { at, kind });
  }

  /** The SDK's `audio_interrupted` outside `session.interrupt()`. */
  transportInterrupted(at: number): void {
    if (!this.#speechJustStarted) return this.interrupted(at, 'manual');
    this.#speechJustStarted = false; // the SDK's reaction to speech_started
    const r = this.#lastAudio;
    if (!this.options.transportConfirmsPlayback || !r || r.stoppedAt !== 0) return;
    if (r.exchange.bargeIn === undefined && r.exchange.status === undefined) {
      r.stoppedAt = at;
      this.#bargeIn(r, at);
    }
  }

  toolStarted(at: number): void {
    if (this.#activeTools++ === 0) this.#busySince = at;
  }

  toolEnded(at: number): void {
    if (this.#activeTools === 0) return;
    if (--this.#activeTools === 0 && this.#current) this.#addToolTime(this.#current, at);
  }

  /** The session is over: every exchange closes (a pending one without response is dropped). */
  end(at: number): void {
    this.#pending = undefined;
    this.#retire(at);
    for (const x of this.#lingering) this.#close(x);
    this.#lingering = [];
  }

  #newExchange(input: TurnInput, at: number): ExchangeRecord<H> {
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

  #track(id: string | undefined): ResponseTrack<H> | undefined {
    if (id !== undefined) return this.#responses.get(id);
    const ids = this.#current?.responseIds;
    return ids?.length ? this.#responses.get(ids[ids.length - 1]!) : undefined;
  }

  /** The newest response whose audio is still playing at `at`. */
  #playing(at: number): ResponseTrack<H> | undefined {
    let found: ResponseTrack<H> | undefined;
    for (const r of this.#responses.values()) {
      if (r.playStart === 0 || r.stoppedAt !== 0) continue;
      if (r.buffered ? r.bufferPlaying : at < r.playStart + r.audioMs) found = r;
    }
    return found;
  }

  #cutPlayback(at: number): void {
    const r = this.#playing(at);
    if (!r) return;
    r.stoppedAt = at;
    if (r.exchange.bargeIn === undefined) this.#bargeIn(r, at);
  }

  #bargeIn(r: ResponseTrack<H>, at: number): void {
    r.exchange.bargeIn = { at, responseId: r.id, elapsedMs: round(Math.max(0, at - r.playStart)) };
  }

  #firstAudio(x: ExchangeRecord<H>, at: number): void {
    if (x.firstReceivedAt !== undefined || x.outputStartedAt !== undefined) return;
    if (this.#activeTools > 0 && x === this.#current) {
      this.#addToolTime(x, at);
      this.#busySince = at;
    }
  }

  /** Tool time counts only while the caller waits: after the anchor, before first audio. */
  #addToolTime(x: ExchangeRecord<H>, at: number): void {
    const anchor = x.speechStoppedAt ?? x.committedAt;
    if (anchor === undefined || x.firstReceivedAt !== undefined || x.outputStartedAt !== undefined)
      return;
    const from = Math.max(this.#busySince, anchor);
    if (at > from) x.toolMs += at - from;
  }

  /**
   * When the current exchange's answer is over (its last response done, its audio played out),
   * so the span layer can close it without waiting for the next turn; undefined while that is
   * not known yet (a response or a tool outstanding, server playback not stopped) or when the
   * transport confirms playback itself (Twilio: our estimate may end too early).
   */
  answerEndsAt(): number | undefined {
    const x = this.#current;
    if (!x || !x.answerDone || this.options.transportConfirmsPlayback) return undefined;
    if (this.options.serverPlayback && x.outputStartedAt === undefined) return undefined;
    return this.#answerEnd(x, Number.POSITIVE_INFINITY);
  }

  /** Closes the current exchange if its answer is over by `at`. */
  tick(at: number): void {
    const end = this.answerEndsAt();
    if (end !== undefined && end <= at) this.#retire(at);
  }

  /** The end of an exchange's answer: last response done or its audio played out, capped at `at`. */
  #answerEnd(x: ExchangeRecord<H>, at: number): number | undefined {
    let end = x.answerDone ? (x.lastDoneAt ?? x.startedAt) : at;
    for (const id of x.responseIds) {
      const r = this.#responses.get(id);
      if (!r || r.playStart === 0) continue;
      if (r.stoppedAt !== 0) end = Math.max(end, r.stoppedAt);
      else if (!r.buffered) end = Math.max(end, r.playStart + r.audioMs);
      else if (r.bufferPlaying) end = Math.max(end, at);
    }
    return end === Number.POSITIVE_INFINITY ? undefined : Math.min(end, at);
  }

  /** The current exchange is over (next turn, answer over, or session end at `at`): close it. */
  #retire(at: number): void {
    const x = this.#current;
    if (!x) return;
    this.#current = undefined;
    x.endedAt = Math.max(x.startedAt, this.#answerEnd(x, at) ?? at);
    const waiting = x.bargeIn !== undefined && x.bargeIn.audioEndMs === undefined;
    if (waiting || this.options.transportConfirmsPlayback) {
      this.#lingering.push(x);
      if (this.#lingering.length > 4) this.#close(this.#lingering.shift()!);
    } else this.#close(x);
  }

  #settle(): void {
    this.#speechJustStarted = false;
    if (this.#lingering.length === 0) return;
    for (const x of this.#lingering) this.#close(x);
    this.#lingering = [];
  }

  #close(x: ExchangeRecord<H>): void {
    if (x.status !== undefined) return;
    const figures = waitFigures(x);
    if (figures) x.figures = figures;
    x.status = exchangeStatus(x);
    this.sink.closed(x);
  }
}
