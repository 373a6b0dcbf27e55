import { exchangeStatus, waitFigures } from './exchange-figures.js';
import { answerEnd, isPlaying, newTrack, type ResponseTrack } from './playback.js';
import { newExchange, type ExchangeRecord, type TimelineSink } from './timeline-types.js';

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
  /** The app's relay reports its sends: an answer is not over before its first send. */
  #relayReports = false;

  constructor(
    private readonly sink: TimelineSink<H>,
    private readonly options: TimelineOptions = {},
  ) {}

  speechStarted(at: number, audioStartMs?: number): void {
    this.#cutPlayback(at);
    this.#retire(at);
    const x = newExchange<H>('speech', at);
    x.speechStartedAt = at;
    if (typeof audioStartMs === 'number') x.speechAudioStartMs = audioStartMs;
    this.#pending = x;
    this.#speechJustStarted = true;
  }

  speechStopped(at: number, audioEndMs?: number): void {
    this.#settle();
    if (this.#pending?.input !== 'speech') {
      this.#retire(at);
      this.#pending = newExchange<H>('speech', at);
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
    const x = newExchange<H>('push_to_talk', at);
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
        x = newExchange<H>('none', at);
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
    const track = newTrack(id, x);
    this.#responses.set(id, track);
    if (this.#responses.size > RECENT_RESPONSES) {
      this.#responses.delete(this.#responses.keys().next().value!);
    }
    return x;
  }

  /**
   * The hot path (~50 deltas a second). `clock` is read only for a response's first audio, so
   * the caller pays for no timestamp on the others. Returns true for a response's first audio.
   */
  audioDelta(id: string, playMs: number, clock: () => number): boolean {
    this.#speechJustStarted = false;
    const last = this.#lastAudio;
    const r = last !== undefined && last.id === id ? last : this.#responses.get(id);
    if (r === undefined) return false;
    r.audioMs += playMs;
    if (r.playStart !== 0) return false;
    const at = clock();
    r.playStart = at;
    this.#lastAudio = r;
    this.#firstAudio(r.exchange, at);
    r.exchange.firstReceivedAt ??= at;
    return true;
  }

  /**
   * The app's relay sent agent audio on to the caller (only the first per response counts).
   * Returns true when that was a response's first send.
   */
  audioSent(at: number): boolean {
    this.#relayReports = true;
    const r = this.#lastAudio;
    if (r === undefined || r.sent) return false;
    r.sent = true;
    if (at > r.playStart) r.playStart = at;
    r.exchange.firstSentAt ??= at;
    return true;
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

  #track(id: string | undefined): ResponseTrack<H> | undefined {
    if (id !== undefined) return this.#responses.get(id);
    const ids = this.#current?.responseIds;
    return ids?.length ? this.#responses.get(ids[ids.length - 1]!) : undefined;
  }

  /** The newest response whose audio is still playing at `at`. */
  #playing(at: number): ResponseTrack<H> | undefined {
    let found: ResponseTrack<H> | undefined;
    for (const r of this.#responses.values()) if (isPlaying(r, at)) found = r;
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
    if (this.#relayReports && x.firstReceivedAt !== undefined && x.firstSentAt === undefined) {
      return undefined;
    }
    return answerEnd(x, this.#responses, Number.POSITIVE_INFINITY);
  }

  /** Closes the current exchange if its answer is over by `at`. */
  tick(at: number): void {
    const end = this.answerEndsAt();
    if (end !== undefined && end <= at) this.#retire(at);
  }

  /** The current exchange is over (next turn, answer over, or session end at `at`): close it. */
  #retire(at: number): void {
    const x = this.#current;
    if (!x) return;
    this.#current = undefined;
    x.endedAt = Math.max(x.startedAt, answerEnd(x, this.#responses, at) ?? at);
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
