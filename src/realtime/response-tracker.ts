import {
  trace,
  type Attributes,
  type Context,
  type MeterProvider,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { recordResponse } from '../metrics/record.js';
import { realtimeTokenParts } from '../metrics/token-parts.js';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_REALTIME_SESSION_ID,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  GEN_AI_OPERATION,
} from '../semconv.js';
import type { ExchangeHandle } from './exchange-spans.js';
import { endResponseSpan, RESPONSE_SPAN_KIND } from './response-spans.js';

/** Recent responses kept for parenting late tool calls (the SDK runs tools after response.done). */
const RECENT_RESPONSES = 32;

interface Owner {
  base(operation?: string): Attributes;
  readonly model: string | undefined;
  readonly sessionId: string | undefined;
  readonly currentAgent: string | undefined;
  readonly meterProvider: MeterProvider | undefined;
}

interface Entry {
  span: Span;
  exchange: ExchangeHandle;
  ended: boolean;
  startedAt: number;
}

/** The `realtime_inference {model}` spans of one session, by response id. Bounded. */
export class ResponseSpans {
  readonly #byId = new Map<string, Entry>();
  #unknown = 0;
  #lastId: string | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly owner: Owner,
  ) {}

  /**
   * The response's id; a stand-in when the server sent none: a fresh one on `response.created`,
   * the last opened one on `response.done`.
   */
  idOf(response: Record<string, any> | undefined, created: boolean): string {
    const id = response?.id;
    if (typeof id === 'string') return id.slice(0, 128);
    return (!created && this.#lastId) || `unknown_${++this.#unknown}`;
  }

  open(id: string, exchange: ExchangeHandle, at: number): void {
    const { model, sessionId, currentAgent } = this.owner;
    const attributes = this.owner.base(GEN_AI_OPERATION.realtimeInference);
    attributes[ATTR_GEN_AI_RESPONSE_ID] = id;
    if (model) attributes[ATTR_GEN_AI_REQUEST_MODEL] = model;
    if (sessionId) attributes[ATTR_GEN_AI_REALTIME_SESSION_ID] = sessionId;
    if (currentAgent) attributes[ATTR_GEN_AI_AGENT_NAME] = currentAgent;
    const span = this.tracer.startSpan(
      model ? `${GEN_AI_OPERATION.realtimeInference} ${model}` : GEN_AI_OPERATION.realtimeInference,
      { kind: RESPONSE_SPAN_KIND, attributes, startTime: at },
      exchange.context,
    );
    this.#byId.set(id, { span, exchange, ended: false, startedAt: at });
    this.#lastId = id;
    if (this.#byId.size > RECENT_RESPONSES) {
      const [oldId, old] = this.#byId.entries().next().value!;
      this.#byId.delete(oldId);
      if (!old.ended) endResponseSpan(old.span, undefined, 'evicted', at);
    }
  }

  /** Ends the response's span from `response.done`. Returns false if unknown or already ended. */
  end(id: string, response: Record<string, any> | undefined, at: number): boolean {
    const entry = this.#byId.get(id);
    if (!entry || entry.ended) return false;
    entry.ended = true;
    const { usage, failed } = endResponseSpan(entry.span, response, undefined, at);
    recordResponse(
      this.owner.meterProvider,
      {
        operation: GEN_AI_OPERATION.realtimeInference,
        model: this.owner.model,
        durationMs: at - entry.startedAt,
        tokens: realtimeTokenParts(response?.usage),
        errorType: failed ? 'response_failed' : undefined,
      },
      trace.setSpan(entry.exchange.context, entry.span),
    );
    if (response?.usage && typeof response.usage === 'object') {
      const sums = entry.exchange.usage;
      sums.input += usage.input;
      sums.output += usage.output;
      sums.cacheRead += usage.cacheRead;
      entry.exchange.hasUsage = true;
    }
    return true;
  }

  exchangeContext(responseId: unknown): Context | undefined {
    return typeof responseId === 'string'
      ? this.#byId.get(responseId)?.exchange.context
      : undefined;
  }

  /** Ends every open response span (the session is over: `reason`). */
  endAll(reason: string, at: number): void {
    for (const entry of this.#byId.values()) {
      if (entry.ended) continue;
      entry.ended = true;
      endResponseSpan(entry.span, undefined, reason, at);
    }
  }
}
