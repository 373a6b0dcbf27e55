import {
  context,
  isValidTraceId,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
  type Context,
  type Span as OtelSpan,
  type Tracer,
} from '@opentelemetry/api';
import type { Span as SdkSpan, Trace as SdkTrace, TracingProcessor } from '@openai/agents-core';
import { SdkAttr } from '../attributes.js';
import { getCallState } from '../call-context.js';
import { recordSdkSpanMetrics } from '../metrics/bridge-points.js';
import type { CallState } from '../call-state.js';
import type { ResolvedOptions } from '../options.js';
import { calltraceLogger, DropCounter, safely } from '../safe.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_TOOL_CALL_ID, GEN_AI_OPERATION } from '../semconv.js';
import { SCOPE_NAME, VERSION } from '../version.js';
import { SpanIndex } from './span-index.js';
import { applyEnd, startShape, type StartShape } from './span-mapping.js';

type AnySdkSpan = SdkSpan<any>;

/** An OTel span opened for an SDK span, and the context its children start in. */
export class BridgedSpan {
  #context: Context | undefined;
  constructor(
    readonly span: OtelSpan,
    readonly parentContext: Context,
    readonly call: CallState | undefined,
    readonly sdkTraceId: string,
    /** The agent, tool or model the span was named after when it started. */
    readonly subject: string | undefined,
  ) {}

  /** Built on first use: leaf spans (most tool and model spans) never need one. */
  get context(): Context {
    this.#context ??= otelTrace.setSpan(this.parentContext, this.span);
    return this.#context;
  }
}

interface OpenTrace {
  context: Context;
  call: CallState | undefined;
  spanIds: Set<string>;
}

const DONE: Promise<void> = Promise.resolve();

/** `error.type` for an SDK span that ended with an error, by span type. */
const ERROR_TYPES: Record<string, string> = {
  function: 'tool_error',
  generation: 'model_error',
  response: 'model_error',
  guardrail: 'guardrail_triggered',
  handoff: 'handoff_error',
  agent: 'agent_error',
};

/**
 * A TracingProcessor that turns every Agents SDK span into an OTel span. Spans are created
 * synchronously when the SDK span starts, in the OTel context active there (or under the
 * bridged SDK parent), so a run inside `call.run()` nests under the call.
 * State is bounded: at most `maxOpenSpans` open spans; a trace's leftovers are ended with it.
 */
export class AgentsSpanBridge implements TracingProcessor {
  readonly #spans = new SpanIndex<BridgedSpan>();
  readonly #shape: StartShape = {
    name: '',
    kind: SpanKind.INTERNAL,
    subject: undefined,
    attributes: {},
  };
  /** The last active-context parent, reused while consecutive spans start in the same context. */
  #lastActive: { context: Context; call: CallState | undefined } | undefined;
  readonly #traces = new Map<string, OpenTrace>();
  readonly #dropped = new DropCounter('calltrace: open Agents SDK spans');
  #tracer: Tracer | undefined;
  /** Attachments keep the bridge live; with none it observes nothing. */
  active = 0;

  constructor(private readonly options: ResolvedOptions) {}

  /** Open SDK spans and traces held right now (for tests and health checks). */
  get openCounts(): { spans: number; traces: number; dropped: number } {
    return { spans: this.#spans.size, traces: this.#traces.size, dropped: this.#dropped.count };
  }

  get tracer(): Tracer {
    this.#tracer ??= (this.options.tracerProvider ?? otelTrace.getTracerProvider()).getTracer(
      SCOPE_NAME,
      VERSION,
    );
    return this.#tracer;
  }

  // The four callbacks below sit on the SDK's hot path: plain try/catch, no closures.
  onTraceStart(sdkTrace: SdkTrace): Promise<void> {
    if (this.active > 0) {
      try {
        this.#traceStarted(sdkTrace);
      } catch (error) {
        calltraceLogger.debug('onTraceStart failed', error);
      }
    }
    return DONE;
  }

  onTraceEnd(sdkTrace: SdkTrace): Promise<void> {
    try {
      this.#traceEnded(sdkTrace.traceId);
    } catch (error) {
      calltraceLogger.debug('onTraceEnd failed', error);
    }
    return DONE;
  }

  onSpanStart(span: AnySdkSpan): Promise<void> {
    // A processor registered before ours can delay this call past the span's end; onSpanEnd
    // has then bridged it already.
    if (this.active > 0 && !span.endedAt) {
      try {
        this.ensure(span);
      } catch (error) {
        calltraceLogger.debug('onSpanStart failed', error);
      }
    }
    return DONE;
  }

  onSpanEnd(span: AnySdkSpan): Promise<void> {
    try {
      if (!this.#finish(span) && this.active > 0) this.#finishUnseen(span);
    } catch (error) {
      calltraceLogger.debug('onSpanEnd failed', error);
    }
    return DONE;
  }

  shutdown(): Promise<void> {
    this.#dropped.report();
    return DONE;
  }

  forceFlush(): Promise<void> {
    this.#dropped.report();
    return DONE;
  }

  /** The OTel span for an SDK span, opening it now if the SDK has not told us yet. */
  ensure(sdkSpan: AnySdkSpan, startTime?: Date): BridgedSpan | undefined {
    const existing = this.#spans.get(sdkSpan.spanId);
    if (existing) return existing;
    if (this.active === 0 || !sdkSpan.spanId || sdkSpan.spanId === 'no-op') return undefined;
    if (this.#spans.size >= this.options.maxOpenSpans) {
      this.#dropped.add();
      return undefined;
    }
    const parent = this.#parentOf(sdkSpan);
    // #shape is reused: read it before anything (a sampler, a hook) could re-enter the bridge.
    const {
      kind,
      subject,
      attributes,
      name: defaultName,
    } = startShape(sdkSpan.spanData, parent.call?.callId, this.#shape);
    const name = this.#name(sdkSpan.spanData.type, subject, defaultName);
    const span = this.tracer.startSpan(name, { kind, attributes, startTime }, parent.context);
    const bridged = new BridgedSpan(span, parent.context, parent.call, sdkSpan.traceId, subject);
    this.#spans.add(sdkSpan.spanId, bridged);
    if (this.#traces.size > 0) this.#traces.get(sdkSpan.traceId)?.spanIds.add(sdkSpan.spanId);
    return bridged;
  }

  /** Records the tool call id on the bridged function span. */
  setToolCallId(sdkSpan: AnySdkSpan | null | undefined, callId: unknown): void {
    if (!sdkSpan || typeof callId !== 'string') return;
    this.ensure(sdkSpan)?.span.setAttribute(ATTR_GEN_AI_TOOL_CALL_ID, callId);
  }

  /** Where a new span goes: its bridged SDK parent, else its trace, else the active context. */
  #parentOf(sdkSpan: AnySdkSpan): { context: Context; call: CallState | undefined } {
    const parentId = sdkSpan.parentId;
    const parent = parentId
      ? (this.#spans.get(parentId) ?? this.#openLateParent(sdkSpan))
      : undefined;
    if (parent) return parent;
    const openTrace = this.#traces.size > 0 ? this.#traces.get(sdkSpan.traceId) : undefined;
    if (openTrace) return openTrace;
    const ctx = context.active();
    const last = this.#lastActive;
    if (last && last.context === ctx) return last;
    this.#lastActive = { context: ctx, call: getCallState(ctx) };
    return this.#lastActive;
  }

  /**
   * A processor registered before ours can hold up our onSpanStart until after the children
   * started (or ended). The SDK links a span to the one current before it (`previousSpan`):
   * when that is the still-running parent, open the parent now, with its own start time.
   */
  #openLateParent(sdkSpan: AnySdkSpan): BridgedSpan | undefined {
    const previous = sdkSpan.previousSpan;
    if (!previous || previous.spanId !== sdkSpan.parentId || previous.endedAt) return undefined;
    return this.ensure(previous, isoTime(previous.startedAt));
  }

  #name(type: string, subject: string | undefined, defaultName: string): string {
    const hook = this.options.spanNameHook;
    if (!hook) return defaultName;
    const name = safely('spanNameHook', () => hook({ type, name: subject }, defaultName));
    return typeof name === 'string' && name.length > 0 ? name : defaultName;
  }

  #traceStarted(sdkTrace: SdkTrace): void {
    const ctx = context.active();
    const call = getCallState(ctx);
    this.#traces.set(sdkTrace.traceId, { context: ctx, call, spanIds: new Set() });
    if (this.#traces.size > this.options.maxOpenSpans) {
      const oldest = this.#traces.keys().next().value;
      if (oldest !== undefined) this.#traceEnded(oldest, true);
    }
    if (call) tagSdkTrace(sdkTrace, call);
  }

  #traceEnded(sdkTraceId: string, evicted = false): void {
    const openTrace = this.#traces.get(sdkTraceId);
    if (!openTrace) return;
    this.#traces.delete(sdkTraceId);
    // Spans the SDK never ended (an aborted run) end with their trace, so nothing leaks.
    for (const spanId of openTrace.spanIds) {
      const left = this.#spans.get(spanId);
      if (!left) continue;
      this.#spans.delete(spanId);
      left.span.setAttribute(SdkAttr.unfinished, evicted ? 'evicted' : 'trace_ended');
      left.span.end();
    }
  }

  /**
   * The SDK never calls onTraceEnd for a run that throws, so a trace is also forgotten once
   * its top-level span has ended and nothing of it is open. A later top-level span of the
   * same trace falls back to the active context, which is the same caller's context.
   */
  #forgetFromTrace(sdkTraceId: string, sdkSpan: AnySdkSpan): void {
    if (this.#traces.size === 0) return;
    const openTrace = this.#traces.get(sdkTraceId);
    if (!openTrace) return;
    openTrace.spanIds.delete(sdkSpan.spanId);
    if (!sdkSpan.parentId && openTrace.spanIds.size === 0) this.#traces.delete(sdkTraceId);
  }

  /**
   * An SDK span that ended before its start reached us (a slower processor registered before
   * ours holds up our onSpanStart): bridge it whole, with the SDK's own timestamps.
   */
  #finishUnseen(sdkSpan: AnySdkSpan): void {
    const startedAt = isoTime(sdkSpan.startedAt);
    if (!startedAt || !this.ensure(sdkSpan, startedAt)) return;
    this.#finish(sdkSpan, isoTime(sdkSpan.endedAt));
  }

  /** Ends the bridged span of an SDK span; false when there is none. */
  #finish(sdkSpan: AnySdkSpan, endTime?: Date): boolean {
    const bridged = this.#spans.get(sdkSpan.spanId);
    if (!bridged) return false;
    this.#spans.delete(sdkSpan.spanId);
    this.#forgetFromTrace(bridged.sdkTraceId, sdkSpan);
    const { span } = bridged;
    const data = sdkSpan.spanData;
    let model: string | undefined;
    try {
      model = applyEnd(span, data, this.options);
    } catch (error) {
      calltraceLogger.debug('applyEnd failed', error);
    }
    // The model is often unknown when a chat span starts (Chat Completions sets it later, and
    // another processor registered first delays nothing we can rely on): name it now.
    if (model && model !== bridged.subject) {
      const name = this.#name(data.type, model, `${GEN_AI_OPERATION.chat} ${model}`);
      safely('rename', () => span.updateName(name));
    }
    const error = sdkSpan.error;
    const failed = error !== null && error !== undefined;
    if (failed) {
      span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPES[data.type] ?? '_OTHER');
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: this.options.captureContent ? String(error.message ?? '') : undefined,
      });
    }
    if (data.type === 'function') bridged.call?.recordToolCall(failed);
    span.end(endTime);
    if (data.type === 'function' || data.type === 'generation' || data.type === 'response') {
      recordSdkSpanMetrics(
        this.options.meterProvider,
        sdkSpan as never,
        model,
        failed,
        bridged.context, // built once and already used while a tool runs
      );
    }
    return true;
  }
}

function isoTime(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Makes the SDK trace findable from the call on OpenAI's dashboard: group id and metadata. */
function tagSdkTrace(sdkTrace: SdkTrace, call: CallState): void {
  sdkTrace.groupId ??= call.callId;
  const metadata: Record<string, string> = { ...sdkTrace.metadata, call_id: call.callId };
  if (isValidTraceId(call.traceId)) metadata.calltrace_trace_id = call.traceId;
  sdkTrace.metadata = metadata;
}
