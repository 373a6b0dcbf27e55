import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type MeterProvider,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { RealtimeAttr, RealtimeEvent } from '../attributes.js';
import type { CallState } from '../call-state.js';
import type { ResolvedOptions } from '../options.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER_OPENAI,
} from '../semconv.js';
import { DEFAULT_BYTES_PER_MS, outputBytesPerMs, playbackMs } from './audio-format.js';
import { ExchangeSpans, type ExchangeHandle } from './exchange-spans.js';
import { ResponseSpans } from './response-tracker.js';
import { VoiceTimeline } from './timeline.js';
import type { ExchangeRecord } from './timeline-types.js';
import { serverErrorAttributes, turnDetectionAttributes } from './session-attributes.js';
import { AnswerTimer } from './answer-timer.js';
import { hasFunctionCall } from './response-spans.js';

export const REALTIME_SESSION_SPAN = 'gen_ai.realtime.session';

const now = () => performance.now();

/**
 * The spans of one Realtime session: the session span, one exchange (`invoke_agent`) per caller
 * turn and one `realtime_inference` span per model response. Raw server events feed the pure
 * `VoiceTimeline`, which decides exchanges, waits and barge-ins; this class only writes spans.
 * Parented on the call's context captured at attach time, never on whatever context a
 * WebSocket callback happens to run in.
 */
export class SessionSpans {
  #session: Span | undefined;
  #sessionContext: Context;
  #sessionId: string | undefined;
  readonly #timeline: VoiceTimeline<ExchangeHandle>;
  readonly #responses: ResponseSpans;
  #lastExchange: ExchangeRecord<ExchangeHandle> | undefined;
  #errors = 0;
  #model: string | undefined;
  #interrupting = false;
  readonly #answerTimer: AnswerTimer;
  /** Agent audio bytes per ms of playback: 48 for 24 kHz PCM16 (the default), 8 for G.711. */
  #bytesPerMs = DEFAULT_BYTES_PER_MS;

  constructor(
    private readonly tracer: Tracer,
    private readonly parent: Context,
    readonly call: CallState | undefined,
    private readonly options: ResolvedOptions,
    private readonly transportKind: string,
    model: string | undefined,
    private readonly agentName: () => string | undefined,
  ) {
    this.#model = model;
    this.#sessionContext = parent;
    const exchanges = new ExchangeSpans({
      tracer,
      call,
      transport: transportKind,
      meterProvider: options.meterProvider,
      sessionContext: () => this.sessionContext,
      exchangeStart: () => {
        const agent = this.agentName();
        const attributes = this.base(GEN_AI_OPERATION.invokeAgent);
        if (agent) attributes[ATTR_GEN_AI_AGENT_NAME] = agent;
        if (this.#model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = this.#model;
        return { name: agent ? `invoke_agent ${agent}` : 'invoke_agent', attributes };
      },
    });
    this.#timeline = new VoiceTimeline(exchanges, {
      transportConfirmsPlayback: transportKind === 'twilio',
      serverPlayback: transportKind === 'sip' || transportKind === 'webrtc',
    });
    this.#responses = new ResponseSpans(tracer, this);
    this.#answerTimer = new AnswerTimer(this.#timeline, now);
  }

  get open(): boolean {
    return this.#session !== undefined;
  }

  get meterProvider(): MeterProvider | undefined {
    return this.options.meterProvider;
  }

  get model(): string | undefined {
    return this.#model;
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  get currentAgent(): string | undefined {
    return this.agentName();
  }

  /** Context for children of the session. Opens the session span if needed. */
  get sessionContext(): Context {
    this.start();
    return this.#sessionContext;
  }

  /** The open exchange's context (tools, handoffs, guardrails), else the session's. */
  get exchangeContext(): Context {
    const x = this.#lastExchange;
    return x?.status === undefined && x?.handle ? x.handle.context : this.sessionContext;
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
    attributes[RealtimeAttr.transport] = this.transportKind;
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
      const delta = event.delta;
      const id = event.response_id;
      if (typeof delta === 'string' && typeof id === 'string') {
        this.#timeline.audioDelta(id, playbackMs(delta.length, this.#bytesPerMs), now);
      }
      return;
    }
    switch (type) {
      case 'session.created':
        return this.#sessionConfig(event.session, true);
      case 'session.updated':
        return this.#sessionConfig(event.session, false);
      case 'input_audio_buffer.speech_started':
        return this.#timeline.speechStarted(now(), event.audio_start_ms);
      case 'input_audio_buffer.speech_stopped':
        return this.#timeline.speechStopped(now(), event.audio_end_ms);
      case 'input_audio_buffer.committed':
        return this.#timeline.inputCommitted(now());
      case 'output_audio_buffer.started':
        return this.#timeline.outputBufferStarted(now(), str(event.response_id));
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        this.#timeline.outputBufferEnded(now(), str(event.response_id));
        return this.#answerTimer.check();
      case 'conversation.item.truncated':
        if (typeof event.audio_end_ms === 'number') this.#timeline.truncated(event.audio_end_ms);
        return;
      case 'response.created':
        return this.#responseCreated(event.response);
      case 'response.done':
        return this.#responseDone(event.response);
      case 'error':
        return this.#serverError(event.error);
    }
  }

  /** The SDK's `audio_interrupted`: speech_started's echo, or an interrupt we did not see. */
  audioInterrupted(): void {
    if (!this.#interrupting) this.#timeline.transportInterrupted(now());
  }

  /** Runs `session.interrupt()`: playback stopped by a guardrail or the app, not the caller. */
  interrupting<T>(kind: 'guardrail' | 'manual', run: () => T): T {
    this.#timeline.interrupted(now(), kind);
    this.#interrupting = true;
    try {
      return run();
    } finally {
      this.#interrupting = false;
    }
  }

  /** The relay sent agent audio on to the caller. */
  audioSent(): void {
    if (this.#timeline.audioSent(now())) this.#answerTimer.check();
  }

  /** Parent context for a tool call: the exchange of the response that asked for it. */
  toolContext(responseId: unknown): Context {
    return this.#responses.exchangeContext(responseId) ?? this.exchangeContext;
  }

  /** Tool wall time counts toward the exchange the caller is waiting in. */
  toolStarted(): void {
    this.#timeline.toolStarted(now());
  }

  toolEnded(): void {
    this.#timeline.toolEnded(now());
  }

  /** An event on the open exchange, or on the session between exchanges. */
  event(name: string, attributes: Attributes): void {
    const x = this.#lastExchange;
    const target = x?.status === undefined && x?.handle ? x.handle.span : this.#session;
    target?.addEvent(name, attributes);
  }

  recordError(): void {
    this.#errors++;
    if (this.call) this.call.errors++;
  }

  /** Ends every open response and exchange, then the session span. Idempotent. */
  end(reason: string, failed = false): void {
    const at = now();
    this.#answerTimer.cancel();
    this.#responses.endAll(reason, at);
    this.#timeline.end(at);
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

  #sessionConfig(s: Record<string, any> | undefined, created: boolean): void {
    this.start();
    const span = this.#session!;
    if (created && typeof s?.id === 'string') {
      this.#sessionId = s.id.slice(0, 128);
      span.setAttribute(RealtimeAttr.sessionId, this.#sessionId);
    }
    if (typeof s?.model === 'string' && !this.#model) {
      this.#model = s.model.slice(0, 128);
      span.setAttribute(ATTR_GEN_AI_REQUEST_MODEL, this.#model);
    }
    this.#bytesPerMs = outputBytesPerMs(s?.audio?.output?.format, this.#bytesPerMs);
    const td = turnDetectionAttributes(s);
    if (td) span.setAttributes(td);
  }

  #responseCreated(response: Record<string, any> | undefined): void {
    this.start();
    const at = now();
    const id = this.#responses.idOf(response, true);
    const x = this.#timeline.responseCreated(at, id);
    this.#lastExchange = x;
    if (x.handle) this.#responses.open(id, x.handle, at);
  }

  #responseDone(response: Record<string, any> | undefined): void {
    const at = now();
    const id = this.#responses.idOf(response, false);
    const failed = response?.status === 'failed';
    this.#timeline.responseDone(at, id, hasFunctionCall(response), failed);
    if (this.#responses.end(id, response, at) && failed) this.recordError();
    this.#answerTimer.check();
  }

  #serverError(error: Record<string, any> | undefined): void {
    this.start();
    this.#session!.addEvent(RealtimeEvent.serverError, serverErrorAttributes(error, this.options));
    this.recordError();
  }
}

const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
