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
  type MeterProvider,
  type Span,
  type SpanContext,
  type TimeInput,
  type TracerProvider,
} from '@opentelemetry/api';
import { CallAttr } from './attributes.js';
import { contextWithCall } from './call-context.js';
import { CallState } from './call-state.js';
import { maskPhoneNumber, normalizePhoneNumber } from './phone.js';
import { errorMessage, errorType } from './error-type.js';
import { recordCall } from './metrics/record.js';
import { readOptions } from './read-options.js';
import { reportFault, safely } from './safe.js';
import { safeTracer } from './safe-tracer.js';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from './semconv.js';
import { openAICorrelation, type OpenAICorrelation } from './openai-correlation.js';

export interface StartCallOptions {
  /** Your id for the call. Default: a random UUID. Becomes `gen_ai.conversation.id` on every span. */
  callId?: string;
  /** Caller's number. Written masked (`+*******0100`) unless `captureCallerNumber` is true. */
  from?: string;
  /**
   * Callee's number: your own line on an inbound call, written as is; the customer on an
   * outbound call, written masked like the caller (in clear only with `captureCallerNumber`).
   */
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
  /** Put an error's message in the root span's status on `end({ error })`. Default: false. */
  captureContent?: boolean;
  /** Where `calltrace.call.duration` goes. Default: the global meter provider (a no-op without one). */
  meterProvider?: MeterProvider;
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
  /** Wall clock at start, for the call-duration metric. */
  readonly #startedAt = performance.now();

  constructor(
    readonly span: Span,
    readonly state: CallState,
    parentContext: Context,
    private readonly captureContent = false,
    private readonly meterProvider?: MeterProvider,
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

  /**
   * Ends the root span. Idempotent: later calls are ignored. Never throws; `end(null)` or
   * garbage options end the call as `completed`.
   */
  end(options?: EndCallOptions | null): void {
    if (this.state.ended) return;
    this.state.runEndListeners(); // e.g. Realtime sessions end their open spans first
    this.state.ended = true;
    const o = readOptions<EndCallOptions>(options, ['status', 'reason', 'error', 'endTime']);
    const failed = o.error !== undefined;
    safely('call.end attributes', () => {
      const { span } = this;
      span.setAttributes(this.state.summaryAttributes());
      const status = typeof o.status === 'string' ? o.status : failed ? 'failed' : 'completed';
      span.setAttribute(CallAttr.status, status);
      if (typeof o.reason === 'string' && o.reason) span.setAttribute(CallAttr.endReason, o.reason);
      if (failed) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType(o.error));
        // Messages often quote the input (numbers, transcripts): only on opt-in.
        const message = this.captureContent ? errorMessage(o.error) : undefined;
        span.setStatus({ code: SpanStatusCode.ERROR, message });
      }
    });
    // Its own guard: whatever failed above, the root span still ends.
    safely('call.end', () => this.span.end(o.endTime));
    const status = typeof o.status === 'string' ? o.status : failed ? 'failed' : 'completed';
    recordCall(
      this.meterProvider,
      status,
      failed || this.state.errors > 0 || this.state.toolErrors > 0,
      performance.now() - this.#startedAt,
      this.context,
    );
  }
}

const START_KEYS = [
  'callId',
  'from',
  'to',
  'direction',
  'provider',
  'providerCallId',
  'spanName',
  'captureCallerNumber',
  'hashCallerNumber',
  'parent',
  'links',
  'attributes',
  'startTime',
  'tracerProvider',
  'captureContent',
  'meterProvider',
] as const;

/**
 * Opens the root span of one call. Never throws: null or garbage options, a tracer provider
 * whose `getTracer` throws or a span processor that throws in `onStart` give a call with a
 * non-recording span.
 */
export function startCall(options?: StartCallOptions | null): CallHandle {
  try {
    return openCall(readOptions<StartCallOptions>(options, START_KEYS));
  } catch (error) {
    reportFault('startCall', error);
    const span = trace.wrapSpanContext(randomSpanContext());
    const callId = randomId();
    return new CallHandle(
      span,
      new CallState(callId, span, span.spanContext().traceId),
      ROOT_CONTEXT,
    );
  }
}

function openCall(options: StartCallOptions): CallHandle {
  const callId = typeof options.callId === 'string' && options.callId ? options.callId : randomId();
  const active = context.active();
  const parent = isContext(options.parent) ? options.parent : undefined;
  const links = Array.isArray(options.links) ? options.links.filter(isLink) : [];
  const activeSpan = parent ? undefined : trace.getSpan(active);
  if (activeSpan?.spanContext().traceId) links.push({ context: activeSpan.spanContext() });
  const extra =
    options.attributes && typeof options.attributes === 'object' ? options.attributes : {};

  // A broken provider or span processor: the call goes on with a non-recording span.
  let span = safeTracer(options.tracerProvider).startSpan(
    (typeof options.spanName === 'string' && options.spanName) || 'call',
    {
      kind: SpanKind.SERVER,
      root: parent === undefined,
      links,
      startTime: options.startTime,
      attributes: { ...callAttributes(callId, options), ...extra },
    },
    parent ?? ROOT_CONTEXT,
  );
  if (!trace.isSpanContextValid(span.spanContext()))
    span = trace.wrapSpanContext(randomSpanContext());
  const state = new CallState(callId, span, span.spanContext().traceId);
  return new CallHandle(
    span,
    state,
    parent ?? active,
    options.captureContent === true,
    options.meterProvider,
  );
}

function isContext(value: unknown): value is Context {
  return !!value && typeof (value as Context).getValue === 'function';
}

function isLink(value: unknown): value is Link {
  const sc = (value as Link | undefined)?.context;
  return !!sc && typeof sc.traceId === 'string' && typeof sc.spanId === 'string';
}

function callAttributes(callId: string, o: StartCallOptions): Attributes {
  const outbound = o.direction === 'outbound';
  const attrs: Attributes = {
    [CallAttr.callId]: callId,
    [ATTR_GEN_AI_CONVERSATION_ID]: callId,
    [CallAttr.direction]: outbound ? 'outbound' : 'inbound',
  };
  if (typeof o.provider === 'string' && o.provider) attrs[CallAttr.provider] = o.provider;
  if (typeof o.providerCallId === 'string' && o.providerCallId)
    attrs[CallAttr.providerCallId] = o.providerCallId;
  Object.assign(attrs, numberAttributes(o, true));
  return attrs;
}

/**
 * The numbers of a call as span attributes: the customer (the caller inbound, the callee
 * outbound) masked, in clear only under `.pii.` keys with `withPii` and `captureCallerNumber`;
 * your own line as is.
 */
export function numberAttributes(o: StartCallOptions, withPii: boolean): Attributes {
  const attrs: Attributes = {};
  const outbound = o.direction === 'outbound';
  const capture = withPii && o.captureCallerNumber === true;
  const to = normalizePhoneNumber(o.to);
  if (to && !outbound) attrs[CallAttr.calleeNumber] = to;
  if (to && outbound) {
    attrs[CallAttr.calleeNumberMasked] = maskPhoneNumber(to);
    if (capture) attrs[CallAttr.calleeNumberPii] = to;
  }
  const from = normalizePhoneNumber(o.from);
  if (from) {
    attrs[CallAttr.callerNumberMasked] = maskPhoneNumber(from);
    if (capture) attrs[CallAttr.callerNumberPii] = from;
    const hashFn =
      withPii && typeof o.hashCallerNumber === 'function' ? o.hashCallerNumber : undefined;
    const hash = hashFn && safely('hashCallerNumber', () => hashFn(from));
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
