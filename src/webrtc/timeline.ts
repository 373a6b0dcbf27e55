import {
  REPORT_VERSION,
  type CandidateType,
  type ReportEvent,
  type ReportEventKind,
  type ReportOutcome,
  type SelectedPair,
  type WebRTCReport,
} from './report.js';

/** What one peer connection went through, in ms since instrumentation. Bounded. */
export class Timeline {
  readonly #t0 = now();
  readonly #events: ReportEvent[] = [];
  #dropped = 0;
  outcome: ReportOutcome = 'pending';
  connectedMs: number | undefined;
  failedMs: number | undefined;
  readonly firstCandidateMs: Partial<Record<CandidateType, number>> = {};
  selectedPair: SelectedPair | undefined;
  iceRestarts = 0;

  constructor(private readonly maxEvents: number) {}

  /** ms since instrumentation, whole. */
  elapsed(): number {
    return Math.max(0, Math.round(now() - this.#t0));
  }

  record(e: ReportEventKind, v?: string, t = this.elapsed()): void {
    if (this.#events.length >= this.maxEvents) {
      this.#dropped++;
      return;
    }
    this.#events.push(v === undefined ? { t, e } : { t, e, v });
  }

  /** The report as of now, for the given call. */
  report(traceparent: string, callId: string | undefined): WebRTCReport {
    const r: WebRTCReport = {
      v: REPORT_VERSION,
      traceparent,
      elapsedMs: this.elapsed(),
      outcome: this.outcome,
      iceRestarts: this.iceRestarts,
      droppedEvents: this.#dropped,
      events: this.#events.slice(),
    };
    if (callId) r.callId = callId;
    if (this.connectedMs !== undefined) r.connectedMs = this.connectedMs;
    if (this.failedMs !== undefined) r.failedMs = this.failedMs;
    if (Object.keys(this.firstCandidateMs).length)
      r.firstCandidateMs = { ...this.firstCandidateMs };
    if (this.selectedPair) r.selectedPair = { ...this.selectedPair };
    return r;
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
