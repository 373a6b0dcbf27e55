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
import { RealtimeEvent, TurnAttr, UsageAggregateAttr } from '../attributes.js';
import type { CallState } from '../call-state.js';
import { recordExchange } from '../metrics/record.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_RESPONSE_ID } from '../semconv.js';
import type { ResponseUsage } from './response-spans.js';
import type { ExchangeRecord, TimelineSink, WaitFigures } from './timeline-types.js';

/** The span of one exchange and what its responses add up to. */
export interface ExchangeHandle {
  span: Span;
  context: Context;
  usage: ResponseUsage;
  hasUsage: boolean;
}

export interface ExchangeSpanSource {
  tracer: Tracer;
  call: CallState | undefined;
  /** Transport label and meter for the exchange's metrics. */
  transport: string;
  meterProvider: MeterProvider | undefined;
  /** The session span's context (opens the session span if needed). */
  sessionContext(): Context;
  /** Attributes of a new `invoke_agent` span, and its name. */
  exchangeStart(): { name: string; attributes: Attributes };
}

const FIGURE_KEYS: Array<[keyof WaitFigures, string]> = [
  ['firstAudioMs', TurnAttr.firstAudioMs],
  ['source', TurnAttr.firstAudioSource],
  ['receivedMs', TurnAttr.firstAudioReceivedMs],
  ['sentMs', TurnAttr.firstAudioSentMs],
  ['responseCreatedMs', TurnAttr.responseCreatedMs],
  ['toolMs', TurnAttr.toolMs],
  ['oursMs', TurnAttr.waitOursMs],
  ['modelMs', TurnAttr.waitModelMs],
  ['anchor', TurnAttr.anchor],
];

/**
 * Writes the timeline's exchanges as `invoke_agent {agent}` spans: opened (with the caller's
 * speech start as start time) when the first response is created, written and ended — with the
 * explicit end time the timeline computed — when the exchange closes.
 */
export class ExchangeSpans implements TimelineSink<ExchangeHandle> {
  constructor(private readonly src: ExchangeSpanSource) {}

  opened(x: ExchangeRecord<ExchangeHandle>): ExchangeHandle {
    const { name, attributes } = this.src.exchangeStart();
    attributes[TurnAttr.index] = x.index;
    attributes[TurnAttr.input] = x.input;
    const parent = this.src.sessionContext();
    const span = this.src.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes, startTime: x.startedAt },
      parent,
    );
    if (x.speechStartedAt !== undefined) {
      span.addEvent(RealtimeEvent.speechStarted, x.speechStartedAt);
    }
    if (x.speechStoppedAt !== undefined) {
      span.addEvent(RealtimeEvent.speechStopped, x.speechStoppedAt);
    } else if (x.committedAt !== undefined) {
      span.addEvent(RealtimeEvent.inputCommitted, x.committedAt);
    }
    if (this.src.call) this.src.call.turns++;
    return {
      span,
      context: trace.setSpan(parent, span),
      usage: { input: 0, output: 0, cacheRead: 0 },
      hasUsage: false,
    };
  }

  closed(x: ExchangeRecord<ExchangeHandle>): void {
    const h = x.handle;
    if (!h) return;
    const { span } = h;
    const attrs: Attributes = {
      [TurnAttr.responses]: x.responseIds.length,
      [TurnAttr.status]: x.status ?? 'unfinished',
    };
    if (x.speechAudioStartMs !== undefined)
      attrs[TurnAttr.speechAudioStartMs] = x.speechAudioStartMs;
    if (x.speechAudioEndMs !== undefined) attrs[TurnAttr.speechAudioEndMs] = x.speechAudioEndMs;
    const f = x.figures;
    if (f)
      for (const [field, key] of FIGURE_KEYS) if (f[field] !== undefined) attrs[key] = f[field];
    if (h.hasUsage) {
      attrs[UsageAggregateAttr.inputTokens] = h.usage.input;
      attrs[UsageAggregateAttr.outputTokens] = h.usage.output;
      attrs[UsageAggregateAttr.cacheReadInputTokens] = h.usage.cacheRead;
    }
    this.#events(x, span);
    const interruptedBy = x.bargeIn ? 'barge_in' : x.interruptions[0]?.kind;
    if (interruptedBy) attrs[TurnAttr.interruptedBy] = interruptedBy;
    span.setAttributes(attrs);
    if (x.failed) {
      span.setAttribute(ATTR_ERROR_TYPE, 'response_failed');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end(x.endedAt);
    recordExchange(
      this.src.meterProvider,
      {
        transport: this.src.transport,
        figures: f,
        bargeIn: x.bargeIn !== undefined,
        interruptionKinds: x.interruptions.map((i) => i.kind),
      },
      h.context,
    );
    const call = this.src.call;
    if (!call) return;
    if (f) call.recordFirstAudio(f.firstAudioMs);
    if (x.bargeIn) call.bargeIns++;
  }

  #events(x: ExchangeRecord<ExchangeHandle>, span: Span): void {
    if (x.firstReceivedAt !== undefined) span.addEvent(RealtimeEvent.firstAudio, x.firstReceivedAt);
    if (x.firstSentAt !== undefined) span.addEvent(RealtimeEvent.firstAudioSent, x.firstSentAt);
    if (x.outputStartedAt !== undefined) {
      span.addEvent(RealtimeEvent.outputStarted, x.outputStartedAt);
    }
    const b = x.bargeIn;
    if (b) {
      const attributes: Attributes = {
        [RealtimeEvent.bargeInElapsedMs]: b.elapsedMs,
        [ATTR_GEN_AI_RESPONSE_ID]: b.responseId,
      };
      if (b.audioEndMs !== undefined) attributes[RealtimeEvent.bargeInAudioEndMs] = b.audioEndMs;
      span.addEvent(RealtimeEvent.bargeIn, attributes, b.at);
    }
    for (const i of x.interruptions) {
      const attributes: Attributes = { [RealtimeEvent.interruptionKind]: i.kind };
      if (i.responseId) attributes[ATTR_GEN_AI_RESPONSE_ID] = i.responseId;
      span.addEvent(RealtimeEvent.interrupted, attributes, i.at);
    }
  }
}
