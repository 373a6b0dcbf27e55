/**
 * The one report a browser sends about a peer connection: the wire format shared by
 * `calltrace/webrtc` (which writes it) and `calltrace/webrtc-server` (which validates it).
 * Times are whole milliseconds relative to when the connection was instrumented, measured
 * with the page's monotonic clock, so the browser's wall clock never enters the trace.
 */

export const REPORT_VERSION = 1;

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];

/** How the connection stood when the report was made. */
export type ReportOutcome = 'connected' | 'failed' | 'closed' | 'timeout' | 'pending';
export const REPORT_OUTCOMES: readonly ReportOutcome[] = [
  'connected',
  'failed',
  'closed',
  'timeout',
  'pending',
];

/** Timeline entries. `v` is the new state, the candidate type, the error code or error name. */
export type ReportEventKind =
  | 'signaling'
  | 'ice_gathering'
  | 'ice_connection'
  | 'connection'
  | 'candidate'
  | 'candidate_error'
  | 'ice_restart'
  | 'selected_pair'
  | 'error';
export const REPORT_EVENT_KINDS: readonly ReportEventKind[] = [
  'signaling',
  'ice_gathering',
  'ice_connection',
  'connection',
  'candidate',
  'candidate_error',
  'ice_restart',
  'selected_pair',
  'error',
];

export interface ReportEvent {
  /** ms since instrumentation. */
  t: number;
  e: ReportEventKind;
  v?: string;
}

export interface SelectedPair {
  local: CandidateType;
  remote: CandidateType;
  protocol?: 'udp' | 'tcp';
  /** How the browser reaches its TURN server, for a relay candidate. */
  relayProtocol?: 'udp' | 'tcp' | 'tls';
  /** Current STUN round-trip time of the pair, ms. */
  rttMs?: number;
}

export interface WebRTCReport {
  v: typeof REPORT_VERSION;
  /** The call's W3C traceparent, as the server handed it out with the session. */
  traceparent: string;
  callId?: string;
  /** Age of the instrumentation when the report was made, ms: anchors the timeline on the server. */
  elapsedMs: number;
  outcome: ReportOutcome;
  connectedMs?: number;
  failedMs?: number;
  /** When the first local candidate of each type was gathered (STUN/TURN delay). */
  firstCandidateMs?: Partial<Record<CandidateType, number>>;
  selectedPair?: SelectedPair;
  iceRestarts: number;
  /** Timeline entries dropped past the bound. */
  droppedEvents: number;
  events: ReportEvent[];
}
