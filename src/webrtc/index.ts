export { instrumentPeerConnection, tracePeerConnection } from './instrument.js';
export type { PeerConnectionTrace } from './instrument.js';
export type { PeerConnectionTraceOptions } from './options.js';
export type {
  CandidateType,
  ReportEvent,
  ReportEventKind,
  ReportOutcome,
  SelectedPair,
  WebRTCReport,
} from './report.js';
