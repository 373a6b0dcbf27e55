import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_GEN_AI_CONVERSATION_ID } from '../semconv.js';
import type { WebRTCReport } from '../webrtc/report.js';
import { WEBRTC_SPAN_NAME, WebRTCAttr, WebRTCEvent } from './attributes.js';
import type { ParsedTraceparent } from './validate.js';

const FIRST_CANDIDATE_ATTR = {
  host: WebRTCAttr.firstHostCandidateMs,
  srflx: WebRTCAttr.firstSrflxCandidateMs,
  prflx: WebRTCAttr.firstPrflxCandidateMs,
  relay: WebRTCAttr.firstRelayCandidateMs,
} as const;

/**
 * Writes a validated report as a finished `webrtc.peer_connection` span under the call's span.
 * The browser's clock is never used: the span starts at `receivedAt - elapsedMs` (server clock)
 * and each event sits at its offset from there, so skew between the two clocks cannot move it;
 * only the report's transit time does (the timeline lands late by that much).
 */
export function recordReportSpan(
  tracer: Tracer,
  report: WebRTCReport,
  parent: ParsedTraceparent,
  receivedAt: number,
): SpanContext {
  const start = receivedAt - report.elapsedMs;
  const parentContext = trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true });
  const span = tracer.startSpan(
    WEBRTC_SPAN_NAME,
    { kind: SpanKind.INTERNAL, startTime: start, attributes: summary(report) },
    parentContext,
  );
  for (const ev of report.events) {
    const attrs: Attributes = {};
    if (ev.v !== undefined) attrs[valueKey(ev.e)] = ev.v;
    span.addEvent(WebRTCEvent[ev.e], attrs, start + ev.t);
  }
  if (report.outcome === 'failed') {
    const reason = [...report.events].reverse().find((e) => e.e === 'error')?.v;
    span.setAttribute(ATTR_ERROR_TYPE, reason ?? 'connection_failed');
    span.setStatus({ code: SpanStatusCode.ERROR, message: reason ?? 'connection failed' });
  }
  span.end(receivedAt);
  return span.spanContext();
}

function summary(r: WebRTCReport): Attributes {
  const a: Attributes = {
    [WebRTCAttr.outcome]: r.outcome,
    [WebRTCAttr.iceRestarts]: r.iceRestarts,
    [WebRTCAttr.reportElapsedMs]: r.elapsedMs,
  };
  if (r.callId) a[ATTR_GEN_AI_CONVERSATION_ID] = r.callId;
  if (r.droppedEvents) a[WebRTCAttr.droppedEvents] = r.droppedEvents;
  if (r.connectedMs !== undefined) a[WebRTCAttr.connectedMs] = r.connectedMs;
  if (r.failedMs !== undefined) a[WebRTCAttr.failedMs] = r.failedMs;
  for (const [type, ms] of Object.entries(r.firstCandidateMs ?? {}))
    a[FIRST_CANDIDATE_ATTR[type as keyof typeof FIRST_CANDIDATE_ATTR]] = ms;
  const p = r.selectedPair;
  if (p) {
    a[WebRTCAttr.localCandidateType] = p.local;
    a[WebRTCAttr.remoteCandidateType] = p.remote;
    if (p.protocol) a[WebRTCAttr.protocol] = p.protocol;
    if (p.relayProtocol) a[WebRTCAttr.relayProtocol] = p.relayProtocol;
    if (p.rttMs !== undefined) a[WebRTCAttr.rttMs] = p.rttMs;
  }
  return a;
}

function valueKey(kind: WebRTCReport['events'][number]['e']): string {
  if (kind === 'candidate') return WebRTCAttr.candidateType;
  if (kind === 'candidate_error') return WebRTCAttr.errorCode;
  if (kind === 'error') return WebRTCAttr.error;
  if (kind === 'selected_pair') return WebRTCAttr.pair;
  return WebRTCAttr.state;
}
