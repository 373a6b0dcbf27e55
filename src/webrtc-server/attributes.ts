/** Attributes of the `webrtc.peer_connection` span. Durations are ms since the connection was instrumented. */
export const WebRTCAttr = {
  /** `connected`, `failed`, `closed`, `timeout` or `pending` when the browser reported. */
  outcome: 'calltrace.webrtc.outcome',
  connectedMs: 'calltrace.webrtc.connected_ms',
  failedMs: 'calltrace.webrtc.failed_ms',
  firstHostCandidateMs: 'calltrace.webrtc.first_candidate_ms.host',
  firstSrflxCandidateMs: 'calltrace.webrtc.first_candidate_ms.srflx',
  firstPrflxCandidateMs: 'calltrace.webrtc.first_candidate_ms.prflx',
  firstRelayCandidateMs: 'calltrace.webrtc.first_candidate_ms.relay',
  localCandidateType: 'calltrace.webrtc.selected.local_candidate_type',
  remoteCandidateType: 'calltrace.webrtc.selected.remote_candidate_type',
  protocol: 'calltrace.webrtc.selected.protocol',
  relayProtocol: 'calltrace.webrtc.selected.relay_protocol',
  rttMs: 'calltrace.webrtc.selected.rtt_ms',
  /** Attribute of the `selected_pair` event: `local/remote` candidate types, e.g. `host/relay`. */
  pair: 'calltrace.webrtc.selected.pair',
  iceRestarts: 'calltrace.webrtc.ice_restarts',
  /** Timeline entries the browser dropped past its bound. */
  droppedEvents: 'calltrace.webrtc.dropped_events',
  /** How old the browser's timeline was when it reported; anchors the span on the server clock. */
  reportElapsedMs: 'calltrace.webrtc.report_elapsed_ms',
  /** Attribute of the state-change events: the new state. */
  state: 'calltrace.webrtc.state',
  /** Attribute of `candidate` events: `host`, `srflx`, `prflx`, `relay`. */
  candidateType: 'calltrace.webrtc.candidate_type',
  /** Attribute of `candidate_error` events: the STUN/TURN error code (e.g. 701: server unreachable). */
  errorCode: 'calltrace.webrtc.error_code',
  /** Attribute of `error` events: `no_local_candidates` or the error name the app recorded. */
  error: 'calltrace.webrtc.error',
} as const;

/** Span event names, one per timeline entry kind of the browser's report. */
export const WebRTCEvent = {
  signaling: 'calltrace.webrtc.signaling_state',
  ice_gathering: 'calltrace.webrtc.ice_gathering_state',
  ice_connection: 'calltrace.webrtc.ice_connection_state',
  connection: 'calltrace.webrtc.connection_state',
  candidate: 'calltrace.webrtc.first_candidate',
  candidate_error: 'calltrace.webrtc.candidate_error',
  ice_restart: 'calltrace.webrtc.ice_restart',
  selected_pair: 'calltrace.webrtc.selected_pair',
  error: 'calltrace.webrtc.error',
} as const;

export const WEBRTC_SPAN_NAME = 'webrtc.peer_connection';
