import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { RealtimeAttr, RealtimeEvent, TurnAttr } from '../attributes.js';
import type { CallState } from '../call-state.js';
import type { ResolvedOptions } from '../options.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER_OPENAI,
} from '../semconv.js';
import { DEFAULT_BYTES_PER_MS, outputBytesPerMs, playbackMs } from './audio-format.js';
import { Turn } from './turn.js';
import { WaitClock } from './wait-clock.js';
import { writeTurnLatency, writeTurnOutcome } from './turn-attributes.js';

export const REALTIME_SESSION_SPAN = 'gen_ai.realtime.session';

/** Recent turns kept for parenting late tool calls (the SDK runs tools after response.done). */
const RECENT_TURNS = 32;

const now = () => performance.now();

/**
 * The spans of one Realtime session: the session, one turn per response, and the per-turn
 * latency clock. Driven by raw server events (`transport_event`) and a few session events;
 * parented on the call's context captured at attach time, never on whatever context a
 * WebSocket callback happens to run in.
 */
export class SessionSpans {
  #session: Span | undefined;
  #sessionContext: Context;
  #turn: Turn | undefined;
  readonly #recent = new Map<string, Turn>();
  readonly #clock = new WaitClock();
  #turnIndex = 0;
  #errors = 0;
  #model: string | undefined;
  #transportKind: string;
  /** Agent audio bytes per ms of playback: 48 for 24 kHz PCM16 (the default), 8 for G.711. */
  #bytesPerMs = DEFAULT_BYTES_PER_MS;

  constructor(
    private readonly tracer: Tracer,
    private readonly parent: Context,
    readonly call: CallState | undefined,
    private readonly options: ResolvedOptions,
    transportKind: string,
    model: string | undefined,
    private readonly agentName: () => string | undefined,
  ) {
    this.#transportKind = transportKind;
    this.#model = model;
    this.#sessionContext = parent;
  }

  get open(): boolean {
    return this.#session !== undefined;
  }

  /** Context for children of the session (handoffs, late tools). Opens the session if needed. */
  get sessionContext(): Context {
    this.start();
    return this.#sessionContext;
  }

  /** Attributes every calltrace span of this session carries. */
  base(operation?: string): Attributes {
    const attrs: Attributes = { [ATTR_GEN_AI_PROVIDER_NAME]: GEN_AI_PROVIDER_OPENAI };
    if (operation) attrs[ATTR_GEN_AI_OPERATION_NAME] = operation;
    if (this.call) attrs[ATTR_GEN_AI_CONVERSATION_ID] = this.call.callId;
    return attrs;
  }

  start(): void {
    if (this.#session) return;
    const attributes = this.base();
    attributes[RealtimeAttr.transport] = this.#transportKind;
    if (this.#model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = this.#model;
    this.#session = this.tracer.startSpan(
      REALTIME_SESSION_SPAN,
      { kind: SpanKind.CLIENT, attributes },
      this.parent,
    );
    this.#sessionContext = trace.setSpan(this.parent, this.#session);
    this.#errors = 0;
  }

  /** The hot path: called for every raw server event, ~50 audio deltas a second per call. */
  onServerEvent(event: { type?: unknown; [key: string]: any }): void {
    const type = event.type;
    if (type === 'response.output_audio.delta') {
      const turn = this.#turn;
      if (turn === undefined) return;
      if (turn.firstAudioAt === 0) this.#firstAudio(turn);
      const delta = event.delta;
      if (typeof delta === 'string') turn.audioChars += delta.length;
      return;
    }
    switch (type) {
      case 'session.created':
        return this.#sessionCreated(event.session);
      case 'session.updated':
        this.#bytesPerMs = outputBytesPerMs(event.session?.audio?.output?.format, this.#bytesPerMs);
        return;
      case 'input_audio_buffer.speech_started':
        this.#session?.addEvent(RealtimeEvent.speechStarted);
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#clock.speechStopped(now());
        this.#session?.addEvent(RealtimeEvent.speechStopped);
        return;
      case 'response.created':
        return this.#openTurn(event.response);
      case 'response.done':
        return this.#closeTurn(event.response);
      case 'error':
        return this.#serverError(event.error);
    }
  }

  /**
   * The SDK interrupted playback because the caller spoke. It does so on every speech start
   * after agent audio, even when that audio has (by its length) finished playing: only a cut
   * into audio still playing is a barge-in.
   */
  bargeIn(): void {
    const turn = this.#turn ?? this.#lastTurn();
    if (!turn?.firstAudioAt || turn.bargedIn) return; // playback already stopped once
    const elapsed = Math.round(now() - turn.firstAudioAt);
    if (elapsed >= playbackMs(turn.audioChars, this.#bytesPerMs)) return;
    turn.bargedIn = true;
    if (this.call) this.call.bargeIns++;
    if (!turn.ended) {
      turn.interrupted = true;
      turn.span.addEvent(RealtimeEvent.bargeIn, { [RealtimeEvent.bargeInElapsedMs]: elapsed });
    } else {
      this.#session?.addEvent(RealtimeEvent.bargeIn, {
        [RealtimeEvent.bargeInElapsedMs]: elapsed,
        [ATTR_GEN_AI_RESPONSE_ID]: turn.responseId,
      });
    }
  }

  /** The relay sent the first audio of the current turn on to the caller. */
  audioSent(): void {
    const turn = this.#turn ?? this.#lastTurn();
    if (!turn || turn.firstAudioSentAt !== 0 || turn.firstAudioAt === 0) return;
    turn.firstAudioSentAt = now();
    if (!turn.ended) turn.span.addEvent(RealtimeEvent.firstAudioSent);
  }

  /** Parent context for a tool call: the turn that asked for it, else the session. */
  turnContext(responseId: unknown): Context {
    const turn = typeof responseId === 'string' ? this.#recent.get(responseId) : undefined;
    return turn?.context ?? this.sessionContext;
  }

  /** Tool wall time counts toward the exchange the caller is waiting in. */
  toolStarted(): void {
    this.#clock.toolStarted(now());
  }

  toolEnded(): void {
    this.#clock.toolEnded(now());
  }

  /** An event on the current turn, or on the session between turns. */
  event(name: string, attributes: Attributes): void {
    const target = this.#turn?.span ?? this.#session;
    target?.addEvent(name, attributes);
  }

  recordError(): void {
    this.#errors++;
    if (this.call) this.call.errors++;
  }

  /** Ends every open turn and the session span. Idempotent; `reason` says why. */
  end(reason: string, failed = false): void {
    if (this.#turn) this.#closeTurn(undefined, reason);
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    session.setAttribute(RealtimeAttr.endReason, reason);
    session.setAttribute(RealtimeAttr.errors, this.#errors);
    if (failed || this.#errors > 0) {
      if (failed) session.setAttribute(ATTR_ERROR_TYPE, reason);
      session.setStatus({ code: SpanStatusCode.ERROR });
    }
    session.end();
  }

  #sessionCreated(s: Record<string, any> | undefined): void {
    this.start();
    if (typeof s?.id === 'string') this.#session!.setAttribute(RealtimeAttr.sessionId, s.id);
    if (typeof s?.model === 'string' && !this.#model) {
      this.#model = s.model;
      this.#session!.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, s.model);
    }
  }

  #openTurn(response: Record<string, any> | undefined): void {
    if (this.#turn) this.#closeTurn(undefined, 'superseded');
    this.start();
    const responseId =
      typeof response?.id === 'string' ? response.id : `unknown_${this.#turnIndex}`;
    const agent = this.agentName();
    const attributes = this.base(GEN_AI_OPERATION.invokeAgent);
    attributes[ATTR_GEN_AI_RESPONSE_ID] = responseId;
    attributes[TurnAttr.index] = ++this.#turnIndex;
    if (agent) attributes[ATTR_GEN_AI_AGENT_NAME] = agent;
    if (this.#model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = this.#model;
    const span = this.tracer.startSpan(
      agent ? `invoke_agent ${agent}` : 'invoke_agent',
      { kind: SpanKind.INTERNAL, attributes },
      this.#sessionContext,
    );
    const exchange = this.#clock.waiting();
    const turn = new Turn(
      responseId,
      span,
      trace.setSpan(this.#sessionContext, span),
      now(),
      exchange,
    );
    this.#turn = turn;
    this.#recent.set(responseId, turn);
    if (this.#recent.size > RECENT_TURNS) this.#recent.delete(this.#recent.keys().next().value!);
    if (this.call) this.call.turns++;
  }

  #firstAudio(turn: Turn): void {
    this.#clock.firstAudio(turn, now());
    turn.span.addEvent(RealtimeEvent.firstAudio);
  }

  #closeTurn(response: Record<string, any> | undefined, reason?: string): void {
    const turn =
      typeof response?.id === 'string' ? (this.#recent.get(response.id) ?? this.#turn) : this.#turn;
    if (!turn || turn.ended) return;
    turn.ended = true;
    if (this.#turn === turn) this.#turn = undefined;
    const failed = writeTurnOutcome(turn, response ?? { status: reason ?? 'incomplete' });
    if (failed) this.recordError();
    const wait = writeTurnLatency(turn);
    if (wait >= 0) this.call?.recordFirstAudio(wait);
    turn.span.end();
  }

  #lastTurn(): Turn | undefined {
    let last: Turn | undefined;
    for (const t of this.#recent.values()) last = t;
    return last;
  }

  #serverError(error: Record<string, any> | undefined): void {
    this.start();
    const attrs: Attributes = {};
    const type = error?.code ?? error?.type;
    if (typeof type === 'string') attrs[ATTR_ERROR_TYPE] = type.slice(0, 64);
    if (this.options.captureContent && typeof error?.message === 'string') {
      attrs[ATTR_EXCEPTION_MESSAGE] = error.message.slice(0, this.options.maxContentLength);
    }
    this.#session!.addEvent(RealtimeEvent.serverError, attrs);
    this.recordError();
  }
}
