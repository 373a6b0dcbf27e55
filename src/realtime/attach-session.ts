import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { RealtimeEvent, SdkAttr } from '../attributes.js';
import { getCallState } from '../call-context.js';
import type { ResolvedOptions } from '../options.js';
import { calltraceLogger, safely } from '../safe.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  GEN_AI_OPERATION,
} from '../semconv.js';
import { watchConnection, wrapInterrupt } from './connection-watch.js';
import { SessionSpans } from './session-tracer.js';
import { recordTool } from '../metrics/record.js';
import { isSdkToolErrorText, type RealtimeToolSpans } from './tool-spans.js';

type Listener = (...args: any[]) => void;
interface Emitter {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}
/** The parts of a `RealtimeSession` calltrace uses (typed structurally: no runtime import). */
export interface RealtimeSessionLike extends Emitter {
  transport: Emitter & {
    constructor: { name: string };
    close?(...args: unknown[]): void;
    /** WebSocket-based transports (WebSocket, Twilio, SIP): the socket, for its close code. */
    connectionState?: { websocket?: unknown };
  };
  initialAgent: unknown;
  currentAgent?: { name?: string };
  options?: { model?: string };
  close(): void;
  interrupt?(): void;
  connect(...args: any[]): Promise<void>;
}

export function isRealtimeSession(target: unknown): target is RealtimeSessionLike {
  const t = target as RealtimeSessionLike | null;
  return (
    !!t &&
    typeof t.connect === 'function' &&
    typeof t.close === 'function' &&
    typeof t.on === 'function' &&
    !!t.transport &&
    typeof t.transport.on === 'function' &&
    'initialAgent' in t
  );
}

const TRANSPORT_KINDS: Record<string, string> = {
  OpenAIRealtimeWebSocket: 'websocket',
  OpenAIRealtimeWebRTC: 'webrtc',
  OpenAIRealtimeSIP: 'sip',
  TwilioRealtimeTransportLayer: 'twilio',
};

/** Live tracers by session, for `markAudioSentToCaller`. */
export const sessionTracers = new WeakMap<object, SessionSpans>();

/**
 * Traces one RealtimeSession under the OTel context active at attach time (attach inside
 * `call.run()`). Returns the undo. Listeners never throw into the SDK's emitter.
 */
export function attachRealtimeSession(
  session: RealtimeSessionLike,
  tracer: Tracer,
  toolSpans: RealtimeToolSpans,
  options: ResolvedOptions,
): () => void {
  const parent = context.active();
  const call = getCallState(parent);
  const kindName = session.transport.constructor?.name ?? 'unknown';
  const spans = new SessionSpans(
    tracer,
    parent,
    call,
    options,
    TRANSPORT_KINDS[kindName] ?? kindName,
    session.options?.model,
    () => session.currentAgent?.name,
  );
  sessionTracers.set(session, spans);
  /** Tool calls of this session still running: ended with the session so nothing leaks. */
  const openTools = new Set<string>();
  const endAll = (reason: string, failed = false): void => {
    for (const callId of openTools) {
      const entry = toolSpans.take(callId);
      if (!entry) continue;
      entry.span.setAttribute(SdkAttr.unfinished, reason);
      entry.span.end();
    }
    openTools.clear();
    spans.end(reason, failed);
  };
  const guard =
    (where: string, fn: Listener): Listener =>
    (...args) => {
      try {
        fn(...args);
      } catch (error) {
        calltraceLogger.debug(`realtime ${where} failed`, error);
      }
    };

  // The hot path (every audio delta): no rest arguments, no closure allocation per event.
  const onServerEvent = (event: { type?: unknown }): void => {
    try {
      spans.onServerEvent(event);
    } catch (error) {
      calltraceLogger.debug('realtime transport_event failed', error);
    }
  };
  const onInterrupted = guard('audio_interrupted', () => spans.audioInterrupted());
  const onToolStart = guard('agent_tool_start', (_ctx, _agent, tool, details) => {
    const toolCall = details?.toolCall ?? {};
    const name = String(tool?.name ?? toolCall.name ?? 'unknown');
    const attributes = spans.base(GEN_AI_OPERATION.executeTool);
    attributes[ATTR_GEN_AI_TOOL_NAME] = name;
    attributes[ATTR_GEN_AI_TOOL_TYPE] = 'function';
    if (typeof toolCall.callId === 'string') attributes[ATTR_GEN_AI_TOOL_CALL_ID] = toolCall.callId;
    if (options.captureContent && typeof toolCall.arguments === 'string') {
      attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = toolCall.arguments.slice(
        0,
        options.maxContentLength,
      );
    }
    const parentCtx = spans.toolContext(toolCall.responseId);
    const span = tracer.startSpan(
      `execute_tool ${name}`,
      { kind: SpanKind.INTERNAL, attributes },
      parentCtx,
    );
    const callId = String(toolCall.callId);
    const entry = {
      span,
      context: trace.setSpan(parentCtx, span),
      startedAt: performance.now(),
      failed: false,
    };
    if (toolSpans.add(callId, entry)) openTools.add(callId);
    spans.toolStarted();
  });
  const onToolEnd = guard('agent_tool_end', (_ctx, _agent, _tool, result, details) => {
    const callId = details?.toolCall?.callId;
    const entry = toolSpans.take(callId);
    if (!entry) return;
    openTools.delete(callId);
    spans.toolEnded();
    const failed = entry.failed || isSdkToolErrorText(result);
    if (failed) {
      entry.span.setAttribute(ATTR_ERROR_TYPE, 'tool_error');
      entry.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    if (options.captureContent && typeof result === 'string') {
      entry.span.setAttribute(
        ATTR_GEN_AI_TOOL_CALL_RESULT,
        result.slice(0, options.maxContentLength),
      );
    }
    call?.recordToolCall(failed);
    entry.span.end();
    recordTool(
      options.meterProvider,
      details?.toolCall?.name,
      failed,
      performance.now() - entry.startedAt,
      entry.context,
    );
  });
  const onHandoff = guard('agent_handoff', (_ctx, from, to) => {
    const attributes = spans.base();
    if (from?.name) attributes[SdkAttr.handoffFrom] = String(from.name);
    if (to?.name) attributes[SdkAttr.handoffTo] = String(to.name);
    tracer
      .startSpan(`handoff ${to?.name ?? ''}`.trim(), { attributes }, spans.exchangeContext)
      .end();
  });
  // The SDK calls session.interrupt() right after emitting guardrail_tripped, in the same tick.
  let guardrailTripped = false;
  const onGuardrail = guard('guardrail_tripped', (_ctx, _agent, error) => {
    guardrailTripped = true;
    queueMicrotask(() => (guardrailTripped = false));
    const name = error?.result?.guardrail?.name ?? error?.guardrail?.name;
    spans.event(
      RealtimeEvent.guardrailTripped,
      typeof name === 'string' ? { [SdkAttr.guardrailName]: name } : {},
    );
  });

  const sessionEvents: Array<[string, Listener]> = [
    ['transport_event', onServerEvent],
    ['audio_interrupted', onInterrupted],
    ['agent_tool_start', onToolStart],
    ['agent_tool_end', onToolEnd],
    ['agent_handoff', onHandoff],
    ['guardrail_tripped', onGuardrail],
  ];
  for (const [event, fn] of sessionEvents) session.on(event, fn);
  const unwatch = watchConnection(session, spans, endAll);
  const unwrap = wrapInterrupt(session, spans, () => guardrailTripped);
  call?.onEnd(() => safely('realtime call end', () => endAll('call_ended')));

  return () => {
    for (const [event, fn] of sessionEvents) session.off(event, fn);
    unwatch();
    unwrap();
    sessionTracers.delete(session);
    safely('realtime detach', () => endAll('detached'));
  };
}
