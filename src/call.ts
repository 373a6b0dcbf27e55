import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type TimeInput,
  type TracerProvider,
} from '@opentelemetry/api';
import { CallAttr } from './attributes.js';
import { contextWithCall } from './call-context.js';
import { CallState } from './call-state.js';
import { maskPhoneNumber, normalizePhoneNumber } from './phone.js';
import { safely } from './safe.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from './semconv.js';
import { SCOPE_NAME, VERSION } from './version.js';
import { openAICorrelation, type OpenAICorrelation } from './openai-correlation.js';

export interface StartCallOptions {
  /** Your id for the call. Default: a random UUID. Becomes `gen_ai.conversation.id` on every span. */
  callId?: string;
  /** Caller's number. Written masked (`+*******0100`) unless `captureCallerNumber` is true. */
  from?: string;
  /** Callee's number (your own line), written as is. */
  to?: string;
  /** Default: `'inbound'`. */
  direction?: 'inbound' | 'outbound';
  /** Where the call came from, e.g. `'twilio'`, `'openai-sip'`, `'webrtc'`. */
  provider?: string;
  /** The provider's own id (Twilio CallSid, OpenAI `rtc_…`). */
  providerCallId?: string;
  /** Root span name. Default: `'call'`. */
  spanName?: string;
  /** Write the caller's number in clear under `calltrace.pii.caller_number`. Default: false. */
  captureCallerNumber?: boolean;
  /** Optional keyed hash of the caller's E.164 number, written as `calltrace.call.caller_number_hash`. */
  hashCallerNumber?: (e164: string) => string;
  /**
   * Parent context. Default: none — a call is a root span; if a span is active when the call
   * starts (e.g. the webhook's HTTP span) the call links to it instead of adopting it.
   */
  parent?: Context;
  /** Extra links (e.g. to an untrusted incoming `traceparent`). */
  links?: Link[];
  attributes?: Attributes;
  startTime?: TimeInput;
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
}

export interface EndCallOptions {
  /** Free-form status, e.g. `'completed'`, `'no-answer'`. Default: `'completed'`, or `'failed'` with an error. */
  status?: string;
  /** Why it ended, e.g. `'caller_hangup'`. */
  reason?: string;
  /** Marks the call failed: ERROR status and `error.type`. */
  error?: unknown;
  endTime?: TimeInput;
}

/** A live call: the root span of its trace and the context everything else runs in. */
export class CallHandle {
  readonly callId: string;
  readonly traceId: string;
  readonly spanId: string;
  /** W3C `traceparent` of the root span, for handing to other processes (e.g. the browser). */
  readonly traceparent: string;
  /** Fields for the OpenAI side: pass to `Runner`, `RealtimeSession` or the REST calls. */
  readonly openai: OpenAICorrelation;
  /** The context with the call's span and state active. */
  readonly context: Context;

  constructor(
    readonly span: Span,
    readonly state: CallState,
    parentContext: Context,
  ) {
    const sc = span.spanContext();
    this.callId = state.callId;
    this.traceId = sc.traceId;
    this.spanId = sc.spanId;
    this.traceparent = `00-${sc.traceId}-${sc.spanId}-0${(sc.traceFlags & 1).toString(16)}`;
    this.openai = openAICorrelation(state.callId, sc.traceId);
    this.context = contextWithCall(trace.setSpan(parentContext, span), state);
  }

  get ended(): boolean {
    return this.state.ended;
  }

  /** Runs `fn` with the call's context active, so spans created inside are its children. */
  run<T>(fn: () => T): T {
    return context.with(this.context, fn);
  }

  /** Ends the root span. Idempotent: later calls are ignored. */
  end(options: EndCallOptions = {}): void {
    if (this.state.ended) return;
    this.state.runEndListeners(); // e.g. Realtime sessions end their open spans first
    this.state.ended = true;
    safely('call.end', () => {
      const { span } = this;
      const failed = options.error !== undefined;
      span.setAttributes(this.state.summaryAttributes());
      span.setAttribute(CallAttr.status, options.status ?? (failed ? 'failed' : 'completed'));
      if (options.reason) span.setAttribute(CallAttr.endReason, options.reason);
      if (failed) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(options.error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(options.error) });
      }
      span.end(options.endTime);
    });
  }
}

/** Opens the root span of one call. Never throws. */
export function startCall(options: StartCallOptions = {}): CallHandle {
  const callId = options.callId || randomId();
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = provider.getTracer(SCOPE_NAME, VERSION);
  const active = context.active();
  const parent = options.parent ?? ROOT_CONTEXT;
  const links = [...(options.links ?? [])];
  const activeSpan = options.parent ? undefined : trace.getSpan(active);
  if (activeSpan?.spanContext().traceId) links.push({ context: activeSpan.spanContext() });

  // A broken span processor makes startSpan throw; the call goes on with a non-recording span.
  const span =
    safely('startCall', () =>
      tracer.startSpan(
        options.spanName || 'call',
        {
          kind: SpanKind.SERVER,
          root: options.parent === undefined,
          links,
          startTime: options.startTime,
          attributes: { ...callAttributes(callId, options), ...options.attributes },
        },
        parent,
      ),
    ) ?? trace.wrapSpanContext(randomSpanContext());
  const state = new CallState(callId, span, span.spanContext().traceId);
  return new CallHandle(span, state, options.parent ?? active);
}

function callAttributes(callId: string, o: StartCallOptions): Attributes {
  const attrs: Attributes = {
    [CallAttr.callId]: callId,
    [ATTR_GEN_AI_CONVERSATION_ID]: callId,
    [CallAttr.direction]: o.direction ?? 'inbound',
  };
  if (o.provider) attrs[CallAttr.provider] = o.provider;
  if (o.providerCallId) attrs[CallAttr.providerCallId] = o.providerCallId;
  const to = normalizePhoneNumber(o.to);
  if (to) attrs[CallAttr.calleeNumber] = to;
  const from = normalizePhoneNumber(o.from);
  if (from) {
    attrs[CallAttr.callerNumberMasked] = maskPhoneNumber(from);
    if (o.captureCallerNumber) attrs[CallAttr.callerNumberPii] = from;
    const hash = o.hashCallerNumber && safely('hashCallerNumber', () => o.hashCallerNumber!(from));
    if (typeof hash === 'string') attrs[CallAttr.callerNumberHash] = hash;
  }
  return attrs;
}

function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

function randomSpanContext(): SpanContext {
  return { traceId: randomHex(16), spanId: randomHex(8), traceFlags: TraceFlags.NONE };
}

function randomId(): string {
  return (
    globalThis.crypto?.randomUUID?.() ?? `call-${Date.now()}-${Math.random().toString(16).slice(2)}`
  );
}

function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  if (typeof error === 'string' && error.length <= 64) return error;
  return '_OTHER';
}

function errorMessage(error: unknown): string | undefined {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : undefined;
}
