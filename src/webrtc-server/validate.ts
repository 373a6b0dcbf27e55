import {
  CANDIDATE_TYPES,
  REPORT_EVENT_KINDS,
  REPORT_OUTCOMES,
  REPORT_VERSION,
  type CandidateType,
  type ReportEvent,
  type ReportEventKind,
  type SelectedPair,
  type WebRTCReport,
} from '../webrtc/report.js';

/** Hard cap on timeline entries, whatever the browser claims (it keeps at most 256). */
export const MAX_REPORT_EVENTS = 256;
const MAX_COUNT = 10_000;
const MAX_RTT_MS = 60_000;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const CALL_ID = /^[\x21-\x7e]{1,128}$/;
const ERROR_NAME = /^[A-Za-z][\w.-]{0,63}$/;
const STATES = new Set<string>([
  // RTCSignalingState, RTCIceGatheringState, RTCIceConnectionState, RTCPeerConnectionState
  'stable', 'have-local-offer', 'have-remote-offer', 'have-local-pranswer', 'have-remote-pranswer',
  'new', 'gathering', 'complete', 'checking', 'connected', 'completed', 'disconnected', 'failed',
  'closed', 'connecting',
]); // prettier-ignore
const PAIR = new RegExp(`^(${CANDIDATE_TYPES.join('|')})/(${CANDIDATE_TYPES.join('|')})$`);

export interface ParsedTraceparent {
  traceId: string;
  spanId: string;
  traceFlags: number;
}

export type Validated =
  { ok: true; report: WebRTCReport; parent: ParsedTraceparent } | { ok: false; error: string };

class Invalid extends Error {}
const invalid = (what: string): never => {
  throw new Invalid(what);
};

/**
 * Checks an untrusted report and rebuilds it from known fields only: unknown fields are dropped,
 * times clamped to `[0, elapsedMs]` and `elapsedMs` to `maxAgeMs`. Anything malformed rejects the
 * whole report. Never throws.
 */
export function validateReport(input: unknown, maxAgeMs: number): Validated {
  try {
    const r = object(input, 'report');
    if (r.v !== REPORT_VERSION) invalid('unsupported version');
    const tp = typeof r.traceparent === 'string' ? TRACEPARENT.exec(r.traceparent) : null;
    if (!tp || /^0+$/.test(tp[1]!) || /^0+$/.test(tp[2]!)) invalid('traceparent');
    const parent = { traceId: tp![1]!, spanId: tp![2]!, traceFlags: parseInt(tp![3]!, 16) & 1 };
    const elapsedMs = Math.min(num(r.elapsedMs, 'elapsedMs'), maxAgeMs);
    const at = (v: unknown, what: string) => Math.min(num(v, what), elapsedMs);
    if (!REPORT_OUTCOMES.includes(r.outcome as never)) invalid('outcome');
    const report: WebRTCReport = {
      v: REPORT_VERSION,
      traceparent: r.traceparent as string,
      elapsedMs,
      outcome: r.outcome as WebRTCReport['outcome'],
      iceRestarts: count(r.iceRestarts, 'iceRestarts'),
      droppedEvents: count(r.droppedEvents, 'droppedEvents'),
      events: events(r.events, at),
    };
    if (r.callId !== undefined) {
      if (typeof r.callId !== 'string' || !CALL_ID.test(r.callId)) invalid('callId');
      report.callId = r.callId as string;
    }
    if (r.connectedMs !== undefined) report.connectedMs = at(r.connectedMs, 'connectedMs');
    if (r.failedMs !== undefined) report.failedMs = at(r.failedMs, 'failedMs');
    if (r.firstCandidateMs !== undefined) {
      const fc = object(r.firstCandidateMs, 'firstCandidateMs');
      report.firstCandidateMs = {};
      for (const type of CANDIDATE_TYPES)
        if (fc[type] !== undefined) report.firstCandidateMs[type] = at(fc[type], type);
    }
    if (r.selectedPair !== undefined) report.selectedPair = pair(r.selectedPair);
    return { ok: true, report, parent };
  } catch (error) {
    return { ok: false, error: error instanceof Invalid ? `invalid ${error.message}` : 'invalid' };
  }
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) invalid(what);
  return v as Record<string, unknown>;
}

/** A finite, non-negative number of ms, rounded to 0.1 ms. */
function num(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) invalid(what);
  return Math.round((v as number) * 10) / 10;
}

function count(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) invalid(what);
  return Math.min(v as number, MAX_COUNT);
}

function events(v: unknown, at: (v: unknown, what: string) => number): ReportEvent[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > MAX_REPORT_EVENTS) invalid('events');
  return (v as unknown[]).map((raw) => {
    const ev = object(raw, 'event');
    const e = ev.e as ReportEventKind;
    if (!REPORT_EVENT_KINDS.includes(e)) invalid('event kind');
    const out: ReportEvent = { t: at(ev.t, 'event time'), e };
    if (ev.v !== undefined) {
      if (typeof ev.v !== 'string' || !valueFits(e, ev.v)) invalid('event value');
      out.v = ev.v as string;
    } else if (e !== 'ice_restart') invalid('event value');
    return out;
  });
}

function valueFits(kind: ReportEventKind, v: string): boolean {
  switch (kind) {
    case 'candidate':
      return CANDIDATE_TYPES.includes(v as CandidateType);
    case 'candidate_error':
      return /^\d{1,3}$/.test(v);
    case 'selected_pair':
      return PAIR.test(v);
    case 'error':
      return ERROR_NAME.test(v);
    case 'ice_restart':
      return false;
    default:
      return STATES.has(v);
  }
}

function pair(v: unknown): SelectedPair {
  const p = object(v, 'selectedPair');
  const local = p.local as CandidateType;
  const remote = p.remote as CandidateType;
  if (!CANDIDATE_TYPES.includes(local) || !CANDIDATE_TYPES.includes(remote)) invalid('pair type');
  const out: SelectedPair = { local, remote };
  if (p.protocol !== undefined) {
    if (p.protocol !== 'udp' && p.protocol !== 'tcp') invalid('pair protocol');
    out.protocol = p.protocol as 'udp' | 'tcp';
  }
  if (p.relayProtocol !== undefined) {
    if (!['udp', 'tcp', 'tls'].includes(p.relayProtocol as string)) invalid('relay protocol');
    out.relayProtocol = p.relayProtocol as 'udp' | 'tcp' | 'tls';
  }
  if (p.rttMs !== undefined) out.rttMs = Math.min(num(p.rttMs, 'rttMs'), MAX_RTT_MS);
  return out;
}
