import {
  ROOT_CONTEXT,
  SpanStatusCode,
  context as otelContext,
  trace,
  type Context,
  type SpanContext,
  type TracerProvider,
} from '@opentelemetry/api';
import { CallAttr } from '../attributes.js';
import { startCall, type EndCallOptions, type StartCallOptions } from '../call.js';
import { contextWithCall } from '../call-context.js';
import { CallState } from '../call-state.js';
import { openAICorrelation, type OpenAICorrelation } from '../openai-correlation.js';
import { readField } from '../read-options.js';
import { safely } from '../safe.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from '../semconv.js';
import { SCOPE_NAME, VERSION } from '../version.js';
import { EDGE_END_SPAN, EDGE_RESUME_SPAN, EdgeAttr } from './attributes.js';
import {
  parseCallSnapshot,
  snapshotCall,
  spanContextOf,
  type CallSnapshot,
} from './call-snapshot.js';

/**
 * One activation's view of a call whose root span lives in an earlier activation (or has
 * already ended): spans started in `context` are children of the call's root.
 */
export class EdgeCall {
  readonly callId: string;
  readonly traceId: string;
  /** W3C `traceparent` of the call's root span. */
  readonly traceparent: string;
  /** Fields for the OpenAI side (Realtime `workflowName`, `groupId`, `traceMetadata`). */
  readonly openai: OpenAICorrelation;
  /** The root's span context and this activation's call state. */
  readonly context: Context;
  readonly state: CallState;

  constructor(
    readonly snapshot: CallSnapshot,
    root: SpanContext,
    private readonly tracerProvider: TracerProvider | undefined,
  ) {
    this.callId = snapshot.callId;
    this.traceId = root.traceId;
    this.traceparent = snapshot.traceparent;
    this.openai = openAICorrelation(snapshot.callId, root.traceId);
    this.state = new CallState(snapshot.callId, trace.wrapSpanContext(root), root.traceId);
    this.context = contextWithCall(trace.setSpanContext(ROOT_CONTEXT, root), this.state);
  }

  /** Runs `fn` with the call's context active (attach a RealtimeSession inside). */
  run<T>(fn: () => T): T {
    return otelContext.with(this.context, fn);
  }

  /**
   * The call is over: ends this activation's Realtime spans and records a `call.end` span
   * under the root with the status, the reason and this activation's totals. Idempotent.
   */
  end(options: EndCallOptions = {}): void {
    if (this.state.ended) return;
    this.state.runEndListeners();
    this.state.ended = true;
    safely('edge call end', () => {
      const failed = options.error !== undefined;
      const span = this.#tracer().startSpan(
        EDGE_END_SPAN,
        { attributes: this.#attributes(), startTime: options.endTime },
        this.context,
      );
      span.setAttributes(this.state.summaryAttributes());
      span.setAttribute(CallAttr.status, options.status ?? (failed ? 'failed' : 'completed'));
      if (options.reason) span.setAttribute(CallAttr.endReason, options.reason);
      if (failed) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(options.error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end(options.endTime);
    });
  }

  /** A zero-length `call.resume` marker: where in the trace this activation picked the call up. */
  markResumed(reason: string): void {
    safely('edge call resume', () => {
      const attributes = this.#attributes();
      attributes[EdgeAttr.resumeReason] = reason;
      this.#tracer().startSpan(EDGE_RESUME_SPAN, { attributes }, this.context).end();
    });
  }

  #attributes(): Record<string, string | number> {
    return {
      [CallAttr.callId]: this.callId,
      [ATTR_GEN_AI_CONVERSATION_ID]: this.callId,
      [EdgeAttr.callAgeMs]: Math.max(0, Date.now() - this.snapshot.startedAt),
    };
  }

  #tracer() {
    return (this.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, VERSION);
  }
}

/**
 * Opens a call in a Durable Object (or any runtime that can lose its memory mid-call): starts
 * the `call` root span, takes its snapshot, and ends the root at once so that it is exported
 * before the object can be evicted. Persist `snapshot`; everything else hangs under the root.
 * Never throws.
 */
export function openEdgeCall(options: StartCallOptions = {}): EdgeCall {
  const startedAt = Date.now();
  const call = startCall(options);
  const snapshot = snapshotCall(call, startedAt);
  safely('edge call open', () => {
    call.span.setAttribute(EdgeAttr.rootEndedEarly, true);
    call.span.setAttribute(CallAttr.status, 'in_progress');
    call.span.end();
  });
  call.state.ended = true; // the handle is spent: its root span has ended
  const root = spanContextOf(snapshot.traceparent, snapshot.tracestate) ?? call.span.spanContext();
  return new EdgeCall(snapshot, root, readField(options, 'tracerProvider') as TracerProvider);
}

/** Options of `resumeCall`. */
export interface ResumeCallOptions {
  /** Why this activation picks the call up, on the `call.resume` span. Default: `'wake'`. */
  reason?: string;
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

/**
 * Continues a call from a stored snapshot after the object woke up or restarted: returns the
 * call for this activation (its spans are children of the call's root) and records a
 * `call.resume` span. A malformed snapshot gives `undefined` and is never adopted.
 */
export function resumeCall(stored: unknown, options: ResumeCallOptions = {}): EdgeCall | undefined {
  const snapshot = parseCallSnapshot(stored);
  const root = snapshot && spanContextOf(snapshot.traceparent, snapshot.tracestate);
  if (!snapshot || !root) return undefined;
  const call = new EdgeCall(snapshot, root, options.tracerProvider);
  // The OpenAI trace id `trace_<id>` belongs to the activation that opened the call: a later
  // one cannot know whether it was taken, and two OpenAI traces must never share it.
  call.state.openaiTraceIdClaimed = true;
  call.markResumed(options.reason ?? 'wake');
  return call;
}

function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  if (typeof error === 'string' && error.length <= 64) return error;
  return '_OTHER';
}
